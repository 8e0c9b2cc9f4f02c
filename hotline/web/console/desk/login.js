// The login page.
import {$} from "../lib/dom.js";
import {login} from "../lib/session.js";
import {say} from "../lib/ui.js";

$("#login").addEventListener("submit", async (e) => {
  e.preventDefault();
  try { await login($("#username").value, $("#password").value); } catch (err) { say(err.message, "error"); }
});
