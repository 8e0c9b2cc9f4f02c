// The department's inbox: views with counts (待签收, 办理中, 即将超期, 已超期, 延期审批中, 已办结, 被督办),
// filters, sort and paging all on the server (GET /api/v1/inbox); emergencies first; a countdown to each
// order's next deadline by the server's clock, times shown in the centre's zone.
import {api, query, refresh} from "../lib/api.js";
import {$, $$, countdown, esc, syncClock, time} from "../lib/dom.js";
import {entries, label} from "../lib/labels.js";
import {attempt, light, pager, pickable, say} from "../lib/ui.js";

const LIMIT = 20;
const VIEWS = ["open", "to_sign", "in_progress", "due_soon", "overdue", "extension", "done", "supervised"];
const state = {view: "open", offset: 0, current: null};

// Dates go as days: the server reads them in the centre's time zone, whatever the browser's.
function filters() {
  return {q: $("#q").value.trim(), tier: $("#f-tier").value, light: $("#f-light").value,
          category: $("#f-category").value, unit: $("#f-unit").value, sort: $("#f-sort").value,
          from: $("#f-from").value, to: $("#f-to").value};
}

function row(o) {
  const flags = [o.tier === "emergency" ? `<span class="badge emergency">紧急</span>` : "",
    o.supervised ? `<span class="badge supervised">督办</span>` : "",
    o.extension_pending ? `<span class="badge">延期审批中</span>` : "",
    o.redo_count ? `<span class="badge">重办 ${o.redo_count}</span>` : ""].join("");
  const due = o.next_due_at ? `${light(o.light)} <span class="countdown" data-due="${esc(o.next_due_at)}">` +
    `${esc(countdown(o.next_due_at))}</span><br><span class="muted">${esc(label("deadline_kinds", o.next_kind))} ` +
    `${esc(time(o.next_due_at))}</span>` : `<span class="muted">${esc(label("assignment_statuses", o.share_status))}</span>`;
  return `<tr tabindex="0" data-ticket="${esc(o.ticket_no)}" class="${o.tier === "emergency" ? "emergency" : ""}"` +
    `${o.ticket_no === state.current ? ' aria-current="true"' : ""}><td>${flags}<b>${esc(o.title)}</b><br>` +
    `<span class="muted">${esc(o.ticket_no)} · ${esc(label("assignment_statuses", o.share_status))}` +
    `${o.share_role === "co" ? " · 协办" : ""} · 受理 ${esc(time(o.received_at))}` +
    `${o.department ? " · " + esc(o.department) : ""}${o.place ? " · " + esc(o.place) : ""}</span></td>` +
    `<td class="due">${due}</td></tr>`;
}

function tabs(counts) {
  for (const view of VIEWS) $(`[data-count="${view}"]`).textContent = counts[view] ?? 0;
}

export async function loadInbox(offset = state.offset) {
  state.offset = offset;
  const page = await api(`/api/v1/inbox${query({view: state.view, ...filters(), limit: LIMIT, offset})}`);
  syncClock(page.now);
  $("#orders").innerHTML = page.items.map(row).join("") ||
    `<tr><td colspan="2" class="muted">这个视图里没有工单</td></tr>`;
  pager($("#pager"), page, (o) => attempt(() => loadInbox(o)));
  tabs(page.counts);
  return page;
}

// 导出: the view as it is filtered now, as CSV for Excel (the file needs the access token: fetched, then saved).
async function exportView() {
  const path = `/api/v1/inbox/export.csv${query({view: state.view, ...filters()})}`;
  let r = await fetch(path, {headers: {Authorization: `Bearer ${sessionStorage.getItem("access") || ""}`,
                                       "Accept-Language": "zh-CN"}});
  if (r.status === 401 && await refresh()) {
    r = await fetch(path, {headers: {Authorization: `Bearer ${sessionStorage.getItem("access") || ""}`,
                                     "Accept-Language": "zh-CN"}});
  }
  if (!r.ok) throw new Error((await r.json().catch(() => ({}))).message || `导出失败（${r.status}）`);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await r.blob());
  link.download = `工单-${label("inbox_views", state.view)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  return Number(r.headers.get("X-Export-Rows") || 0);
}

function choose(view) {
  state.view = view;
  for (const tab of $$("#views [role=tab]")) tab.setAttribute("aria-selected", String(tab.dataset.view === view));
  return loadInbox(0);
}

export function markCurrent(ticket) {
  state.current = ticket;
  for (const r of $$("#orders tr[data-ticket]")) {
    if (r.dataset.ticket === ticket) r.setAttribute("aria-current", "true"); else r.removeAttribute("aria-current");
  }
}

async function fillFilters() {
  const option = (v, text) => `<option value="${esc(v)}">${esc(text)}</option>`;
  $("#f-tier").insertAdjacentHTML("beforeend", entries("tiers").map(([v, t]) => option(v, t)).join(""));
  $("#f-light").insertAdjacentHTML("beforeend", entries("lights").map(([v, t]) => option(v, t)).join(""));
  const [categories, units] = await Promise.all([api("/api/v1/categories"), api("/api/v1/inbox/units")]);
  $("#f-category").insertAdjacentHTML("beforeend", categories.map((c) => option(c.code, c.name)).join(""));
  if (units.length > 1) {
    $("#f-unit").insertAdjacentHTML("beforeend", units.map((u) => option(u.code, "　".repeat(u.depth) + u.name)).join(""));
    $("#unit-box").hidden = false;
  }
}

export async function mountInbox(open) {
  $("#views").innerHTML = VIEWS.map((v) => `<button type="button" role="tab" id="view-${v}" data-view="${v}" ` +
    `aria-selected="${v === state.view}">${esc(label("inbox_views", v))} <b data-count="${v}">0</b></button>`).join("");
  for (const tab of $$("#views [role=tab]")) tab.addEventListener("click", () => attempt(() => choose(tab.dataset.view)));
  $("#filters").addEventListener("submit", (e) => { e.preventDefault(); attempt(() => loadInbox(0)); });
  for (const el of $$("#more-filters select, #more-filters input")) el.addEventListener("change", () => attempt(() => loadInbox(0)));
  $("#export").addEventListener("click", () => attempt(async () => say(`已导出 ${await exportView()} 条工单（CSV，可用 Excel 打开）`)));
  $("#f-clear").addEventListener("click", () => { $("#filters").reset(); attempt(() => loadInbox(0)); });
  pickable($("#orders"), (ticket) => attempt(() => open(ticket)));
  setInterval(() => { for (const c of $$(".countdown")) c.textContent = countdown(c.dataset.due); }, 30000);
  await fillFilters();
  return loadInbox(0);
}
