// The API client every screen uses: the access token, one refresh on 401, Chinese error messages.
const store = window.sessionStorage;

export class ApiError extends Error {
  constructor(message, status, errorId, details) {
    super(message);
    this.status = status;
    this.errorId = errorId;
    this.details = details;
  }
}

export function tokens() {
  return {access: store.getItem("access"), refresh: store.getItem("refresh")};
}

export function keepTokens(body) {
  store.setItem("access", body.access_token);
  store.setItem("refresh", body.refresh_token);
}

export function forget() {
  store.clear();
}

export async function refresh() {
  const token = store.getItem("refresh");
  if (!token) return false;
  const r = await fetch("/api/v1/auth/refresh", {method: "POST", headers: {"Content-Type": "application/json"},
                                                 body: JSON.stringify({refresh_token: token})});
  if (!r.ok) return false;
  keepTokens(await r.json());
  return true;
}

// Calls the API. The server answers errors in Chinese because we ask for it (Accept-Language).
export async function api(path, {method = "GET", body, form, retried = false} = {}) {
  const headers = {"Accept-Language": "zh-CN", Authorization: `Bearer ${store.getItem("access") || ""}`};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, {method, headers, body: form || (body !== undefined ? JSON.stringify(body) : undefined)});
  if (r.status === 401 && !retried && await refresh()) return api(path, {method, body, form, retried: true});
  const type = r.headers.get("content-type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  if (r.status === 401) {
    document.dispatchEvent(new CustomEvent("hotline:logged-out"));
    throw new ApiError(data.message || "请重新登录", 401, data.error_id);
  }
  if (!r.ok) throw new ApiError(data && data.message ? data.message : `请求失败（${r.status}）`, r.status,
                                data && data.error_id, data && data.details);
  return data;
}

// A query string from an object, skipping empty values; arrays repeat the key.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "" || v === false) continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}
