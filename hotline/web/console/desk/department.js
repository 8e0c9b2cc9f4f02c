// 承办单位工作台: the inbox (desk/inbox.js) and one order with its whole story (流转记录), its deadlines
// and extension, and the steps the department may take: 签收, 反馈, 办结 with evidence, 延期, 回退.
import {api} from "../lib/api.js";
import {$, countdown, esc, time} from "../lib/dom.js";
import {centreZone, label} from "../lib/labels.js";
import * as live from "../lib/live.js";
import {ready, start} from "../lib/session.js";
import {storyHtml, wireEvidence} from "../lib/story.js";
import {ask, attempt, light, say} from "../lib/ui.js";
import {mountAlerts, ring, urgent} from "./alerts.js";
import {mountForward, shareForms} from "./forward.js";
import {loadInbox, markCurrent, mountInbox} from "./inbox.js";
import {mountNotes, showNotes} from "./notes.js";
import {mountTemplates, showTemplates} from "./templates.js";

const NOTICES = {dispatched: "新工单", urge: "催办", supervised: "督办", supervision: "督办", supervision_resolved: "督办已办结",
                 sub_replied: "下级单位已反馈"};
const DONE = {sign: "签收", reply: "反馈", extension: "申请延期", return: "回退", complete: "办结"};
let current = null;
let reasons = [];

function extensionText(story) {
  const last = story.extensions[story.extensions.length - 1];
  if (!last) return "";
  return `延期申请 ${last.days} 天（${time(last.at)}）：${label("extension_statuses", last.status)}` +
    `${last.note ? "，" + last.note : ""}`;
}

async function show(ticket) {
  const [o, story] = await Promise.all([api(`/api/v1/work-orders/${ticket}`), api(`/api/v1/work-orders/${ticket}/story`)]);
  current = ticket;
  markCurrent(ticket);
  document.body.dataset.view = "detail";
  $("#detail").hidden = false;
  $("#ticket").textContent = `${o.ticket_no} · ${label("states", o.state)}`;
  $("#summary").innerHTML = `${o.tier === "emergency" ? '<span class="badge emergency">紧急</span>' : ""}` +
    `${light(o.light)} ${esc(label("tiers", o.tier))} · <b>${esc(o.title)}</b> · ${esc(o.place || "")} · ` +
    `市民 ${esc(o.citizen ? o.citizen.phone || "" : "")}${o.redo_count ? " · 重办 " + o.redo_count + " 次" : ""}`;
  $("#content").textContent = o.content;
  $("#deadlines").innerHTML = o.deadlines.filter((d) => d.status === "open")
    .map((d) => `${esc(label("deadline_kinds", d.kind))} ${esc(time(d.due_at, "full"))}（${esc(countdown(d.due_at))}）` +
      ` ${light(d.light)}`).join("；");
  const extension = extensionText(story);
  $("#extension-status").hidden = !extension;
  $("#extension-status").textContent = extension;
  $("#files-label").textContent = o.evidence_required ? "佐证材料（本类诉求办结时必须上传图片或 PDF）" : "佐证材料（图片或 PDF）";
  $("#files").required = Boolean(o.evidence_required);
  for (const el of $("#actions").querySelectorAll("[data-action]")) el.hidden = !o.allowed_actions.includes(el.dataset.action);
  shareForms(o);
  $("#story").innerHTML = storyHtml(story, ticket);
  await Promise.all([showNotes(ticket), showTemplates(ticket)]);
}

async function step(action, body) {
  try {
    await api(`/api/v1/work-orders/${current}/${action}`, {method: "POST", body});
    say(`工单 ${current} 已${DONE[action]}`);
    for (const f of $("#actions").querySelectorAll("form")) f.reset();
    await Promise.all([show(current).catch(() => hide()), loadInbox()]);
  } catch (err) { say(err.message, "error"); }
}

function hide() {
  $("#detail").hidden = true;
  document.body.dataset.view = "list";
  current = null;
  markCurrent(null);
}

async function returnOrder() {
  const code = $("#return-code").value;
  const words = $("#return-reason").value.trim();
  const reason = reasons.find((r) => r.code === code);
  const ok = await ask({title: "确认回退", danger: true, confirm: "确认回退",
    text: `工单 ${current} 将退回热线中心重新派单。回退原因：${reason ? reason.name : code}；说明：${words}`});
  if (ok) await step("return", {code, text: words});
}

$("#sign").addEventListener("click", () => step("sign"));
$("#close-detail").addEventListener("click", hide);
// The A4 print view opens beside the order (a new tab inherits this tab's session, so no new login).
$("#print-order").addEventListener("click", () => window.open(`print.html?ticket=${encodeURIComponent(current)}`, "_blank"));
$("#reply-form").addEventListener("submit", (e) => { e.preventDefault(); step("reply", {text: $("#reply-text").value}); });
$("#extension-form").addEventListener("submit", (e) => {
  e.preventDefault(); step("extension", {days: Number($("#days").value), reason: $("#extension-reason").value});
});
$("#return-form").addEventListener("submit", (e) => { e.preventDefault(); attempt(returnOrder); });
$("#complete-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = new FormData();
  form.append("result", $("#result").value);
  for (const f of $("#files").files) form.append("files", f);
  try {
    await api(`/api/v1/work-orders/${current}/complete`, {method: "POST", form});
    say(`工单 ${current} 已办结`);
    $("#complete-form").reset();
    hide();
    await loadInbox();
  } catch (err) { say(err.message, "error"); }
});

(async () => {
  const me = await start(["department_staff", "department_admin"]);
  if (!me) return;
  $("#zone").textContent = centreZone() === "Asia/Shanghai" ? "北京" : centreZone();
  wireEvidence($("#story"));
  reasons = await api("/api/v1/return-reasons");
  $("#return-code").innerHTML = reasons.map((r) => `<option value="${esc(r.code)}">${esc(r.name)}</option>`).join("");
  document.body.dataset.view = "list";
  mountNotes(live.on);
  mountTemplates();
  await mountForward(me, (ticket) => Promise.all([show(ticket), loadInbox()]));
  await mountInbox((ticket) => show(ticket));
  live.on("extension", () => attempt(() => Promise.all([loadInbox(), current ? show(current) : null])));
  mountAlerts();
  live.on("notice", (n) => {
    const what = NOTICES[n.kind] || "通知";
    const heading = `${n.tier === "emergency" ? "紧急" : ""}${what}：工单 ${n.ticket}`;
    // The tracking 督办 every emergency gets at 派单 arrives with the order's own alert: it must not talk over it.
    const tracking = n.kind === "supervision" && n.supervision_kind === "emergency";
    if (!tracking) say(`${heading} ${n.text}`, urgent(n) ? "error" : "info");
    if (urgent(n)) ring({title: heading, body: n.text, ticket: n.ticket}, (t) => attempt(() => show(t)));
    attempt(() => Promise.all([loadInbox(), current === n.ticket ? show(current) : null]));
  });
  ready();
  await live.connect();
  setInterval(() => loadInbox().catch(() => {}), 30000);
})().catch((err) => say(err.message, "error"));
