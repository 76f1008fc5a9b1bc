import { changePassword, login, logout } from "../api.js";
import { t, LANGUAGES, language, setLanguage } from "../i18n.js";
import { html, useForm, Field, FormMessage } from "../ui.js";

export function Login() {
  const form = useForm({ login: "", password: "" });
  const onSubmit = (e) => { e.preventDefault(); form.submit((v) => login(v.login.trim(), v.password)); };
  const choose = (lang) => { setLanguage(lang); dispatchEvent(new Event("fieldline:language")); };
  return html`<div class="login">
    <form class="card login-card" onSubmit=${onSubmit}>
      <h1><img src=${document.querySelector('meta[name="fieldline-static"]').content + "icons/icon.svg"} alt="" width="40" height="40" /> ${t("app")}</h1>
      <${Field} form=${form} name="login" label=${t("login")} autocomplete="username" autocapitalize="off" required />
      <${Field} form=${form} name="password" label=${t("password")} type="password" autocomplete="current-password" required />
      <${FormMessage} form=${form} />
      <button class="primary" type="submit" disabled=${form.busy}>${t("signIn")}</button>
      <p class="langs">${Object.entries(LANGUAGES).map(([code, label]) => html`<button type="button" class=${"link" + (code === language() ? " active" : "")} onClick=${() => choose(code)}>${label}</button>`)}</p>
    </form>
  </div>`;
}

// An administrator created this account or reset its password: the server answers
// password_change_required everywhere until its owner chooses their own.
export function FirstPassword() {
  const form = useForm({ old_password: "", new_password: "" });
  const onSubmit = (e) => { e.preventDefault(); form.submit((v) => changePassword(v.old_password, v.new_password)); };
  return html`<div class="login">
    <form class="card login-card first-password" onSubmit=${onSubmit}>
      <h1>${t("firstPassword")}</h1><p class="muted small">${t("firstPasswordHelp")}</p>
      <${Field} form=${form} name="old_password" label=${t("currentPassword")} type="password" autocomplete="current-password" required />
      <${Field} form=${form} name="new_password" label=${t("newPassword")} type="password" autocomplete="new-password" required />
      <${FormMessage} form=${form} />
      <button class="primary" type="submit" disabled=${form.busy}>${t("save")}</button>
      <p><button type="button" class="link" onClick=${() => logout()}>${t("signOut")}</button></p>
    </form>
  </div>`;
}
