// 实时转写: the call's words as `hotline listen` hears them (partials replace each other, finals stay),
// the intake draft following the citizen's words (the draft panel applies it; a danger shows at once),
// and after the call the dialogue from the recording with its draft for 话后处理.
// Fed by GET /api/v1/calls/{linkedid}/live (one EventSource per call) and GET /api/v1/calls/{linkedid}/work.
import {api, refresh} from "../lib/api.js";
import {$, esc} from "../lib/dom.js";
import * as live from "../lib/live.js";
import {attempt} from "../lib/ui.js";
import {emit, listen} from "./bus.js";

const WHO = {citizen: "市民", operator: "话务员", ivr: "语音导航"};
const call = {linkedid: null, source: null, talking: false, heard: false};

function line(speaker, text, cls = "") {
  return `<li class="${cls}" data-speaker="${esc(speaker)}"><b>${esc(WHO[speaker] || speaker)}</b> ${esc(text)}</li>`;
}

function state(text) { $("#live-state").textContent = text; }

// The stream's start may be published before this page subscribes (the screen pop and Asterisk's spy race):
// the first word heard says it is being transcribed just as well.
function heard() {
  if (call.heard) return;
  call.heard = true;
  state("转写中");
}

function partial(e) {
  heard();
  const box = $("#live-partial");
  box.dataset.speaker = e.direction;
  box.innerHTML = e.text ? `<b>${esc(WHO[e.direction] || e.direction)}</b> ${esc(e.text)}…` : "";
}

async function follow(linkedid) {
  if (call.source) call.source.close();
  Object.assign(call, {linkedid, talking: true, heard: false});
  $("#live").hidden = false;
  $("#live-lines").innerHTML = "";
  $("#live-partial").innerHTML = "";
  $("#after-call").hidden = true;
  state("等待语音……");
  let ticket;
  try {
    ticket = await live.streamTicket();  // single use: no token ever stands in the address
  } catch (err) {
    state("实时转写暂不可用");
    return;
  }
  if (call.linkedid !== linkedid) return;  // another call came while the ticket was on its way
  if (call.source) call.source.close();
  const source = call.source = new EventSource(`/api/v1/calls/${encodeURIComponent(linkedid)}/live?ticket=${ticket}`);
  const on = (type, fn) => source.addEventListener(type, (m) => { try { fn(JSON.parse(m.data)); } catch (err) { console.error(type, err); } });
  on("live_started", heard);
  on("live_partial", partial);
  on("live_final", (e) => {
    heard();
    $("#live-lines").insertAdjacentHTML("beforeend", line(e.direction, e.text));
    if ($("#live-partial").dataset.speaker === e.direction) $("#live-partial").innerHTML = "";
  });
  on("live_draft", (d) => emit("live_draft", d));
  on("live_ended", (e) => {
    if (e.reason !== "hangup") state("实时转写中断，通话继续；通话结束后将根据录音补全转写");
  });
  source.onerror = async () => {
    source.close();
    if (call.source !== source || !call.talking) return;
    state("实时转写连接中断，正在重连……");
    await refresh().catch(() => {});
    setTimeout(() => { if (call.source === source && call.talking) follow(linkedid); }, 1000);
  };
}

function stop() {
  call.talking = false;
  if (call.source) call.source.close();
  call.source = null;
}

async function afterCall(linkedid) {
  const work = await api(`/api/v1/calls/${encodeURIComponent(linkedid)}/work`);
  const d = work.dialogue;
  if (!d || d.status !== "transcribed") return;
  $("#live").hidden = false;
  state("通话录音转写");
  $("#live-partial").innerHTML = "";
  $("#live-lines").innerHTML = d.turns.map((t) => line(t.speaker, t.text)).join("");
  const box = $("#after-call");
  box.hidden = !work.after_call;
  if (work.after_call) {
    box.innerHTML = `<p>话后处理：本通电话的工单尚未办理，可采用录音转写生成的草稿。</p>` +
      `<button type="button" class="small" id="use-after-call">采用转写草稿</button>`;
    $("#use-after-call").onclick = () => emit("after_call_draft", {linkedid, text: d.citizen_text, draft: d.draft});
  }
}

export function mountTranscript() {
  listen("call", ({linkedid}) => { if (linkedid && linkedid !== call.linkedid) follow(linkedid); });
  listen("agent", (me) => {
    const onCall = me.state === "talking" || me.state === "held";  // on hold the call (and its words) go on
    if (!onCall) stop();
    if (onCall && me.linkedid && (me.linkedid !== call.linkedid || !call.talking)) follow(me.linkedid);
    if (me.state === "wrapup" && me.linkedid) attempt(() => afterCall(me.linkedid));
  });
  live.on("after_call", (e) => attempt(() => afterCall(e.linkedid)));
}
