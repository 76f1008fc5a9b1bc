// The daily report: the rep writes it and sees the server's figures; a
// manager sees the day's reports and who has not sent one.
import { useState } from "preact/hooks";
import { get, post } from "../api.js";
import { t, today } from "../i18n.js";
import { html, useLoad, Loading, Time, useColleagues, Link, Empty, useForm, Field, FormMessage } from "../ui.js";

export function Figures({ figures }) {
  return html`<dl class="kv figures">${Object.entries(figures || {}).map(([k, v]) => html`<dt>${t("fig_" + k)}</dt><dd data-figure=${k}>${v}</dd>`)}</dl>`;
}

function Write({ user }) {
  const form = useForm({ date: today(), summary: "", plan: "", problems: "" });
  const [saved, setSaved] = useState(null);
  async function submit(e) {
    e.preventDefault();
    const v = form.values;
    const report = await form.submit(() => post("/api/v1/daily-reports", { date: v.date, summary: v.summary, plan: v.plan, problems: v.problems || undefined }));
    if (report) setSaved(report);
  }
  return html`<form class="card" onSubmit=${submit} novalidate><h3>${t("report")}</h3>
    <${Field} form=${form} name="date" label=${t("date")} type="date" />
    <${Field} form=${form} name="summary" label=${t("summary")} as="textarea" />
    <${Field} form=${form} name="plan" label=${t("plan")} as="textarea" />
    <${Field} form=${form} name="problems" label=${t("problems")} as="textarea" />
    <${FormMessage} form=${form} />
    <div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("submit")}</button></div>
    ${saved && html`<div class="card report-saved"><b>${t("submitted")}</b> ${saved.late ? html`<span class="chip bad">${t("late")}</span>` : ""}
      <h3>${t("figures")}</h3><${Figures} figures=${saved.figures} /></div>`}
  </form>`;
}

export function TeamReports({ date }) {
  const { name } = useColleagues();
  const state = useLoad(() => get("/api/v1/daily-reports", { date }), [date]);
  return html`<div class="card team-reports"><h3>${t("reportsOf", { date })}</h3><${Loading} state=${state}>${(d) => html`
    ${d.missing.length > 0 && html`<p class="missing"><b>${t("missingReports")}:</b> ${d.missing.map((id) => html`<span class="chip bad" data-user-id=${id}>${name(id)}</span>`)}</p>`}
    ${d.items.length ? html`<ul class="list">${d.items.map((r) => html`<li><div class="main"><${Link} to=${`/daily_report/${r.id}`}><b>${name(r.user_id)}</b><//>
      ${r.late ? html` <span class="chip bad">${t("late")}</span>` : ""}<div class="small">${r.summary}</div></div></li>`)}</ul>` : html`<${Empty} />`}`}<//></div>`;
}

export function Report({ user }) {
  const [date, setDate] = useState(today());
  return html`<section>${user.role === "rep" ? html`<${Write} user=${user} />` : html`
    <div class="row"><h2 class="grow">${t("report")}</h2><input type="date" value=${date} onChange=${(e) => setDate(e.target.value)} style="width:auto" /></div>
    <${TeamReports} date=${date} />`}</section>`;
}

export function ReportScreen({ id }) {
  const { name } = useColleagues();
  const state = useLoad(() => get(`/api/v1/daily-reports/${id}`), [id]);
  return html`<section><${Loading} state=${state}>${(r) => html`<div class="card"><h2>${name(r.user_id)} · ${r.date}</h2>
    ${r.late ? html`<span class="chip bad">${t("late")}</span>` : ""}
    <h3>${t("summary")}</h3><p>${r.summary}</p><h3>${t("plan")}</h3><p>${r.plan}</p>
    ${r.problems && html`<h3>${t("problems")}</h3><p>${r.problems}</p>`}
    <h3>${t("figures")}</h3><${Figures} figures=${r.figures} /><p class="muted small">${t("submitted")} <${Time} at=${r.submitted_at} /></p></div>`}<//></section>`;
}

export const routes = [
  { path: "/report", view: Report },
  { path: "/daily_report/:id", view: ReportScreen },
];
