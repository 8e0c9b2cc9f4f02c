// 话务员工作台: the panels of the operator's desk, each fed by one API call or one live event type.
// Panels that later features add (the live transcript, knowledge-base suggestions, transfer) mount here
// the same way: a module with a mount function, listening on the bus or the live stream.
import * as live from "../lib/live.js";
import {hearNotes} from "../lib/notes.js";
import {ready, start} from "../lib/session.js";
import {attempt} from "../lib/ui.js";
import {mountAgent} from "./agent.js";
import {mountDraft} from "./draft.js";
import {mountHandover} from "./handover.js";
import {mountPop} from "./pop.js";
import {mountToday} from "./today.js";
import {mountTranscript} from "./transcript.js";
import {mountWorklists} from "./worklists.js";

attempt(async () => {
  if (!await start(["operator", "hotline_admin"])) return;
  mountPop();
  mountTranscript();
  await mountDraft();
  await Promise.all([mountWorklists(), mountToday("operator")]);
  await mountAgent();
  hearNotes(live.on);
  attempt(mountHandover);  // its listeners are in place before the screen pop's history (one more request) arrives
  ready();
  await live.connect();
});
