// Fieldline service worker: the offline shell. The page and this release's
// static files are cached; the API and the socket always go to the network.
// Other handlers (push, notificationclick) are added below the shell's.
const BUILD = "{{BUILD}}";
const STATIC = "{{STATIC}}";
const SHELL = "fieldline-shell-" + BUILD;
const CORE = ["/app", STATIC + "app/main.js", STATIC + "app/style.css", STATIC + "vendor/preact.mjs",
  STATIC + "vendor/preact-hooks.mjs", STATIC + "vendor/htm.mjs"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(CORE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // Drop the caches of earlier releases.
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("fieldline-shell-") && k !== SHELL).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && (url.pathname === "/app" || url.pathname.startsWith("/app/"))) {
    // Network first, so a new release shows at once; the cached page when offline.
    event.respondWith(fetch(request).catch(() => caches.match("/app")));
  } else if (url.pathname.startsWith(STATIC)) {
    event.respondWith(caches.open(SHELL).then((cache) => cache.match(request).then((hit) => hit ||
      fetch(request).then((response) => { if (response.ok) cache.put(request, response.clone()); return response; }))));
  }
});
