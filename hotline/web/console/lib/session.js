// Login, logout and the start of every screen: who is logged in, labels loaded, or back to the login page.
import {api, forget, keepTokens, tokens} from "./api.js";
import {$, syncClock} from "./dom.js";
import {loadLabels} from "./labels.js";

const SCREENS = {operator: "operator.html", hotline_admin: "operator.html", department_staff: "department.html",
                 department_admin: "department.html", callback_staff: "callbacks.html", supervisor: "supervisor.html"};

export const screenFor = (role) => SCREENS[role] || "index.html";

export async function login(username, password) {
  const r = await fetch("/api/v1/auth/login", {method: "POST",
    headers: {"Content-Type": "application/json", "Accept-Language": "zh-CN"}, body: JSON.stringify({username, password})});
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || "登录失败");
  keepTokens(body);
  const me = await api("/api/v1/auth/me");
  location.href = screenFor(me.role);
}

export function logout() {
  forget();
  if (!location.pathname.endsWith("/console/") && !location.pathname.endsWith("index.html")) location.href = "index.html";
}

document.addEventListener("hotline:logged-out", logout);

export async function start(roles) {
  if (!tokens().access) { logout(); return null; }
  await loadLabels();
  const me = await api("/api/v1/auth/me");
  syncClock(me.now);
  if (roles && !roles.includes(me.role)) { location.href = screenFor(me.role); return null; }
  const who = $("#who");
  if (who) who.textContent = `${me.display_name}${me.department ? "（" + me.department.name + "）" : ""}`;
  const out = $("#logout");
  if (out) out.addEventListener("click", logout);
  return me;
}

// The page's panels are mounted and its buttons wired: what a person (or a browser test) may act on now.
export function ready() {
  document.body.dataset.ready = "on";
}
