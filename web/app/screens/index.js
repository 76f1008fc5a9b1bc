// Every screen of the app, by path. A new screen: write screens/<name>.js that
// exports `routes`, import it here, and add a nav item if it needs one.
// Deep links from emails and notifications are `/app/<type>/<id>`.
import { Feed, PostScreen } from "./feed.js";
import * as chat from "./chat.js";
import * as customers from "./customers.js";
import * as card from "./card.js";
import * as visit from "./visit.js";
import * as tasks from "./tasks.js";
import * as report from "./report.js";
import * as notifications from "./notifications.js";
import * as team from "./team.js";
import * as admin from "./admin.js";
import * as settings from "./settings.js";
import * as approvals from "./approvals.js";
import { get } from "../api.js";
import { html, navigate } from "../ui.js";

// An activity link opens its customer.
function ActivityLink({ id }) {
  get(`/api/v1/activities/${id}`).then((a) => navigate(`/customer/${a.customer_id}`, true), () => navigate("/notifications", true));
  return html`<p class="muted">…</p>`;
}

export const screens = [
  { path: "/", view: Feed },
  { path: "/feed", view: Feed },
  { path: "/post/:id", view: PostScreen },
  { path: "/activity/:id", view: ActivityLink },
  ...chat.routes, ...customers.routes, ...card.routes, ...visit.routes, ...tasks.routes, ...report.routes,
  ...notifications.routes, ...team.routes, ...admin.routes, ...settings.routes, ...approvals.routes,
];

// The navigation: at the bottom on a phone, at the side on a desktop. `match`
// lists the route paths that light an item up; `wide` items show only on a desktop.
export function navItems(user) {
  const manager = user.role !== "rep";
  return [
    ...(manager ? [{ to: "/team", label: "team", icon: "team", match: ["/team", "/map"] }] : []),
    { to: "/feed", label: "feed", icon: "feed", match: ["/", "/feed", "/post/:id"] },
    { to: "/chat", label: "chat", icon: "chat", match: ["/chat", "/chat/new", "/conversation/:id"] },
    { to: "/customers", label: "customers", icon: "customers", match: ["/customers", "/customers/new", "/customer/:id", "/opportunity/:id"] },
    { to: "/tasks", label: "tasks", icon: "tasks", match: ["/tasks", "/task/:id"] },
    { to: "/approvals", label: "approvals", icon: "tasks", match: ["/approvals", "/approval/:id", "/contracts", "/contract/:id", "/expenses", "/expense/:id"] },
    { to: "/visit", label: "visit", icon: "visit", match: ["/visit"], wide: true },
    { to: "/card", label: "card", icon: "card", match: ["/card", "/card/:id"], wide: true },
    { to: "/report", label: "report", icon: "report", match: ["/report", "/daily_report/:id"], wide: true },
    { to: "/notifications", label: "notifications", icon: "notifications", match: ["/notifications"], wide: true },
    ...(manager ? [{ to: "/quotas", label: "quotas", icon: "report", match: ["/quotas"], wide: true }] : []),
    ...(user.role === "admin" ? [{ to: "/users", label: "users", icon: "users", match: ["/users"], wide: true },
      { to: "/departments", label: "departments", icon: "team", match: ["/departments"], wide: true }] : []),
    { to: "/more", label: "more", icon: "more", match: ["/more", "/settings", "/settings/notifications"], narrow: true },
  ];
}
