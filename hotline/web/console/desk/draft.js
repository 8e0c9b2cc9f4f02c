// The draft on the operator's desk: what the citizen says, recognised as they talk (tier, category,
// department, place, with reasons), a danger banner, a likely duplicate and the same incident one click
// away, and one request for 受理并派单 / 直接答复 / 重复件 / 并案 / 无效 (POST /api/v1/desk/intake).
import {api, query} from "../lib/api.js";
import {$, esc} from "../lib/dom.js";
import {entries, label} from "../lib/labels.js";
import {DepartmentPicker} from "../lib/picker.js";
import {renderRecordings} from "../lib/player.js";
import {ask, attempt, say, shortcut} from "../lib/ui.js";
import {emit, listen} from "./bus.js";
import {showCode} from "./code.js";

const draft = {ticket: null, linkedid: null, suggested: null, suggestion: null, kind: null, analysed: "",
               chosen: new Set(), heard: ""};
let picker;
let typing;

function field(id) { return $(`#${id}`).value.trim(); }

// Recognition fills what the operator has not chosen by hand; their own choices stay.
function fill(a) {
  if (!draft.chosen.has("tier")) $("#tier").value = a.tier || "general";
  if (!draft.chosen.has("category")) $("#category").value = a.category ? a.category.code : "";
  if (a.place && !field("place")) $("#place").value = a.place;
  suggest(a.department);
  $("#reason-box").hidden = !(picker.value && draft.suggested && picker.value !== draft.suggested);
  $("#reasons").innerHTML = a.reasons.map((r) => `<li>${esc(r)}</li>`).join("");
  draft.suggestion = a.category ? {category_code: a.category.code, confidence: a.confidence ?? null,
                                   model: a.model && a.model.version ? a.model.version : "rules"} : null;
  draft.kind = a.kind || null;
  choices(a);
  $("#model-line").textContent = [a.model ? a.model.message : "", a.why ? a.why.sentence : ""].filter(Boolean).join("。");
  danger(a);
  flags(a);
}

// The suggested lead department; one the centre answers itself (直办) is not a department to dispatch to.
function suggest(department) {
  const direct = Boolean(department && department.direct);
  draft.suggested = department && !direct ? department.code : null;
  picker.suggested = draft.suggested;
  if (!draft.chosen.has("department")) picker.set(draft.suggested);
  $("#answer").classList.toggle("suggested", direct);
  $("#answer").title = direct ? "此类诉求由热线直接答复，不派单" : "";
}

// Unsure: the operator picks one of the top leaves; the pick counts as the operator's own choice.
function choices(a) {
  const box = $("#choices");
  box.hidden = !(a.must_choose && a.choices && a.choices.length);
  if (box.hidden) { box.innerHTML = ""; return; }
  box.innerHTML = `<p class="flag">系统把握不足，请选择诉求分类：</p>` + a.choices.map((c) =>
    `<button type="button" class="small secondary" data-choice="${esc(c.code)}" data-department="${esc(c.department ? c.department.code : "")}" data-direct="${c.department && c.department.direct ? "1" : ""}">` +
    `${esc(c.name)}${c.confidence === null ? "" : `（${Math.round(c.confidence * 100)}%）`}` +
    `${c.department ? ` → ${esc(c.department.name)}` : ""}</button>`).join(" ");
  if (!draft.chosen.has("category")) $("#category").value = "";
}

// Danger to life or property first: in red, with who to hand it to.
function danger(a) {
  const box = $("#danger");
  // a hazard (担心/万一: not happening yet) is said among the reasons, not in red
  box.hidden = !(a.tier === "emergency" || (a.danger && a.danger.level === "emergency"));
  if (box.hidden) return;
  const d = a.danger || {};
  const line = d.service_name ? `${d.service_name}（${d.phone || "号码未配置，请按本地号码转接"}）` : "110/119/120";
  const heard = d.evidence && d.evidence.length ? `听到“${d.evidence.slice(0, 3).join("”“")}”。` : "";
  box.innerHTML = `<b>危及生命财产安全</b>：${esc(a.category ? a.category.name : "紧急情况")}。${esc(heard)}` +
    `请立即转 ${esc(line)}，并在工单中记录。`;
}

