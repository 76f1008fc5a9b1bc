// Approvals (审批): the inbox of what waits for my decision, a request with its
// steps and log, contracts with their 回款, expense claims with receipt photos.
// The server decides who may do what; a 409 (someone decided first, the record
// is under review) shows as the form's error.
import { useState } from "preact/hooks";
import { get, post } from "../api.js";
import { t, today } from "../i18n.js";
import { html, useLoad, useEvent, Loading, Time, useColleagues, Link, navigate, Empty, useForm, Field, FormMessage } from "../ui.js";

const money = (n, currency = "CNY") => `${Number(n || 0).toLocaleString(undefined, { minimumFractionDigits: 2 })} ${currency}`;
const SUBJECT_PATHS = { contract: "/contract/", expense: "/expense/" };

function RequestRow({ request }) {
  const { name } = useColleagues();
  return html`<li class="approval-row" data-request-id=${request.id} data-status=${request.status}>
    <div class="main"><${Link} to=${`/approval/${request.id}`}><b>${request.title}</b><//>
      <div class="muted small">${name(request.submitter_id)} · ${t("ap_kind_" + request.kind)}
        ${request.amount !== null && html` · ${money(request.amount, request.currency)}`} · <${Time} at=${request.created_at} /></div></div>
    <span class="status">${t("ap_" + request.status)}</span></li>`;
}

export function Approvals() {
  const inbox = useLoad(() => get("/api/v1/approvals/inbox", { limit: 100 }), []);
  const mine = useLoad(() => get("/api/v1/approvals", { box: "mine", limit: 50 }), []);
  useEvent("approval.updated", () => { inbox.reload(); mine.reload(); }, []);
  const list = (d) => d.items.length ? html`<ul class="list">${d.items.map((r) => html`<${RequestRow} request=${r} />`)}</ul>` : html`<${Empty} />`;
  return html`<section class="approvals">
    <h2>${t("approvals")}</h2>
    <div class="card inbox"><h3>${t("ap_waiting")}</h3><${Loading} state=${inbox}>${list}<//></div>
    <div class="card mine"><h3>${t("ap_mine")}</h3><${Loading} state=${mine}>${list}<//></div>
    <div class="row"><${Link} to="/contracts">${t("contracts")}<//> · <${Link} to="/expenses">${t("expenses")}<//></div>
  </section>`;
}

function Decide({ request, user, onChange }) {
  const form = useForm({ text: "" });
  const step = request.current_step === null ? null : request.steps[request.current_step];
  const mayDecide = request.status === "pending" && step && step.approver_ids.includes(user.id);
  const act = (verb) => form.submit(async (v) => {
    const body = verb === "approve" ? { comment: v.text || undefined, step: request.current_step }
      : verb === "withdraw" ? undefined : { reason: v.text, step: request.current_step };
    const answer = await post(`/api/v1/approvals/${request.id}/${verb}`, body);
    form.setValues({ text: "" });
    onChange(answer);
  });
  if (request.status !== "pending") return null;
  return html`<div class="card decide">
    ${mayDecide && html`<${Field} form=${form} name="text" label=${t("ap_comment_or_reason")} as="textarea" />`}
    <${FormMessage} form=${form} />
    <div class="row end">
      ${mayDecide && html`<button class="primary approve" disabled=${form.busy} onClick=${() => act("approve")}>${t("ap_approve")}</button>
        <button class="return" disabled=${form.busy} onClick=${() => act("return")}>${t("ap_return")}</button>
        <button class="danger reject" disabled=${form.busy} onClick=${() => act("reject")}>${t("ap_reject")}</button>`}
      ${request.submitter_id === user.id && html`<button class="withdraw" disabled=${form.busy} onClick=${() => act("withdraw")}>${t("ap_withdraw")}</button>`}
    </div></div>`;
}

export function ApprovalScreen({ id, user }) {
  const { name } = useColleagues();
  const state = useLoad(() => get(`/api/v1/approvals/${id}`), [id]);
  const history = useLoad(() => get(`/api/v1/approvals/${id}/history`, { limit: 200 }), [id]);
  useEvent("approval.updated", (f) => { if (f.data.id === Number(id)) { state.set(() => f.data); history.reload(); } }, [id]);
  const [remark, setRemark] = useState("");
  async function comment(e) {
    e.preventDefault();
    if (!remark.trim()) return;
    await post(`/api/v1/approvals/${id}/comments`, { body: remark });
    setRemark(""); history.reload();
  }
  return html`<section class="approval"><${Loading} state=${state}>${(r) => html`
    <h2>${r.title}</h2>
    <p class="muted">${t("ap_kind_" + r.kind)} · ${name(r.submitter_id)} · <span class="request-status" data-status=${r.status}>${t("ap_" + r.status)}</span>
      ${r.amount !== null && html` · <b>${money(r.amount, r.currency)}</b>`}</p>
    ${r.subject && SUBJECT_PATHS[r.subject.type] && html`<p><${Link} to=${SUBJECT_PATHS[r.subject.type] + r.subject.id}>${t("ap_open_record")}<//></p>`}
    ${r.reason && html`<p class="reason">${r.reason}</p>`}
    <ol class="steps">${r.steps.map((s) => html`<li class=${"step " + s.status} data-step=${s.number} data-status=${s.status}>
      ${s.approver_ids.map(name).join(" / ")} · ${t("ap_step_" + s.status)}${s.comment && html` · ${s.comment}`}</li>`)}</ol>
    <${Decide} request=${r} user=${user} onChange=${(answer) => { state.set(() => answer); history.reload(); }} />
    <div class="card"><h3>${t("history")}</h3><${Loading} state=${history}>${(h) => html`<ul class="list">${h.items.map((e) => html`
      <li class="entry"><div class="main">${name(e.actor_id)} · ${t("ap_did_" + e.action)}${e.body && html`: ${e.body}`}
        <div class="muted small"><${Time} at=${e.created_at} /></div></div></li>`)}</ul>`}<//>
      <form class="row" onSubmit=${comment}><input name="remark" value=${remark} onInput=${(e) => setRemark(e.target.value)} placeholder=${t("comment")} />
        <button type="submit">${t("send")}</button></form></div>`}<//></section>`;
}

