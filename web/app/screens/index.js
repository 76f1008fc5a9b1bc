// Every screen of the app, by path. A new screen: write screens/<name>.js that
// exports its views, add its routes here (and a nav item if it needs one).
import { Feed, PostScreen } from "./feed.js";

export const screens = [
  { path: "/", view: Feed },
  { path: "/feed", view: Feed },
  { path: "/post/:id", view: PostScreen },
];

// The navigation bar: phone (bottom) and desktop (side). `match` lists the
// route paths that light the item up.
export function navItems(user) {
  const items = [
    { to: "/feed", label: "feed", icon: "feed", match: ["/", "/feed", "/post/:id"] },
  ];
  return items;
}
