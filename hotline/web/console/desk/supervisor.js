// 监督大屏: ported to ES modules; the department workbench and the supervisor's
// command centre grow from here on the shared lib/ modules.
import {api} from "../lib/api.js";
import {barChart} from "../lib/charts.js";
import {$, esc} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import * as live from "../lib/live.js";
import {ready, start} from "../lib/session.js";
import {attempt, say} from "../lib/ui.js";
import {loadApprovals, mountApprovals} from "./approvals.js";
import {loadCentre, mountCentre, showUnranked} from "./centre.js";
import {drill, loadOverdue, loadSupervisions, mountCommand} from "./command.js";
import {loadInterviews, mountInterviews} from "./interviews.js";

const pct = (v) => v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;

// Bars drawn at their shown size (text stays 13 px, never scaled down).
const bars = (box, rows, options = {}) => barChart(rows, {width: Math.max(240, $(box).clientWidth - 4), ...options});

async function loadRates() {
  const from = $("#from").value, to = $("#to").value;
  const r = await api(from && to ? `/api/v1/stats/rates?from=${from}&to=${to}` : "/api/v1/stats/rates");
  $("#from").value = r.period.from; $("#to").value = r.period.to;  // the server's calendar decides "this month"
  // Each rate opens the orders behind it (明细); the average handling time is no rate and has none.
  $("#rates").innerHTML = Object.entries(r.rates).map(([k, v]) => k === "avg_handling_hours" ?
    `<div class="card" data-rate="${esc(k)}">${esc(label("rates", k))}<b>${v ?? "—"}</b></div>` :
    `<button type="button" class="card secondary" data-rate="${esc(k)}">${esc(label("rates", k))}<b>${pct(v)}</b></button>`).join("");
  const shown = ["received", "dispatched", "completed", "satisfied", "unsatisfied"];
  $("#counts").innerHTML = shown.filter((k) => k in r.counts).map((k) =>
    `<div class="card" data-count="${k}">${esc(label("counts", k))}<b>${r.counts[k]}</b></div>`).join("") +
    [["open", "在办工单"], ["overdue", "超期工单"], ["supervised", "被督办工单"]].map(([view, title]) =>
      `<button type="button" class="card secondary" data-drill="${view}" data-title="${title}">${title}<b>明细</b></button>`).join("");
}

async function loadCalls() {
  const c = await api("/api/v1/calls/stats");
  const cards = [["calls", "来电", c.calls], ["answered", "接通", c.answered], ["abandoned", "放弃", c.abandoned],
                 ["wait", "平均等待（秒）", c.average_wait_seconds ?? "—"], ["service_level", "服务水平（20秒）", pct(c.service_level)]];
  $("#calls").innerHTML = cards.map(([k, label, v]) => `<div class="card" data-call="${k}">${label}<b>${esc(v)}</b></div>`).join("");
  $("#calls-chart").innerHTML = bars("#calls-chart", [["接通", c.answered], ["放弃", c.abandoned], ["留言", c.message_left], ["仅IVR", c.ivr_only]]);
}

async function loadRanking() {
  const month = $("#to").value.slice(0, 7);
  $("#month").textContent = month;
  const r = await api(`/api/v1/stats/ranking?month=${month}`);
  const rows = r.rows;  // ranked units only: those under the minimum volume come apart, without a score
  $("#ranking-chart").innerHTML = rows.length ? bars("#ranking-chart", rows.slice(0, 10).map((x) => [x.department.name, x.score]),
                                                         {format: (v) => (v ?? 0).toFixed(1)}) : "";
  showUnranked(r);
  $("#ranking").innerHTML = r.rows.map((x) => `<tr class="pick" data-unit="${esc(x.department.code)}" data-name="${esc(x.department.name)}">` +
    `<td>${x.rank ?? "—"}</td><td><button type="button" class="link">${esc(x.department.name)}</button></td>` +
    `<td>${x.score.toFixed(1)}</td><td>${x.volume}</td></tr>`).join("") ||
    `<tr><td colspan="4" class="muted">本月没有单位达到排名所需的交办量</td></tr>`;
}

async function loadHotspots() {
  const spots = await api("/api/v1/stats/hotspots");
  $("#hotspots").innerHTML = spots.length ? bars("#hotspots", spots.slice(0, 10).map((s) => [s.label, s.count]),
    {format: (v) => `${v} 件`}) : `<p class="muted">本周没有明显上升的热点</p>`;
  $("#hotspot-links").innerHTML = spots.slice(0, 10).map((s) => `<li><button type="button" class="link" ` +
    `data-hot-kind="${esc(s.kind)}" data-hot-key="${esc(s.key)}" data-title="${esc(s.label)}">${esc(s.label)} · ${s.count} 件</button></li>`).join("");
}

// The loop made visible: how often operators kept the category intake suggested, per week and category.
async function loadSuggestions() {
  const [rows, health] = await Promise.all([api("/api/v1/intake/suggestions/weekly?weeks=8"),
                                            api("/healthz").catch(() => null)]);
  const model = health && health.checks ? health.checks.intake_model : null;
  $("#model-status").textContent = model ? model.message : "";
  $("#suggestions").innerHTML = rows.length ? rows.slice(0, 60).map((r) =>
    `<tr data-week="${esc(r.week)}" data-category="${esc(r.category_code)}"><td>${esc(r.week)}</td>` +
    `<td>${esc(r.category_name)}</td><td>${r.kept}</td><td>${r.changed}</td><td>${pct(r.kept_rate)}</td></tr>`).join("")
    : `<tr><td colspan="5" class="muted">近八周没有带系统建议的工单</td></tr>`;
}

async function loadAll() {
  await loadRates();
  await Promise.all([loadCalls(), loadRanking(), loadCentre(), loadOverdue(), loadSupervisions(), loadHotspots(),
                     loadApprovals(), loadSuggestions(), loadInterviews()]);
}

// A rate opens the orders that pulled it down; for the two where fewer is better, those it counted.
const FEWER_IS_BETTER = new Set(["redo_rate", "return_rate"]);
$("#rates").addEventListener("click", (e) => {
  const card = e.target.closest("button[data-rate]");
  if (!card) return;
  const rate = card.dataset.rate;
  const params = {rate, part: FEWER_IS_BETTER.has(rate) ? "numerator" : "rest", from: $("#from").value, to: $("#to").value};
  attempt(() => drill(label("rates", rate), params, 0, {path: "/api/v1/stats/orders", parts: true}));
});
$("#hotspot-links").addEventListener("click", (e) => {
  const b = e.target.closest("[data-hot-key]");
  if (b) attempt(() => drill(`热点：${b.dataset.title}`, {kind: b.dataset.hotKind, key: b.dataset.hotKey}, 0,
                             {path: "/api/v1/stats/hotspots/orders"}));
});

$("#period").addEventListener("submit", (e) => { e.preventDefault(); loadAll().catch((err) => say(err.message, "error")); });

(async () => {
  const me = await start(["supervisor", "hotline_admin"]);
  if (!me) return;
  await mountApprovals();
  mountCommand();
  mountInterviews();
  await mountCentre(me);
  await loadAll();
  live.on("call", () => loadCalls().catch(() => {}));
  live.on("notice", (n) => { if (n.kind === "supervision") loadSupervisions().catch(() => {}); });
  ready();
  await live.connect();
  setInterval(() => loadAll().catch(() => {}), 60000);
})().catch((err) => say(err.message, "error"));
