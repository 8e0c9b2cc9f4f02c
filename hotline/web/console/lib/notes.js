// 内部沟通 in the order drawer of the hotline's screens: the notes between the hotline and the departments
// holding the order, and a box to write one. A note arriving live ("hotline:note") refreshes an open drawer.
import {api} from "./api.js";
import {esc, time} from "./dom.js";
import {say} from "./ui.js";

function item(n) {
  return `<li class="${n.mine ? "mine" : ""}"><span class="muted">${esc(n.side)} · ${esc(n.author)} · ` +
    `<time>${esc(time(n.at))}</time></span><p>${esc(n.text)}</p></li>`;
}

export async function renderNotes(root, ticket) {
  root.innerHTML = `<h3>内部沟通 <span class="muted">（承办单位与热线之间，市民看不到）</span></h3><ol class="notes-list"></ol>` +
    `<form class="note-form"><label class="block"><span>给承办单位留言</span>` +
    `<textarea name="text" rows="2" required maxlength="2000"></textarea></label>` +
    `<button type="submit" class="secondary small">发送</button></form>`;
  const list = root.querySelector(".notes-list");
  const refresh = async () => {
    const notes = await api(`/api/v1/work-orders/${ticket}/notes`);
    list.innerHTML = notes.map(item).join("") || `<li class="muted">还没有沟通记录</li>`;
  };
  const form = root.querySelector("form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api(`/api/v1/work-orders/${ticket}/notes`, {method: "POST", body: {text: form.elements.text.value}});
      form.reset();
      await refresh();
    } catch (err) { say(err.message, "error"); }
  });
  const heard = (e) => {
    if (!root.isConnected) { document.removeEventListener("hotline:note", heard); return; }
    if (e.detail.ticket === ticket) refresh().catch(() => {});
  };
  document.addEventListener("hotline:note", heard);
  await refresh();
}

// The hotline's screens hear of a department's note: told in the status line, and an open drawer refreshes.
export function hearNotes(on) {
  on("note", (n) => {
    if (!n.from_hotline) say(`承办单位在工单 ${n.ticket} 留了内部沟通`, "info");
    document.dispatchEvent(new CustomEvent("hotline:note", {detail: n}));
  });
}
