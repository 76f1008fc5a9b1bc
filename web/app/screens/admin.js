// Admins: users (create, unlock), departments (tree, create) and daily quota targets
// per role and per department (managers read them).
import { useState } from "preact/hooks";
import { api, currentUser, get, post } from "../api.js";
import { t } from "../i18n.js";
import { html, useLoad, Loading, Empty, useForm, Field, FormMessage, loadColleagues } from "../ui.js";

function flatten(tree, depth = 0, out = []) {
  for (const d of tree) { out.push({ ...d, depth }); flatten(d.children || [], depth + 1, out); }
  return out;
}
const useDepartments = () => useLoad(() => get("/api/v1/departments").then((r) => flatten(r.items || r)), []);

export function Users() {
  const state = useLoad(() => get("/api/v1/users", { limit: 200 }), []);
  const departments = useDepartments();
  const form = useForm({ login: "", name: "", password: "", role: "rep", department_id: "", title: "", email: "" });
  const deptName = (id) => ((departments.data || []).find((d) => d.id === id) || {}).name || "";
  async function create(e) {
    e.preventDefault();
    const v = form.values;
    const body = { login: v.login, name: v.name, password: v.password, role: v.role,
      department_id: v.department_id ? Number(v.department_id) : null, title: v.title || undefined, email: v.email || undefined };
    if (await form.submit(() => post("/api/v1/users", body))) { form.setValues({ ...form.values, login: "", name: "", password: "" }); state.reload(); loadColleagues(true); }
  }
  const unlock = async (id) => { await post(`/api/v1/users/${id}/unlock`); state.reload(); };
  return html`<section><h2>${t("users")}</h2>
    <${Loading} state=${state}>${(d) => html`<table class="users"><thead><tr><th>${t("name")}</th><th>${t("login")}</th><th>${t("role")}</th><th>${t("department")}</th><th></th></tr></thead>
      <tbody>${d.items.map((u) => html`<tr data-user-id=${u.id}><td>${u.name}</td><td>${u.login}</td><td>${t("role_" + u.role)}</td><td>${deptName(u.department_id)}</td>
        <td>${u.locked && html`<button onClick=${() => unlock(u.id)}>${t("unlock")}</button>`}</td></tr>`)}</tbody></table>`}<//>
    <form class="card" onSubmit=${create} novalidate><h3>${t("newUser")}</h3><div class="grid2">
      <${Field} form=${form} name="login" label=${t("login")} /><${Field} form=${form} name="name" label=${t("name")} />
      <${Field} form=${form} name="password" label=${t("password")} type="password" autocomplete="new-password" />
      <${Field} form=${form} name="role" label=${t("role")} as="select">${["rep", "manager", "admin"].map((r) => html`<option value=${r}>${t("role_" + r)}</option>`)}<//>
      <${Field} form=${form} name="department_id" label=${t("department")} as="select"><option value=""></option>${(departments.data || []).map((dp) => html`<option value=${dp.id}>${"　".repeat(dp.depth)}${dp.name}</option>`)}<//>
      <${Field} form=${form} name="title" label=${t("title")} /><${Field} form=${form} name="email" label=${t("email")} type="email" /></div>
      <${FormMessage} form=${form} /><div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("save")}</button></div></form>
  </section>`;
}

export function Departments() {
  const state = useDepartments();
  const form = useForm({ name: "", parent_id: "" });
  async function create(e) {
    e.preventDefault();
    if (await form.submit((v) => post("/api/v1/departments", { name: v.name, parent_id: v.parent_id ? Number(v.parent_id) : null }))) { form.setValues({ name: "", parent_id: "" }); state.reload(); }
  }
  return html`<section><h2>${t("departments")}</h2>
    <${Loading} state=${state}>${(list) => list.length ? html`<ul class="list departments">${list.map((d) => html`<li data-department-id=${d.id} style=${`padding-left:${0.7 + d.depth * 1.4}rem`}>${d.name}</li>`)}</ul>` : html`<${Empty} />`}<//>
    <form class="card" onSubmit=${create} novalidate><h3>${t("newDepartment")}</h3>
      <${Field} form=${form} name="name" label=${t("name")} />
      <${Field} form=${form} name="parent_id" label=${t("parent")} as="select"><option value=""></option>${(state.data || []).map((d) => html`<option value=${d.id}>${"　".repeat(d.depth)}${d.name}</option>`)}<//>
      <${FormMessage} form=${form} /><div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("save")}</button></div></form>
  </section>`;
}

function QuotaRow({ label, row, path, editable, fallback, onSaved }) {
  const [values, setValues] = useState({ effective_contacts: row ? row.effective_contacts ?? "" : "", new_key_customers: row ? row.new_key_customers ?? "" : "" });
  const [error, setError] = useState(null);
  async function save(e) {
    e.preventDefault();
    setError(null);
    const body = {};
    for (const k of ["effective_contacts", "new_key_customers"]) body[k] = values[k] === "" ? null : Number(values[k]);
    try { await api("PUT", path, body); onSaved(); } catch (err) { setError(Object.values(err.fields || {})[0] || err.message); }
  }
  const input = (k) => html`<input type="number" min="0" name=${k} value=${values[k]} placeholder=${String(fallback[k])} disabled=${!editable}
    onInput=${(e) => setValues({ ...values, [k]: e.target.value })} style="width:6rem" />`;
  return html`<tr data-quota=${path}><td>${label}</td><td>${input("effective_contacts")}</td><td>${input("new_key_customers")}</td>
    <td>${editable && html`<button onClick=${save}>${t("save")}</button>`}${error && html`<span class="error" role="alert">${error}</span>`}</td></tr>`;
}

export function Quotas() {
  const state = useLoad(() => get("/api/v1/quotas"), []);
  const departments = useDepartments();
  const editable = (currentUser() || {}).role === "admin";
  return html`<section><h2>${t("quotas")}</h2><p class="muted small">${t("quotasHelp")}</p>
    <${Loading} state=${state}>${(book) => html`<div class="card scroll"><table class="quotas"><thead><tr><th></th><th>${t("fig_effective_contacts")}</th><th>${t("fig_new_key_customers")}</th><th></th></tr></thead><tbody>
      <tr><td>${t("quotaDefault")}</td><td>${book.default.effective_contacts}</td><td>${book.default.new_key_customers}</td><td></td></tr>
      ${["rep", "manager"].map((role) => html`<${QuotaRow} key=${"r" + role} label=${t("role_" + role)} path=${`/api/v1/quotas/roles/${role}`}
        row=${book.roles.find((r) => r.role === role)} editable=${editable} fallback=${book.default} onSaved=${state.reload} />`)}
      ${(departments.data || []).map((d) => html`<${QuotaRow} key=${"d" + d.id} label=${"　".repeat(d.depth) + d.name} path=${`/api/v1/quotas/departments/${d.id}`}
        row=${book.departments.find((r) => r.department_id === d.id)} editable=${editable} fallback=${book.default} onSaved=${state.reload} />`)}
    </tbody></table></div>`}<//></section>`;
}

export const routes = [
  { path: "/users", view: Users },
  { path: "/departments", view: Departments },
  { path: "/quotas", view: Quotas },
];
