// The screen pop: who is calling, their open and earlier orders (each opens), the call's timer.
// Fed by the "screen_pop" live event, and after a reload by GET /api/v1/desk/callers/{phone}.
import {api} from "../lib/api.js";
import {$, duration, esc, time} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import * as live from "../lib/live.js";
import {attempt, light} from "../lib/ui.js";
import {emit, listen} from "./bus.js";
import {openOrder} from "./orderview.js";

let callStart = null;
let callOf = null;  // the call the timer is of: a hold (保持) and taking back go on timing the same call

function item(o) {
  return `<li><button type="button" class="link" data-ticket="${esc(o.ticket_no)}">${light(o.light)} ` +
    `<span>${esc(o.ticket_no)}</span> ${esc(o.title)}</button> <span class="muted">${esc(label("states", o.state))}` +
    `${o.callback ? " · 回访" + esc(label("verdicts", o.callback)) : ""}</span></li>`;
}

export function showCaller(history, {linkedid = null, wait = null} = {}) {
  const h = history;
  $("#pop").classList.add("ringing");
  $("#pop-body").innerHTML = `<p class="caller"><b>${esc(h.caller || "未知号码")}</b> ` +
    `${h.known ? esc(h.name || "老来电人") : "（首次来电）"}${wait !== null ? ` · 排队 ${wait} 秒` : ""}</p>` +
    (h.open.length ? `<h3>在办工单（${h.open.length}）</h3><ul class="history">${h.open.map(item).join("")}</ul>` : "") +
    (h.previous.length ? `<h3>历史工单（${h.previous.length}）</h3><ul class="history">${h.previous.map(item).join("")}</ul>` : "");
  emit("call", {linkedid, caller: h.caller, history: h});
}

export function mountPop() {
  $("#pop-body").addEventListener("click", (e) => {
    const b = e.target.closest("[data-ticket]");
    if (b) attempt(() => openOrder(b.dataset.ticket));
  });
  live.on("screen_pop", (pop) => {
    callStart = Date.now();
    callOf = pop.linkedid;
    showCaller(pop.history, {linkedid: pop.linkedid, wait: pop.wait_seconds ?? 0});
  });
  listen("agent", (me) => {
    const onCall = me.state === "talking" || me.state === "held";
    if (onCall && me.since && (me.linkedid !== callOf || !callStart)) {
      callStart = new Date(me.since).getTime() - (new Date(me.now) - Date.now());
    }
    callOf = onCall ? me.linkedid : null;
    if (!onCall) callStart = null;
    if ((me.state === "talking" || me.state === "wrapup") && me.caller && !$("#pop").classList.contains("ringing")) {
      attempt(async () => showCaller(await api(`/api/v1/desk/callers/${encodeURIComponent(me.caller)}`), {linkedid: me.linkedid}));
    }
  });
  setInterval(() => { $("#call-timer").textContent = callStart ? `通话 ${duration((Date.now() - callStart) / 1000)}` : ""; }, 1000);
}
