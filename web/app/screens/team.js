// The manager's console: the team's day on a map, leaderboard, funnel, daily
// quota progress, who has not sent a daily report, and announcements.
import { useState, useEffect, useRef } from "preact/hooks";
import { get, post } from "../api.js";
import { t, today, formatTime } from "../i18n.js";
import { html, useLoad, useEvent, Loading, useColleagues, Link, Empty, useForm, Field, FormMessage } from "../ui.js";
import { TeamReports } from "./report.js";

const STATIC = document.querySelector('meta[name="fieldline-static"]').content;
const TILE_URL = document.querySelector('meta[name="fieldline-tile-url"]').content;
let leaflet = null;

// Leaflet is loaded only when a map is shown (it is most of the app's weight).
function loadLeaflet() {
  if (!leaflet) {
    leaflet = new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet"; css.href = STATIC + "vendor/leaflet/leaflet.css";
      document.head.appendChild(css);
      const script = document.createElement("script");
      script.src = STATIC + "vendor/leaflet/leaflet.js";
      script.onload = () => resolve(window.L);
      script.onerror = () => { leaflet = null; reject(new Error("leaflet")); };
      document.head.appendChild(script);
    });
  }
  return leaflet;
}

const COLORS = ["#1f6feb", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4", "#6e7781"];
const color = (userId) => COLORS[userId % COLORS.length];

// Dots on a plain box scaled to the points: what shows when tiles cannot load.
function PlainMap({ points }) {
  if (!points.length) return html`<div class="map plain"><p class="muted empty">${t("noCheckins")}</p></div>`;
  const lats = points.map((p) => p.lat), lngs = points.map((p) => p.lng);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  // At least ~1 km across, centred on the points.
  const spanLat = Math.max(maxLat - minLat, 0.01), spanLng = Math.max(maxLng - minLng, 0.01);
  const midLat = (minLat + maxLat) / 2, midLng = (minLng + maxLng) / 2;
  const x = (lng) => 300 + ((lng - midLng) / spanLng) * 480, y = (lat) => 180 - ((lat - midLat) / spanLat) * 260;
  return html`<div class="map plain" data-map="plain"><svg viewBox="0 0 600 360" role="img" aria-label=${t("map")}>
    <rect width="600" height="360" fill="#eef3f8" />
    ${points.map((p) => html`<g class="dot" data-checkin-id=${p.id}><circle cx=${x(p.lng)} cy=${y(p.lat)} r="8" fill=${p.flags.length ? "#cf222e" : color(p.userId)} stroke="#fff" stroke-width="2" />
      <text x=${x(p.lng) + 11} y=${y(p.lat) + 4} font-size="13" fill="#1f2328">${p.label}</text></g>`)}</svg></div>`;
}

function TileMap({ points, onFail }) {
  const box = useRef(null);
  useEffect(() => {
    let map = null;
    let live = true;
    loadLeaflet().then((L) => {
      if (!live) return;
      map = L.map(box.current, { attributionControl: true });
      L.tileLayer(TILE_URL, { maxZoom: 18, attribution: "© OpenStreetMap" }).on("tileerror", () => live && onFail()).addTo(map);
      const bounds = [];
      for (const p of points) {
        L.circleMarker([p.lat, p.lng], { radius: 8, color: "#fff", weight: 2, fillColor: p.flags.length ? "#cf222e" : color(p.userId), fillOpacity: 1 })
          .bindTooltip(p.label).addTo(map);
        bounds.push([p.lat, p.lng]);
      }
      if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 }); else map.setView([31.23, 121.47], 10);
    }, () => live && onFail());
    return () => { live = false; if (map) map.remove(); };
  }, [points]);
  return html`<div class="map" data-map="tiles" ref=${box}></div>`;
}

export function TeamMap({ date }) {
  const { name } = useColleagues();
  const state = useLoad(() => get("/api/v1/checkins.geojson", { date }), [date]);
  const [failed, setFailed] = useState(!TILE_URL);
  useEvent("feed.new", (f) => { if (f.data.kind === "checkin") state.reload(); }, [date]);
  return html`<div class="card team-map"><h3>${t("map")}</h3><${Loading} state=${state}>${(fc) => {
    const points = fc.features.filter((f) => f.properties.kind === "checkin").map((f) => ({
      id: f.properties.checkin_id, userId: f.properties.user_id, lng: f.geometry.coordinates[0], lat: f.geometry.coordinates[1],
      flags: f.properties.flags, at: f.properties.captured_at,
      label: `${name(f.properties.user_id)} · ${(f.properties.customer && f.properties.customer.name) || ""}` }));
    return html`${failed ? html`<p class="muted small map-fallback">${t("mapFallback")}</p><${PlainMap} points=${points} />`
      : html`<${TileMap} points=${points} onFail=${() => setFailed(true)} />`}
      <ul class="list checkins">${points.map((p) => html`<li data-checkin-id=${p.id}><span class="avatar" style=${"background:" + color(p.userId)}></span>
        <div class="main"><b>${p.label}</b><div class="muted small">${formatTime(p.at)} ${p.flags.map((fl) => html`<span class="chip bad">${fl}</span>`)}</div></div></li>`)}</ul>`;
  }}<//></div>`;
}

