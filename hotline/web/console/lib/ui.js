// Shared pieces of every screen: the status line, dialogs, keyboard shortcuts, paging, lights.
import {$, esc} from "./dom.js";
import {label} from "./labels.js";

export function say(message, kind = "info") {
  const box = $("#message");
  if (!box) return;
  box.textContent = message;
  box.className = `message ${kind}`;
}

// Runs an action, showing its error in the status line (a console never fails silently).
export async function attempt(fn) {
  try { return await fn(); } catch (err) { say(err.message, "error"); return undefined; }
}

export function light(value) {
  return value ? `<span class="light ${esc(value)}">${esc(label("lights", value))}</span>` : "";
}

// Alt+key shortcuts: shortcut("d", fn, "受理并派单"). Keys are shown next to their buttons with <kbd>.
const keys = new Map();
export function shortcut(key, fn) { keys.set(key.toLowerCase(), fn); }
document.addEventListener("keydown", (e) => {
  if (!e.altKey || e.ctrlKey || e.metaKey) return;
  const fn = keys.get(e.key.toLowerCase()) || keys.get(e.code.replace(/^Key|^Digit/, "").toLowerCase());
  if (fn) { e.preventDefault(); fn(); }
});

// A modal dialog built on <dialog>: resolves with the form's values, or null when cancelled.
export function ask({title, text = "", fields = [], confirm = "确定", danger = false}) {
  const dialog = document.createElement("dialog");
  dialog.className = "ask";
  dialog.setAttribute("aria-labelledby", "ask-title");
  dialog.innerHTML = `<form method="dialog"><h2 id="ask-title">${esc(title)}</h2>${text ? `<p>${esc(text)}</p>` : ""}` +
    fields.map((f, i) => `<label><span>${esc(f.label)}</span>${f.options ?
      `<select name="${esc(f.name)}" ${f.required ? "required" : ""}>${f.options.map(([v, t]) =>
        `<option value="${esc(v)}">${esc(t)}</option>`).join("")}</select>` : f.rows ?
      `<textarea name="${esc(f.name)}" rows="${f.rows}" ${f.required ? "required" : ""}>${esc(f.value || "")}</textarea>` :
      `<input name="${esc(f.name)}" value="${esc(f.value || "")}" ${f.required ? "required" : ""} ${i === 0 ? "autofocus" : ""}>`}</label>`).join("") +
    `<p class="actions"><button type="submit" value="ok" class="${danger ? "danger" : ""}">${esc(confirm)}</button>` +
    `<button type="button" class="secondary" data-cancel>取消</button></p></form>`;
  document.body.append(dialog);
  return new Promise((resolve) => {
    const form = dialog.querySelector("form");
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      resolve(Object.fromEntries(new FormData(form)));
      dialog.close();
    });
    dialog.querySelector("[data-cancel]").addEventListener("click", () => { resolve(null); dialog.close(); });
    dialog.addEventListener("cancel", () => resolve(null));
    dialog.addEventListener("close", () => dialog.remove());
    dialog.showModal();
  });
}

// Paging under a server-side list: 「第 2/7 页 · 共 130 条」 with previous/next buttons.
export function pager(root, {total, limit, offset}, go) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  root.innerHTML = `<button type="button" class="secondary small" data-go="-1" ${page <= 1 ? "disabled" : ""}>上一页</button>` +
    `<span>第 ${page}/${pages} 页 · 共 ${total} 条</span>` +
    `<button type="button" class="secondary small" data-go="1" ${page >= pages ? "disabled" : ""}>下一页</button>`;
  for (const b of root.querySelectorAll("[data-go]")) {
    b.addEventListener("click", () => go(offset + Number(b.dataset.go) * limit));
  }
}

// Rows that open on click or Enter (each row is a focusable element with data-ticket).
export function pickable(tbody, open) {
  tbody.addEventListener("click", (e) => {
    const row = e.target.closest("[data-ticket]");
    if (row && !e.target.closest("button")) open(row.dataset.ticket, row);
  });
  tbody.addEventListener("keydown", (e) => {
    const row = e.target.closest("[data-ticket]");
    if (row && e.key === "Enter") { e.preventDefault(); open(row.dataset.ticket, row); }
  });
}
