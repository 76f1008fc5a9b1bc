// Customers: search, detail (contacts, opportunities, activities, history),
// create with the 撞单 (duplicate) answer shown before saving, pool claim/release;
// a lead (线索) with its history, like a customer.
import { useState, useEffect } from "preact/hooks";
import { get, post } from "../api.js";
import { t } from "../i18n.js";
import { html, useLoad, Loading, Time, useColleagues, Link, navigate, Empty, useForm, Field, FormMessage } from "../ui.js";

export function Customers({ user }) {
  const params = new URLSearchParams(location.search);
  const [q, setQ] = useState(params.get("q") || "");
  const [scope, setScope] = useState(params.get("scope") || "mine");
  const [term, setTerm] = useState(q);
  useEffect(() => { const h = setTimeout(() => setTerm(q), 250); return () => clearTimeout(h); }, [q]);
  const state = useLoad(() => get("/api/v1/customers", { q: term, scope, limit: 100 }), [term, scope]);
  const scopes = ["mine", "shared", ...(user.role === "rep" ? [] : ["team"]), "pool", "all"];
  const { name } = useColleagues();
  return html`<section>
    <div class="row"><h2 class="grow">${t("customers")}</h2>
      <${Link} to="/card"><button>${t("card")}</button><//> <${Link} to="/customers/new"><button class="primary">${t("newCustomer")}</button><//></div>
    <input type="search" name="q" placeholder=${t("searchCustomers")} value=${q} onInput=${(e) => setQ(e.target.value)} />
    <div class="tabs">${scopes.map((s) => html`<button class=${s === scope ? "active" : ""} onClick=${() => setScope(s)}>${t(s === "team" ? "scopeTeam" : s)}</button>`)}</div>
    <${Loading} state=${state}>${(d) => d.items.length ? html`<div class="list customers">${d.items.map((c) => html`
      <${Link} to=${`/customer/${c.id}`} data-customer-id=${c.id}><div class="main"><b>${c.name}</b>
        <div class="muted small">${[c.phone, c.address].filter(Boolean).join(" · ")}</div></div>
        ${c.in_pool ? html`<span class="chip warn">${t("pool")}</span>` : html`<span class="chip">${name(c.owner_id)}</span>`}<//>`)}</div>` : html`<${Empty} />`}<//>
  </section>`;
}

export function DuplicateList({ duplicates }) {
  const { name } = useColleagues();
  return html`<ul class="list">${duplicates.map((d) => html`<li class="dup-item" data-duplicate-id=${d.id}>
    <div class="main"><b>${d.name}</b><div class="muted small">${d.in_pool ? t("inPool") : t("owner") + ": " + name(d.owner_id)}
      · ${t("matchedOn", { on: (d.matched_on || []).map((m) => t(m)).join("、") })}</div></div>
    <${Link} to=${`/customer/${d.id}`}>${t("open")}<//></li>`)}</ul>`;
}

// Asks the server's duplicate check while the form is typed in.
export function useDuplicates(values) {
  const [state, setState] = useState({ checking: false, duplicates: null });
  const key = JSON.stringify([values.name || "", values.phone || "", values.fax || ""]);
  useEffect(() => {
    if (!values.name && !values.phone && !values.fax) { setState({ checking: false, duplicates: null }); return undefined; }
    setState((s) => ({ ...s, checking: true }));
    let live = true;
    const h = setTimeout(() => get("/api/v1/customers/duplicates", { name: values.name, phone: values.phone, fax: values.fax })
      .then((r) => live && setState({ checking: false, duplicates: r.duplicates }), () => live && setState({ checking: false, duplicates: null })), 300);
    return () => { live = false; clearTimeout(h); };
  }, [key]);
  return state;
}

