// Client-side paths under /app. Screens register `{path: "/customer/:id", view}`
// in screens/index.js; the first pattern that matches wins.
import { useEffect, useState } from "preact/hooks";

const routes = [];

export function register(list) {
  for (const route of list) {
    const names = [];
    const pattern = route.path.replace(/:(\w+)/g, (_, name) => { names.push(name); return "([^/]+)"; });
    routes.push({ ...route, regex: new RegExp("^" + pattern + "/?$"), names });
  }
}

export function match(pathname) {
  const path = pathname.replace(/^\/app/, "") || "/";
  for (const route of routes) {
    const found = route.regex.exec(path);
    if (found) return { route, params: Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(found[i + 1])])) };
  }
  return null;
}

export function useLocation() {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    const update = () => setPath(location.pathname + location.search);
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return path;
}

// Same-origin links under /app move without a page load.
document.addEventListener("click", (event) => {
  const a = event.target.closest && event.target.closest("a[href]");
  if (!a || a.target || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !(url.pathname === "/app" || url.pathname.startsWith("/app/")) || url.pathname.startsWith("/app/static/")) return;
  event.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) {
    history.pushState({}, "", url.pathname + url.search);
    dispatchEvent(new PopStateEvent("popstate"));
  }
});
