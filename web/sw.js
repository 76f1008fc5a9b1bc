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

// Push (docs/push.md): the server's payload is {title, body, url, kind, tag}.
// One notification per tag: a push that arrives twice (a retry after a lost
// answer) replaces the first instead of showing again.
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = { body: event.data ? event.data.text() : "" }; }
  const title = data.title || "Fieldline";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "", tag: data.tag || undefined, renotify: false,
    icon: STATIC + "icons/icon-192.png",
    data: { url: data.url || "/app", kind: data.kind || "" },
  }));
});

// A tap opens the deep link: in a window of the app already open, or a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/app", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const open = windows.find((w) => new URL(w.url).origin === self.location.origin && "navigate" in w);
    if (open) return open.navigate(target).then((w) => (w || open).focus());
    return self.clients.openWindow(target);
  }));
});
