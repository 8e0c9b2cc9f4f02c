// The command centre's display panels on the supervisor page: the live agent board, trends, the map of
// orders by street office, the ranking's units not ranked, exports, and links to wall mode and the report.
import {api} from "../lib/api.js";
import {$, esc} from "../lib/dom.js";
import {download} from "../lib/charts.js";
import {attempt, say} from "../lib/ui.js";
import * as live from "../lib/live.js";
import {loadBoard, startBoard} from "./board.js";
import {drill} from "./command.js";
import {exportTrends, loadTrends} from "./trends.js";
import {loadAreas} from "./areas.js";

// ?wall=1 on the supervisor's address opens wall mode (the same figures, for the big screen).
if (new URLSearchParams(location.search).get("wall") === "1") location.replace("wall.html");

const period = () => ({from: $("#from").value, to: $("#to").value});
const month = () => ($("#to").value || "").slice(0, 7);

export async function loadCentre() {
  const {from, to} = period();
  $("#report-link").href = `report.html?month=${month()}`;
  await Promise.all([
    loadTrends($("#trends"), {from, to, by: $("#trend-by").value}),
    loadAreas($("#areas"), {onPick: (a) => drill(`${a.name} 在办`, a.drill)}),
  ]);
}

// 样本不足，不排名: listed apart, without rank or score; each still opens its orders.
export function showUnranked(r) {
  $("#min-volume").textContent = r.min_volume;
  const some = r.unranked.filter((x) => x.volume > 0), none = r.unranked.length - some.length;
  $("#unranked").innerHTML = some.map((x) => `<li data-unit="${esc(x.department.code)}" data-name="${esc(x.department.name)}">` +
    `<button type="button" class="link">${esc(x.department.name)}</button> <span class="muted">${x.volume} 件</span></li>`).join("") +
    (none ? `<li class="muted" data-none="${none}">另有 ${none} 个单位本月没有交办</li>` : "") || `<li class="muted">没有</li>`;
}

// `me`: who is looking; a district's supervisor oversees its departments, not the call centre's agents.
export async function mountCentre(me) {
  $("#trend-by").addEventListener("change", () => attempt(() => loadTrends($("#trends"), {...period(), by: $("#trend-by").value})));
  $("#trends-csv").addEventListener("click", () => attempt(async () => {
    await exportTrends({...period(), by: $("#trend-by").value});
    say("走势已导出");
  }));
  $("#ranking-csv").addEventListener("click", () => attempt(async () => {
    download(await api(`/api/v1/stats/ranking.csv?month=${month()}`), `月度排名-${month()}.csv`);
    say("排名已导出");
  }));
  $("#unranked").addEventListener("click", (e) => {
    const item = e.target.closest("[data-unit]");
    if (item) attempt(() => drill(item.dataset.name, {view: "open", unit: item.dataset.unit}));
  });
  $("#board").hidden = Boolean(me.department);
  if (me.department) return;
  await startBoard($("#board"));
  for (const type of ["call", "screen_pop"]) live.on(type, () => loadBoard($("#board")).catch(() => {}));  // at once
}
