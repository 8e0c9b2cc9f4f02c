// 12345 consoles: one small script for every screen. Plain browser JavaScript, no build step.
"use strict";

const H = (() => {
  const store = window.sessionStorage;
  const SCREENS = {operator: "operator.html", hotline_admin: "operator.html", department_staff: "department.html",
                   department_admin: "department.html", callback_staff: "callbacks.html", supervisor: "supervisor.html"};
  const LIGHTS = {green: "绿灯", yellow: "黄灯", red: "红灯"};
  const STATES = {received: "待受理", accepted: "已受理", dispatched: "已派单", signed: "已签收", replied: "已反馈",
                  returned: "已回退", completed: "已办结", callback_pending: "待回访", closed: "已关闭"};
  const TIERS = {emergency: "紧急", livelihood: "民生（水电气暖）", general: "一般", complex: "复杂"};

  const $ = (sel, root = document) => root.querySelector(sel);
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const time = (iso) => iso ? new Date(iso).toLocaleString("zh-CN", {hour12: false}) : "—";
  const light = (l) => l ? `<span class="light ${esc(l)}" title="${LIGHTS[l] || l}">${LIGHTS[l] || l}</span>` : "";
  const pct = (v) => v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;

  function say(message, kind = "info") {
    const box = $("#message");
    if (!box) return;
    box.textContent = message;
    box.className = `message ${kind}`;
  }

  async function refresh() {
    const token = store.getItem("refresh");
    if (!token) return false;
    const r = await fetch("/api/v1/auth/refresh", {method: "POST", headers: {"Content-Type": "application/json"},
                                                   body: JSON.stringify({refresh_token: token})});
    if (!r.ok) return false;
    const body = await r.json();
    store.setItem("access", body.access_token);
    store.setItem("refresh", body.refresh_token);
    return true;
  }

  // Calls the API; a 401 tries the refresh token once; errors carry the server's message.
  async function api(path, {method = "GET", body, form, retried = false} = {}) {
    const headers = {Authorization: `Bearer ${store.getItem("access") || ""}`};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(path, {method, headers, body: form || (body !== undefined ? JSON.stringify(body) : undefined)});
    if (r.status === 401 && !retried && await refresh()) return api(path, {method, body, form, retried: true});
    if (r.status === 401) { logout(); throw new Error("请重新登录"); }
    const type = r.headers.get("content-type") || "";
    const data = type.includes("json") ? await r.json() : await r.text();
    if (!r.ok) throw new Error(data && data.message ? data.message : `请求失败（${r.status}）`);
    return data;
  }

  async function login(username, password) {
    const r = await fetch("/api/v1/auth/login", {method: "POST", headers: {"Content-Type": "application/json"},
                                                 body: JSON.stringify({username, password})});
    const body = await r.json();
    if (!r.ok) throw new Error(body.message || "登录失败");
    store.setItem("access", body.access_token);
    store.setItem("refresh", body.refresh_token);
    const me = await api("/api/v1/auth/me");
    location.href = SCREENS[me.role] || "index.html";
  }

  function logout() {
    store.clear();
    if (!location.pathname.endsWith("/console/") && !location.pathname.endsWith("index.html")) location.href = "index.html";
  }

  // Every screen starts here: who is logged in, or back to the login page.
  async function start(roles) {
    if (!store.getItem("access")) { logout(); return null; }
    const me = await api("/api/v1/auth/me");
    if (roles && !roles.includes(me.role)) { location.href = SCREENS[me.role] || "index.html"; return null; }
    const who = $("#who");
    if (who) who.textContent = `${me.display_name}${me.department ? "（" + me.department.name + "）" : ""}`;
    const out = $("#logout");
    if (out) out.addEventListener("click", logout);
    return me;
  }

  // The API's event stream. EventSource cannot send headers: the short-lived access token goes in the query.
  function live(handlers) {
    let source;
    const open = () => {
      source = new EventSource(`/api/v1/live?access_token=${encodeURIComponent(store.getItem("access") || "")}`);
      for (const [type, fn] of Object.entries(handlers)) source.addEventListener(type, (e) => fn(JSON.parse(e.data)));
      source.onopen = () => document.body.dataset.live = "on";
      source.onerror = async () => {
        document.body.dataset.live = "off";
        source.close();
        await refresh();
        setTimeout(open, 2000);
      };
    };
    open();
  }

  function options(select, items, value, empty) {
    select.innerHTML = (empty ? `<option value="">${esc(empty)}</option>` : "") +
      items.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join("");
    if (value !== undefined && value !== null) select.value = value;
  }

  // A bar chart as inline SVG: [[label, value]], values ≥ 0.
  function bars(rows, {format = (v) => v, width = 520} = {}) {
    const max = Math.max(1e-9, ...rows.map((r) => r[1] || 0));
    const h = 22;
    const body = rows.map(([label, v], i) => {
      const w = Math.round(((v || 0) / max) * (width - 220));
      return `<g transform="translate(0,${i * h})"><text x="0" y="15">${esc(label)}</text>` +
             `<rect x="160" y="3" width="${w}" height="15" rx="2"></rect>` +
             `<text x="${166 + w}" y="15">${esc(format(v))}</text></g>`;
    }).join("");
    return `<svg class="bars" role="img" viewBox="0 0 ${width} ${rows.length * h}" width="100%">${body}</svg>`;
  }

  return {$, esc, time, light, pct, say, api, login, logout, start, live, options, bars, STATES, TIERS, LIGHTS};
})();
