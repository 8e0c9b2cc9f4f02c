// The queue state bar: 签入/示忙/示闲/签出, 完成话后处理 and 保持/取回, with the state's timer on the server's clock.
// Fed by GET /api/v1/agents/me and the "agent_state" live event; survives a reload.
import {api} from "../lib/api.js";
import {$, duration, esc} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import * as live from "../lib/live.js";
import {ask, attempt, say, shortcut} from "../lib/ui.js";
import {emit} from "./bus.js";

let current = null;
let offset = 0;  // server clock − browser clock

function render(me) {
  current = me;
  offset = me.now ? new Date(me.now).getTime() - Date.now() : 0;
  const box = $("#agent-state");
  box.dataset.state = me.state;
  box.textContent = me.state === "paused" && me.pause_reason ? `示忙：${me.pause_reason}` : label("agent_statuses", me.state);
  $("#agent-ext").textContent = me.interface || me.extension ? `分机 ${me.interface || me.extension}` : "未绑定分机";
  const on = me.state !== "offline";
  $("#join").hidden = on;
  $("#leave").hidden = !on;
  $("#pause").hidden = !on || me.state === "paused";
  $("#pause-reason").hidden = !on || me.state === "paused";
  $("#unpause").hidden = me.state !== "paused";
  $("#ready").hidden = me.state !== "wrapup";
  $("#hold").hidden = me.state !== "talking";
  $("#take-back").hidden = me.state !== "held";
  tick();
  emit("agent", me);
}

function tick() {
  const since = current && current.since ? new Date(current.since).getTime() : null;
  $("#agent-timer").textContent = since ? duration((Date.now() + offset - since) / 1000) : "00:00";
}

async function extension() {
  if (current.extension) return current.extension;
  const answer = await ask({title: "绑定分机", text: "第一次签入请填写您座席电话的分机，系统会记住它。",
                            fields: [{name: "extension", label: "分机", value: "PJSIP/", required: true}], confirm: "绑定并签入"});
  if (!answer) return null;
  await api("/api/v1/auth/me/extension", {method: "PUT", body: {extension: answer.extension.trim()}});
  return answer.extension.trim();
}

async function act(path, body = {}) {
  await api(`/api/v1/agents/${path}`, {method: "POST", body});
  render(await api("/api/v1/agents/me"));
}

export async function mountAgent() {
  const me = await api("/api/v1/agents/me");
  $("#pause-reason").innerHTML = me.pause_reasons.map((r) => `<option>${esc(r)}</option>`).join("");
  render(me);
  setInterval(tick, 1000);
  $("#join").addEventListener("click", () => attempt(async () => {
    const ext = await extension();
    if (ext) { await act("login", {}); say(`已在分机 ${ext} 签入，等待来电`); }
  }));
  $("#join").disabled = false;  // enabled once it works: a click before the desk is ready would do nothing
  $("#pause").addEventListener("click", () => attempt(() => act("pause", {reason: $("#pause-reason").value})));
  $("#unpause").addEventListener("click", () => attempt(() => act("unpause")));
  $("#leave").addEventListener("click", () => attempt(() => act("logout")));
  const ready = () => attempt(async () => { render(await api("/api/v1/agents/ready", {method: "POST"})); });
  $("#ready").addEventListener("click", ready);
  shortcut("r", () => { if (current && current.state === "wrapup") ready(); });
  // 保持 / 取回 (Alt+H both ways): the call on this screen, so a stale screen never holds another call
  const hold = (path) => attempt(async () => {
    render(await api(`/api/v1/desk/${path}`, {method: "POST", body: {linkedid: current.linkedid}}));
    say(path === "hold" ? "市民已进入保持，正在听等待音乐" : "已取回，继续与市民通话");
  });
  $("#hold").addEventListener("click", () => hold("hold"));
  $("#take-back").addEventListener("click", () => hold("hold/take-back"));
  shortcut("h", () => {
    if (current && current.state === "talking") hold("hold");
    else if (current && current.state === "held") hold("hold/take-back");
  });
  live.on("agent_state", (state) => render({...current, ...state}));
  return me;
}
