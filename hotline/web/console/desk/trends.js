// 走势: the rates by day or week over the chosen period, as an inline SVG line chart, and its CSV.
import {api, query} from "../lib/api.js";
import {esc} from "../lib/dom.js";
import {download, legend, lineChart} from "../lib/charts.js";

export async function loadTrends(root, {from, to, by = "day", width, font = 13, height} = {}) {
  const t = await api(`/api/v1/stats/trends${query({from, to, by})}`);
  const w = width || Math.max(360, root.clientWidth - 8);
  root.innerHTML = legend(t.series) + lineChart(t.points, t.series, {width: w, font, height: height || Math.round(font * 20)});
  root.dataset.points = t.points.length;
  root.dataset.by = t.by;
  return t;
}

export async function exportTrends({from, to, by = "day"}) {
  const text = await api(`/api/v1/stats/trends.csv${query({from, to, by})}`);
  download(text, `走势-${by === "week" ? "按周" : "按日"}-${from}-${to}.csv`);
}

export function trendTable(t) {
  return `<table class="figures"><thead><tr><th scope="col">时段</th>${t.series.map((s) => `<th scope="col">${esc(s.label)}</th>`).join("")}</tr></thead>` +
    `<tbody>${t.points.map((p) => `<tr><td>${esc(p.label)}</td>${t.series.map((s) => {
      const v = p.rates[s.rate];
      return `<td>${v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"}</td>`;
    }).join("")}</tr>`).join("")}</tbody></table>`;
}
