// Alerts for what cannot wait: an emergency order, a 催办 or a 督办 arriving on the live stream rings
// (alert.wav) and shows a desktop notification. Browsers allow notifications only once asked for on a user
// gesture, so the header offers 开启提醒 until the person has answered.
import {$} from "../lib/dom.js";

const sound = new Audio("alert.wav");
sound.preload = "auto";
let fired = 0;

const supported = () => "Notification" in window;

function offer() {
  const button = $("#alerts-on");
  if (!button) return;
  button.hidden = !supported() || Notification.permission !== "default";
}

export function mountAlerts() {
  offer();
  $("#alerts-on").addEventListener("click", async () => {
    // The click is the gesture: it also unlocks the sound for this page.
    sound.muted = true;
    await sound.play().then(() => { sound.pause(); sound.currentTime = 0; }).catch(() => {});
    sound.muted = false;
    if (supported()) await Notification.requestPermission();
    offer();
  });
}

// Which notices ring: an emergency order (派单 or 重办), a 催办, a 督办 — but not the tracking 督办 every emergency
// gets at 派单: its order has just rung as an emergency, one alarm per incident.
export function urgent(n) {
  if (n.kind === "supervision") return n.supervision_kind !== "emergency";
  return (n.kind === "dispatched" && n.tier === "emergency") || ["urge", "supervised"].includes(n.kind);
}

export function ring({title, body, ticket}, open) {
  fired += 1;
  document.body.dataset.alerts = String(fired);
  sound.currentTime = 0;
  sound.play().catch(() => {});  // no gesture yet: the notification and the status line still tell
  if (supported() && Notification.permission === "granted") {
    const shown = new Notification(title, {body, tag: `hotline-${ticket}`, requireInteraction: true, lang: "zh-CN"});
    shown.addEventListener("click", () => { window.focus(); open(ticket); shown.close(); });
  }
}
