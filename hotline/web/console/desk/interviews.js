// 约谈名单: the supervisor calls a department in — from a 督办 or from its place in the ranking — and records
// what the interview settled. The server keeps it to the supervisor's own units and audits every step.
import {api} from "../lib/api.js";
import {$, esc, time} from "../lib/dom.js";
import {ask, attempt, say} from "../lib/ui.js";

const SOURCES = {supervision: "督办", ranking: "考核排名"};

export async function loadInterviews() {
  const rows = await api("/api/v1/interviews");
  $("#interviews").innerHTML = rows.map((i) => `<tr data-interview="${i.id}"><td>${esc(i.department.name)}</td>` +
    `<td>${esc(SOURCES[i.source] || i.source)}${i.ticket_no ? `<br><span class="muted">${esc(i.ticket_no)}</span>` : ""}` +
    `${i.ranking_month ? `<br><span class="muted">${esc(i.ranking_month)}</span>` : ""}</td>` +
    `<td>${esc(i.reason)}</td><td>${esc(time(i.created_at))}</td>` +
    `<td><button type="button" class="secondary small" data-interview-done="${i.id}" data-name="${esc(i.department.name)}">办结约谈</button></td></tr>`).join("") ||
    `<tr><td colspan="5" class="muted">约谈名单为空</td></tr>`;
}

async function escalate(title, body, reason = "") {
  const answer = await ask({title, confirm: "列入约谈",
    fields: [{name: "reason", label: "约谈事由", rows: 3, required: true, value: reason}]});
  if (!answer) return;
  const made = await api("/api/v1/interviews", {method: "POST", body: {...body, reason: answer.reason}});
  say(`${made.department.name} 已列入约谈名单`);
  await loadInterviews();
}

// From one 督办 row: the department it names.
export const fromSupervision = (id, ticket, note) =>
  escalate(`列入约谈（督办 · 工单 ${ticket}）`, {supervision_id: Number(id)}, note || "");

// From a unit of the monthly ranking.
export const fromRanking = (code, name, month) =>
  escalate(`列入约谈：${name}（${month} 考核排名）`, {department: code, ranking_month: month});

async function resolve(id, name) {
  const answer = await ask({title: `办结约谈：${name}`, confirm: "办结约谈",
    fields: [{name: "text", label: "约谈结果", rows: 3, required: true}]});
  if (!answer) return;
  await api(`/api/v1/interviews/${id}/resolve`, {method: "POST", body: {text: answer.text}});
  say(`${name} 的约谈已办结`);
  await loadInterviews();
}

export function mountInterviews() {
  $("#interviews").addEventListener("click", (e) => {
    const b = e.target.closest("[data-interview-done]");
    if (b) attempt(() => resolve(b.dataset.interviewDone, b.dataset.name));
  });
}
