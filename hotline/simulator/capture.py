"""Captured AMI byte streams from a real Asterisk 22 (`captures/*.ami`): the events a call sent, the
answers an action got, and fresh ids, channel numbers and times for each replay of them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CAPTURES = Path(__file__).resolve().parent / "captures"
SEP = b"\r\n\r\n"
IDS = re.compile(rb"\b(1\d{9})\.(\d+)\b")
CHANNEL_SEQ = re.compile(rb"-([0-9a-f]{8});")
CDR_TIME = re.compile(rb"\b(20\d\d-\d\d-\d\d \d\d:\d\d:\d\d)\b")
EVENT_TV = re.compile(rb"\b(20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+[+-]\d{4})")
TIMESTAMP = b"Timestamp: "
SESSION_EVENTS = (b"Event: FullyBooted", b"Event: SuccessfulAuth")


@dataclass
class Capture:
    """A captured stream split into the events Asterisk sent (responses to the capturing client dropped)."""

    events: list[bytes]
    fully_booted: bytes | None

    @classmethod
    def load(cls, path: Path) -> Capture:
        packets = _packets(path)
        booted = next((p for p in packets if p.startswith(b"Event: FullyBooted")), None)
        return cls([p for p in packets if p.startswith(b"Event: ") and not p.startswith(SESSION_EVENTS)], booted)

    def first_time(self) -> dt.datetime | None:
        for packet in self.events:
            stamp = _timestamp(packet)
            if stamp is not None:
                return stamp
            match = CDR_TIME.search(packet)
            if match:
                return dt.datetime.strptime(match.group(1).decode(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
        return None

    def between(self, start: float, end: float = float("inf")) -> list[bytes]:
        """The events whose Timestamp (epoch seconds) lies in [start, end)."""
        return [p for p in self.events if (t := _timestamp(p)) is not None and start <= t.timestamp() < end]


def recorded_answers(stream: Path, sent: Path) -> dict[str, list[bytes]]:
    """Action name (lower case) → the list events Asterisk answered it with, ActionID lines removed
    (the first action of each name in the capture)."""
    first: dict[bytes, str] = {}
    for packet in _packets(sent):
        headers = dict(line.split(b": ", 1) for line in packet.split(b"\r\n") if b": " in line)
        name = headers.get(b"Action", b"").decode().lower()
        if name not in first.values():
            first[headers.get(b"ActionID", b"")] = name
    answers: dict[str, list[bytes]] = {}
    for packet in _packets(stream):
        lines = packet.split(b"\r\n")
        action_id = next((x[len(b"ActionID: "):] for x in lines if x.startswith(b"ActionID: ")), b"")
        if action_id in first and packet.startswith(b"Event: ") and b"EventList: Complete" not in packet:
            answers.setdefault(first[action_id], []).append(
                b"\r\n".join(x for x in lines if not x.startswith(b"ActionID: ")))
    return answers


def freshen(events: list[bytes], at: dt.datetime, first: dt.datetime | None,
            new_id: Callable[[bytes], bytes], new_channel: Callable[[bytes], bytes]) -> list[bytes]:
    """The same events moved to `at`, with ids and channel numbers from the given makers."""
    shift = (at - first) if first else dt.timedelta()

    def new_time(m: re.Match) -> bytes:
        when = dt.datetime.strptime(m.group(1).decode(), "%Y-%m-%d %H:%M:%S") + shift
        return when.strftime("%Y-%m-%d %H:%M:%S").encode()

    def new_tv(m: re.Match) -> bytes:
        when = dt.datetime.strptime(m.group(1).decode(), "%Y-%m-%dT%H:%M:%S") + shift
        return when.strftime("%Y-%m-%dT%H:%M:%S").encode() + m.group(2)

    def line(text: bytes) -> bytes:
        if text.startswith(TIMESTAMP):  # an epoch time, not an id: moved, not renamed
            return TIMESTAMP + f"{float(text[len(TIMESTAMP):]) + shift.total_seconds():.6f}".encode()
        text = IDS.sub(lambda m: new_id(m.group(0)), text)
        text = CHANNEL_SEQ.sub(lambda m: b"-" + new_channel(m.group(1)) + b";", text)
        return EVENT_TV.sub(new_tv, CDR_TIME.sub(new_time, text))

    return [b"\r\n".join(line(x) for x in packet.split(b"\r\n")) for packet in events]


def _packets(path: Path) -> list[bytes]:
    data = path.read_bytes()
    if data.startswith(b"Asterisk Call Manager/"):
        data = data[data.index(b"\r\n") + 2:]
    return [p.strip(b"\r\n") for p in data.split(SEP) if p.strip()]


def _timestamp(packet: bytes) -> dt.datetime | None:
    start = packet.find(b"\r\n" + TIMESTAMP)
    if start < 0:
        return None
    value = packet[start + 2 + len(TIMESTAMP):].split(b"\r\n", 1)[0]
    try:
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    except ValueError:
        return None
