// Visit check-in and check-out with the browser's position and a photo.
import { useState } from "preact/hooks";
import { get, post } from "../api.js";
import { t } from "../i18n.js";
import { html, useLoad, Link, Time } from "../ui.js";

export function position() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error("geolocation")); return; }
    navigator.geolocation.getCurrentPosition(resolve, (e) => reject(new Error(e.message || "geolocation")),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  });
}

export function Visit({ user }) {
  const preset = new URLSearchParams(location.search).get("customer_id") || "";
  const customers = useLoad(() => get("/api/v1/customers", { scope: "mine", limit: 200 }), []);
  const [customerId, setCustomerId] = useState(preset);
  const [note, setNote] = useState("");
  const [photo, setPhoto] = useState(null);
  const [busy, setBusy] = useState(null);
  const [errors, setErrors] = useState({});
  const [checkin, setCheckin] = useState(null);
  const [done, setDone] = useState(null);

  async function run(kind) {
    setErrors({}); setBusy(t("locating"));
    let where;
    try { where = await position(); } catch (e) { setErrors({ _: t("locationFailed", { error: e.message }) }); setBusy(null); return; }
    const at = { lat: where.coords.latitude, lng: where.coords.longitude, captured_at: new Date().toISOString() };
    try {
      if (kind === "in") {
        const body = { ...at, accuracy_m: where.coords.accuracy, note: note || undefined };
        if (customerId) body.customer_id = Number(customerId);
        if (photo) { const data = new FormData(); data.append("image", photo); body.photo_ids = [(await post("/api/v1/photos", data)).id]; }
        setCheckin(await post("/api/v1/checkins", body));
      } else {
        setDone(await post(`/api/v1/checkins/${checkin.id}/checkout`, at));
      }
    } catch (e) { setErrors(Object.keys(e.fields).length ? e.fields : { _: e.message }); }
    finally { setBusy(null); }
  }
  return html`<section><h2>${t("visit")}</h2>
    <div class="card">
      <div class=${"field" + (errors.customer_id ? " has-error" : "")}><label for="f-customer_id">${t("customer")}</label>
        <select id="f-customer_id" name="customer_id" value=${customerId} onChange=${(e) => setCustomerId(e.target.value)} disabled=${!!checkin}>
          <option value="">${t("chooseCustomer")}</option>
          ${customers.data && customers.data.items.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select>
        ${errors.customer_id && html`<div class="field-error" data-field="customer_id">${errors.customer_id}</div>`}</div>
      <div class="field"><label for="f-note">${t("note")}</label><input id="f-note" name="note" value=${note} onInput=${(e) => setNote(e.target.value)} disabled=${!!checkin} /></div>
      <div class="field"><label for="f-photo">${t("photo")}</label><input id="f-photo" type="file" accept="image/*" capture="environment" onChange=${(e) => setPhoto(e.target.files[0] || null)} disabled=${!!checkin} /></div>
      ${Object.entries(errors).filter(([k]) => k !== "customer_id").map(([k, v]) => html`<p class="error" role="alert" data-field=${k}>${v}</p>`)}
      ${busy && html`<p class="muted">${busy}</p>`}
      ${!checkin && html`<button class="primary checkin" onClick=${() => run("in")} disabled=${!!busy}>${t("checkIn")}</button>`}
    </div>
    ${checkin && html`<div class="card checkin-result" data-checkin-id=${checkin.id}>
      <b>${t("checkedIn")}</b> <${Time} at=${checkin.captured_at} />
      <p>${checkin.distance_m !== null && checkin.distance_m !== undefined ? t("distance", { m: Math.round(checkin.distance_m) }) : ""}
        ${checkin.within_geofence ? html` <span class="chip ok">${t("withinGeofence")}</span>` : ""}
        ${(checkin.flags || []).map((f) => html` <span class="chip bad flag">${f}</span>`)}</p>
      ${done ? html`<p class="checked-out">${t("checkedOut", { min: Math.round((done.duration_s || 0) / 60) })}</p>`
        : html`<button class="checkout" onClick=${() => run("out")} disabled=${!!busy}>${t("checkOut")}</button>`}
      ${customerId && html` <${Link} to=${`/customer/${customerId}`}>${t("customer")}<//>`}
    </div>`}
  </section>`;
}

export const routes = [{ path: "/visit", view: Visit }];