function Submit({ path, onDone }) {
  const form = useForm({});
  const submit = () => form.submit(async () => onDone(await post(path, {})));
  return html`<div class="submit-for-approval"><${FormMessage} form=${form} />
    <button class="primary submit" disabled=${form.busy} onClick=${submit}>${t("ap_submit")}</button></div>`;
}

function Locked({ record }) {
  return record.review_request_id ? html`<p class="locked" data-request-id=${record.review_request_id}>🔒 ${t("ap_locked")}
    <${Link} to=${`/approval/${record.review_request_id}`}>${t("open")}<//></p>` : null;
}

export function Contracts() {
  const state = useLoad(() => get("/api/v1/contracts", { limit: 100 }), []);
  const customers = useLoad(() => get("/api/v1/customers", { scope: "mine", limit: 200 }), []);
  const form = useForm({ customer_id: "", name: "", amount: "" });
  async function save(e) {
    e.preventDefault();
    const v = form.values;
    const made = await form.submit(() => post("/api/v1/contracts", { customer_id: Number(v.customer_id), name: v.name, amount: Number(v.amount) }));
    if (made) navigate(`/contract/${made.id}`);
  }
  return html`<section class="contracts"><h2>${t("contracts")}</h2>
    <div class="card"><${Loading} state=${state}>${(d) => d.items.length ? html`<ul class="list">${d.items.map((c) => html`
      <li data-contract-id=${c.id}><div class="main"><${Link} to=${`/contract/${c.id}`}><b>${c.number} ${c.name}</b><//>
        <div class="muted small">${money(c.amount, c.currency)} · ${t("ct_" + c.status)}</div></div></li>`)}</ul>` : html`<${Empty} />`}<//></div>
    <form class="card" onSubmit=${save} novalidate><h3>${t("ct_new")}</h3>
      <${Field} form=${form} name="customer_id" label=${t("customer")} as="select"><option value="">${t("chooseCustomer")}</option>
        ${customers.data && customers.data.items.map((c) => html`<option value=${c.id}>${c.name}</option>`)}<//>
      <${Field} form=${form} name="name" label=${t("name")} />
      <${Field} form=${form} name="amount" label=${t("amount")} type="number" />
      <${FormMessage} form=${form} />
      <div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("save")}</button></div></form></section>`;
}

export function ContractScreen({ id }) {
  const state = useLoad(() => get(`/api/v1/contracts/${id}`), [id]);
  const payments = useLoad(() => get(`/api/v1/contracts/${id}/payments`, { limit: 100 }), [id]);
  useEvent("approval.updated", (f) => { if (f.data.subject && f.data.subject.type === "contract" && f.data.subject.id === Number(id)) state.reload(); }, [id]);
  const form = useForm({ paid_on: today(), amount: "" });
  async function pay(e) {
    e.preventDefault();
    const done = await form.submit((v) => post(`/api/v1/contracts/${id}/payments`, { paid_on: v.paid_on, amount: Number(v.amount) }));
    if (done) { form.setValues({ paid_on: today(), amount: "" }); state.reload(); payments.reload(); }
  }
  return html`<section class="contract"><${Loading} state=${state}>${(c) => html`
    <h2>${c.number} ${c.name}</h2>
    <p><span class="contract-status" data-status=${c.status}>${t("ct_" + c.status)}</span> · ${money(c.amount, c.currency)}</p>
    <p class="amounts">${t("ct_collected")} <b class="collected">${money(c.collected, c.currency)}</b> · ${t("ct_outstanding")} <b class="outstanding">${money(c.outstanding, c.currency)}</b></p>
    <${Locked} record=${c} />
    ${c.status === "draft" && html`<${Submit} path=${`/api/v1/contracts/${id}/submit`} onDone=${() => state.reload()} />`}
    ${["active", "completed"].includes(c.status) && html`<form class="card payment" onSubmit=${pay} novalidate><h3>${t("ct_record_payment")}</h3>
      <div class="grid2"><${Field} form=${form} name="paid_on" label=${t("date")} type="date" />
        <${Field} form=${form} name="amount" label=${t("amount")} type="number" /></div>
      <${FormMessage} form=${form} /><div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("save")}</button></div></form>`}
    <div class="card"><h3>${t("ct_payments")}</h3><${Loading} state=${payments}>${(p) => p.items.length ? html`<ul class="list">${p.items.map((x) => html`
      <li class="payment-row"><div class="main">${x.paid_on} · ${money(x.amount, c.currency)}</div></li>`)}</ul>` : html`<${Empty} />`}<//></div>`}<//></section>`;
}

