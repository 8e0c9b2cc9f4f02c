// 延期审批 on the supervisor's screen: pending extension requests in scope, oldest first, approved or
// refused (with a note) in one click; the list reloads live when a department asks.
import {api, query} from "../lib/api.js";
import {$, esc, time} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import * as live from "../lib/live.js";
import {ask, attempt, pager, say} from "../lib/ui.js";

const LIMIT = 10;
let offset = 0;

function row(x) {
  return `<tr data-request="${x.id}"><td>${x.tier === "emergency" ? '<span class="badge emergency">紧急</span>' : ""}` +
    `<b>${esc(x.title)}</b><br><span class="muted">${esc(x.ticket_no)} · ${esc(label("tiers", x.tier))}</span></td>` +
    `<td>${esc(x.department)}</td><td>延期 ${x.days} 天（${esc(time(x.requested_at))}）<br><q>${esc(x.reason)}</q></td>` +
    `<td>${esc(time(x.due_at))}</td><td class="actions"><button type="button" class="small" data-approve="${x.id}">批准</button>` +
    `<button type="button" class="secondary small" data-refuse="${x.id}">不批准</button></td></tr>`;
}

export async function loadApprovals(to = offset) {
  offset = to;
  const page = await api(`/api/v1/extensions${query({limit: LIMIT, offset})}`);
  $("#ext-count").textContent = page.total;
  $("#extensions").innerHTML = page.items.map(row).join("") || `<tr><td colspan="5" class="muted">没有待审批的延期申请</td></tr>`;
  pager($("#ext-pager"), {...page, limit: LIMIT, offset}, (o) => attempt(() => loadApprovals(o)));
}

async function decide(id, approve) {
  const ticket = $(`tr[data-request="${id}"] .muted`).textContent.split(" ")[0];
  const answer = await ask({title: approve ? "批准延期" : "不批准延期", confirm: approve ? "批准" : "不批准", danger: !approve,
    text: `工单 ${ticket}`, fields: [{name: "note", label: approve ? "审批意见（可不填）" : "不批准的理由", rows: 2, required: !approve}]});
  if (!answer) return;
  await api(`/api/v1/extensions/${id}/decision`, {method: "POST", body: {approve, note: answer.note || null}});
  say(`工单 ${ticket} 的延期申请${approve ? "已批准" : "未批准"}`);
  await loadApprovals();
}

export function mountApprovals() {
  $("#extensions").addEventListener("click", (e) => {
    const b = e.target.closest("[data-approve], [data-refuse]");
    if (b) attempt(() => decide(Number(b.dataset.approve || b.dataset.refuse), Boolean(b.dataset.approve)));
  });
  live.on("extension", () => attempt(() => loadApprovals()));
  return loadApprovals(0);
}
