// 答复模板: the server offers wording for the order's category under the reply and result boxes; choosing
// one puts it into the box (after what is already written), to be edited before sending.
import {api} from "../lib/api.js";
import {$, esc} from "../lib/dom.js";

const boxes = {reply: "#reply-text", result: "#result"};
let offered = {reply: [], result: []};

export async function showTemplates(ticket) {
  offered = await api(`/api/v1/work-orders/${ticket}/reply-templates`);
  for (const kind of Object.keys(boxes)) {
    const select = $(`#${kind}-template`);
    select.innerHTML = `<option value="">插入答复模板…</option>` +
      offered[kind].map((t, i) => `<option value="${i}">${esc(t.name)}</option>`).join("");
    select.hidden = offered[kind].length === 0;
  }
}

export function mountTemplates() {
  for (const [kind, box] of Object.entries(boxes)) {
    $(`#${kind}-template`).addEventListener("change", (e) => {
      const chosen = offered[kind][Number(e.target.value)];
      if (!e.target.value || !chosen) return;
      const area = $(box);
      area.value = area.value.trim() ? `${area.value.trimEnd()}\n${chosen.text}` : chosen.text;
      e.target.value = "";
      area.focus();
    });
  }
}
