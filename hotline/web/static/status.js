// 工单进度查询: a citizen's own case by ticket number and extraction code, in Chinese, for a phone.
// Only the current round is shown.
const $ = (sel) => document.querySelector(sel);
// Times in the centre's zone, which the answer names, never the phone's own.
const when = (iso, timeZone) => new Intl.DateTimeFormat("zh-CN", {timeZone, month: "long", day: "numeric",
  hour: "2-digit", minute: "2-digit", hour12: false}).format(new Date(iso));

function paragraphs(list, cls, empty) {
  const box = document.createElement("div");
  if (!list.length) {
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = empty;
    box.append(p);
  }
  for (const text of list) {
    const p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    box.append(p);
  }
  return box.childNodes;
}

function show(s) {
  $("#state").textContent = s.state_label;
  $("#r-ticket").textContent = s.ticket_no;
  $("#r-received").textContent = when(s.received_at, s.timezone);
  $("#r-department").textContent = s.department || "热线中心";
  $("#r-due").textContent = s.completed_at ? `已于 ${when(s.completed_at, s.timezone)} 办结` : (s.due_text || "—");
  $("#r-round").hidden = s.round < 2;
  $("#r-round").textContent = `您上次对办理结果不满意，工单正在第 ${s.round} 轮重新办理。`;
  $("#r-replies").replaceChildren(...paragraphs(s.replies, "reply", "承办单位尚未答复"));
  $("#r-result").replaceChildren(...paragraphs(s.result ? [s.result] : [], "answer", "尚未办结"));
  // Once completed the citizen rates this round once; the server says whether a rating is taken.
  $("#rating").hidden = !s.can_rate;
  $("#r-rated").hidden = !s.rated_label;
  $("#r-rated").textContent = s.rated_label ? `您已评价：${s.rated_label}。感谢您的反馈！` : "";
  $("#result").hidden = false;
}

let asked = null;  // the ticket and code of the case on screen

async function lookup(ticket, code, keepMessage = false) {
  if (!keepMessage) { $("#message").textContent = ""; $("#message").className = ""; }
  const q = new URLSearchParams({ticket, code});
  const r = await fetch(`/api/v1/public/status?${q}`, {headers: {"Accept-Language": "zh-CN"}});
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    $("#result").hidden = true;
    $("#message").textContent = r.status === 422 ? "请输入正确的工单号（如 20261123-0001）和 6 位提取码" :
      body.message || "查询失败，请稍后再试";
    return;
  }
  asked = {ticket, code};
  show(body);
}

async function rate(form) {
  const data = new FormData(form);
  const body = {...asked, verdict: data.get("verdict"), process: data.get("process") || null,
                comment: (data.get("comment") || "").trim() || null};
  const r = await fetch("/api/v1/public/rating", {method: "POST", body: JSON.stringify(body),
    headers: {"Content-Type": "application/json", "Accept-Language": "zh-CN"}});
  const answer = await r.json().catch(() => ({}));
  $("#message").textContent = r.ok ? answer.message : (answer.message || "评价未能提交，请稍后再试");
  $("#message").className = r.ok ? "ok" : "";
  if (r.ok || r.status === 409) await lookup(asked.ticket, asked.code, true);
}

$("#lookup").addEventListener("submit", (e) => {
  e.preventDefault();
  lookup($("#ticket").value.trim(), $("#code").value.trim()).catch(() => { $("#message").textContent = "网络不通，请稍后再试"; });
});
$("#rating").addEventListener("submit", (e) => {
  e.preventDefault();
  rate(e.target).catch(() => { $("#message").textContent = "网络不通，请稍后再试"; });
});
const given = new URLSearchParams(location.search).get("ticket");
if (given) $("#ticket").value = given;
