"""The simulated Asterisk's transfers: the channels and bridges it has announced, and its answers to
BlindTransfer, Atxfer, CancelAtxfer and PlayDTMF with the words and events Asterisk 22 uses
(main/manager.c action_blind_transfer/action_atxfer/action_cancel_atxfer, apps/app_senddtmf.c,
main/stasis_bridges.c blind_transfer_to_ami/attended_transfer_to_ami, main/manager_channels.c and
main/manager_bridges.c for the channel and bridge snapshots, main/stasis.c for UserEvent)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

SNAPSHOT = ("Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName", "ConnectedLineNum",
            "ConnectedLineName", "Language", "AccountCode", "Context", "Exten", "Priority", "Uniqueid", "Linkedid")
BRIDGE = ("BridgeUniqueid", "BridgeType", "BridgeTechnology", "BridgeCreator", "BridgeName", "BridgeNumChannels",
          "BridgeVideoSourceMode")
TRANSFERS = ("blindtransfer", "atxfer", "cancelatxfer", "playdtmf")


def headers(raw: bytes) -> dict[str, str]:
    """A packet's headers; the `Variable: K=V` lines an Originate may repeat are joined with commas."""
    out: dict[str, str] = {}
    for line in raw.decode("utf-8", errors="replace").split("\r\n"):
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if sep and key == "Variable" and key in out:
            out[key] += f",{value}"
        elif sep:
            out.setdefault(key, value)
    return out


def snapshot(prefix: str, channel: dict[str, str]) -> list[str]:
    return [f"{prefix}{key}: {channel.get(key, '')}" for key in SNAPSHOT]


def bridge_lines(prefix: str, bridge: dict[str, str]) -> list[str]:
    return [f"{prefix}{key}: {bridge.get(key, '')}" for key in BRIDGE]


