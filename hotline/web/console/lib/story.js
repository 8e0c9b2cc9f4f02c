// The story of an order (流转记录), rendered from /api/v1/work-orders/{ticket}/story: who did what and when,
// the departments' replies and results, evidence, each callback round with the citizen's words.
import {api} from "./api.js";
import {thumbnails, wireAttachments} from "./attachments.js";
import {esc, time} from "./dom.js";
import {label} from "./labels.js";

function who(step) {
  const parts = [step.department, step.actor].filter(Boolean);
  return parts.length ? parts.join(" · ") : label("roles", step.actor_role);
}

function round(c) {
  const tries = c.attempts.map((a) => `<li>第 ${a.attempt} 次（${esc(label("attempt_modes", a.mode))}${a.staff ? " · " + esc(a.staff) : ""}，` +
    `${esc(time(a.at))}）：<b>${esc(label("verdicts", a.verdict) || "进行中")}</b>` +
    `${a.process ? "；过程" + esc(label("verdicts", a.process)) : ""}${a.comment ? "；市民：“" + esc(a.comment) + "”" : ""}</li>`).join("");
  return `<li>第 ${c.round + 1} 轮${esc(label("callback_kinds", c.kind))}${c.department ? "（" + esc(c.department) + "）" : ""}：` +
    `${esc(c.outcome ? label("verdicts", c.outcome) : "待回访")}<ol>${tries}</ol></li>`;
}

export function storyHtml(s, ticket) {
  const steps = s.steps.map((e) => `<li><time>${esc(time(e.at))}</time> <b>${esc(label("actions", e.action))}</b>` +
    ` <span class="muted">${esc(who(e))}</span>${e.note ? `<q>${esc(e.note)}</q>` : ""}</li>`).join("");
  // 承办情况: each department's own share — lead (主办) and co-handlers (协办) — with its state, times and words.
  const shares = s.assignments.map((a) => `<tr class="${a.active ? "" : "past"}"><th scope="row">` +
    `${esc(a.department)}<br><span class="muted">${esc(label("assignment_roles", a.role))}${a.active ? "" : "（上一轮）"}</span></th>` +
    `<td>${esc(label("assignment_statuses", a.status))}</td><td>${a.signed_at ? esc(time(a.signed_at)) : "未签收"}</td>` +
    `<td>${a.reply ? `<q>${esc(a.reply)}</q>` : ""}${a.result ? `<q>结果：${esc(a.result)}</q>` : ""}</td></tr>`).join("");
  const files = s.evidence.map((f) => `<li><button type="button" class="attachment" data-evidence="${f.id}"` +
    ` data-type="${esc(f.content_type)}" data-ticket="${esc(ticket)}" data-name="${esc(f.filename)}">${esc(f.filename)}</button></li>`).join("");
  const redos = s.redos.map((r) => `<li>第 ${r.round} 次重办（${esc(time(r.at))}）：市民不满意：“${esc(r.words)}”</li>`).join("");
  const sups = s.supervisions.map((x) => `<li>${esc(label("supervision_kinds", x.kind))} · ${esc(time(x.at))}` +
    `${x.note ? "：" + esc(x.note) : ""}</li>`).join("");
  const MODES = {blind: "直接转接", attended: "先通话再转"};
  const STATES = {requested: "转接中", transferred: "已转出", consulting: "通话中", connected: "已接通", failed: "未成功",
                  cancelled: "已取消", refused: "被拒绝"};
  const handed = (s.handovers || []).map((h) => `<li>${esc(time(h.at))} ${esc(h.by || "")} ${esc(MODES[h.mode] || h.mode)}` +
    `到 ${esc(h.to)}（${esc(h.number)}）：${esc(STATES[h.state] || h.state)}</li>`).join("");
  const incident = s.incident ? (s.incident.master_ticket ? `<p>已并案到工单 ${esc(s.incident.master_ticket)}</p>` :
    `<p>并案来电 ${s.incident.callers.length} 个：${s.incident.callers.map((c) => esc(c.phone || c.ticket_no)).join("、")}</p>`) : "";
  return `${incident}<h3>流转记录</h3><ol class="story">${steps}</ol>` +
    (shares ? `<h3>承办情况</h3><table class="shares"><thead><tr><th scope="col">单位</th><th scope="col">状态</th>` +
      `<th scope="col">签收</th><th scope="col">反馈与结果</th></tr></thead><tbody>${shares}</tbody></table>` : "") +
    (redos ? `<h3>重办</h3><ul>${redos}</ul>` : "") +
    (s.callbacks.length ? `<h3>回访</h3><ul>${s.callbacks.map(round).join("")}</ul>` : "") +
    (files ? `<h3>佐证材料</h3><ul class="evidence">${files}</ul>` : "") +
    (sups ? `<h3>督办</h3><ul>${sups}</ul>` : "") +
    (handed ? `<h3>转接</h3><ul>${handed}</ul>` : "");
}

// Evidence: thumbnails and a viewer (lib/attachments.js); kept under this name for every screen using it.
export function wireEvidence(root) {
  wireAttachments(root);
  new MutationObserver(() => thumbnails(root)).observe(root, {childList: true});
  thumbnails(root);
}

export async function loadStory(ticket) {
  return api(`/api/v1/work-orders/${ticket}/story`);
}
