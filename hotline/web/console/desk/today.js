// My counts for today (GET /api/v1/desk/today): calls, talk and wrap-up time, orders taken.
import {api} from "../lib/api.js";
import {$, duration, esc} from "../lib/dom.js";
import {listen} from "./bus.js";

const OPERATOR = [["calls", "接听"], ["talk_seconds", "通话时长", duration], ["hold_seconds", "保持时长", duration],
                  ["average_wrapup_seconds", "平均话后", duration],
                  ["registered", "登记"], ["dispatched", "派单"], ["answered_directly", "直办"],
                  ["incidents", "并案"], ["duplicates", "重复件"], ["invalid", "无效"]];
const CALLBACKS = [["callbacks", "已回访"], ["callback_dials", "外呼"], ["satisfied", "满意"], ["unsatisfied", "不满意"],
                   ["unreachable", "未接通"]];

export async function refreshToday(kind = "operator") {
  const t = await api("/api/v1/desk/today");
  const rows = kind === "callbacks" ? CALLBACKS : OPERATOR;
  $("#today").innerHTML = rows.map(([k, name, f]) => `<div data-today="${k}"><dt>${name}</dt>` +
    `<dd>${esc(t[k] === null ? "—" : f ? f(t[k]) : t[k])}</dd></div>`).join("");
}

export function mountToday(kind = "operator") {
  listen("taken", () => refreshToday(kind));
  listen("agent", () => refreshToday(kind));
  return refreshToday(kind);
}