async function flags(a) {
  const box = $("#flags");
  const open = a.repeat ? a.repeat.open : [];
  let out = open.length ? `<p class="flag">可能是重复件：该来电人在办工单 ` + open.map((t) =>
    `<button type="button" class="small secondary" data-duplicate="${esc(t)}">合并到 ${esc(t)}</button>`).join(" ") + "</p>" : "";
  if (a.category) {
    const same = await api(`/api/v1/desk/incidents${query({category: a.category.code, place: field("place") || a.place,
                                                           ticket: draft.ticket})}`).catch(() => []);
    const others = same.filter((c) => !open.includes(c.ticket_no));
    if (others.length) {
      out += `<p class="flag">可能是同一事件：</p><ul class="incidents">` + others.map((c) =>
        `<li><button type="button" class="small secondary" data-incident="${esc(c.ticket_no)}">并案到 ${esc(c.ticket_no)}</button> ` +
        `${esc(c.title)} <span class="muted">${esc(c.why)} · 已有 ${c.callers} 人来电 · ${esc(label("states", c.state))}</span></li>`).join("") + "</ul>";
    }
  }
  box.innerHTML = out;
}

async function analyse() {
  const text = field("content");
  if (!text) { say("先填写诉求内容", "error"); return; }
  draft.analysed = text;
  fill(await api("/api/v1/intake/analyze", {method: "POST", body: {text, phone: field("phone") || null}}));
}

export function clearDraft() {
  Object.assign(draft, {ticket: null, suggested: null, suggestion: null, kind: null, analysed: "", chosen: new Set(),
                        heard: ""});
  $("#draft").reset();
  $("#tier").value = "general";
  suggest(null);
  $("#draft-ticket").textContent = "";
  $("#reasons").innerHTML = "";
  $("#flags").innerHTML = "";
  $("#choices").innerHTML = "";
  $("#choices").hidden = true;
  $("#model-line").textContent = "";
  $("#danger").hidden = true;
  $("#recordings").innerHTML = "";
  $("#reason-box").hidden = true;
}

function body(outcome, extra = {}) {
  const b = {outcome, tier: $("#tier").value, category_code: $("#category").value || null, place: field("place") || null,
             content: field("content") || null, call_linkedid: draft.linkedid, ...extra};
  if (draft.ticket) b.ticket = draft.ticket;  // a waiting order taken during a call is linked to it too
  else Object.assign(b, {citizen_phone: field("phone") || null, citizen_name: field("citizen-name") || null,
                         kind: draft.kind, suggestion: draft.suggestion});
  return b;
}

async function take(outcome, extra = {}) {
  if (!draft.ticket && !field("content")) { say("先填写诉求内容", "error"); $("#content").focus(); return; }
  const taken = await api("/api/v1/desk/intake", {method: "POST", body: body(outcome, extra)});
  const what = {dispatch: "已受理并派单", answer: "已直接答复", register: "已受理", duplicate: "已合并为重复件",
                incident: "已并案", invalid: "已作为无效件关闭"}[taken.outcome];
  say(`工单 ${taken.ticket_no} ${what}`);
  if (taken.extraction_code) showCode(taken);
  clearDraft();
  emit("taken", taken);
}

function dispatchBody() {
  const lead = picker.value;
  const extra = {lead};
  if (lead && draft.suggested && lead !== draft.suggested) {
    if (!field("reason")) {
      $("#reason-box").hidden = false;
      $("#reason").focus();
      throw new Error("所选承办单位与系统建议不同，请填写改派理由");
    }
    extra.reason = field("reason");
  }
  return extra;
}

export async function openWaiting(ticket) {
  const o = await api(`/api/v1/work-orders/${ticket}`);
  clearDraft();
  draft.ticket = ticket;
  $("#draft-ticket").textContent = `${ticket} · ${label("states", o.state)} · ${label("channels", o.channel)}`;
  $("#content").value = o.content;
  $("#phone").value = o.citizen_phone || "";
  $("#place").value = o.place || "";
  const recordings = await renderRecordings($("#recordings"), ticket).catch(() => []);
  const withDraft = recordings.find((r) => r.draft);
  if (withDraft) { draft.analysed = o.content; fill(withDraft.draft); } else await analyse().catch(() => {});
  $("#content").focus();
}

