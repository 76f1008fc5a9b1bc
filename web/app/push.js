// Web Push on this device: subscribe with the server's VAPID key, register the
// subscription (it belongs to this sign-in and goes when it signs out).
import { api } from "./api.js";

const STORE = "fieldline.pushSubscriptionId";

export const pushSupported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export async function pushState() {
  if (!pushSupported()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) return "off";
  const { items } = await api("GET", "/api/v1/push/subscriptions");
  const mine = items.find((item) => item.kind === "webpush" && item.this_device);
  if (mine) localStorage.setItem(STORE, String(mine.id));
  return mine ? "on" : "off"; // a sign-out removed it on the server
}

export async function enablePush() {
  if ((await Notification.requestPermission()) !== "granted") return "denied";
  const registration = await navigator.serviceWorker.ready;
  const { key } = await api("GET", "/api/v1/push/vapid-public-key");
  const subscription = await registration.pushManager.getSubscription() ||
    await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  const { endpoint, keys } = subscription.toJSON();
  const made = await api("POST", "/api/v1/push/subscriptions", { kind: "webpush", endpoint, keys });
  localStorage.setItem(STORE, String(made.id));
  return "on";
}

export async function disablePush() {
  const id = localStorage.getItem(STORE);
  localStorage.removeItem(STORE);
  if (id) await api("DELETE", `/api/v1/push/subscriptions/${id}`).catch(() => {});
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  if (subscription) await subscription.unsubscribe();
  return "off";
}