@dataclass
class Switchboard:
    """What the fake knows of live channels and bridges, learnt from the events it sends."""

    atxfer_code: str | None = "*2"  # features.conf atxfer; None: "No attended transfer feature code found"
    channels: dict[str, dict[str, str]] = field(default_factory=dict)
    bridges: dict[str, dict[str, str]] = field(default_factory=dict)  # channel → its bridge's snapshot
    consulting: dict[str, tuple[str, str]] = field(default_factory=dict)  # operator channel → (context, exten)
    pressed: list[tuple[str, str]] = field(default_factory=list)  # (channel, digit) PlayDTMF Receive
    _seq: itertools.count = field(default_factory=lambda: itertools.count(0x900))

    def learn(self, data: bytes) -> None:
        for packet in re.split(rb"\r\n\r\n", data):
            h = headers(packet)
            event, name = h.get("Event"), h.get("Channel", "")
            if event == "Newchannel":
                self.channels[name] = {k: h.get(k, "") for k in SNAPSHOT}
            elif event in ("Newstate", "NewConnectedLine", "Newexten") and name in self.channels:
                self.channels[name].update({k: h[k] for k in SNAPSHOT if k in h})
            elif event == "BridgeEnter" and name in self.channels:
                self.bridges[name] = {k: h.get(k, "") for k in BRIDGE}
            elif event == "BridgeLeave":
                self.bridges.pop(name, None)
            elif event == "Hangup":
                self.channels.pop(name, None)
                self.bridges.pop(name, None)

    def find(self, name: str) -> dict[str, str] | None:
        """By name or Uniqueid, as ast_channel_get_by_name does."""
        return self.channels.get(name) or next((c for c in self.channels.values() if c["Uniqueid"] == name), None)

    def peer(self, name: str) -> dict[str, str] | None:
        bridge = self.bridges.get(name, {}).get("BridgeUniqueid")
        return next((self.channels[c] for c, b in self.bridges.items()
                     if c != name and b.get("BridgeUniqueid") == bridge and c in self.channels), None)

    def answer(self, action: dict[str, str]) -> tuple[list[str], list[list[str]]]:
        """(response status and lines, events to broadcast first) for one transfer action."""
        name = action.get("Action", "").lower()
        channel = self.find(action.get("Channel", ""))
        if name == "playdtmf":
            if channel is None:
                return ["Error", "Message: Channel not found"], []
            self.pressed.append((channel["Channel"], action.get("Digit", "")))
            return ["Success", "Message: DTMF successfully queued"], []
        if not action.get("Channel"):
            return ["Error", "Message: No channel specified"], []
        if name != "cancelatxfer" and not action.get("Exten"):
            return ["Error", "Message: No extension specified"], []
        if channel is None:
            return ["Error", "Message: Channel specified does not exist"], []
        if name == "blindtransfer":
            return self._blind(channel, action.get("Context") or channel["Context"], action["Exten"])
        if name == "atxfer":
            if not self.atxfer_code:
                return ["Error", "Message: No attended transfer feature code found"], []
            self.consulting[channel["Channel"]] = (action.get("Context", ""), action["Exten"])
            return ["Success", "Message: Atxfer successfully queued"], []
        self.consulting.pop(channel["Channel"], None)
        return ["Success", "Message: CancelAtxfer successfully queued"], []

    def _blind(self, transferer: dict[str, str], context: str, exten: str) -> tuple[list[str], list[list[str]]]:
        transferee = self.peer(transferer["Channel"])
        if transferee is None:
            return ["Error", "Message: Transfer invalid"], []
        event = ["Event: BlindTransfer", "Privilege: call,all", "Result: Success", *snapshot("Transferer", transferer),
                 *snapshot("Transferee", transferee), *bridge_lines("", self.bridges[transferer["Channel"]]),
                 "IsExternal: No", f"Context: {context}", f"Extension: {exten}"]
        return ["Success", "Message: Transfer succeeded"], [event]

    def attended_done(self, operator_channel: str, result: str = "Success", dest_type: str = "Bridge") -> list[str]:
        """The operator hung up (or pressed the complete/three-way key): AttendedTransfer as Asterisk raises it."""
        operator = self.channels[operator_channel]
        transferee = self.peer(operator_channel) or operator
        context, exten = self.consulting.pop(operator_channel)
        second = {**operator, "Channel": f"{operator_channel.split('-')[0]}-{next(self._seq):08x};1",
                  "Context": context, "Exten": exten}
        target = {**second, "Channel": f"PJSIP/trunk-{next(self._seq):08x}", "CallerIDNum": exten}
        tail = ["DestType: Threeway", f"DestBridgeUniqueid: {self.bridges[operator_channel]['BridgeUniqueid']}",
                f"DestTransfererChannel: {operator_channel}"] if dest_type == "Threeway" else \
            [f"DestType: {dest_type}"] + ([f"DestBridgeUniqueid: {self.bridges[operator_channel]['BridgeUniqueid']}"]
                                          if dest_type == "Bridge" else [])
        return ["Event: AttendedTransfer", "Privilege: call,all", f"Result: {result}",
                *snapshot("OrigTransferer", operator), *bridge_lines("Orig", self.bridges[operator_channel]),
                *snapshot("SecondTransferer", second), *snapshot("Transferee", transferee),
                *snapshot("TransferTarget", target), "IsExternal: No", *tail]

    def dialled(self, linkedid: str, exten: str, dial_status: str) -> list[str]:
        """[hotline-handover]'s h extension: UserEvent(HotlineHandover,Dialled: …,DialStatus: …)."""
        leg = next((c for c in self.channels.values() if c["Linkedid"] == linkedid), {"Linkedid": linkedid})
        return ["Event: UserEvent", "Privilege: user,all",
                *snapshot("", {**leg, "Context": "hotline-handover", "Exten": "h", "Priority": "1"}),
                "UserEvent: HotlineHandover", f"Dialled: {exten}", f"DialStatus: {dial_status}"]


def packet(*lines: str) -> bytes:
    """One AMI packet from its lines (for `FakeAsterisk.send_raw`)."""
    return ("\r\n".join(lines) + "\r\n\r\n").encode()
