// The supervisor acts from the screen: 催办 an overdue order, resolve a 督办 with a note, re-dispatch an
// order returned twice (退单仲裁, only a supervisor may), and drill down from a number to its orders.
import {api, query} from "../lib/api.js";
import {$, countdown, esc, time} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import {ask, attempt, light, pager, pickable, say} from "../lib/ui.js";
import {fromRanking, fromSupervision} from "./interviews.js";
import {openOrder} from "./orderview.js";

const LIMIT = 10;
let drillQuery = null;
let departments = null;

function orderCell(o) {
  return `<td>${o.tier === "emergency" ? '<span class="badge emergency">紧急</span>' : ""}<b>${esc(o.title)}</b><br>` +
    `<span class="muted">${esc(o.ticket_no)}${o.department ? " · " + esc(o.department) : ""}</span></td>`;
}
const dueCell = (o) => `<td>${light(o.light)} ${esc(o.next_due_at ? countdown(o.next_due_at) : "")}<br>` +
  `<span class="muted">${esc(time(o.next_due_at))}</span></td>`;

export async function loadOverdue(offset = 0) {
  const page = await api(`/api/v1/inbox${query({view: "overdue", limit: LIMIT, offset})}`);
  $("#overdue-count").textContent = page.total;
  $("#overdue").innerHTML = page.items.map((o) => `<tr tabindex="0" data-ticket="${esc(o.ticket_no)}">${orderCell(o)}${dueCell(o)}` +
    `<td><button type="button" class="small" data-urge="${esc(o.ticket_no)}">催办</button></td></tr>`).join("") ||
    `<tr><td colspan="3" class="muted">没有超期工单</td></tr>`;
  pager($("#overdue-pager"), page, (o) => attempt(() => loadOverdue(o)));
}

export async function loadSupervisions() {
  const sups = await api("/api/v1/supervisions");
  $("#supervisions").innerHTML = sups.map((s) => `<tr data-supervision="${s.id}"><td>${esc(label("supervision_kinds", s.kind))}</td>` +
    `<td><b>${esc(s.title)}</b><br><span class="muted">${esc(s.ticket_no)}</span></td><td>${esc(s.department || "—")}</td>` +
    `<td>${esc(time(s.raised_at))}${s.due_at ? `<br>${s.overdue ? light("red") : ""}<span class="muted">时限 ${esc(time(s.due_at))}</span>` : ""}</td><td class="actions">` +
    (s.kind === "arbitration" ? `<button type="button" class="small" data-redispatch="${esc(s.ticket_no)}">裁定改派</button>` : "") +
    `<button type="button" class="secondary small" data-resolve="${s.id}" data-ticket-no="${esc(s.ticket_no)}">办结督办</button>` +
    (s.department ? `<button type="button" class="secondary small" data-interview-from="${s.id}" data-ticket-no="${esc(s.ticket_no)}" data-note="${esc(s.note || "")}">约谈</button>` : "") +
    `</td></tr>`).join("") ||
    `<tr><td colspan="5" class="muted">没有督办</td></tr>`;
}

async function urge(ticket) {
  const answer = await ask({title: `催办工单 ${ticket}`, confirm: "发送催办",
    fields: [{name: "text", label: "催办内容（发给承办单位）", rows: 3, required: true, value: "请尽快办理并反馈。"}]});
  if (!answer) return;
  await api(`/api/v1/work-orders/${ticket}/urge`, {method: "POST", body: {text: answer.text}});
  say(`已向承办单位发送工单 ${ticket} 的催办`);
}

async function resolve(id, ticket) {
  const answer = await ask({title: `办结督办（工单 ${ticket}）`, confirm: "办结督办",
    fields: [{name: "text", label: "督办意见", rows: 3, required: true}]});
  if (!answer) return;
  await api(`/api/v1/supervisions/${id}/resolve`, {method: "POST", body: {text: answer.text}});
  say(`工单 ${ticket} 的督办已办结`);
  await loadSupervisions();
}

