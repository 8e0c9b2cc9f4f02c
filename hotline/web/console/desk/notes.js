// 内部沟通: notes between this department and the hotline on the open order (never shown to citizens).
// A note from the other side arrives live; the words are fetched, masked as this reader's scope says.
import {api} from "../lib/api.js";
import {$, esc, time} from "../lib/dom.js";
import {say} from "../lib/ui.js";

let ticket = null;

function item(n) {
  return `<li class="${n.mine ? "mine" : ""}"><span class="muted">${esc(n.side)} · ${esc(n.author)} · ` +
    `<time>${esc(time(n.at))}</time></span><p>${esc(n.text)}</p></li>`;
}

export async function showNotes(current) {
  ticket = current;
  const notes = await api(`/api/v1/work-orders/${current}/notes`);
  if (ticket !== current) return;
  $("#notes-list").innerHTML = notes.map(item).join("") || `<li class="muted">还没有沟通记录</li>`;
}

export function mountNotes(on) {
  $("#note-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api(`/api/v1/work-orders/${ticket}/notes`, {method: "POST", body: {text: $("#note-text").value}});
      $("#note-form").reset();
      await showNotes(ticket);
    } catch (err) { say(err.message, "error"); }
  });
  on("note", (n) => {
    if (n.ticket === ticket) showNotes(ticket).catch(() => {});
    if (n.from_hotline) say(`热线中心在工单 ${n.ticket} 留了内部沟通`, "info");
  });
}