export function NewCustomer() {
  const form = useForm({ name: "", phone: "", fax: "", province: "", city: "", address: "", industry: "", level: "", email: "", website: "" });
  const dup = useDuplicates(form.values);
  async function save(e) {
    e.preventDefault();
    const body = Object.fromEntries(Object.entries(form.values).filter(([, v]) => v !== ""));
    const created = await form.submit(() => post("/api/v1/customers", body));
    if (created) navigate(`/customer/${created.id}`, true);
  }
  return html`<section><h2>${t("newCustomer")}</h2>
    <form class="card" onSubmit=${save} novalidate>
      <${Field} form=${form} name="name" label=${t("name")} />
      <div class="duplicates" aria-live="polite">
        ${dup.checking ? html`<p class="muted small">${t("checking")}</p>` : dup.duplicates && (dup.duplicates.length
          ? html`<div class="card dup"><b class="warn-title">${t("duplicatesFound")}</b><${DuplicateList} duplicates=${dup.duplicates} /></div>`
          : html`<p class="muted small no-dup">${t("noDuplicates")}</p>`)}
      </div>
      <div class="grid2">
        <${Field} form=${form} name="phone" label=${t("phone")} type="tel" />
        <${Field} form=${form} name="fax" label=${t("fax")} type="tel" />
        <${Field} form=${form} name="province" label=${t("province")} />
        <${Field} form=${form} name="city" label=${t("city")} />
        <${Field} form=${form} name="industry" label=${t("industry")} />
        <${Field} form=${form} name="level" label=${t("level")} />
        <${Field} form=${form} name="email" label=${t("email")} type="email" />
        <${Field} form=${form} name="website" label=${t("website")} />
      </div>
      <${Field} form=${form} name="address" label=${t("address")} />
      <${FormMessage} form=${form} />
      <div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("save")}</button></div>
    </form></section>`;
}

function Section({ title, state, children }) {
  return html`<div class="card"><h3>${title}</h3><${Loading} state=${state}>${(d) => (d.items || d).length ? children(d.items || d) : html`<${Empty} />`}<//></div>`;
}

export function CustomerDetail({ id, user }) {
  const { name } = useColleagues();
  const state = useLoad(() => get(`/api/v1/customers/${id}`), [id]);
  const contacts = useLoad(() => get("/api/v1/contacts", { customer_id: id, limit: 100 }), [id]);
  const opportunities = useLoad(() => get("/api/v1/opportunities", { customer_id: id, limit: 100 }), [id]);
  const activities = useLoad(() => get("/api/v1/activities", { customer_id: id, limit: 50 }), [id]);
  const history = useLoad(() => get(`/api/v1/customers/${id}/history`), [id]);
  const [error, setError] = useState(null);
  const [note, setNote] = useState("");
  async function act(path, body) {
    setError(null);
    try { await post(path, body); state.reload(); history.reload(); } catch (e) { setError(Object.values(e.fields)[0] || e.message); }
  }
  async function addActivity(e) {
    e.preventDefault();
    if (!note.trim()) return;
    try { await post("/api/v1/activities", { customer_id: Number(id), kind: "call", content: note, reached: true }); setNote(""); activities.reload(); }
    catch (err) { setError((err.fields && err.fields.content) || err.message); }
  }
  if (state.error) return html`<section><${Loading} state=${state}>${() => null}<//></section>`;
  return html`<section><${Loading} state=${state}>${(c) => html`
    <div class="card customer" data-customer-id=${c.id}>
      <div class="row"><h2 class="grow">${c.name}</h2>${c.in_pool ? html`<span class="chip warn">${t("pool")}</span>` : ""}</div>
      <dl class="kv">
        <dt>${t("owner")}</dt><dd>${c.in_pool ? "—" : name(c.owner_id)}</dd>
        ${c.phone && html`<dt>${t("phone")}</dt><dd><a href=${"tel:" + c.phone}>${c.phone}</a></dd>`}
        ${c.address && html`<dt>${t("address")}</dt><dd>${c.address}</dd>`}
        ${(c.province || c.city) && html`<dt>${t("city")}</dt><dd>${[c.province, c.city].filter(Boolean).join(" ")}</dd>`}
        ${c.industry && html`<dt>${t("industry")}</dt><dd>${c.industry}</dd>`}
        ${c.level && html`<dt>${t("level")}</dt><dd>${c.level}</dd>`}
      </dl>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <div class="row">
        ${c.in_pool && html`<button class="primary claim" onClick=${() => act(`/api/v1/customers/${c.id}/claim`)}>${t("claim")}</button>`}
        ${!c.in_pool && c.owner_id === user.id && html`<button class="release" onClick=${() => { const reason = prompt(t("releaseReason")); if (reason) act(`/api/v1/customers/${c.id}/release`, { reason }); }}>${t("release")}</button>`}
        <${Link} to=${`/visit?customer_id=${c.id}`}><button>${t("checkIn")}</button><//>
      </div>
    </div>`}<//>
    <${Section} title=${t("contacts")} state=${contacts}>${(items) => html`<ul class="list">${items.map((p) => html`<li>
      <div class="main"><b>${p.name}</b> <span class="muted">${p.title || ""}</span><div class="small">${[p.mobile, p.email].filter(Boolean).join(" · ")}</div></div></li>`)}</ul>`}<//>
    <${Section} title=${t("opportunities")} state=${opportunities}>${(items) => html`<ul class="list">${items.map((o) => html`<li>
      <div class="main"><b>${o.name}</b><div class="small muted">${t("stage_" + o.stage)} · ${o.status} · ${o.amount ?? ""} ${o.currency || ""}</div></div></li>`)}</ul>`}<//>
    <div class="card"><h3>${t("activities")}</h3>
      <form class="row" onSubmit=${addActivity}><input name="activity" value=${note} onInput=${(e) => setNote(e.target.value)} placeholder=${t("addActivity")} /><button type="submit">${t("save")}</button></form>
      <${Loading} state=${activities}>${(d) => d.items.length ? html`<ul class="list">${d.items.map((a) => html`<li><div class="main">
        <b>${name(a.author_id)}</b> <span class="chip">${a.kind}</span><div class="small">${a.content}</div></div><span class="muted small"><${Time} at=${a.created_at} /></span></li>`)}</ul>` : html`<${Empty} />`}<//></div>
    <${Section} title=${t("history")} state=${history}>${(items) => html`<ul class="list">${items.map((h) => html`<li><div class="main small">
      ${t("h_" + h.action)}${h.reason ? ": " + h.reason : ""}${h.actor_id ? " · " + name(h.actor_id) : ""}</div><span class="muted small"><${Time} at=${h.created_at} /></span></li>`)}</ul>`}<//>
  </section>`;
}

