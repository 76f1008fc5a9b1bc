// Shared pieces for screens: htm bound to Preact, links, forms with the
// server's errors next to their fields, loading states, the colleague list.
import { h } from "preact";
import { useEffect, useState, useCallback } from "preact/hooks";
import htm from "htm";
import { get, download } from "./api.js";
import { t, formatTime } from "./i18n.js";
import { on } from "./socket.js";

export const html = htm.bind(h);

// "/approval/1" is an app path, not one already under /app.
const inApp = (path) => path === "/app" || path.startsWith("/app/") || path.startsWith("/app?");

export function navigate(path, replace = false) {
  const url = inApp(path) ? path : "/app" + path;
  history[replace ? "replaceState" : "pushState"]({}, "", url);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function Link({ to, children, ...rest }) {
  const href = inApp(to) ? to : "/app" + to;
  return html`<a href=${href} ...${rest}>${children}</a>`;
}

// Runs `load` now and whenever `deps` change; `reload()` runs it again.
export function useLoad(load, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const run = useCallback(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then((data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }));
    return () => { live = false; };
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run, set: (fn) => setState((s) => ({ ...s, data: fn(s.data) })) };
}

export function useEvent(type, fn, deps = []) {
  useEffect(() => on(type, fn), deps);
}

export function Loading({ state, children }) {
  if (state.error) return html`<p class="error" role="alert">${state.error.status === 404 ? t("notFound") : state.error.message}
    <button class="link" onClick=${state.reload}>${t("retry")}</button></p>`;
  if (state.data === null) return html`<p class="muted">${t("loading")}</p>`;
  return children(state.data);
}

// A form's state: values, the server's per-field errors and its general error.
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState({});
  const [message, setMessage] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (name) => (e) => {
    const target = e.target;
    const value = target.type === "checkbox" ? target.checked : target.value;
    setValues((v) => ({ ...v, [name]: value }));
  };
  async function submit(action) {
    setBusy(true); setErrors({}); setMessage(null);
    try { return await action(values); }
    catch (error) {
      setErrors(error.fields || {});
      if (!error.fields || !Object.keys(error.fields).length) setMessage(error.message);
      return undefined;
    } finally { setBusy(false); }
  }
  return { values, setValues, set, errors, setErrors, message, setMessage, busy, submit };
}

// A labelled input with the server's error for that field beneath it.
export function Field({ form, name, label, type = "text", as, children, ...rest }) {
  const error = form.errors[name];
  const id = "f-" + name;
  const common = { id, name, "aria-invalid": error ? "true" : undefined, ...rest };
  let control;
  if (as === "textarea") control = html`<textarea ...${common} value=${form.values[name] ?? ""} onInput=${form.set(name)} />`;
  else if (as === "select") control = html`<select ...${common} value=${form.values[name] ?? ""} onChange=${form.set(name)}>${children}</select>`;
  else if (type === "checkbox") control = html`<input ...${common} type="checkbox" checked=${!!form.values[name]} onChange=${form.set(name)} />`;
  else control = html`<input ...${common} type=${type} value=${form.values[name] ?? ""} onInput=${form.set(name)} />`;
  return html`<div class=${"field" + (error ? " has-error" : "")}>
    <label for=${id}>${label}</label>${control}
    ${error && html`<div class="field-error" data-field=${name} role="alert">${error}</div>`}
  </div>`;
}

// The form's general error, and any field error for a field the form does not show.
export function FormMessage({ form }) {
  const unshown = Object.entries(form.errors).filter(([name]) => !(name in form.values));
  if (!form.message && !unshown.length) return null;
  return html`<div class="error" role="alert">${form.message && html`<p>${form.message}</p>`}
    ${unshown.map(([name, text]) => html`<p class="field-error" data-field=${name}>${name}: ${text}</p>`)}</div>`;
}

export const Time = ({ at, date = true }) => html`<time datetime=${at}>${formatTime(at, date)}</time>`;

// Colleagues by id, loaded once per page (names for feed items, messages…).
let colleagues = null;
export function loadColleagues(force = false) {
  if (!colleagues || force) colleagues = get("/api/v1/users", { limit: 200 }).then((r) => r.items).catch((e) => { colleagues = null; throw e; });
  return colleagues;
}
export function useColleagues() {
  const [list, setList] = useState([]);
  useEffect(() => { loadColleagues().then(setList, () => {}); }, []);
  const byId = Object.fromEntries(list.map((u) => [u.id, u]));
  return { list, byId, name: (id) => (byId[id] ? byId[id].name : "#" + id) };
}

export function Avatar({ user, name }) {
  const label = (user ? user.name : name) || "?";
  const hue = [...label].reduce((a, c) => a + c.charCodeAt(0), 0) % 360;
  return html`<span class="avatar" style=${`background:hsl(${hue} 55% 45%)`} aria-hidden="true">${label.slice(-2)}</span>`;
}

// Keep a list of records keyed by id: new ones first, the same id never twice.
export function mergeById(list, item, atEnd = false) {
  const rest = (list || []).filter((x) => x.id !== item.id);
  if (rest.length !== (list || []).length) return (list || []).map((x) => (x.id === item.id ? item : x));
  return atEnd ? [...rest, item] : [item, ...rest];
}

// Attached files as small download chips: `[{id, name?}]` (a post's `{"type": "file"}` attachments, a message's ids).
export function FileChips({ files }) {
  if (!files || !files.length) return null;
  return html`<div class="files">${files.map((f) => html`<button type="button" class="chip file" data-file-id=${f.id}
    onClick=${() => download(`/api/v1/files/${f.id}`).catch(() => {})}><${Icon} name="file" /> ${f.name || t("file") + " #" + f.id}</button>`)}</div>`;
}

export function Empty() { return html`<p class="muted empty">${t("noItems")}</p>`; }

// Line icons drawn here (no icon font, no emoji font needed).
const ICONS = {
  feed: "M4 5h16M4 12h16M4 19h10",
  chat: "M4 5h16v11H9l-5 4z",
  customers: "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-6 7-6s7 2 7 6M17 11a3 3 0 1 0 0-6M22 20c0-3-2-5-5-5",
  tasks: "M4 6l2 2 4-4M4 14l2 2 4-4M13 6h7M13 14h7M13 20h7",
  visit: "M12 21s-7-6-7-11a7 7 0 0 1 14 0c0 5-7 11-7 11zM12 12a2 2 0 1 0 0-4 2 2 0 0 0 0 4z",
  card: "M3 6h18v12H3zM7 10h5M7 14h8M16 9h2",
  report: "M6 3h9l4 4v14H6zM9 11h7M9 15h7M9 19h4",
  team: "M3 20V10M9 20V4M15 20v-8M21 20V7",
  more: "M5 12h.01M12 12h.01M19 12h.01",
  bell: "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0",
  users: "M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6",
  settings: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3M12 19v3M2 12h3M19 12h3M5 5l2 2M17 17l2 2M5 19l2-2M17 7l2-2",
  notifications: "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0",
  file: "M6 3h9l4 4v14H6zM15 3v4h4",
};
export function Icon({ name }) {
  return html`<svg class="icon" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d=${ICONS[name] || ICONS.more} /></svg>`;
}