function Leaderboard({ date }) {
  const state = useLoad(() => get("/api/v1/stats/leaderboard", { from: date, to: date }), [date]);
  return html`<div class="card"><h3>${t("leaderboard")}</h3><${Loading} state=${state}>${(d) => d.items.length ? html`<div class="scroll"><table class="leaderboard">
    <thead><tr><th>${t("rank")}</th><th>${t("name")}</th><th>${t("wonAmount")}</th><th>${t("pipeline")}</th><th>${t("effectiveContacts")}</th><th>${t("checkins")}</th></tr></thead>
    <tbody>${d.items.map((r) => html`<tr><td>${r.rank}</td><td>${r.name}</td><td>${r.won_amount.toLocaleString()}</td><td>${r.open_pipeline.toLocaleString()}</td><td>${r.effective_contacts}</td><td>${r.checkins}</td></tr>`)}</tbody></table></div>` : html`<${Empty} />`}<//></div>`;
}

function Funnel() {
  const state = useLoad(() => get("/api/v1/stats/funnel", { scope: "team" }), []);
  return html`<div class="card"><h3>${t("funnel")}</h3><${Loading} state=${state}>${(d) => {
    const top = Math.max(1, ...d.stages.map((s) => s.count));
    return html`<table><tbody>${d.stages.map((s) => html`<tr><td>${t("stage_" + s.stage)}</td><td style="width:45%"><div class="bar"><span style=${`width:${(s.count / top) * 100}%`}></span></div></td><td>${s.count}</td><td>${s.amount.toLocaleString()}</td></tr>`)}
      <tr><td>${t("won")}</td><td></td><td>${d.won.count}</td><td>${d.won.amount.toLocaleString()}</td></tr>
      <tr><td>${t("lost")}</td><td></td><td>${d.lost.count}</td><td>${d.lost.amount.toLocaleString()}</td></tr></tbody></table>`;
  }}<//></div>`;
}

function Quota({ date }) {
  const board = useLoad(() => get("/api/v1/stats/leaderboard", { from: date, to: date }), [date]);
  const [rows, setRows] = useState(null);
  useEffect(() => {
    if (!board.data) return;
    Promise.all(board.data.items.map((r) => get("/api/v1/stats/activity", { user_id: r.user_id, from: date, to: date }).then((a) => ({ name: r.name, a }))))
      .then(setRows, () => setRows([]));
  }, [board.data]);
  return html`<div class="card"><h3>${t("quota")}</h3>${rows === null ? html`<p class="muted">${t("loading")}</p>` : rows.length ? html`<table><tbody>${rows.map(({ name, a }) => {
    const day = a.days[0] || { progress: {} };
    return html`<tr><td>${name}</td>${Object.entries(day.progress).map(([k, v]) => html`<td title=${t("fig_" + k)}><div class="small muted">${t("fig_" + k)} ${day[k] ?? 0}/${a.targets[k]}</div><div class="bar"><span style=${`width:${v * 100}%`}></span></div></td>`)}</tr>`;
  })}</tbody></table>` : html`<${Empty} />`}</div>`;
}

function Announce({ user }) {
  const form = useForm({ title: "", body: "" });
  const [sent, setSent] = useState(false);
  async function submit(e) {
    e.preventDefault();
    const body = { title: form.values.title, body: form.values.body };
    if (user.role !== "admin" && user.managed_department_ids.length) body.department_id = user.managed_department_ids[0];
    if (await form.submit(() => post("/api/v1/announcements", body))) { setSent(true); form.setValues({ title: "", body: "" }); }
  }
  return html`<form class="card" onSubmit=${submit} novalidate><h3>${t("newAnnouncement")}</h3>
    <${Field} form=${form} name="title" label=${t("headline")} /><${Field} form=${form} name="body" label=${t("body")} as="textarea" />
    <${FormMessage} form=${form} />${sent && html`<p class="muted">${t("submitted")}</p>`}
    <div class="row end"><button class="primary" type="submit" disabled=${form.busy}>${t("post")}</button></div></form>`;
}

export function Team({ user }) {
  const [date, setDate] = useState(today());
  return html`<section class="team">
    <div class="row"><h2 class="grow">${t("team")}</h2><input type="date" value=${date} onChange=${(e) => setDate(e.target.value)} style="width:auto" /></div>
    <div class="dashboard"><div><${TeamMap} date=${date} /><${Leaderboard} date=${date} /><${Quota} date=${date} /></div>
      <div><${TeamReports} date=${date} /><${Funnel} /><${Announce} user=${user} /></div></div>
  </section>`;
}

export const routes = [
  { path: "/team", view: Team },
  { path: "/map", view: ({ user }) => html`<section><${TeamMap} date=${today()} /></section>` },
];
