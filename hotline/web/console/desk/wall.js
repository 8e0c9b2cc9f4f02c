// Wall mode (大屏) for a 1920×1080 screen read from 3 m: one panel at a time in large type, rotating every
// N seconds (?rotate=N, else the server's setting), each panel asked for fresh figures as it comes up.
import {api, query} from "../lib/api.js";
import {$, $$, countdown, esc, serverNow} from "../lib/dom.js";
import {barChart, lineChart, legend} from "../lib/charts.js";
import {centreZone} from "../lib/labels.js";
import * as live from "../lib/live.js";
import {ready, start} from "../lib/session.js";
import {say} from "../lib/ui.js";
import {loadBoard} from "./board.js";
import {loadAreas} from "./areas.js";

const FONT = 24;
const WALL_RATES = ["complete_on_time_rate", "satisfaction_rate", "sign_on_time_rate", "redo_rate"];
const panels = $$("#panels > section");
let current = -1;
let boardRefused = false;

const area = (el) => ({width: el.clientWidth, height: el.clientHeight - $("h2", el).offsetHeight - 16});

async function trends(section) {
  const t = await api("/api/v1/stats/trends?by=day");
  const series = t.series.filter((s) => WALL_RATES.includes(s.rate));
  const box = $("#w-trends");
  box.innerHTML = legend(series);
  const {width, height} = area(section);
  box.insertAdjacentHTML("beforeend", lineChart(t.points, series, {width: width - 8, height: height - box.offsetHeight - 8, font: FONT}));
}

async function ranking(section) {
  const today = new Intl.DateTimeFormat("sv-SE", {timeZone: centreZone(), year: "numeric", month: "2-digit"})
    .format(new Date(serverNow()));  // the centre's month, "2026-11"
  const r = await api(`/api/v1/stats/ranking${query({month: today})}`);
  $("#w-month").textContent = today;
  const rows = r.rows.slice(0, 10).map((x) => [`${x.rank}. ${x.department.name}`, x.score]);
  $("#w-ranking").innerHTML = rows.length ? barChart(rows, {width: area(section).width - 8, font: FONT, format: (v) => v.toFixed(1)})
    : `<p>本月还没有单位达到排名所需的交办量（${r.min_volume} 件）</p>`;
  $("#w-unranked").textContent = r.unranked.length ? `样本不足，不排名：${r.unranked.length} 个单位` : "";
}

async function redlights() {
  const page = await api("/api/v1/inbox?view=overdue&limit=9&sort=due");
  $("#w-red-count").textContent = page.total;
  $("#w-redlights").innerHTML = page.items.map((o) => `<li data-ticket="${esc(o.ticket_no)}"><b>${esc(o.title)}</b>` +
    `<span>${esc(o.department || "")}</span><span class="late">${esc(countdown(o.next_due_at))}</span></li>`).join("") ||
    `<li>没有超期工单</li>`;
}

const LOADERS = {
  board: async (section) => { boardRefused = !await loadBoard(section, {limit: 12}); },
  trends,
  ranking,
  map: (section) => loadAreas($("#w-areas"), {width: area(section).width - 8, font: FONT}),
  redlights,
};

async function show(i) {
  current = i;
  const section = panels[i];
  for (const p of panels) p.hidden = p !== section;
  $$("#dots span").forEach((d, k) => d.setAttribute("aria-current", String(k === i)));
  document.body.dataset.panel = section.dataset.panel;
  try {
    await LOADERS[section.dataset.panel](section);
  } catch (err) {
    say(err.message, "error");
  }
  section.dataset.loaded = String(Date.now());
}

function next() {
  let i = (current + 1) % panels.length;
  if (boardRefused && panels[i].dataset.panel === "board") i = (i + 1) % panels.length;  // a district's wall
  return show(i);
}

function tick() {
  $("#wall-clock").textContent = new Intl.DateTimeFormat("zh-CN", {timeZone: centreZone(), hour12: false,
    month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit"}).format(new Date(serverNow()));
}

(async () => {
  const me = await start(["supervisor", "hotline_admin"]);
  if (!me) return;
  if (me.department) {  // a district's supervisor: its departments' figures, not the call centre's agents
    boardRefused = true;
    $('section[data-panel="board"]').remove();
    panels.splice(panels.findIndex((p) => p.dataset.panel === "board"), 1);
  }
  $("#dots").innerHTML = panels.map(() => "<span></span>").join("");
  const asked = Number(new URLSearchParams(location.search).get("rotate"));
  let seconds = 15;
  try {
    seconds = (await api("/api/v1/stats/display")).wall_rotate_seconds;
  } catch { /* the default */ }
  if (asked >= 2) seconds = asked;
  document.body.dataset.rotate = String(seconds);
  await show(0);
  tick();
  setInterval(tick, 1000);
  setInterval(() => {
    if (document.body.dataset.live !== "off") next().catch(() => {});  // the server is away: hold the panel
  }, seconds * 1000);
  for (const type of ["call", "screen_pop"]) {
    live.on(type, () => {  // a call connected or ended: the board is out of date at once
      if (document.body.dataset.panel === "board") loadBoard(panels[current], {limit: 12}).catch(() => {});
    });
  }
  ready();
  await live.connect();
})().catch((err) => say(err.message, "error"));
