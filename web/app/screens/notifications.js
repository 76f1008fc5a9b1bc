// The inbox (消息): notifications, unread first, each opening what it is about.
import { get, post } from "../api.js";
import { t } from "../i18n.js";
import { html, useLoad, useEvent, Loading, Time, Empty, mergeById, navigate } from "../ui.js";

export function linkPath(link) {
  return link && link.type ? `/${link.type}/${link.id}` : "/notifications";
}

export function Notifications() {
  const state = useLoad(() => get("/api/v1/notifications", { limit: 100 }), []);
  useEvent("notification.new", (f) => state.set((d) => d && { ...d, items: mergeById(d.items, f.data) }), []);
  const changed = () => dispatchEvent(new Event("fieldline:unread"));
  async function open(n) {
    if (!n.read) { await post("/api/v1/notifications/read", { ids: [n.id] }); changed(); }
    navigate(linkPath(n.link));
  }
  async function readAll() {
    await post("/api/v1/notifications/read", { all: true });
    state.set((d) => d && { ...d, items: d.items.map((n) => ({ ...n, read: true })) });
    changed();
  }
  return html`<section><div class="row"><h2 class="grow">${t("notifications")}</h2><button onClick=${readAll}>${t("markAllRead")}</button></div>
    <${Loading} state=${state}>${(d) => d.items.length ? html`<ul class="list notifications">${d.items.map((n) => html`
      <li class=${n.read ? "read" : "unread"} data-notification-id=${n.id} onClick=${() => open(n)} style="cursor:pointer">
        <div class="main"><b>${n.title}</b><div class="small">${n.body}</div></div>
        <span class="muted small"><${Time} at=${n.created_at} /></span>${!n.read && html`<span class="badge">•</span>`}</li>`)}</ul>` : html`<${Empty} />`}<//></section>`;
}

export const routes = [{ path: "/notifications", view: Notifications }];
