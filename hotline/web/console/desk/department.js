// 承办单位收件箱: ported to ES modules; the department workbench and the supervisor's
// command centre grow from here on the shared lib/ modules.
import {api} from "../lib/api.js";
import {$, esc, time} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import {start} from "../lib/session.js";
import {light, say} from "../lib/ui.js";

const ORDER = {red: 0, yellow: 1, green: 2};
let current = null;

async function loadOrders() {
  const page = await api("/api/v1/work-orders?state=dispatched&state=signed&state=replied&limit=200");
  const items = page.items.sort((a, b) => (ORDER[a.light] ?? 3) - (ORDER[b.light] ?? 3) ||
                                          String(a.due_at).localeCompare(String(b.due_at)));
  $("#orders").innerHTML = items.map((o) =>
    `<tr class="pick${o.ticket_no === current ? " current" : ""}" tabindex="0" data-ticket="${esc(o.ticket_no)}">` +
    `<td>${light(o.light)} ${time(o.due_at)}</td><td>${esc(o.ticket_no)}</td><td>${esc(o.title)}</td>` +
    `<td>${esc(label("states", o.state))}</td></tr>`).join("") || `<tr><td colspan="4" class="muted">没有待办工单</td></tr>`;
}

async function show(ticket) {
  const o = await api(`/api/v1/work-orders/${ticket}`);
  current = ticket;
  $("#detail").hidden = false;
  $("#ticket").textContent = `${o.ticket_no} · ${label("states", o.state)}`;
  $("#summary").innerHTML = `${light(o.light)} ${esc(label("tiers", o.tier))} · ${esc(o.title)} · ` +
    `${esc(o.place || "")} · 市民 ${esc(o.citizen ? o.citizen.phone || "" : "")}${o.redo_count ? " · 重办 " + o.redo_count + " 次" : ""}`;
  $("#content").textContent = o.content;
  $("#deadlines").innerHTML = o.deadlines.filter((d) => d.status === "open")
    .map((d) => `${esc(label("deadline_kinds", d.kind))} ${time(d.due_at)} ${light(d.light)}`).join("；");
  for (const el of $("#actions").querySelectorAll("[data-action]")) {
    const allowed = o.allowed_actions.includes(el.dataset.action);
    el.hidden = !allowed;
  }
  loadOrders();
}

async function step(action, body) {
  try {
    await api(`/api/v1/work-orders/${current}/${action}`, {method: "POST", body});
    say(`工单 ${current} 已${{sign: "签收", reply: "反馈", extension: "申请延期", return: "回退"}[action]}`);
    await show(current).catch(() => { $("#detail").hidden = true; loadOrders(); });
  } catch (err) { say(err.message, "error"); }
}

$("#orders").addEventListener("click", (e) => {
  const row = e.target.closest("tr[data-ticket]");
  if (row) show(row.dataset.ticket).catch((err) => say(err.message, "error"));
});
$("#orders").addEventListener("keydown", (e) => { if (e.key === "Enter") e.target.click(); });
$("#sign").addEventListener("click", () => step("sign"));
$("#reply-form").addEventListener("submit", (e) => { e.preventDefault(); step("reply", {text: $("#reply-text").value}); });
$("#extension-form").addEventListener("submit", (e) => {
  e.preventDefault(); step("extension", {days: Number($("#days").value), reason: $("#extension-reason").value});
});
$("#return-form").addEventListener("submit", (e) => { e.preventDefault(); step("return", {text: $("#return-reason").value}); });
$("#complete-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = new FormData();
  form.append("result", $("#result").value);
  for (const f of $("#files").files) form.append("files", f);
  try {
    await api(`/api/v1/work-orders/${current}/complete`, {method: "POST", form});
    say(`工单 ${current} 已办结`);
    $("#detail").hidden = true;
    current = null;
    $("#complete-form").reset();
    loadOrders();
  } catch (err) { say(err.message, "error"); }
});

(async () => {
  if (!await start(["department_staff", "department_admin"])) return;
  await loadOrders();
  setInterval(() => loadOrders().catch(() => {}), 30000);
})().catch((err) => say(err.message, "error"));
