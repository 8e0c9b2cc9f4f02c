// Charts as inline SVG, drawn at the size they are shown (one SVG unit = one CSS pixel), so text keeps
// the size it is given (never below 12 px); labels and names come from the server.
import {esc} from "./dom.js";

export const PALETTE = ["#0b5394", "#a61c00", "#38761d", "#9a5105", "#674ea7", "#134f5c", "#7f6000"];
export const pct = (v) => v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;

// Rates over time: points [{short, label, rates}], series [{rate, label}]; y from 0 to 100 %.
export function lineChart(points, series, {width = 720, height = 300, font = 13} = {}) {
  const left = font * 3.6, right = font * 2, top = font, bottom = font * 2.6;  // room for the last axis label
  const w = Math.max(120, width - left - right), h = Math.max(60, height - top - bottom);
  const x = (i) => left + (points.length > 1 ? (i * w) / (points.length - 1) : w / 2);
  const y = (v) => top + h - v * h;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((v) =>
    `<line class="grid" x1="${left}" x2="${left + w}" y1="${y(v)}" y2="${y(v)}"></line>` +
    `<text class="axis" x="${left - font * 0.4}" y="${y(v) + font * 0.35}" text-anchor="end" font-size="${font}">${v * 100}%</text>`).join("");
  const every = Math.max(1, Math.ceil((points.length * font * 3.4) / w));
  const ticks = points.map((p, i) => i % every ? "" :
    `<text class="axis" x="${x(i)}" y="${top + h + font * 1.5}" text-anchor="middle" font-size="${font}">${esc(p.short)}</text>`).join("");
  const lines = series.map((s, k) => {
    const colour = PALETTE[k % PALETTE.length];
    let path = "", pen = false;
    points.forEach((p, i) => {
      const v = p.rates[s.rate];
      if (v === null || v === undefined) { pen = false; return; }
      path += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(Math.min(1, Math.max(0, v))).toFixed(1)} `;
      pen = true;
    });
    const dots = points.map((p, i) => {
      const v = p.rates[s.rate];
      return v === null || v === undefined ? "" : `<circle cx="${x(i).toFixed(1)}" cy="${y(Math.min(1, Math.max(0, v))).toFixed(1)}" ` +
        `r="${font * 0.25}" fill="${colour}"><title>${esc(p.label)} ${esc(s.label)} ${pct(v)}</title></circle>`;
    }).join("");
    return `<g class="series" data-rate="${esc(s.rate)}"><path d="${path}" fill="none" stroke="${colour}" stroke-width="${font / 5}"></path>${dots}</g>`;
  }).join("");
  return `<svg class="chart" role="img" aria-label="${esc(series.map((s) => s.label).join("、"))}走势" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}">${grid}${ticks}${lines}</svg>`;
}

// The legend beside a chart, as HTML (larger and readable by a screen reader).
export function legend(series) {
  return `<ul class="legend">${series.map((s, k) =>
    `<li><span class="swatch" data-colour="${k % PALETTE.length}"></span>${esc(s.label)}</li>`).join("")}</ul>`;
}

// Horizontal bars: rows [[name, value]]; values ≥ 0.
export function barChart(rows, {width = 520, font = 13, format = (v) => v} = {}) {
  const max = Math.max(1e-9, ...rows.map((r) => r[1] || 0));
  const longest = Math.max(2, ...rows.map((r) => String(r[0]).length));
  const row = Math.round(font * 1.9), name = Math.min(width * 0.5, (longest + 1) * font);
  const body = rows.map(([label, v], i) => {
    const w = Math.round(((v || 0) / max) * (width - name - font * 5));
    return `<g transform="translate(0,${i * row})"><text x="0" y="${font * 1.2}" font-size="${font}">${esc(label)}</text>` +
      `<rect x="${name}" y="${font * 0.25}" width="${w}" height="${font * 1.2}" rx="2"></rect>` +
      `<text x="${name + w + font * 0.4}" y="${font * 1.2}" font-size="${font}">${esc(format(v))}</text></g>`;
  }).join("");
  return `<svg class="bars" role="img" aria-label="图表" width="${width}" height="${rows.length * row}" ` +
    `viewBox="0 0 ${width} ${rows.length * row}">${body}</svg>`;
}

// The map: each district/county a block of tiles, one tile per street office or township, coloured by
// its count's step (0–4); each tile a link (href #area-CODE) the page turns into the orders behind it.
export function areaMap(map, {width = 720, font = 13, tile = 0} = {}) {
  const tw = tile || font * 7.4, th = Math.round(tw * 0.5), gap = Math.round(font * 0.35), head = font * 1.8;
  let x = 0, y = 0, rowHeight = 0;
  const blocks = map.groups.map((g) => {
    const cols = Math.max(2, Math.min(Math.ceil(Math.sqrt(g.areas.length * 1.6)), Math.floor(width / (tw + gap))));
    const bw = cols * (tw + gap) + gap, bh = head + Math.ceil(g.areas.length / cols) * (th + gap) + gap;
    if (x > 0 && x + bw > width) { x = 0; y += rowHeight + gap * 2; rowHeight = 0; }
    const at = [x, y];
    x += bw + gap * 2;
    rowHeight = Math.max(rowHeight, bh);
    const tiles = g.areas.map((a, i) => {
      const tx = gap + (i % cols) * (tw + gap), ty = head + Math.floor(i / cols) * (th + gap);
      const name = a.name.length > 6 ? a.name.slice(0, 6) : a.name;
      return `<a href="#area-${esc(a.code)}" class="area" data-unit="${esc(a.code)}" data-level="${a.level}" aria-label="${esc(a.name)} ${a.count} 件">` +
        `<rect x="${tx}" y="${ty}" width="${tw}" height="${th}" rx="3"><title>${esc(a.name)}：在办 ${a.count} 件</title></rect>` +
        `<text x="${tx + tw / 2}" y="${ty + th * 0.42}" text-anchor="middle" font-size="${font}">${esc(name)}</text>` +
        `<text x="${tx + tw / 2}" y="${ty + th * 0.42 + font * 1.15}" text-anchor="middle" font-size="${font}" font-weight="600">${a.count}</text></a>`;
    }).join("");
    return `<g class="district" data-district="${esc(g.code)}" transform="translate(${at[0]},${at[1]})">` +
      `<rect class="block" width="${bw}" height="${bh}" rx="4"></rect>` +
      `<text x="${gap}" y="${font * 1.3}" font-size="${font}" font-weight="600">${esc(g.name)}（${g.total}）</text>${tiles}</g>`;
  }).join("");
  const height = y + rowHeight + gap;
  return `<svg class="map" role="group" aria-label="各街道（乡镇）在办工单分布" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}">${blocks}</svg>`;
}

export function mapLegend(map) {
  return `<ul class="legend">${map.levels.map((l) =>
    `<li><span class="swatch area-level" data-level="${l.level}"></span>${esc(l.label)}${l.level ? `（≥${l.from}）` : ""}</li>`).join("")}</ul>`;
}

// Save text as a file the way the server named it (the API needs the token in a header, so no plain link).
export function download(text, name, type = "text/csv;charset=utf-8") {
  const body = text.startsWith("\ufeff") ? text : "\ufeff" + text;  // fetch drops the BOM; spreadsheets need it
  const url = URL.createObjectURL(new Blob([body], {type}));
  const a = document.createElement("a");
  a.href = url; a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