async function redispatch(ticket) {
  departments = departments || (await api("/api/v1/departments")).filter((d) => d.active && d.parent_code);
  const answer = await ask({title: `裁定改派（工单 ${ticket}）`, confirm: "派单",
    fields: [{name: "lead", label: "主办单位", options: departments.map((d) => [d.code, d.name]), required: true},
             {name: "reason", label: "裁定意见", rows: 2, required: true}]});
  if (!answer) return;
  await api(`/api/v1/work-orders/${ticket}/dispatch`, {method: "POST", body: {lead: answer.lead, reason: answer.reason}});
  say(`工单 ${ticket} 已裁定改派`);
  await Promise.all([loadSupervisions(), loadOverdue()]);
}

// 明细: the orders behind a number (a unit in the ranking, a count, a rate, a hotspot), paged on the server.
// `path` is the inbox for views and units, the statistics' order lists for rates and hotspots; `parts` offers a
// rate's numerator, denominator and the rest; `unit` offers to put a ranked unit on the 约谈 list.
export async function drill(title, params, offset = 0, {path = "/api/v1/inbox", parts = false, unit = null} = {}) {
  const how = {path, parts, unit};
  drillQuery = {title, params, how};
  const page = await api(`${path}${query({...params, limit: LIMIT, offset})}`);
  $("#drill").hidden = false;
  $("#drill-title").textContent = `${title}${parts ? ` · ${label("stat_parts", params.part)}` : ""} · 共 ${page.total} 件`;
  $("#drill-actions").innerHTML = (parts ? ["numerator", "denominator", "rest"].map((p) =>
    `<button type="button" class="small ${p === params.part ? "" : "secondary"}" data-part="${p}">${esc(label("stat_parts", p))}</button>`).join("") : "") +
    (unit ? `<button type="button" class="secondary small" data-interview-unit="${esc(unit.code)}">列入约谈</button>` : "");
  $("#drill-orders").innerHTML = page.items.map((o) => `<tr tabindex="0" data-ticket="${esc(o.ticket_no)}">${orderCell(o)}` +
    `${o.next_due_at ? dueCell(o) : `<td>${esc(params.view ? label("inbox_views", params.view) : label("states", o.state))}</td>`}</tr>`).join("") ||
    `<tr><td colspan="2" class="muted">没有工单</td></tr>`;
  pager($("#drill-pager"), page, (o) => attempt(() => drill(title, params, o, how)));
  $("#drill").scrollIntoView({block: "nearest"});
}

export function mountCommand() {
  $("#overdue").addEventListener("click", (e) => {
    const b = e.target.closest("[data-urge]");
    if (b) attempt(() => urge(b.dataset.urge));
  });
  $("#supervisions").addEventListener("click", (e) => {
    const r = e.target.closest("[data-resolve]"), d = e.target.closest("[data-redispatch]");
    const i = e.target.closest("[data-interview-from]");
    if (r) attempt(() => resolve(r.dataset.resolve, r.dataset.ticketNo));
    if (d) attempt(() => redispatch(d.dataset.redispatch));
    if (i) attempt(() => fromSupervision(i.dataset.interviewFrom, i.dataset.ticketNo, i.dataset.note));
  });
  $("#drill-actions").addEventListener("click", (e) => {
    const part = e.target.closest("[data-part]"), unit = e.target.closest("[data-interview-unit]");
    const {title, params, how} = drillQuery || {};
    if (part) attempt(() => drill(title, {...params, part: part.dataset.part}, 0, how));
    if (unit) attempt(() => fromRanking(how.unit.code, how.unit.name, how.unit.month));
  });
  for (const body of ["#overdue", "#drill-orders"]) pickable($(body), (ticket) => attempt(() => openOrder(ticket, {recordings: false})));
  $("#drill-close").addEventListener("click", () => { $("#drill").hidden = true; drillQuery = null; });
  $("#ranking").addEventListener("click", (e) => {
    const row = e.target.closest("[data-unit]");
    if (row) attempt(() => drill(row.dataset.name, {view: "open", unit: row.dataset.unit}, 0,
      {unit: {code: row.dataset.unit, name: row.dataset.name, month: $("#month").textContent}}));
  });
  $("#counts").addEventListener("click", (e) => {
    const card = e.target.closest("[data-drill]");
    if (card) attempt(() => drill(card.dataset.title, {view: card.dataset.drill}));
  });
  return drillQuery;
}
