// The live event stream: one EventSource per page, handlers registered by event type (one type per panel).
import {refresh, tokens} from "./api.js";

const handlers = new Map();
let source = null;

// The stream's address. Today the short-lived access token rides in the query (EventSource cannot send
// headers); this is the one place to change when the server hands out a stream ticket instead.
export async function streamUrl() {
  return `/api/v1/live?access_token=${encodeURIComponent(tokens().access || "")}`;
}

export function on(type, fn) {
  if (!handlers.has(type)) handlers.set(type, []);
  handlers.get(type).push(fn);
  if (source) source.addEventListener(type, dispatch(type));
}

function dispatch(type) {
  return (e) => {
    const data = JSON.parse(e.data);
    for (const fn of handlers.get(type) || []) {
      try { fn(data); } catch (err) { console.error(type, err); }
    }
  };
}

export async function connect() {
  source = new EventSource(await streamUrl());
  for (const type of handlers.keys()) source.addEventListener(type, dispatch(type));
  source.onopen = () => {
    document.body.dataset.live = "on";
    for (const fn of handlers.get("open") || []) fn();
  };
  source.onerror = async () => {
    document.body.dataset.live = "off";
    source.close();
    await refresh();
    setTimeout(connect, 2000);
  };
}
