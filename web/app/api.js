// The API client: tokens, one shared refresh on 401, errors in API.md's shape.
const KEY = "fieldline.session";
let session = JSON.parse(localStorage.getItem(KEY) || "null");
let refreshing = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "http_" + status;
    this.details = error.details || {};
    this.fields = this.details.fields || {};
  }
}

export const currentUser = () => (session ? session.user : null);
export const accessToken = () => (session ? session.access_token : null);
export const onSession = (fn) => { listeners.add(fn); return () => listeners.delete(fn); };

function store(next) {
  session = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  listeners.forEach((fn) => fn(session));
}

export function updateUser(user) { if (session) store({ ...session, user }); }

async function send(method, path, body, headers) {
  const init = { method, headers: { ...headers } };
  if (session) init.headers.Authorization = "Bearer " + session.access_token;
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  return fetch(path, init);
}

export async function refresh() {
  if (!session) throw new ApiError(401, null);
  if (!refreshing) {
    const token = session.refresh_token;
    refreshing = fetch("/api/v1/auth/refresh", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: token }) })
      .then(async (r) => {
        if (r.status === 401 || r.status === 403) { store(null); throw new ApiError(401, await r.json().catch(() => null)); }
        if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
        const fresh = await r.json();
        store({ ...session, ...fresh, user: fresh.user || session.user });
      })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

// `api("GET", "/api/v1/feed")` → the parsed JSON; throws ApiError on any non-2xx.
export async function api(method, path, body, headers = {}) {
  let response = await send(method, path, body, headers);
  if (response.status === 401 && session && !path.startsWith("/api/v1/auth/")) {
    await refresh();
    response = await send(method, path, body, headers);
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path, params) => api("GET", params ? path + "?" + query(params) : path);
export const post = (path, body, headers) => api("POST", path, body === undefined ? {} : body, headers);

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  return q.toString();
}

export async function login(loginName, password) {
  const answer = await api("POST", "/api/v1/auth/login", { login: loginName, password });
  store(answer);
  return answer.user;
}

// The first sign-in of an account an administrator set up: choose one's own password.
export async function changePassword(oldPassword, newPassword) {
  const answer = await api("PUT", "/api/v1/me/password", { old_password: oldPassword, new_password: newPassword });
  store(answer);
  return answer.user;
}

export async function logout() {
  try { await api("POST", "/api/v1/auth/logout", {}); } catch { /* signed out here whatever the server says */ }
  store(null);
}

export function forget() { store(null); }

// Save an uploaded file (`/api/v1/files/{id}`) under the name the server offers.
export async function download(path) {
  let response = await send("GET", path);
  if (response.status === 401 && session) { await refresh(); response = await send("GET", path); }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const offered = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get("Content-Disposition") || "");
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: offered ? decodeURIComponent(offered[1]) : "" });
  document.body.appendChild(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// A new client id (chat messages, idempotency keys).
export const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
