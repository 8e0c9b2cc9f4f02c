// 下派: a street (or any unit with sub-units) forwards the order it signed to a unit below it, with a deadline
// of its own that the server checks against the order's; a sub-unit only signs and replies up.
import {api} from "../lib/api.js";
import {$, esc} from "../lib/dom.js";
import {centreZone} from "../lib/labels.js";
import {say} from "../lib/ui.js";

let units = [];
let me = null;

export async function mountForward(user, after) {
  me = user;
  const all = await api("/api/v1/inbox/units");
  units = all.filter((u) => u.depth > 0);
  $("#forward-unit").innerHTML = units.map((u) => `<option value="${esc(u.code)}">${esc("　".repeat(u.depth - 1) + u.name)}</option>`).join("");
  $("#forward-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const ticket = $("#forward-form").dataset.ticket;
    try {
      await api(`/api/v1/work-orders/${ticket}/forward`, {method: "POST", body: {
        unit: $("#forward-unit").value, due_at: $("#forward-due").value, note: $("#forward-note").value || null}});
      say(`工单 ${ticket} 已下派给${$("#forward-unit").selectedOptions[0].textContent.trim()}`);
      $("#forward-form").reset();
      await after(ticket);
    } catch (err) { say(err.message, "error"); }
  });
}

// Which forms the department's own share allows: a sub-unit signs and replies; a signed lead or co-handler with
// units below it may forward. `o` is the order as GET /work-orders/{ticket} returns it.
// An instant as the centre's wall clock, as a datetime-local input holds it ("2026-11-30T17:00").
function wallClock(iso) {
  const text = new Intl.DateTimeFormat("sv-SE", {timeZone: centreZone(), year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false}).format(new Date(iso));
  return text.replace(" ", "T");
}

export function shareForms(o) {
  const mine = o.assignments.find((a) => a.active && me && me.department && a.department_code === me.department.code);
  const sub = mine && mine.role === "sub";
  if (sub) {  // its own share decides: sign it, then reply up
    for (const id of ["#complete-form", "#extension-form", "#return-form"]) $(id).hidden = true;
    $("#sign").hidden = mine.status !== "dispatched";
    $("#reply-form").hidden = mine.status !== "signed";
  }
  const canForward = Boolean(mine && !sub && units.length && ["signed", "replied"].includes(mine.status) &&
    ["signed", "replied"].includes(o.state));
  $("#forward-form").hidden = !canForward;
  $("#forward-form").dataset.ticket = o.ticket_no;
  const due = o.deadlines.find((d) => d.status === "open" && d.kind === "complete");
  $("#forward-due").max = due ? wallClock(due.due_at) : "";
  $("#reply-label").textContent = sub ? "反馈（报上级单位，由上级单位答复市民）" : "反馈（给市民的答复）";
}