export function OpportunityScreen({ id }) {
  const { name } = useColleagues();
  const state = useLoad(() => get(`/api/v1/opportunities/${id}`), [id]);
  return html`<section><${Loading} state=${state}>${(o) => html`<div class="card opportunity">
    <h2>${o.name}</h2>
    <dl class="kv"><dt>${t("stage")}</dt><dd>${t("stage_" + o.stage)} · ${o.status}</dd>
      <dt>${t("amount")}</dt><dd>${o.amount ?? ""} ${o.currency || ""}</dd>
      <dt>${t("owner")}</dt><dd>${name(o.owner_id)}</dd>
      ${o.expected_close && html`<dt>${t("expectedClose")}</dt><dd>${o.expected_close}</dd>`}</dl>
    <${Link} to=${`/customer/${o.customer_id}`}>${t("customer")}<//></div>`}<//></section>`;
}

export function LeadScreen({ id }) {
  const { name } = useColleagues();
  const state = useLoad(() => get(`/api/v1/leads/${id}`), [id]);
  const history = useLoad(() => get(`/api/v1/leads/${id}/history`), [id]);
  return html`<section><${Loading} state=${state}>${(l) => html`<div class="card lead" data-lead-id=${l.id}>
    <h2>${l.company}</h2>
    <dl class="kv"><dt>${t("owner")}</dt><dd>${name(l.owner_id)}</dd><dt>${t("leadStatus")}</dt><dd>${t("ls_" + l.status)} · ${l.source}</dd>
      ${l.contact_name && html`<dt>${t("contacts")}</dt><dd>${l.contact_name}</dd>`}
      ${l.phone && html`<dt>${t("phone")}</dt><dd><a href=${"tel:" + l.phone}>${l.phone}</a></dd>`}
      ${l.address && html`<dt>${t("address")}</dt><dd>${l.address}</dd>`}
      ${l.follow_up_by && html`<dt>${t("followUpBy")}</dt><dd><${Time} at=${l.follow_up_by} /></dd>`}</dl>
    ${l.customer_id && html`<${Link} to=${`/customer/${l.customer_id}`}>${t("customer")}<//>`}</div>`}<//>
    <${Section} title=${t("history")} state=${history}>${(items) => html`<ul class="list">${items.map((h) => html`<li><div class="main small">
      ${t("lh_" + h.action)}${h.to_owner_id && h.action === "assigned" ? " → " + name(h.to_owner_id) : ""}${h.details && h.details.to ? " → " + t("ls_" + h.details.to) : ""}${h.actor_id ? " · " + name(h.actor_id) : ""}</div><span class="muted small"><${Time} at=${h.created_at} /></span></li>`)}</ul>`}<//>
  </section>`;
}

export const routes = [
  { path: "/lead/:id", view: LeadScreen },
  { path: "/opportunity/:id", view: OpportunityScreen },
  { path: "/customers", view: Customers },
  { path: "/customers/new", view: NewCustomer },
  { path: "/customer/:id", view: CustomerDetail },
];
