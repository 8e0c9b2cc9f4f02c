"""The simulated Asterisk's hold (保持): AMI Redirect (single or dual) and Bridge with Asterisk 22's checks,
answers and events (main/manager.c action_redirect; main/features.c action_bridge; main/manager_bridges.c
for BridgeEnter/BridgeLeave; main/manager_channels.c Newexten). A Redirect finds channels by name or
Uniqueid (ast_channel_get_by_name), Bridge by name prefix only (ast_channel_get_by_name_prefix)."""

from __future__ import annotations

import itertools

from hotline.simulator.transfers import Switchboard, bridge_lines, snapshot

HOLDS = ("redirect", "bridge")
_bridges = itertools.count(0xB00)
APPS = {"hotline-hold": ("MusicOnHold", "default,${HOTLINE_HOLD_MAX}"),
        "hotline-holding": ("Wait", "${HOTLINE_HOLD_MAX}")}


def answer(board: Switchboard, action: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    if action.get("Action", "").lower() == "bridge":
        return _bridge(board, action)
    return _redirect(board, action)


def _redirect(board: Switchboard, a: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    for key, said in (("Channel", "Channel not specified"), ("Context", "Context not specified"),
                      ("Exten", "Exten not specified"), ("Priority", "Priority not specified")):
        if not a.get(key):
            return ["Error", f"Message: {said}"], []
    dual = bool(a.get("ExtraChannel"))
    if dual and a.get("ExtraContext") and not a.get("ExtraExten"):
        return ["Error", "Message: ExtraExten not specified"], []
    first = board.find(a["Channel"])
    if first is None:
        return ["Error", f"Message: Channel does not exist: {a['Channel']}"], []
    if not dual:
        return ["Success", "Message: Redirect successful"], _goto(board, first, a["Context"], a["Exten"])
    second = board.find(a["ExtraChannel"])
    if second is None:
        return ["Error", f"Message: ExtraChannel does not exist: {a['ExtraChannel']}"], []
    events = _goto(board, first, a["Context"], a["Exten"])
    events += _goto(board, second, a.get("ExtraContext") or a["Context"], a.get("ExtraExten") or a["Exten"])
    return ["Success", "Message: Dual Redirect successful"], events


def _bridge(board: Switchboard, a: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    names = a.get("Channel1", ""), a.get("Channel2", "")
    if not all(names):
        return ["Error", "Message: Missing channel parameter in request"], []
    found = []
    for n, name in enumerate(names, 1):
        channel = next((c for c in board.channels.values() if c["Channel"].startswith(name)), None)
        if channel is None:
            return ["Error", f"Message: Channel{n} does not exist: {name}"], []
        found.append(channel)
    bridge = {"BridgeUniqueid": f"hold-bridge-{next(_bridges):08x}", "BridgeType": "basic",
              "BridgeTechnology": "simple_bridge", "BridgeCreator": "<unknown>", "BridgeName": "<unknown>",
              "BridgeVideoSourceMode": "none"}
    events = []
    for n, channel in enumerate(found, 1):
        events += _leave(board, channel)
        board.bridges[channel["Channel"]] = {**bridge, "BridgeNumChannels": str(n)}
        events.append(["Event: BridgeEnter", "Privilege: call,all", *_bridge_lines(board.bridges[channel["Channel"]]),
                       *_snapshot(channel)])
    return ["Success", "Message: Channels have been bridged"], events


def _goto(board: Switchboard, channel: dict[str, str], context: str, exten: str) -> list[list[str]]:
    events = _leave(board, channel)
    channel.update({"Context": context, "Exten": exten, "Priority": "1"})
    app, data = APPS.get(context, ("NoOp", ""))
    events.append(["Event: Newexten", "Privilege: dialplan,all", *_snapshot(channel), f"Extension: {exten}",
                   f"Application: {app}", f"AppData: {data}"])
    return events


def _leave(board: Switchboard, channel: dict[str, str]) -> list[list[str]]:
    bridge = board.bridges.pop(channel["Channel"], None)
    if bridge is None:
        return []
    left = sum(1 for b in board.bridges.values() if b.get("BridgeUniqueid") == bridge.get("BridgeUniqueid"))
    return [["Event: BridgeLeave", "Privilege: call,all", *_bridge_lines({**bridge, "BridgeNumChannels": str(left)}),
             *_snapshot(channel)]]


def _snapshot(channel: dict[str, str]) -> list[str]:
    return snapshot("", channel)


def _bridge_lines(bridge: dict[str, str]) -> list[str]:
    return bridge_lines("", bridge)
