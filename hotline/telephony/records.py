"""What call tracking produces (one record per call, one state per agent's queue place) and the small
readings of AMI fields it needs: event times, CDR times, integers, the device behind a channel name."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

UNKNOWN = {"", "<unknown>", "unknown"}
_CHANNEL_SUFFIX = re.compile(r"-[0-9a-f]{8}(;\d)?$")


@dataclass
class CallRecord:
    linkedid: str
    caller: str | None = None
    dialled: str | None = None
    direction: str | None = None  # inbound | outbound | internal (set when the call ends)
    purpose: str | None = None  # citizen_call | survey_callback | click_to_call | internal
    started_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    ivr_path: list[str] = field(default_factory=list)
    queue: str | None = None
    queue_joined: bool = False
    queue_left: bool = False
    queue_joined_at: dt.datetime | None = field(default=None, repr=False)  # when the caller began to wait
    wait_seconds: int | None = None
    agent: str | None = None  # the queue member's name (e.g. Agent1001)
    agent_interface: str | None = None
    talk_seconds: int | None = None
    hangup_cause: str | None = None
    disposition: str | None = None  # answered | abandoned | message_left | ivr_only | unanswered (outbound)
    recording: str | None = None  # MixMonitor file of the whole call
    message_recording: str | None = None  # the message left in the IVR (RECORD FILE)
    abandoned: bool = False
    events: int = 0
    open_channels: set[str] = field(default_factory=set, repr=False)
    channel_ids: set[str] = field(default_factory=set, repr=False)  # every Uniqueid the call ever had
    cdr_start: dt.datetime | None = field(default=None, repr=False)
    cdr_end: dt.datetime | None = field(default=None, repr=False)
    last_stamp: str | None = field(default=None, repr=False)  # Timestamp of its last event: when last known up
    contexts: set[str] = field(default_factory=set, repr=False)  # dialplan contexts the root channel ran in
    variables: dict[str, str] = field(default_factory=dict, repr=False)  # HOTLINE_* set on the root channel
    bridged: dict[str, tuple[str, str, int]] = field(default_factory=dict, repr=False)  # resync: uid → chan, bridge, s
    agent_channel: str | None = field(default=None, repr=False)  # AgentConnect's DestChannel: the operator's leg
    caller_channel: str | None = field(default=None, repr=False)  # AgentConnect's Channel: the citizen's leg

    PRIVATE = ("open_channels", "channel_ids", "cdr_start", "cdr_end", "last_stamp", "contexts", "variables", "bridged",
               "agent_channel", "caller_channel", "queue_joined_at")

    @property
    def waiting(self) -> bool:
        """In a queue now: joined, not yet answered, not gone."""
        return self.queue_joined and not self.queue_left and not self.abandoned and self.answered_at is None

    def as_dict(self) -> dict:
        out = asdict(self)
        for private in self.PRIVATE:
            out.pop(private)
        for key in ("started_at", "answered_at", "ended_at"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


@dataclass
class AgentState:
    queue: str
    interface: str
    member_name: str | None = None
    status: int | None = None  # Asterisk device state: 1 not in use, 2 in use, 6 ringing, 5 unavailable …
    paused: bool = False
    pause_reason: str | None = None
    in_call: bool = False
    calls_taken: int = 0
    logged_in: bool = True


def event_time(event: dict) -> dt.datetime | None:
    """The event's own `Timestamp` (manager.conf timestampevents = yes): Asterisk's clock, not ours."""
    stamp = event.get("Timestamp")
    try:
        return dt.datetime.fromtimestamp(float(stamp), dt.UTC) if stamp else None
    except (ValueError, OverflowError):
        return None


def cdr_time(text: str | None) -> dt.datetime | None:
    """CDR times are "YYYY-MM-DD HH:MM:SS" in the Asterisk server's zone; config/asterisk runs it in UTC."""
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def as_int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


def duration_seconds(text: str | None) -> int | None:
    """CoreShowChannel's `Duration: HH:MM:SS`."""
    parts = (text or "").split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    hours, minutes, seconds = (int(p) for p in parts)
    return hours * 3600 + minutes * 60 + seconds


def device_of(name: str | None) -> str:
    """The device behind a channel or a queue interface: `Local/1001@agent-sim-00000000;1` and the member
    `Local/1001@agent-sim/n` are both `Local/1001@agent-sim`; `PJSIP/1001-0000000b` is `PJSIP/1001`."""
    text = _CHANNEL_SUFFIX.sub("", name or "")
    tech, _, rest = text.partition("/")
    return f"{tech}/{rest.split('/', 1)[0]}" if rest else text
