// Tasks (accept, reject, complete, reopen), the day's agenda and reminders (snooze).
import { useState } from "preact/hooks";
import { get, post, api } from "../api.js";
import { t, today, localInputToIso } from "../i18n.js";
import { html, useLoad, useEvent, Loading, Time, useColleagues, Link, navigate, Empty, useForm, Field, FormMessage } from "../ui.js";

export function TaskRow({ task, user, onChange }) {
  const { name } = useColleagues();
  const [error, setError] = useState(null);
  async function act(verb) {
    setError(null);
    try { onChange(await post(`/api/v1/tasks/${task.id}/${verb}`)); } catch (e) { setError(e.message); }
  }
  const mine = task.assignee_id === user.id;
  return html`<li class="task" data-task-id=${task.id} data-status=${task.status}>
    <div class="main"><${Link} to=${`/task/${task.id}`}><b>${task.title}</b><//>
      <div class="muted small">${t("dueAt")} <${Time} at=${task.due_at} /> · ${name(task.assignee_id)} · <span class="status">${t("status_" + task.status)}</span></div>
      ${error && html`<div class="error small" role="alert">${error}</div>`}</div>
    ${mine && task.status === "pending" && html`<button class="accept" onClick=${() => act("accept")}>${t("accept")}</button>
      <button class="reject danger" onClick=${() => act("reject")}>${t("reject")}</button>`}
    ${mine && task.status === "open" && html`<button class="complete" onClick=${() => act("complete")}>${t("complete")}</button>`}
    ${task.status === "done" && html`<button class="link" onClick=${() => act("reopen")}>${t("reopen")}</button>`}
  </li>`;
}

function NewTask({ user, onCreated }) {
  const { list } = useColleagues();
  const form = useForm({ title: "", due_at: "", remind_at: "", assignee_id: String(user.id), notes: "" });
  async function save(e) {
    e.preventDefault();
    const v = form.values;
    const body = { kind: "task", title: v.title, notes: v.notes || undefined, due_at: localInputToIso(v.due_at),
      remind_at: localInputToIso(v.remind_at) || undefined, assignee_id: Number(v.assignee_id) };
    const task = await form.submit(() => post("/api/v1/tasks", body));
    if (task) { form.setValues({ ...form.values, title: "", notes: "" }); onCreated(task); }
  }
  return html`<form class="card" onSubmit=${save} novalidate><h3>${t("newTask")}</h3>
    <${Field} form=${form} name="title" label=${t("title")} />
    <div class="grid2">
      <${Field} form=${form} name="due_at" label=${t("dueAt")} type="datetime-local" />
      <${Field} form=${form} name="remind_at" label=${t("remindAt")} type="datetime-local" />
    </div>
    <${Field} form=${form} name="assignee_id" label=${t("assignee")} as="select">${list.map((u) => html`<option value=${u.id}>${u.name}</option>`)}<//>
    <${Field} form=${form} name="notes" label=${t("notes")} as="textarea" />
    <${FormMessage} form=${form} />
    <div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("save")}</button></div></form>`;
}

function Reminders() {
  const state = useLoad(() => get("/api/v1/reminders", { upcoming: "true", limit: 50 }), []);
  useEvent("reminder", () => state.reload(), []);
  useEvent("task.updated", () => state.reload(), []); // a new or moved task may bring a reminder
  const snooze = async (id) => { await post(`/api/v1/reminders/${id}/snooze`, { minutes: 10 }); state.reload(); };
  const cancel = async (id) => { await api("DELETE", `/api/v1/reminders/${id}`); state.reload(); };
  return html`<div class="card"><h3>${t("reminders")}</h3><${Loading} state=${state}>${(d) => d.items.length ? html`<ul class="list">${d.items.map((r) => html`
    <li data-reminder-id=${r.id}><div class="main"><b>${r.title}</b><div class="muted small"><${Time} at=${r.fire_at} /></div></div>
      <button onClick=${() => snooze(r.id)} title=${t("snoozeMinutes", { n: 10 })}>${t("snooze")}</button>
      <button class="link danger" onClick=${() => cancel(r.id)}>${t("cancel")}</button></li>`)}</ul>` : html`<${Empty} />`}<//></div>`;
}

export function Tasks({ user }) {
  const [date, setDate] = useState(today());
  const tasks = useLoad(() => get("/api/v1/tasks", { assignee_id: user.id, limit: 100 }), []);
  const agenda = useLoad(() => get("/api/v1/agenda", { date }), [date]);
  const put = (task) => { tasks.set((d) => d && { ...d, items: [task, ...d.items.filter((x) => x.id !== task.id)] }); agenda.reload(); };
  useEvent("task.updated", (f) => put(f.data), []);
  const active = (d) => d.items.filter((x) => !x.deleted && ["pending", "open"].includes(x.status));
  return html`<section class="tasks">
    <h2>${t("tasks")}</h2>
    <div class="card"><div class="row"><h3 class="grow">${t("agenda")}</h3><input type="date" value=${date} onChange=${(e) => setDate(e.target.value)} style="width:auto" /></div>
      <${Loading} state=${agenda}>${(a) => {
        const rows = [...a.overdue, ...a.events, ...a.tasks];
        return rows.length || a.follow_ups.length ? html`<ul class="list">${rows.map((x) => html`<${TaskRow} task=${x} user=${user} onChange=${put} />`)}
          ${a.follow_ups.map((r) => html`<li><div class="main"><b>${r.title}</b><div class="muted small"><${Time} at=${r.due_at} /></div></div></li>`)}</ul>` : html`<${Empty} />`;
      }}<//></div>
    <div class="card"><h3>${t("myTasks")}</h3><${Loading} state=${tasks}>${(d) => active(d).length ? html`<ul class="list">${active(d).map((x) => html`<${TaskRow} task=${x} user=${user} onChange=${put} />`)}</ul>` : html`<${Empty} />`}<//></div>
    <${Reminders} />
    <${NewTask} user=${user} onCreated=${put} />
  </section>`;
}

export function TaskScreen({ id, user }) {
  const state = useLoad(() => get(`/api/v1/tasks/${id}`), [id]);
  useEvent("task.updated", (f) => { if (f.data.id === Number(id)) state.set(() => f.data); }, [id]);
  return html`<section><${Link} to="/tasks">‹ ${t("tasks")}<//><${Loading} state=${state}>${(task) => html`
    <div class="card"><ul class="list"><${TaskRow} task=${task} user=${user} onChange=${(x) => state.set(() => x)} /></ul>
      ${task.notes && html`<p>${task.notes}</p>`}
      ${task.subject && task.subject.type && html`<${Link} to=${`/${task.subject.type}/${task.subject.id}`}>${t(task.subject.type)} #${task.subject.id}<//>`}</div>`}<//></section>`;
}

export const routes = [
  { path: "/tasks", view: Tasks },
  { path: "/task/:id", view: TaskScreen },
  { path: "/reminder/:id", view: () => { navigate("/tasks", true); return null; } },
];
