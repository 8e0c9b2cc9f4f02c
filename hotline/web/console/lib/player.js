// A recording beside what was heard in it — a message's transcript, a call's dialogue turn by turn: the
// audio streams from a short-lived signed link (so the browser's own range requests work), the word being
// spoken is highlighted as it plays (start <= t < end), and clicking a word plays from there.
import {api} from "./api.js";
import {esc} from "./dom.js";
import {label} from "./labels.js";

const WHO = {citizen: "市民", operator: "话务员", ivr: "语音导航"};

const timed = (words) => words.map((w) =>
  `<span data-start="${Number(w.start)}" data-end="${Number(w.end)}">${esc(w.word)}</span>`).join("");

function heard(r) {
  if (r.turns && r.turns.length) {
    return `<ol class="dialogue words">${r.turns.map((t) => `<li data-speaker="${esc(t.speaker)}">` +
      `<b>${esc(WHO[t.speaker] || t.speaker)}</b> ${t.words.length ? timed(t.words) : esc(t.text)}</li>`).join("")}</ol>`;
  }
  return `<p class="words">${timed(r.transcript ? r.transcript.words : []) || esc(r.transcript ? r.transcript.text : "")}</p>`;
}

export async function renderRecordings(root, ticket) {
  const recordings = await api(`/api/v1/work-orders/${ticket}/transcripts`);
  if (!recordings.length) { root.innerHTML = ""; return recordings; }
  root.innerHTML = recordings.map((r) => `<figure class="recording" data-recording="${r.id}">` +
    `<figcaption>${r.kind === "message" ? "语音留言" : "通话录音"} · ${esc(label("recording_statuses", r.status))}` +
    `${r.deleted_at ? "" : ` <button type="button" class="small secondary" data-download>下载</button>`}</figcaption>` +
    (r.deleted_at ? `<p class="muted">录音已超过保存期限，已按规定删除</p>` :
      `<audio controls preload="none" aria-label="录音 ${r.id}"></audio>`) + heard(r) + `</figure>`).join("");
  for (const fig of root.querySelectorAll("[data-recording]")) wire(fig);
  return recordings;
}

// Every listen and every download asks for its own link, and the server audits each one.
function wire(fig) {
  const audio = fig.querySelector("audio");
  if (!audio) return;
  fig.querySelector("[data-download]").addEventListener("click", async () => {
    const {url} = await api(`/api/v1/recordings/${fig.dataset.recording}/link?purpose=download`);
    window.location.assign(url);
  });
  const words = [...fig.querySelectorAll("[data-start]")];
  let linked = false;
  const link = async () => {
    if (linked) return;
    const {url} = await api(`/api/v1/recordings/${fig.dataset.recording}/link`);
    audio.src = url;
    linked = true;
  };
  audio.addEventListener("play", () => { if (!linked) { audio.pause(); link().then(() => audio.play()); } });
  fig.addEventListener("focusin", link, {once: true});
  let now = null;
  const follow = () => {
    const t = audio.currentTime;
    const at = words.find((w) => t >= Number(w.dataset.start) && t < Number(w.dataset.end)) || null;
    if (at === now) return;
    if (now) { now.classList.remove("now"); now.removeAttribute("aria-current"); }
    now = at;
    if (now) { now.classList.add("now"); now.setAttribute("aria-current", "true"); now.scrollIntoView({block: "nearest"}); }
  };
  audio.addEventListener("timeupdate", follow);
  audio.addEventListener("seeked", follow);
  fig.querySelector(".words").addEventListener("click", async (e) => {
    const w = e.target.closest("[data-start]");
    if (!w) return;
    await link();
    audio.currentTime = Number(w.dataset.start);
    audio.play();
  });
}
