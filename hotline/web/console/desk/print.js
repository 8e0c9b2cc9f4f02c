// 工单打印页 (A4): the order's fields, its 流转记录, each department's reply and result, for offices that still
// file paper. Read through the same scoped API as the order page: what is printed is what the reader may see.
import {api} from "../lib/api.js";
import {$, esc, time} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import {ready, start} from "../lib/session.js";
import {say} from "../lib/ui.js";

const row = (pairs) => `<tr>${pairs.map(([k, v]) => `<th scope="row">${esc(k)}</th><td>${v}</td>`).join("")}</tr>`;

function who(step) {
  return [step.department, step.actor].filter(Boolean).join(" · ") || label("roles", step.actor_role);
}

export function sheet(o, story, categories, me) {
  const category = (categories.find((c) => c.code === o.category_code) || {}).name || o.category_code || "";
  const lead = o.assignments.filter((a) => a.active && a.role === "lead").map((a) => a.department_name).join("、");
  const co = o.assignments.filter((a) => a.active && a.role === "co").map((a) => a.department_name).join("、");
  const due = o.deadlines.filter((d) => d.status === "open")
    .map((d) => `${esc(label("deadline_kinds", d.kind))} ${esc(time(d.due_at, "full"))}`).join("<br>");
  const steps = story.steps.map((e) => `<tr><td>${esc(time(e.at, "full"))}</td><td>${esc(label("actions", e.action))}</td>` +
    `<td>${esc(who(e))}${e.note ? `<div class="text">${esc(e.note)}</div>` : ""}</td></tr>`).join("");
  const shares = story.assignments.map((a) => `<tr><td>${esc(a.department)}<br>${esc(label("assignment_roles", a.role))}` +
    `${a.active ? "" : "（上一轮）"}</td><td>${esc(label("assignment_statuses", a.status))}<br>签收 ${esc(time(a.signed_at, "full"))}</td>` +
    `<td><div class="text">${a.reply ? "反馈：" + esc(a.reply) : ""}</div><div class="text">${a.result ? "结果：" + esc(a.result) : ""}</div></td></tr>`).join("");
  return `<h1>12345 政务服务便民热线工单</h1><p class="sub">工单号 ${esc(o.ticket_no)} · ${esc(label("states", o.state))}</p>` +
    `<table class="fields"><tbody>` +
    row([["受理时间", esc(time(o.received_at, "full"))], ["来源渠道", esc(label("channels", o.channel))]]) +
    row([["紧急程度", esc(label("tiers", o.tier))], ["诉求分类", esc(category)]]) +
    row([["市民电话", esc(o.citizen ? o.citizen.phone || "" : o.citizen_phone || "")], ["事发地点", esc(o.place || "")]]) +
    row([["主办单位", esc(lead)], ["协办单位", esc(co || "无")]]) +
    row([["办理时限", due || "—"], ["重办 / 回退", `${o.redo_count} 次 / ${o.return_count} 次`]]) +
    `<tr><th scope="row">标题</th><td colspan="3">${esc(o.title)}</td></tr>` +
    `<tr><th scope="row">诉求内容</th><td colspan="3" class="text">${esc(o.content)}</td></tr>` +
    (o.result ? `<tr><th scope="row">办理结果</th><td colspan="3" class="text">${esc(o.result)}</td></tr>` : "") +
    `</tbody></table>` +
    (shares ? `<h2>承办情况</h2><table class="history"><thead><tr><th scope="col">单位</th><th scope="col">状态</th>` +
      `<th scope="col">反馈与结果</th></tr></thead><tbody>${shares}</tbody></table>` : "") +
    `<h2>流转记录</h2><table class="history"><thead><tr><th scope="col">时间</th><th scope="col">环节</th>` +
    `<th scope="col">经办与说明</th></tr></thead><tbody>${steps}</tbody></table>` +
    `<div class="signature"><span>承办人签字：</span><span>单位负责人签字：</span></div>` +
    `<footer>打印：${esc(me.display_name)}${me.department ? "（" + esc(me.department.name) + "）" : ""} · ` +
    `${esc(time(new Date().toISOString(), "full"))}</footer>`;
}

(async () => {
  const me = await start();
  if (!me) return;
  const ticket = new URLSearchParams(location.search).get("ticket") || "";
  if (!/^\d{8}-\d{4,}$/.test(ticket)) throw new Error("缺少工单号");
  const [o, story, categories] = await Promise.all([api(`/api/v1/work-orders/${ticket}`),
    api(`/api/v1/work-orders/${ticket}/story`), api("/api/v1/categories")]);
  document.title = `工单 ${o.ticket_no} · 打印`;
  $("#sheet").innerHTML = sheet(o, story, categories, me);
  $("#print").addEventListener("click", () => window.print());
  $("#close").addEventListener("click", () => window.close());
  ready();
})().catch((err) => say(err.message, "error"));
