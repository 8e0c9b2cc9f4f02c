// The operator's work lists, paged on the server: 待受理 (voice messages, online submissions, provincial
// transfers, with their acceptance countdown), 被回退 (to re-dispatch), 我的工单 (searchable).
// Fed by GET /api/v1/work-orders and refreshed by the "worklist" live event.
import {api, query} from "../lib/api.js";
import {$, $$, countdown, esc, time} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import * as live from "../lib/live.js";
import {attempt, light, pager, pickable, shortcut} from "../lib/ui.js";
import {emit, listen} from "./bus.js";
import {openOrder} from "./orderview.js";

const LIMIT = 8;
const LISTS = {
  waiting: {state: "received", sort: "due"},
  returned: {state: "returned", sort: "due"},
  mine: {mine: true},
};
let current = "waiting";
let offset = 0;
let reloadSoon;

function row(o) {
  const due = o.due_at ? `${light(o.light)} <span class="countdown" data-due="${esc(o.due_at)}">${esc(countdown(o.due_at))}</span>` :
    `<span class="muted">${esc(time(o.received_at))}</span>`;
  return `<tr tabindex="0" data-ticket="${esc(o.ticket_no)}"><td><b>${esc(o.title)}</b><br><span class="muted">${esc(o.ticket_no)} · ` +
    `${esc(label("channels", o.channel))}${current === "mine" ? " · " + esc(label("states", o.state)) : ""}` +
    `${o.citizen_phone ? " · " + esc(o.citizen_phone) : ""}</span></td><td>${due}</td></tr>`;
}

function search() {
  if (current !== "mine") return {};
  // A plain date: the server reads it as a day in the centre's own time zone, not the browser's.
  return {q: $("#search-q").value.trim(), phone: $("#search-phone").value.trim(),
          received_on: $("#search-day").value || null};
}

export async function loadList(to = offset) {
  offset = to;
  const page = await api(`/api/v1/work-orders${query({...LISTS[current], ...search(), limit: LIMIT, offset})}`);
  $("#list").innerHTML = page.items.map(row).join("") ||
    `<tr><td colspan="2" class="muted">${current === "mine" ? "没有找到工单" : "清单是空的"}</td></tr>`;
  pager($("#pager"), page, (o) => attempt(() => loadList(o)));
  if (current !== "mine") $(`[data-count="${current}"]`).textContent = page.total;
}

async function counts() {
  for (const name of ["waiting", "returned"]) {
    const page = await api(`/api/v1/work-orders${query({...LISTS[name], limit: 1})}`);
    $(`[data-count="${name}"]`).textContent = page.total;
  }
}

function choose(name) {
  current = name;
  for (const tab of $$("[role=tab]")) tab.setAttribute("aria-selected", String(tab.dataset.list === name));
  $("#list-panel").setAttribute("aria-labelledby", `tab-${name}`);
  $("#search").hidden = name !== "mine";
  return loadList(0);
}

export function mountWorklists() {
  for (const tab of $$("[role=tab]")) tab.addEventListener("click", () => attempt(() => choose(tab.dataset.list)));
  shortcut("1", () => attempt(() => choose("waiting")));
  shortcut("2", () => attempt(() => choose("returned")));
  shortcut("3", () => attempt(() => choose("mine")));
  $("#search").addEventListener("submit", (e) => { e.preventDefault(); attempt(() => loadList(0)); });
  pickable($("#list"), (ticket) => attempt(() => current === "mine" ? openOrder(ticket) : emit("open", ticket)));
  const soon = () => { clearTimeout(reloadSoon); reloadSoon = setTimeout(() => attempt(() => Promise.all([loadList(), counts()])), 300); };
  live.on("worklist", soon);
  live.on("transcript", soon);
  listen("taken", soon);
  setInterval(() => { for (const c of $$(".countdown")) c.textContent = countdown(c.dataset.due); }, 30000);
  return Promise.all([choose("waiting"), counts()]);
}
