// Panels of one screen talk through this bus, never by reaching into each other's markup:
// "call" (a call connected: {linkedid, caller, history}), "taken" (an order was taken), "open" (a ticket to work on).
const target = new EventTarget();

export function emit(type, detail) { target.dispatchEvent(new CustomEvent(type, {detail})); }
export function listen(type, fn) { target.addEventListener(type, (e) => fn(e.detail)); }
