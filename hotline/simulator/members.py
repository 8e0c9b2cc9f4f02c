"""Queue members of the simulated Asterisk: who is signed in to which queue, the events Asterisk sends about
them, and a captured queue call rung to whoever is taking calls now."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hotline.simulator.transfers import headers, packet


@dataclass
class Member:
    queue: str
    interface: str
    name: str
    paused: bool = False
    reason: str = ""
    calls: int = 0


def answered_by(packets: list[bytes], members: dict[tuple[str, str], Member]) -> list[bytes]:
    """A captured queue call is answered by whoever is signed in to that queue now, as Asterisk would
    ring them: the captured member's interface and name become those of a member taking calls."""
    connect = next((headers(p) for p in packets if p.startswith(b"Event: AgentConnect")), None)
    if connect is None or (connect.get("Queue", ""), connect.get("Interface", "")) in members:
        return packets
    member = next((m for m in members.values() if m.queue == connect.get("Queue") and not m.paused), None)
    if member is None:
        return packets
    swaps = [(rb"(?:State)?Interface|DialString", connect.get("Interface", ""), member.interface),
             (rb"MemberName", connect.get("MemberName", ""), member.name)]
    for keys, old, new in swaps:
        line = re.compile(rb"(?m)^(" + keys + rb"): " + re.escape(old.encode()) + rb"(?=\r|$)")
        replacement = rb"\1: " + new.encode().replace(b"\\", b"\\\\")
        packets = [line.sub(replacement, p) for p in packets]
    return packets


def member_event(name: str, m: Member) -> bytes:
    return packet(f"Event: {name}", "Privilege: agent,all", f"Queue: {m.queue}", f"MemberName: {m.name}",
                   f"Interface: {m.interface}", f"StateInterface: {m.interface}", "Membership: dynamic",
                   "Penalty: 0", f"CallsTaken: {m.calls}", "InCall: 0", "Status: 1", f"Paused: {int(m.paused)}",
                   f"PausedReason: {m.reason}", "Ringinuse: 0", "Wrapuptime: 0")
