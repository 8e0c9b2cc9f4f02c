// The extraction code of an order created now: shown once for the operator to read out to the citizen,
// gone when dismissed (the server keeps only its hash).
import {$, esc} from "../lib/dom.js";

export function showCode(taken) {
  const box = $("#code");
  box.innerHTML = `<p>请告知市民：工单号 <b class="digits" data-ticket-no>${esc(taken.ticket_no)}</b>，` +
    `查询提取码 <b class="digits" data-code>${esc(taken.extraction_code)}</b>` +
    `${taken.citizen_phone ? `（市民电话 ${esc(taken.citizen_phone)}）` : ""}。提取码只显示这一次。</p>` +
    `<button type="button" class="small" data-told>已告知市民</button>`;
  box.hidden = false;
  box.querySelector("[data-told]").addEventListener("click", () => { box.hidden = true; box.innerHTML = ""; });
}
