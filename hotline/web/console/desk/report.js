// 月度通报: the month's figures for the bulletin as a printable A4 page (the browser prints it or saves a PDF).
import {api, query} from "../lib/api.js";
import {$, esc, serverNow} from "../lib/dom.js";
import {legend, lineChart, pct} from "../lib/charts.js";
import {centreZone} from "../lib/labels.js";
import {ready, start} from "../lib/session.js";
import {say} from "../lib/ui.js";
import {trendTable} from "./trends.js";

const change = (now, before) => {
  if (now === null || now === undefined || before === null || before === undefined) return "—";
  if (!before) return now ? "新增" : "—";
  const d = ((now - before) / before) * 100;
  return `${d >= 0 ? "+" : ""}${d.toFixed(1)}%`;
};
const points = (now, before) => now === null || before === null || now === undefined || before === undefined ? "—"
  : `${now >= before ? "+" : ""}${((now - before) * 100).toFixed(1)} 个百分点`;
const rateText = (r, v) => r.rate === "avg_handling_hours" ? (v ?? "—") : pct(v);

async function load(month) {
  const r = await api(`/api/v1/stats/monthly${query({month})}`);
  document.title = `${r.title} · 12345`;
  $("#title").textContent = r.title;
  $("#subtitle").textContent = `${r.scope} · 统计时段 ${r.period.from} 至 ${r.period.to}${r.complete ? "" : "（本月尚未结束）"}`;
  $("#r-counts").innerHTML = r.counts.map((c) => `<tr data-count="${esc(c.name)}"><td>${esc(c.label)}</td><td class="num">${c.value}</td>` +
    `<td class="num">${c.previous}</td><td class="num">${change(c.value, c.previous)}</td></tr>`).join("");
  $("#r-rates").innerHTML = r.rates.map((x) => `<tr data-rate="${esc(x.rate)}"><td>${esc(x.label)}</td><td class="num">${rateText(x, x.value)}</td>` +
    `<td class="num">${rateText(x, x.previous)}</td><td class="num">${x.rate === "avg_handling_hours" ? "—" : points(x.value, x.previous)}</td></tr>`).join("");
  const c = r.calls;
  $("#r-calls-section").hidden = !("calls" in c);
  $("#r-calls").textContent = "calls" in c ? `市民来电 ${c.calls} 个，接通 ${c.answered} 个，放弃 ${c.abandoned} 个，留言 ${c.message_left} 个；` +
    `平均等待 ${c.average_wait_seconds ?? "—"} 秒，服务水平（${c.service_level_seconds}秒内接通）${pct(c.service_level)}。` : "";
  const k = r.ranking;
  $("#r-rank-note").textContent = `交办量不少于 ${k.min_volume} 件的单位参与排名；权重：` +
    Object.entries(k.weights).map(([name, w]) => `${r.rates.find((x) => x.rate === name)?.label || name} ${w}`).join("、");
  $("#r-ranking").innerHTML = k.rows.map((x) => `<tr><td>${x.rank}</td><td>${esc(x.department.name)}</td><td class="num">${x.score.toFixed(2)}</td>` +
    `<td class="num">${x.volume}</td><td class="num">${pct(x.rates.complete_on_time_rate)}</td><td class="num">${pct(x.rates.satisfaction_rate)}</td></tr>`).join("") ||
    `<tr><td colspan="6">本月没有单位达到排名所需的交办量</td></tr>`;
  const few = k.unranked.filter((x) => x.volume > 0);
  $("#r-unranked").textContent = few.length ? `样本不足，不排名：${few.map((x) => `${x.department.name}（${x.volume} 件）`).join("、")}` : "";
  $("#r-trend").innerHTML = legend(r.trend.series) + lineChart(r.trend.points, r.trend.series, {width: 680, height: 260, font: 12}) +
    trendTable(r.trend);
  $("#r-hotspots").innerHTML = r.hotspots.map((h) => `<li>${esc(h.label)}：${h.count} 件（前四周平均每周 ${h.baseline} 件）` +
    `${h.examples.length ? "，如 " + h.examples.map((e) => esc(e.title)).join("；") : ""}</li>`).join("") || "<li>本月没有明显上升的热点</li>";
  document.body.dataset.month = month;
}

(async () => {
  if (!await start(["supervisor", "hotline_admin", "department_admin"])) return;
  const asked = new URLSearchParams(location.search).get("month");
  const month = /^\d{4}-\d{2}$/.test(asked || "") ? asked : new Intl.DateTimeFormat("sv-SE",
    {timeZone: centreZone(), year: "numeric", month: "2-digit"}).format(new Date(serverNow()));  // the centre's month
  $("#month").value = month;
  $("#pick").addEventListener("submit", (e) => {
    e.preventDefault();
    history.replaceState(null, "", `?month=${$("#month").value}`);
    load($("#month").value).catch((err) => say(err.message, "error"));
  });
  $("#print").addEventListener("click", () => window.print());
  await load(month);
  ready();
})().catch((err) => say(err.message, "error"));
