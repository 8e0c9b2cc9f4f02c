// Small DOM helpers: query, escape, times in the centre's zone, durations.
import {centreZone} from "./labels.js";

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

// A tagged template that escapes every value: html`<b>${name}</b>`; raw(x) passes markup through.
export function html(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? show(values[i]) : ""), "");
}
const RAW = Symbol("raw");
export const raw = (s) => ({[RAW]: String(s ?? "")});
function show(v) {
  if (v && v[RAW] !== undefined) return v[RAW];
  if (Array.isArray(v)) return v.map(show).join("");
  return esc(v);
}

const formats = {};
function fmt(kind) {
  if (!formats[kind]) {
    const base = {timeZone: centreZone(), hour12: false};
    const opts = {full: {year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"},
                  short: {month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"},
                  day: {year: "numeric", month: "2-digit", day: "2-digit"}}[kind];
    formats[kind] = new Intl.DateTimeFormat("zh-CN", {...base, ...opts});
  }
  return formats[kind];
}

export const time = (iso, kind = "short") => iso ? fmt(kind).format(new Date(iso)) : "—";

export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${two(m)}:${two(r)}` : `${two(m)}:${two(r)}`;
}

// The server's clock, as the browser can follow it: deadlines count down by the centre's time.
let skew = 0;
export function syncClock(serverIso) { if (serverIso) skew = new Date(serverIso).getTime() - Date.now(); }
export const serverNow = () => Date.now() + skew;

// 「还剩 12 分」 / 「超时 5 分」 until an instant (for deadlines and countdowns).
export function countdown(iso, now = serverNow()) {
  if (!iso) return "";
  const minutes = Math.round((new Date(iso).getTime() - now) / 60000);
  const amount = (m) => m >= 1440 ? `${Math.floor(m / 1440)} 天` : m >= 60 ? `${Math.floor(m / 60)} 小时` : `${m} 分`;
  return minutes >= 0 ? `还剩 ${amount(minutes)}` : `超时 ${amount(-minutes)}`;
}
