// The app's shell: sign-in, navigation, the socket's state, the unread badge,
// and the screen that the path names.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { currentUser, onSession, get, logout } from "./api.js";
import { t, language, setLanguage } from "./i18n.js";
import { start, stop, on } from "./socket.js";
import { html, Link, Icon } from "./ui.js";
import { match, register, useLocation } from "./router.js";
import { screens, navItems } from "./screens/index.js";
import { FirstPassword, Login } from "./screens/login.js";

register(screens);

function useUnread(user) {
  const [counts, setCounts] = useState({});
  useEffect(() => {
    if (!user) return undefined;
    let timer = null;
    const load = () => get("/api/v1/notifications/unread-counts").then(setCounts, () => {});
    const later = () => { clearTimeout(timer); timer = setTimeout(load, 150); };
    load();
    const offs = ["notification.new", "message.new", "read.updated", "notifications.read", "status"].map((type) => on(type, later));
    addEventListener("fieldline:unread", later);
    return () => { offs.forEach((off) => off()); removeEventListener("fieldline:unread", later); clearTimeout(timer); };
  }, [user && user.id]);
  return counts;
}

// Requests waiting for my decision: loaded once, then kept by `approval.counts`.
function useWaiting(user) {
  const [waiting, setWaiting] = useState(0);
  useEffect(() => {
    if (!user) return undefined;
    get("/api/v1/approvals/counts").then((c) => setWaiting(c.waiting), () => {});
    return on("approval.counts", (f) => setWaiting(f.data.waiting));
  }, [user && user.id]);
  return waiting;
}

function Shell({ user, path }) {
  const [status, setStatus] = useState("offline");
  useEffect(() => on("status", setStatus), []);
  const counts = useUnread(user);
  const chatUnread = counts.chat || 0;
  const inboxUnread = Object.entries(counts).filter(([k]) => k !== "chat").reduce((a, [, v]) => a + v, 0);
  const found = match(path.split("?")[0]);
  const View = found ? found.route.view : NotFound;
  const current = found ? found.route.path : "";
  const items = navItems(user);
  const badge = { chat: chatUnread, notifications: inboxUnread, approvals: useWaiting(user) };
  return html`<div class="shell">
    <header class="topbar">
      <${Link} to="/feed" class="brand">${t("app")}<//>
      <span class=${"conn " + status} data-status=${status} title=${t(status === "online" ? "online" : "offline")}>
        ${status === "online" ? "●" : t("offline")}</span>
      <span class="grow"></span>
      <${Link} to="/notifications" class="bell" aria-label=${t("notifications")}><${Icon} name="bell" />${inboxUnread > 0 &&
        html`<span class="badge" data-testid="inbox-badge">${inboxUnread}</span>`}<//>
      <${Link} to="/settings" class="me">${user.name}<//>
    </header>
    <nav class="nav">
      ${items.map((item) => html`<${Link} to=${item.to} class=${"nav-item" + (item.match.includes(current) ? " active" : "") + (item.wide ? " wide" : "") + (item.narrow ? " narrow" : "")}>
        <span class="nav-icon" aria-hidden="true"><${Icon} name=${item.icon} /></span><span class="nav-label">${t(item.label)}</span>
        ${badge[item.label] > 0 && html`<span class="badge" data-testid=${"badge-" + item.label}>${badge[item.label]}</span>`}<//>`)}
    </nav>
    <main class="screen"><${View} key=${path} ...${found ? found.params : {}} user=${user} /></main>
  </div>`;
}

function NotFound() {
  return html`<section><p class="error">${t("deepLinkUnknown")}</p><${Link} to="/feed">${t("feed")}<//></section>`;
}

function App() {
  const [user, setUser] = useState(currentUser());
  const path = useLocation();
  const [, setLang] = useState(language());
  useEffect(() => onSession((s) => setUser(s ? s.user : null)), []);
  // No socket until the account has its own password: the change ends every session,
  // the one a socket would have opened with too.
  const ready = user && !user.must_change_credentials ? user.id : null;
  useEffect(() => { if (ready) start(); else stop(); }, [ready]);
  useEffect(() => {
    const changed = () => setLang(language());
    addEventListener("fieldline:language", changed);
    return () => removeEventListener("fieldline:language", changed);
  }, []);
  document.documentElement.lang = language();
  if (!user) return html`<${Login} />`;
  if (user.must_change_credentials) return html`<${FirstPassword} />`;
  return html`<${Shell} user=${user} path=${path} />`;
}

export function signOut() { return logout(); }

const root = document.getElementById("root");
root.textContent = "";
render(html`<${App} />`, root);

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/app/sw.js", { scope: "/app" }).catch(() => {});
}
setLanguage(language());
