// Settings: language (kept on the account), time zone, sign out; and the
// "more" menu of the phone's navigation.
import { useState } from "preact/hooks";
import { api, logout, updateUser } from "../api.js";
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
    <div class="card"><p class="muted small">${t("installHint")}</p><button class="danger signout" onClick=${logout}>${t("signOut")}</button></div>
  </section>`;
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
