// The live event stream: one EventSource per page, handlers registered by event type (one type per panel).
import {api} from "./api.js";

const handlers = new Map();
let source = null;

// The stream's address. EventSource cannot send headers, so the page first asks for a single-use stream
// ticket (a POST carrying the access token in its header, refreshed on 401 like every call) and puts only
// that ticket in the address: no token ever appears in a URL or an access log.
export async function streamTicket() {
  const {ticket} = await api("/api/v1/live/tickets", {method: "POST"});
  return encodeURIComponent(ticket);
}

export async function streamUrl() {
  return `/api/v1/live?ticket=${await streamTicket()}`;
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
  let url;
  try {
    url = await streamUrl();
  } catch (err) {
    document.body.dataset.live = "off";
    if (err.status !== 401 && err.status !== 403) setTimeout(connect, 5000);  // logged out: stay off
    return;
  }
  source = new EventSource(url);
  for (const type of handlers.keys()) source.addEventListener(type, dispatch(type));
  source.onopen = () => {
    document.body.dataset.live = "on";
    for (const fn of handlers.get("open") || []) fn();
  };
  // The server ends the stream of an account that was disabled: no reconnection then.
  source.addEventListener("closed", () => {
    source.close();
    document.body.dataset.live = "off";
  });
  source.onerror = () => {
    document.body.dataset.live = "off";
    source.close();
    setTimeout(connect, 2000);  // a new ticket each time: a ticket opens the stream once
  };
}
