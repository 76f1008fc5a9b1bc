// One socket per signed-in page. It resumes from the last seq it saw with
// `?since=`, so a dropped connection loses nothing, and it never hands the
// same durable event to the screens twice (seq only goes up).
import { accessToken, refresh, forget } from "./api.js";

const handlers = new Map(); // type → Set(fn); "*" gets every event; "status" gets online/offline
let ws = null;
let lastSeq = null; // null until the first hello: the REST reads cover what came before
let wanted = false;
let retryMs = 500;
let timer = null;
let status = "offline";

export function on(type, fn) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type).add(fn);
  return () => handlers.get(type).delete(fn);
}

function dispatch(type, payload) {
  for (const key of [type, "*"]) (handlers.get(key) || []).forEach((fn) => { try { fn(payload); } catch (e) { console.error(e); } });
}

function setStatus(next) { status = next; dispatch("status", next); }
export const socketStatus = () => status;
export const seenSeq = () => lastSeq;

export function start() {
  wanted = true;
  if (!ws) open();
}

export function stop() {
  wanted = false;
  lastSeq = null;
  clearTimeout(timer);
  if (ws) { const old = ws; ws = null; old.close(1000); }
  setStatus("offline");
}

// Tell the server this device has every event up to lastSeq, so pushes still
// waiting for them are not sent to this browser (docs/push.md). One frame per
// burst of events, not one per event.
let ackTimer = null;
function acknowledge(socket) {
  if (ackTimer) return;
  ackTimer = setTimeout(() => {
    ackTimer = null;
    if (ws === socket && socket.readyState === WebSocket.OPEN && lastSeq !== null) {
      socket.send(JSON.stringify({ type: "received", seq: lastSeq }));
    }
  }, 100);
}

function open() {
  clearTimeout(timer);
  const token = accessToken();
  if (!token || !wanted) return;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const since = lastSeq === null ? "" : `&since=${lastSeq}`;
  const socket = new WebSocket(`${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}${since}`);
  ws = socket;
  socket.onmessage = (message) => {
    let frame;
    try { frame = JSON.parse(message.data); } catch { return; }
    if (frame.type === "hello") {
      retryMs = 500;
      if (lastSeq === null) lastSeq = frame.data.last_seq;
      setStatus("online");
      return;
    }
    if (frame.type === "resync_required") { dispatch("resync", frame); return; }
    if (typeof frame.seq === "number") {
      if (lastSeq !== null && frame.seq <= lastSeq) return; // already shown
      lastSeq = frame.seq;
    }
    dispatch(frame.type, frame);
    if (typeof frame.seq === "number") acknowledge(socket);
  };
  socket.onclose = async (event) => {
    if (ws !== socket) return;
    ws = null;
    setStatus("offline");
    if (!wanted) return;
    if (event.code === 4401) {
      try { await refresh(); } catch { forget(); return; }
    } else if (event.code === 4403) {
      // Refused for the session it opened with. If this device has signed in again since
      // (a password change gives it a new session), open with that; otherwise sign out.
      if (accessToken() === token) { forget(); return; }
      retryMs = 500;
    }
    timer = setTimeout(open, retryMs);
    retryMs = Math.min(retryMs * 2, 4000);
  };
}

export function send(frame) {
  if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(frame)); return true; }
  return false;
}

// Back online or back in view: try at once instead of waiting for the timer.
addEventListener("online", () => { if (wanted && !ws) { retryMs = 500; open(); } });
document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible" && wanted && !ws) open(); });
