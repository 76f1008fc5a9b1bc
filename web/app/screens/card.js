// Business-card scan: a photo from the camera (or a file) → the server reads
// it → the fields with their confidence and any duplicate to review → save.
import { useState, useEffect } from "preact/hooks";
import { get, post } from "../api.js";
import { t } from "../i18n.js";
import { html, useEvent, navigate, useForm, Field, FormMessage } from "../ui.js";
import { DuplicateList } from "./customers.js";

const FIELDS = ["name", "title", "company", "mobile", "phones", "fax", "email", "website", "address"];
// Confidences are calibrated (docs/ocr.md): a field below this is highlighted for the rep to check.
export const REVIEW_BELOW = 0.8;

function Review({ card }) {
  const start = Object.fromEntries(FIELDS.map((f) => [f, f === "phones" ? (card.fields.phones || []).join(", ") : card.fields[f] || ""]));
  const form = useForm(start);
  const customers = card.duplicates.filter((d) => d.type === "customer");
  const [customerId, setCustomerId] = useState("");
  async function save(e) {
    e.preventDefault();
    const fields = {};
    for (const f of FIELDS) {
      const value = form.values[f].trim();
      if (value === start[f]) continue;
      fields[f] = f === "phones" ? value.split(/[,，;；]\s*/).filter(Boolean) : value || null;
    }
    const body = { fields };
    if (customerId) body.customer_id = Number(customerId);
    const saved = await form.submit(() => post(`/api/v1/cards/${card.id}/confirm`, body));
    if (saved) navigate(`/customer/${saved.customer.id}`, true);
  }
  const level = (c) => (c === undefined ? "" : c >= REVIEW_BELOW ? "ok" : c >= 0.5 ? "warn" : "bad");
  const review = (f) => card.confidence[f] !== undefined && card.confidence[f] < REVIEW_BELOW;
  return html`<form class="card card-review" onSubmit=${save} novalidate>
    <h3>${t("reviewCard")}</h3>
    ${card.duplicates.length > 0 && html`<div class="card dup"><b>${t("duplicatesFound")}</b><${DuplicateList} duplicates=${card.duplicates} /></div>`}
    <div class="grid2">${FIELDS.map((f) => html`<div class=${"conf-field" + (review(f) ? " needs-review" : "")} data-needs-review=${review(f) ? "yes" : "no"}>
      <${Field} form=${form} name=${f} label=${t(f)} />
      ${card.confidence[f] !== undefined && html`<span class=${"chip confidence " + level(card.confidence[f])} data-confidence-of=${f}>${t("confidence")} ${Math.round(card.confidence[f] * 100)}%</span>`}
    </div>`)}</div>
    ${customers.length > 0 && html`<div class="field"><label for="f-customer">${t("existingCustomer")}</label>
      <select id="f-customer" value=${customerId} onChange=${(e) => setCustomerId(e.target.value)}>
        <option value="">${t("newCustomer")}</option>${customers.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select></div>`}
    <${FormMessage} form=${form} />
    <div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("saveContact")}</button></div>
  </form>`;
}

export function CardScan({ id }) {
  const [card, setCard] = useState(null);
  const [preview, setPreview] = useState(null);
  const [error, setError] = useState(null);
  const cardId = card ? card.id : id ? Number(id) : null;
  useEffect(() => { if (id) get(`/api/v1/cards/${id}`).then(setCard, (e) => setError(e.message)); }, [id]);
  useEvent("card.parsed", (f) => { if (f.data.id === cardId) setCard(f.data); }, [cardId]);
  // The event is what updates the page; a slow poll covers a socket that is down.
  useEffect(() => {
    if (!card || card.status !== "pending") return undefined;
    const h = setInterval(() => get(`/api/v1/cards/${card.id}`).then((c) => c.status !== "pending" && setCard(c), () => {}), 5000);
    return () => clearInterval(h);
  }, [card && card.id, card && card.status]);
  async function chosen(e) {
    const file = e.target.files[0];
    if (!file) return;
    setError(null); setCard(null);
    setPreview(URL.createObjectURL(file));
    const data = new FormData();
    data.append("image", file);
    try { const accepted = await post("/api/v1/cards", data); setCard({ id: accepted.id, status: "pending" });
      history.replaceState({}, "", `/app/card/${accepted.id}`);
      // card.parsed may have come before this answer: ask once.
      get(`/api/v1/cards/${accepted.id}`).then((c) => c.status !== "pending" && setCard(c), () => {}); }
    catch (err) { setError((err.fields && err.fields.image) || err.message); }
  }
  return html`<section><h2>${t("card")}</h2>
    <div class="card">
      <label class="field"><span>${t("scanCard")}</span>
        <input type="file" name="image" accept="image/*" capture="environment" onChange=${chosen} /></label>
      ${preview && html`<img class="preview" src=${preview} alt="" />`}
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${card && card.status === "pending" && html`<p class="muted scanning">${t("scanning")}</p>`}
      ${card && card.status === "failed" && html`<p class="error">${t("cardFailed")}: ${card.error || ""}</p>`}
    </div>
    ${card && card.status === "done" && html`<${Review} card=${card} />`}
  </section>`;
}

export const routes = [
  { path: "/card", view: CardScan },
  { path: "/card/:id", view: CardScan },
];
