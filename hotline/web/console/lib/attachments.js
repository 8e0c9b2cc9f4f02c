// Evidence previews (佐证材料): images as thumbnails that enlarge on a click, PDFs in an embedded viewer.
// The files need the access token, so each is fetched once as a blob and shown from a blob: address (the
// page's CSP allows blob: for images and frames, nothing from another origin).
import {refresh} from "./api.js";
import {esc} from "./dom.js";

const urls = new Map();  // "ticket/id" → blob: address, so a re-rendered story does not fetch again

async function fetchFile(path, retried = false) {
  const r = await fetch(path, {headers: {Authorization: `Bearer ${sessionStorage.getItem("access") || ""}`}});
  if (r.status === 401 && !retried && await refresh()) return fetchFile(path, true);
  if (!r.ok) throw new Error(`附件无法打开（${r.status}）`);
  return r.blob();
}

export async function fileUrl(ticket, id) {
  const key = `${ticket}/${id}`;
  if (!urls.has(key)) urls.set(key, URL.createObjectURL(await fetchFile(`/api/v1/work-orders/${ticket}/evidence/${id}`)));
  return urls.get(key);
}

// Turns every image button of a rendered story into a thumbnail (PDFs keep their labelled button).
export async function thumbnails(root) {
  for (const button of root.querySelectorAll("[data-evidence]")) {
    const name = button.dataset.name || button.textContent;
    button.dataset.name = name;
    if (!button.dataset.type.startsWith("image/")) {
      button.innerHTML = `<span class="file-icon" aria-hidden="true">PDF</span><span>${esc(name)}</span>`;
      continue;
    }
    try {
      const url = await fileUrl(button.dataset.ticket, button.dataset.evidence);
      button.innerHTML = `<img class="thumb" alt="" src="${url}"><span>${esc(name)}</span>`;
    } catch { /* the button still opens the viewer, which says what went wrong */ }
  }
}

// The viewer: a modal with the image at full size or the PDF in an embedded frame, and a download link.
export function view(name, type, url) {
  const dialog = document.createElement("dialog");
  dialog.className = "viewer";
  dialog.setAttribute("aria-label", `附件 ${name}`);
  const body = type.startsWith("image/") ? `<img src="${url}" alt="${esc(name)}">` :
    `<iframe src="${url}" title="${esc(name)}"></iframe>`;
  dialog.innerHTML = `<header><h2>${esc(name)}</h2><a href="${url}" download="${esc(name)}" class="button secondary small">下载</a>` +
    `<button type="button" class="secondary small" data-close>关闭</button></header><div class="viewer-body">${body}</div>`;
  document.body.append(dialog);
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  dialog.showModal();
  return dialog;
}

export function wireAttachments(root, onError) {
  root.addEventListener("click", async (e) => {
    const button = e.target.closest("[data-evidence]");
    if (!button) return;
    try {
      view(button.dataset.name || button.textContent, button.dataset.type,
           await fileUrl(button.dataset.ticket, button.dataset.evidence));
    } catch (err) { if (onError) onError(err); }
  });
}
