// Settings: language (kept on the account), time zone, sign out; and the
// "more" menu of the phone's navigation.
import { useEffect, useState } from "preact/hooks";
import { api, logout, updateUser } from "../api.js";
import { disablePush, enablePush, pushState } from "../push.js";
import { t, LANGUAGES, language, setLanguage } from "../i18n.js";
import { html, Link, Icon } from "../ui.js";

export function Settings({ user }) {
  const [error, setError] = useState(null);
  async function choose(lang) {
    setError(null);
    setLanguage(lang);
    try { updateUser(await api("PATCH", "/api/v1/me", { language: lang })); }
    catch (e) { setError(e.message); }
    dispatchEvent(new Event("fieldline:language"));
  }
  return html`<section><h2>${t("settings")}</h2>
    <div class="card"><p>${t("signedInAs", { name: user.name })} (${user.login} · ${t("role_" + user.role)})</p>
      <p>${t("timezone")}: ${user.timezone}</p>
      <div class="row"><span>${t("language")}:</span>${Object.entries(LANGUAGES).map(([code, label]) => html`
        <button class=${code === language() ? "primary" : ""} data-language=${code} onClick=${() => choose(code)}>${label}</button>`)}</div>
      ${error && html`<p class="error">${error}</p>`}</div>
    <${PushCard} />
    <div class="card"><p class="muted small">${t("installHint")}</p><button class="danger signout" onClick=${logout}>${t("signOut")}</button></div>
  </section>`;
}

function PushCard() {
  const [state, setState] = useState("…");
  const [error, setError] = useState(null);
  useEffect(() => { pushState().then(setState, () => setState("unsupported")); }, []);
  async function toggle() {
    setError(null);
    try { setState(await (state === "on" ? disablePush() : enablePush())); }
    catch (e) { setError(e.message); }
  }
  const text = { on: "pushEnabled", off: "pushDisabled", unsupported: "pushUnsupported", denied: "pushDenied" }[state];
  return html`<div class="card push"><h3>${t("pushTitle")}</h3>
    <p class="muted small push-state" data-state=${state}>${text ? t(text) : state}</p>
    ${(state === "on" || state === "off") && html`<button class=${state === "on" ? "" : "primary"} data-push=${state}
      onClick=${toggle}>${t(state === "on" ? "pushOff" : "pushOn")}</button>`}
    ${error && html`<p class="error">${error}</p>`}</div>`;
}

export function More({ user }) {
  const items = [["/visit", "visit"], ["/card", "card"], ["/report", "report"], ["/notifications", "notifications"],
    ...(user.role !== "rep" ? [["/team", "team"]] : []), ...(user.role === "admin" ? [["/users", "users"], ["/departments", "departments"]] : []),
    ["/settings", "settings"]];
  return html`<section><h2>${t("more")}</h2><div class="list">${items.map(([to, label]) => html`
    <${Link} to=${to}><${Icon} name=${label} /><div class="main">${t(label)}</div><//>`)}</div></section>`;
}

export const routes = [
  { path: "/settings", view: Settings },
  { path: "/settings/notifications", view: Settings },
  { path: "/more", view: More },
];
