// 坐席监控: the live agent board from what the AMI listener stores — who is on a call, paused and why,
// calls waiting, the longest wait and today's service level. Asked again every few seconds (the server
// says how often); a call ending on the live stream asks at once.
import {api} from "../lib/api.js";
import {duration, esc} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import {pct} from "../lib/charts.js";

let timer = null;

function cards(b) {
  const s = b.summary, t = b.today;
  return [["signed_in", "签入坐席", s.signed_in], ["talking", "通话中", s.talking], ["paused", "示忙", s.paused],
          ["idle", "空闲", s.idle], ["wrapup", "话后处理", s.wrapup], ["waiting", "排队等待", s.waiting],
          ["longest_wait", "最长等待", duration(s.longest_wait_seconds)],
          ["service_level", `服务水平（${b.service_level_seconds}秒）`, pct(t.service_level)],
          ["offered", "今日进线", t.offered], ["answered", "今日接通", t.answered], ["abandoned", "今日放弃", t.abandoned]]
    .map(([k, name, v]) => `<div class="card${k === "waiting" && s.waiting ? " alert" : ""}" data-board="${k}">${esc(name)}<b>${esc(v)}</b></div>`).join("");
}

function rows(b, limit) {
  const now = new Date(b.now).getTime();
  const shown = limit ? b.members.slice(0, limit) : b.members;
  return shown.map((m) => `<tr data-member="${esc(m.interface)}" data-state="${esc(m.state)}"><td>${esc(m.name)}</td>` +
    `<td><span class="state" data-state="${esc(m.state)}">${esc(label("agent_statuses", m.state))}</span></td>` +
    `<td class="timer">${m.since ? duration((now - new Date(m.since).getTime()) / 1000) : "—"}</td>` +
    `<td>${esc(m.pause_reason || "")}</td><td>${m.calls_taken}</td></tr>`).join("") ||
    `<tr><td colspan="5" class="muted">没有签入的坐席</td></tr>`;
}

// Draw the board into `root` (which holds .board-cards and a tbody.board-members).
export async function loadBoard(root, {limit = 0} = {}) {
  let b;
  try {
    b = await api("/api/v1/agents/board");
  } catch (err) {
    if (err.status === 403) {
      root.querySelector(".board-cards").innerHTML = `<p class="muted">${esc(err.message)}</p>`;
      root.dataset.board = "refused";
      return null;
    }
    throw err;
  }
  root.querySelector(".board-cards").innerHTML = cards(b);
  root.querySelector(".board-members").innerHTML = rows(b, limit);
  root.dataset.board = "on";
  return b;
}

export async function startBoard(root, options = {}) {
  const first = await loadBoard(root, options);
  if (!first) return null;
  clearInterval(timer);
  timer = setInterval(() => {
    if (document.body.dataset.live === "off") return;  // the server is away: ask again once the stream is back
    loadBoard(root, options).catch(() => {});
  }, first.refresh_seconds * 1000);
  return first;
}