const CATEGORIES = ["travel", "lodging", "meals", "transport", "entertainment", "gifts", "office", "communication", "other"];

export function Expenses() {
  const state = useLoad(() => get("/api/v1/expenses", { limit: 100 }), []);
  const form = useForm({ title: "" });
  const [lines, setLines] = useState([{ spent_on: today(), category: "travel", amount: "", files: [] }]);
  const change = (i, key, value) => setLines((all) => all.map((line, n) => (n === i ? { ...line, [key]: value } : line)));
  async function save(e) {
    e.preventDefault();
    const made = await form.submit(async (v) => {
      const body = { title: v.title, lines: [] };
      for (const line of lines) {
        const receipt_ids = [];
        for (const file of line.files) { const data = new FormData(); data.append("file", file); receipt_ids.push((await post("/api/v1/photos", data)).id); }
        body.lines.push({ spent_on: line.spent_on, category: line.category, amount: Number(line.amount), receipt_ids });
      }
      return post("/api/v1/expenses", body);
    });
    if (made) navigate(`/expense/${made.id}`);
  }
  return html`<section class="expenses"><h2>${t("expenses")}</h2>
    <div class="card"><${Loading} state=${state}>${(d) => d.items.length ? html`<ul class="list">${d.items.map((x) => html`
      <li data-expense-id=${x.id}><div class="main"><${Link} to=${`/expense/${x.id}`}><b>${x.title}</b><//>
        <div class="muted small">${money(x.total, x.currency)} · ${t("ex_" + x.status)}</div></div></li>`)}</ul>` : html`<${Empty} />`}<//></div>
    <form class="card new-expense" onSubmit=${save} novalidate><h3>${t("ex_new")}</h3>
      <${Field} form=${form} name="title" label=${t("ex_title")} />
      ${lines.map((line, i) => html`<fieldset class="expense-line" data-line=${i}>
        <div class="grid2"><input type="date" name=${"spent_on-" + i} value=${line.spent_on} onInput=${(e) => change(i, "spent_on", e.target.value)} />
          <select name=${"category-" + i} value=${line.category} onChange=${(e) => change(i, "category", e.target.value)}>
            ${CATEGORIES.map((c) => html`<option value=${c}>${t("ex_cat_" + c)}</option>`)}</select></div>
        <input type="number" name=${"amount-" + i} placeholder=${t("amount")} value=${line.amount} onInput=${(e) => change(i, "amount", e.target.value)} />
        <label>${t("ex_receipts")} <input type="file" name=${"receipts-" + i} accept="image/*" multiple onChange=${(e) => change(i, "files", [...e.target.files])} /></label>
      </fieldset>`)}
      <button type="button" class="link add-line" onClick=${() => setLines((all) => [...all, { spent_on: today(), category: "meals", amount: "", files: [] }])}>${t("ex_add_line")}</button>
      <${FormMessage} form=${form} />
      <div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("save")}</button></div></form></section>`;
}

export function ExpenseScreen({ id }) {
  const state = useLoad(() => get(`/api/v1/expenses/${id}`), [id]);
  useEvent("approval.updated", (f) => { if (f.data.subject && f.data.subject.type === "expense" && f.data.subject.id === Number(id)) state.reload(); }, [id]);
  return html`<section class="expense"><${Loading} state=${state}>${(x) => html`
    <h2>${x.title}</h2>
    <p><span class="expense-status" data-status=${x.status}>${t("ex_" + x.status)}</span> · <b class="total">${money(x.total, x.currency)}</b></p>
    <${Locked} record=${x} />
    <ul class="list">${x.lines.map((line) => html`<li class="line"><div class="main">${line.spent_on} · ${t("ex_cat_" + line.category)} · ${money(line.amount, x.currency)}
      <div class="muted small receipts" data-count=${line.receipt_ids.length}>${t("ex_receipts")}: ${line.receipt_ids.length}</div></div></li>`)}</ul>
    ${x.status === "draft" && html`<${Submit} path=${`/api/v1/expenses/${id}/submit`} onDone=${() => state.reload()} />`}`}<//></section>`;
}

export const routes = [
  { path: "/approvals", view: Approvals },
  { path: "/approval/:id", view: ApprovalScreen },
  { path: "/contracts", view: Contracts },
  { path: "/contract/:id", view: ContractScreen },
  { path: "/expenses", view: Expenses },
  { path: "/expense/:id", view: ExpenseScreen },
];
