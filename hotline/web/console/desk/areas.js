// 分布图: orders being handled by street office / township, each district a block of tiles coloured by
// count; a tile is a link to the orders behind it (the inbox narrowed to that area).
import {api, query} from "../lib/api.js";
import {areaMap, mapLegend} from "../lib/charts.js";

export async function loadAreas(root, {from, to, width, font = 13, onPick} = {}) {
  const m = await api(`/api/v1/stats/areas${query({from, to})}`);
  const w = width || Math.max(360, root.clientWidth - 8);
  root.innerHTML = (m.groups.length ? areaMap(m, {width: w, font}) + mapLegend(m)
    : `<p class="muted">您的范围内没有街道或乡镇</p>`);
  root.dataset.total = m.total;
  if (onPick) {
    const byCode = new Map(m.groups.flatMap((g) => g.areas.map((a) => [a.code, a])));
    root.onclick = (e) => {
      const link = e.target.closest("a.area");
      if (!link) return;
      e.preventDefault();
      const area = byCode.get(link.dataset.unit);
      if (area) onPick(area);
    };
  }
  return m;
}
