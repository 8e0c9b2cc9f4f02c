// Labels come from the server (/api/v1/labels): one copy of every Chinese name, cached for the session.
let table = null;

export async function loadLabels() {
  const cached = window.sessionStorage.getItem("labels");
  if (cached) table = JSON.parse(cached);
  if (!table) {
    const r = await fetch("/api/v1/labels", {headers: {"Accept-Language": "zh-CN"}});
    table = await r.json();
    window.sessionStorage.setItem("labels", JSON.stringify(table));
  }
  return table;
}

// label("states", "received") → 待受理; an unknown value shows as it is.
export function label(vocabulary, value) {
  if (value === null || value === undefined) return "";
  return (table && table[vocabulary] && table[vocabulary][value]) || String(value);
}

export function entries(vocabulary) {
  return Object.entries((table && table[vocabulary]) || {});
}

export function centreZone() {
  return (table && table.centre && table.centre.timezone) || "Asia/Shanghai";
}
