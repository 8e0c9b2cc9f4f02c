// 转接: hand the citizen on the line to 110/119/120, a utility's emergency line or a department's duty phone —
// 直接转接 (blind) or 先通话再转 (attended: talk to the other side, 三方通话, hang up to complete, or 取消) —
// and 一键紧急工单 from what the call's transcript holds. Asterisk's answers arrive as "handover" live events.
import {api} from "../lib/api.js";
import {$, esc} from "../lib/dom.js";
import * as live from "../lib/live.js";
import {attempt, say} from "../lib/ui.js";
import {emit, listen} from "./bus.js";
import {showCode} from "./code.js";

const STATES = {requested: "正在转接", transferred: "已转出，等待对方接听", consulting: "正在与对方通话（市民等待中），挂机即完成转接",
                connected: "对方已接通，转接完成", failed: "转接未成功", cancelled: "已取消转接，回到市民通话", refused: "转接被拒绝"};
const call = {linkedid: null, caller: null, handover: null, emergency: null, held: false};

function status(h) {
  call.handover = h;
  if (h.target_kind === "emergency") call.emergency = h.target_code;
  const open = h.state === "consulting";
  $("#handover-status").innerHTML = `<b>${esc(h.target_name)}（${esc(h.number)}）</b>：${esc(STATES[h.state] || h.state)}` +
    (h.state === "failed" ? "。请改用其他方式联系，或重新转接" : "");
  $("#threeway").hidden = !open;
  $("#cancel-handover").hidden = !open;
}

function render(targets) {
  const button = (t) => `<button type="button" class="small ${t.kind === "emergency" ? "danger" : "secondary"}" ` +
    `data-target="${esc(t.code)}" ${t.number ? "" : "disabled title=\"未配置号码\""}>` +
    `${esc(t.kind === "emergency" && /^\d+$/.test(t.code) ? t.code : "")} ${esc(t.name)}</button>`;
  $("#handover-emergency").innerHTML = targets.filter((t) => t.kind === "emergency").map(button).join("");
  $("#handover-departments").innerHTML = targets.filter((t) => t.kind === "department").map(button).join("");
}

// Transfers need the citizen bridged with the operator: not while they are on hold (保持); the emergency
// order needs only the call.
function enable(on) {
  for (const b of $("#handover").querySelectorAll("button[data-target], #emergency-order")) {
    if (!b.title) b.disabled = !on || (call.held && b.id !== "emergency-order");
  }
}

async function start(target) {
  if (!call.linkedid) { say("当前没有接通的来电，无法转接", "error"); return; }
  const mode = $("#handover").querySelector("input[name=handover-mode]:checked").value;
  status(await api("/api/v1/desk/handovers", {method: "POST", body: {target, mode}}));
}

async function emergencyOrder() {
  if (!call.linkedid) { say("当前没有接通的来电", "error"); return; }
  let words = {content: null, phone: call.caller};
  emit("need-words", (w) => { words = {...words, ...w}; });
  const taken = await api("/api/v1/desk/emergency", {method: "POST", body: {
    linkedid: call.linkedid, service: call.emergency || "110", content: words.content || null,
    citizen_phone: words.phone || null}});
  say(`紧急工单 ${taken.ticket_no} 已生成并派单`);
  if (taken.extraction_code) showCode(taken);
  emit("emergency", taken);
  emit("taken", taken);
}

// Listeners first (a call may connect while the targets load), then the buttons; never holds up the desk.
export async function mountHandover() {
  $("#handover").addEventListener("click", (e) => {
    const b = e.target.closest("[data-target]");
    if (b) attempt(() => start(b.dataset.target));
  });
  $("#threeway").addEventListener("click", () => attempt(async () =>
    status(await api(`/api/v1/desk/handovers/${call.handover.id}/threeway`, {method: "POST"}))));
  $("#cancel-handover").addEventListener("click", () => attempt(async () =>
    status(await api(`/api/v1/desk/handovers/${call.handover.id}/cancel`, {method: "POST"}))));
  $("#emergency-order").addEventListener("click", () => attempt(emergencyOrder));
  listen("call", ({linkedid, caller}) => {
    if (linkedid && linkedid !== call.linkedid) {
      Object.assign(call, {linkedid, caller, handover: null, emergency: null});
      $("#handover-status").textContent = "";
    }
    enable(Boolean(linkedid));
  });
  listen("agent", (me) => { call.held = me.state === "held"; enable(Boolean(call.linkedid)); });
  live.on("handover", (h) => { if (h.linkedid === call.linkedid) status(h); });
  render(await api("/api/v1/desk/handover-targets"));
  enable(Boolean(call.linkedid));
}
