// 回访台: the queue (searchable: a citizen calling back is found by phone), the case with its story,
// the script for its category, click-to-call through Asterisk, and the verdict. Rounds are labelled as
// the citizen lived them: 第 2 轮回访 is the one after a redo; 第 N 次 counts the tries within a round.
import {api, query} from "../lib/api.js";
import {$, esc, time} from "../lib/dom.js";
import {entries, label} from "../lib/labels.js";
import {ready, start} from "../lib/session.js";
import {loadStory, storyHtml, wireEvidence} from "../lib/story.js";
import {attempt, pager, pickable, say, shortcut} from "../lib/ui.js";
import {refreshToday} from "./today.js";

const LIMIT = 10;
let current = null;
let offset = 0;

const rounds = (c) => `第 ${c.round + 1} 轮${c.kind === "light" ? "（直办）" : ""} · 第 ${c.next_attempt ?? c.attempts.length} 次`;

async function loadQueue(to = offset) {
  offset = to;
  const page = await api(`/api/v1/callbacks/queue${query({q: $("#find-q").value.trim(), phone: $("#find-phone").value.trim(),
                                                          limit: LIMIT, offset})}`);
  $("#due").innerHTML = page.items.map((c) => `<tr tabindex="0" data-ticket="${esc(c.ticket_no)}"` +
    `${current && current.ticket_no === c.ticket_no ? ' aria-current="true"' : ""}><td><b>${esc(c.title)}</b><br>` +
    `<span class="muted">${esc(c.ticket_no)}${c.citizen_phone ? " · " + esc(c.citizen_phone) : ""} · 应回访 ${esc(time(c.due_at))}</span></td>` +
    `<td>${esc(rounds(c))}</td></tr>`).join("") || `<tr><td colspan="2" class="muted">没有待回访工单</td></tr>`;
  pager($("#pager"), {total: page.total, limit: LIMIT, offset}, (o) => attempt(() => loadQueue(o)));
}

async function show(taken) {
  current = taken.callback;
  const o = taken.order;
  const lead = o.assignments.filter((a) => a.active && a.role === "lead").map((a) => a.department_name).join("、");
  $("#ticket").textContent = `${current.ticket_no} · ${rounds(current)}`;
  $("#summary").innerHTML = `<b>${esc(o.title)}</b>${o.place ? " · " + esc(o.place) : ""} · 承办 ${esc(lead || "热线直办")}` +
    ` · 办结 ${esc(time(o.completed_at))}`;
  $("#citizen").textContent = `市民 ${o.citizen ? (o.citizen.name ? o.citizen.name + " " : "") + (o.citizen.phone || "") : "（无电话）"}`;
  $("#dial-state").textContent = "";
  $("#content").innerHTML = `<p><b>诉求：</b>${esc(o.content)}</p><p><b>办理结果：</b>${esc(o.result || "—")}</p>`;
  const [story, script] = await Promise.all([loadStory(current.ticket_no), api(`/api/v1/callbacks/${current.ticket_no}/script`)]);
  $("#story").innerHTML = storyHtml(story, current.ticket_no);
  $("#script").innerHTML = `<p><b>开场：</b>${esc(script.opening)}</p><ol>${script.questions.map((q) => `<li>${esc(q)}</li>`).join("")}</ol>` +
    `<p><b>结束：</b>${esc(script.closing)}</p>`;
  $("#verdict").reset();
  $("#case-empty").hidden = true;
  $("#case").hidden = false;
  await loadQueue();
}

async function takeNext() {
  const taken = await api("/api/v1/callbacks/next", {method: "POST"});
  if (!taken.callback) { say("暂无到期的回访"); return; }
  await show(taken);
}

async function record(e) {
  e.preventDefault();
  const verdict = new FormData($("#verdict")).get("verdict");
  if (!verdict) throw new Error("请选择结果满意度");
  const out = await api(`/api/v1/callbacks/${current.ticket_no}/attempts`, {method: "POST", body: {
    attempt: current.next_attempt, verdict, process: $("#process").value || null, comment: $("#comment").value.trim() || null}});
  const what = {closed: "已结案", dispatched: "已退回承办单位重办", accepted: "已退回热线重办"}[out.state] || label("states", out.state);
  say(`工单 ${out.ticket_no} ${what}${out.supervised ? "，已转督办" : ""}${out.next_attempt_at ? "，下次回访 " + time(out.next_attempt_at) : ""}`);
  current = null;
  $("#case").hidden = true;
  $("#case-empty").hidden = false;
  $("#ticket").textContent = "";
  await Promise.all([loadQueue(), refreshToday("callbacks")]);
}

async function dial() {
  if (!current) return;
  $("#dial-state").textContent = "正在呼叫您的话机……";
  const d = await api(`/api/v1/callbacks/${current.ticket_no}/dial`, {method: "POST"});
  $("#dial-state").textContent = `话机 ${d.channel} 振铃，接起后自动拨打市民（第 ${d.attempt} 次，通话录音）`;
  await refreshToday("callbacks");
}

attempt(async () => {
  if (!await start(["callback_staff", "hotline_admin"])) return;
  $("#process").innerHTML = `<option value="">（未问）</option>` + entries("verdicts").filter(([v]) => v !== "unreachable")
    .map(([v, name]) => `<option value="${esc(v)}">${esc(name)}</option>`).join("");
  wireEvidence($("#story"));
  $("#next").addEventListener("click", () => attempt(takeNext));
  $("#find").addEventListener("submit", (e) => { e.preventDefault(); attempt(() => loadQueue(0)); });
  pickable($("#due"), (ticket) => attempt(async () => show(await api(`/api/v1/callbacks/${ticket}/take`, {method: "POST"}))));
  $("#verdict").addEventListener("submit", (e) => attempt(() => record(e)));
  $("#dial").addEventListener("click", () => attempt(dial));
  shortcut("n", () => attempt(takeNext));
  shortcut("c", () => attempt(dial));
  shortcut("s", () => $("#verdict").requestSubmit());
  ["satisfied", "basically_satisfied", "unsatisfied", "unreachable"].forEach((v, i) =>
    shortcut(String(i + 1), () => { const r = $(`input[value="${v}"]`); if (r && !$("#case").hidden) r.checked = true; }));
  await Promise.all([loadQueue(0), refreshToday("callbacks")]);
  ready();
});
