// Admins: users (create, unlock) and departments (tree, create).
import { useState } from "preact/hooks";
import { get, post } from "../api.js";
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

export const routes = [
  { path: "/users", view: Users },
  { path: "/departments", view: Departments },
];
