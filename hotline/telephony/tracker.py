"""Call tracking from AMI events: one record per citizen call (Linkedid), and the agents' states.

Pure: events in (dicts of AMI headers), finished call records out. Handlers are a map from event
name to a small function; events nobody handles cost one dictionary lookup.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

INTERESTING_APPS = {"Playback", "Background", "AGI", "Queue", "Record", "Read", "VoiceMail"}
UNKNOWN = {"", "<unknown>", "unknown"}


@dataclass
class CallRecord:
    linkedid: str
    caller: str | None = None
    dialled: str | None = None
    started_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    ivr_path: list[str] = field(default_factory=list)
    queue: str | None = None
    queue_joined: bool = False
    queue_left: bool = False
    wait_seconds: int | None = None
    agent: str | None = None  # the queue member's name (e.g. Agent1001)
    agent_interface: str | None = None
    talk_seconds: int | None = None
    hangup_cause: str | None = None
    disposition: str | None = None  # answered | abandoned | message_left | ivr_only
    recording: str | None = None  # MixMonitor file of the whole call
    message_recording: str | None = None  # the message left in the IVR (RECORD FILE)
    abandoned: bool = False
    events: int = 0
    open_channels: set[str] = field(default_factory=set, repr=False)
    channel_ids: set[str] = field(default_factory=set, repr=False)  # every Uniqueid the call ever had
    cdr_start: dt.datetime | None = field(default=None, repr=False)
    cdr_end: dt.datetime | None = field(default=None, repr=False)

    def as_dict(self) -> dict:
        out = asdict(self)
        for private in ("open_channels", "channel_ids", "cdr_start", "cdr_end"):
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


class CallTracker:
    """Feeds on AMI events; returns the calls each event finished."""

    def __init__(self, inbound_contexts: tuple[str, ...] = ("hotline-in",),
                 clock: Callable[[], dt.datetime] | None = None):
        self.inbound = set(inbound_contexts)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.calls: dict[str, CallRecord] = {}
        self.channels: dict[str, str] = {}  # Uniqueid → Linkedid, for events that carry no Linkedid (Cdr)
        # Asterisk may post a call's CDRs after its last Hangup: recent calls stay here to take them
        self.recent: OrderedDict[str, CallRecord] = OrderedDict()
        self.recent_limit = 2000
        self.agents: dict[tuple[str, str], AgentState] = {}
        self.handlers: dict[str, Callable[[CallRecord, dict], None]] = {
            "Newchannel": self._newchannel,
            "Newexten": self._newexten,
            "VarSet": self._varset,
            "QueueCallerJoin": self._queue_join,
            "QueueCallerLeave": self._queue_leave,
            "QueueCallerAbandon": self._queue_abandon,
            "AgentConnect": self._agent_connect,
            "AgentComplete": self._agent_complete,
            "Cdr": self._cdr,
            "Hangup": self._hangup,
            "CoreShowChannel": self._newchannel,  # resync after a reconnect: a channel that is up
        }
        self.agent_handlers: dict[str, Callable[[dict], None]] = {
            "QueueMemberStatus": self._member,
            "QueueMemberAdded": self._member,
            "QueueMember": self._member,  # QueueStatus answer
            "QueueMemberRemoved": self._member_removed,
            "QueueMemberPause": self._member_pause,
        }

    def feed(self, event: dict) -> list[CallRecord]:
        name = event.get("Event") or ""
        agent_handler = self.agent_handlers.get(name)
        if agent_handler is not None:
            agent_handler(event)
            return []
        handler = self.handlers.get(name)
        linkedid = event.get("Linkedid") or self.channels.get(event.get("UniqueID", ""))
        if handler is None or not linkedid:
            return []
        call = self.calls.get(linkedid)
        if call is None and name == "Cdr" and linkedid in self.recent:
            late = self.recent[linkedid]
            self._cdr(late, event)
            self._times(late)
            return [late]  # stored again with exact times; the store upserts by Linkedid
        if call is None:
            if name not in ("Newchannel", "CoreShowChannel"):
                return []  # a call that started before we listened and was not resynced
            call = self.calls[linkedid] = CallRecord(linkedid)
        call.events += 1
        handler(call, event)
        if name == "Hangup" and not call.open_channels:
            return [self._finish(call)]
        return []

    def in_progress(self) -> list[str]:
        return list(self.calls)

    def reconcile(self, live_linkedids: set[str],
                  cause: str = "ended while the listener was disconnected") -> list[CallRecord]:
        """After a reconnect: calls we were tracking that Asterisk no longer has ended while we were away."""
        gone = [c for lid, c in self.calls.items() if lid not in live_linkedids]
        finished = []
        for call in gone:
            call.open_channels.clear()
            call.hangup_cause = call.hangup_cause or cause
            call.ended_at = call.ended_at or self.clock()
            finished.append(self._finish(call))
        return finished

    # -- call handlers -----------------------------------------------------------------------

    def _newchannel(self, call: CallRecord, e: dict) -> None:
        uniqueid = e.get("Uniqueid", "")
        call.open_channels.add(uniqueid)
        call.channel_ids.add(uniqueid)
        self.channels[uniqueid] = call.linkedid
        if e.get("Uniqueid") == call.linkedid:
            call.started_at = call.started_at or self.clock()
            self._caller(call, e)
            if e.get("Context") in self.inbound and e.get("Exten") not in UNKNOWN:
                call.dialled = call.dialled or e.get("Exten")

    def _newexten(self, call: CallRecord, e: dict) -> None:
        if e.get("Uniqueid") != call.linkedid or e.get("Context") not in self.inbound:
            return
        self._caller(call, e)
        if call.dialled is None and e.get("Exten") not in ("h", "s", "i", "t"):
            call.dialled = e.get("Exten")
        app = e.get("Application")
        if app in INTERESTING_APPS:
            data = e.get("AppData", "")
            if app == "AGI":
                data = data.rsplit("/", 1)[-1]
            elif app == "Queue":
                data = data.split(",", 1)[0]
            call.ivr_path.append(f"{app}:{data}" if data else app)

    def _varset(self, call: CallRecord, e: dict) -> None:
        variable, value = e.get("Variable"), e.get("Value", "")
        if variable == "MIXMONITOR_FILENAME" and e.get("Uniqueid") == call.linkedid:
            call.recording = value
        elif variable == "IVR_RESULT" and value.startswith("recorded:"):
            call.message_recording = value.split(":", 1)[1]

    def _queue_join(self, call: CallRecord, e: dict) -> None:
        call.queue, call.queue_joined = e.get("Queue"), True

    def _queue_leave(self, call: CallRecord, e: dict) -> None:
        call.queue_left = True

    def _queue_abandon(self, call: CallRecord, e: dict) -> None:
        call.abandoned = True
        call.wait_seconds = _int(e.get("HoldTime"))

    def _agent_connect(self, call: CallRecord, e: dict) -> None:
        call.agent, call.agent_interface = e.get("MemberName"), e.get("Interface")
        call.wait_seconds = _int(e.get("HoldTime"))
        call.answered_at = call.answered_at or self.clock()

    def _agent_complete(self, call: CallRecord, e: dict) -> None:
        call.talk_seconds = _int(e.get("TalkTime"))

    def _cdr(self, call: CallRecord, e: dict) -> None:
        """The root channel's CDRs give exact start and end (Asterisk's clock, UTC)."""
        if e.get("DestinationContext") not in self.inbound:
            return
        start, end = _cdr_time(e.get("StartTime")), _cdr_time(e.get("EndTime"))
        if start and (call.cdr_start is None or start < call.cdr_start):
            call.cdr_start = call.started_at = start
        if end and (call.cdr_end is None or end > call.cdr_end):
            call.cdr_end = call.ended_at = end

    def _hangup(self, call: CallRecord, e: dict) -> None:
        call.open_channels.discard(e.get("Uniqueid", ""))
        if e.get("Uniqueid") == call.linkedid:
            call.hangup_cause = f"{e.get('Cause', '')} {e.get('Cause-txt', '')}".strip()
            call.ended_at = call.ended_at or self.clock()

    def _caller(self, call: CallRecord, e: dict) -> None:
        number = e.get("CallerIDNum")
        if call.caller is None and number not in UNKNOWN and number is not None:
            call.caller = number

    def _finish(self, call: CallRecord) -> CallRecord:
        self.calls.pop(call.linkedid, None)
        self.recent[call.linkedid] = call
        while len(self.recent) > self.recent_limit:
            _, gone = self.recent.popitem(last=False)
            for uniqueid in gone.channel_ids:
                self.channels.pop(uniqueid, None)
        self._times(call)
        if call.agent:
            call.disposition = "answered"
        elif call.queue_joined:
            call.disposition = "abandoned"
        elif call.message_recording:
            call.disposition = "message_left"
        else:
            call.disposition = "ivr_only"
        return call

    @staticmethod
    def _times(call: CallRecord) -> None:
        if call.cdr_end and call.talk_seconds is not None and call.agent:
            call.answered_at = call.cdr_end - dt.timedelta(seconds=call.talk_seconds)  # Asterisk's clock

    # -- agents ------------------------------------------------------------------------------

    def _agent(self, e: dict) -> AgentState:
        key = (e.get("Queue", ""), e.get("Interface") or e.get("Location", ""))
        state = self.agents.get(key)
        if state is None:
            state = self.agents[key] = AgentState(queue=key[0], interface=key[1])
        return state

    def _member(self, e: dict) -> None:
        state = self._agent(e)
        state.member_name = e.get("MemberName") or e.get("Name") or state.member_name
        state.status = _int(e.get("Status"))
        state.paused = e.get("Paused") == "1"
        state.pause_reason = e.get("PausedReason") or None
        state.in_call = e.get("InCall") == "1"
        state.calls_taken = _int(e.get("CallsTaken")) or 0
        state.logged_in = True

    def _member_removed(self, e: dict) -> None:
        self._agent(e).logged_in = False

    def _member_pause(self, e: dict) -> None:
        state = self._agent(e)
        state.paused = e.get("Paused") == "1"
        state.pause_reason = (e.get("PausedReason") or e.get("Reason") or None) if state.paused else None


# CDR times are "YYYY-MM-DD HH:MM:SS" in the Asterisk server's zone; config/asterisk runs it in UTC.
def _cdr_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None
