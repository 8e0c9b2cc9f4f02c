// One order in a side drawer: its facts, its whole story and its recordings (read-only, any screen).
import {api} from "../lib/api.js";
import {esc, time} from "../lib/dom.js";
import {label} from "../lib/labels.js";
import {renderRecordings} from "../lib/player.js";
import {renderNotes} from "../lib/notes.js";
import {loadStory, storyHtml, wireEvidence} from "../lib/story.js";
import {light} from "../lib/ui.js";

export async function openOrder(ticket, {recordings = true} = {}) {
  const [o, story] = await Promise.all([api(`/api/v1/work-orders/${ticket}`), loadStory(ticket)]);
  const drawer = document.createElement("dialog");
  drawer.className = "drawer";
  drawer.setAttribute("aria-labelledby", "drawer-title");
  drawer.innerHTML = `<header><h2 id="drawer-title">工单 ${esc(o.ticket_no)} · ${esc(label("states", o.state))}</h2>` +
    `<button type="button" class="secondary small" data-close>关闭 <kbd>Esc</kbd></button></header>` +
    `<p>${light(o.light)} ${esc(label("tiers", o.tier))} · ${esc(label("channels", o.channel))} · 受理 ${esc(time(o.received_at))}` +
    `${o.due_at ? " · 时限 " + esc(time(o.due_at)) : ""}</p>` +
    `<p><b>${esc(o.title)}</b>${o.place ? " · " + esc(o.place) : ""}${o.citizen_phone ? " · 市民 " + esc(o.citizen_phone) : ""}</p>` +
    `<p class="content">${esc(o.content)}</p>${o.result ? `<p><b>办理结果：</b>${esc(o.result)}</p>` : ""}` +
    `<div class="notes-box"></div><div class="story-box">${storyHtml(story, ticket)}</div><div class="recordings"></div>`;
  document.body.append(drawer);
  drawer.querySelector("[data-close]").addEventListener("click", () => drawer.close());
  drawer.addEventListener("close", () => drawer.remove());
  wireEvidence(drawer);
  drawer.showModal();
  await renderNotes(drawer.querySelector(".notes-box"), ticket).catch(() => {});
  if (recordings) await renderRecordings(drawer.querySelector(".recordings"), ticket).catch(() => {});
  return drawer;
}