export async function mountDraft() {
  const [categories, departments] = await Promise.all([api("/api/v1/categories"), api("/api/v1/departments")]);
  $("#tier").innerHTML = entries("tiers").map(([v, name]) => `<option value="${esc(v)}">${esc(name)}</option>`).join("");
  $("#category").innerHTML = `<option value="">（请选择）</option>` +
    categories.map((c) => `<option value="${esc(c.code)}">${esc(c.name)}</option>`).join("");
  picker = new DepartmentPicker($("#department"), $("#department-list"), departments, (code) => {
    $("#reason-box").hidden = !(code && draft.suggested && code !== draft.suggested);
  });
  $("#department").addEventListener("input", () => draft.chosen.add("department"));
  $("#tier").addEventListener("change", () => draft.chosen.add("tier"));
  $("#category").addEventListener("change", () => draft.chosen.add("category"));
  clearDraft();

  $("#draft").addEventListener("submit", (e) => { e.preventDefault(); attempt(() => take("dispatch", dispatchBody())); });
  const answer = () => attempt(() => {
    if (!field("answer-text")) { $("#answer-text").focus(); throw new Error("请填写答复内容"); }
    return take("answer", {answer: field("answer-text")});
  });
  $("#answer").addEventListener("click", answer);
  $("#register").addEventListener("click", () => attempt(() => take("register")));
  $("#invalid").addEventListener("click", () => attempt(async () => {
    const r = await ask({title: "作为无效件关闭", text: "无效件不派单、不回访，请写明原因。", danger: true, confirm: "关闭为无效件",
                         fields: [{name: "reason", label: "原因", rows: 2, required: true}]});
    if (r) await take("invalid", {reason: r.reason});
  }));
  $("#flags").addEventListener("click", (e) => {
    const dup = e.target.closest("[data-duplicate]"), inc = e.target.closest("[data-incident]");
    if (dup) attempt(() => take("duplicate", {other_ticket: dup.dataset.duplicate}));
    if (inc) attempt(() => take("incident", {other_ticket: inc.dataset.incident}));
  });
  $("#choices").addEventListener("click", (e) => {
    const pick = e.target.closest("[data-choice]");
    if (!pick) return;
    $("#category").value = pick.dataset.choice;
    draft.chosen.add("category");
    if (pick.dataset.department) suggest({code: pick.dataset.department, direct: pick.dataset.direct === "1"});
    $("#choices").hidden = true;
  });
  $("#analyze").addEventListener("click", () => attempt(analyse));
  $("#clear").addEventListener("click", clearDraft);
  // The draft follows the words: recognised again a moment after the operator (or a live transcript) writes.
  $("#content").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      if (field("content").length >= 6 && field("content") !== draft.analysed) attempt(analyse);
    }, 700);
  });
  shortcut("a", () => attempt(analyse));
  shortcut("d", () => $("#dispatch").click());
  shortcut("j", answer);
  shortcut("n", clearDraft);

  listen("call", ({linkedid, caller}) => {
    if (draft.ticket || field("content")) return;  // never overwrite work in progress
    draft.linkedid = linkedid;
    $("#phone").value = caller || "";
    $("#content").focus();
  });
  listen("open", (ticket) => attempt(() => openWaiting(ticket)));
  // The call an order is taken during: the one on the line, or the one being wrapped up (话后处理); none after.
  listen("agent", (me) => {
    if (["ringing", "talking", "held", "wrapup"].includes(me.state)) draft.linkedid = me.linkedid || draft.linkedid;
    else draft.linkedid = null;
  });
  // The live transcript's draft: the citizen's words so far, analysed on the server as they arrive. The words
  // go into the text only while the operator has not written their own; a danger shows at once either way.
  listen("live_draft", (d) => heardSoFar(d.linkedid, d.text, d.draft));
  listen("after_call_draft", (d) => heardSoFar(d.linkedid, d.text, d.draft, true));
  listen("need-words", (reply) => reply({content: field("content") || null, phone: field("phone") || null}));
  listen("emergency", clearDraft);  // the words became the emergency order: nothing left to take
}

function heardSoFar(linkedid, text, analysis, afterCall = false) {
  if (draft.ticket || (draft.linkedid && linkedid !== draft.linkedid)) return;  // another order is open
  draft.linkedid = linkedid;
  if (text && (!field("content") || field("content") === draft.heard || afterCall)) {
    if (afterCall && field("content") && field("content") !== draft.heard) return;  // their own text stays
    $("#content").value = draft.heard = text;
  }
  if (!analysis) return;
  draft.analysed = field("content");
  fill(analysis);
}
