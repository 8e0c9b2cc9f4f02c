"""Call tracking from AMI events: one record per call (Linkedid), and the agents' states.

Pure: events in (dicts of AMI headers), finished call records out. Handlers are a map from event
name to a small function; events nobody handles cost one dictionary lookup. Channels that only
listen to a call (ChanSpy, ARI snoop, AudioSocket and ExternalMedia streams, or any channel with
HOTLINE_ROLE=spy) have linkedids of their own and are never calls.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable

from hotline.telephony import queue_events
from hotline.telephony.agents import AgentBoard
from hotline.telephony.kinds import ROLE, SPY_APPS, disposition_of, kind_of, listens_in
from hotline.telephony.records import (
    UNKNOWN,
    AgentState,
    CallRecord,
    cdr_time,
    device_of,
    duration_seconds,
    event_time,
)
from hotline.text.phones import normalise_phone

__all__ = ["AgentState", "CallRecord", "CallTracker"]
INTERESTING_APPS = {"Playback", "Background", "AGI", "Queue", "Record", "Read", "VoiceMail"}
INBOUND_CONTEXTS = ("hotline-in",)  # config/asterisk/extensions.conf
OUTBOUND_CONTEXTS = ("hotline-out", "hotline-survey")
RECONCILED = "ended while the listener was disconnected"


class CallTracker:
    """Feeds on AMI events; returns the calls each event finished."""

    def __init__(self, inbound_contexts: tuple[str, ...] = INBOUND_CONTEXTS,
                 outbound_contexts: tuple[str, ...] = OUTBOUND_CONTEXTS,
                 clock: Callable[[], dt.datetime] | None = None):
        self.inbound, self.outbound = set(inbound_contexts), set(outbound_contexts)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.calls: dict[str, CallRecord] = {}
        self.channels: dict[str, str] = {}  # Uniqueid → Linkedid, for events that carry no Linkedid (Cdr)
        # Asterisk may post a call's CDRs after its last Hangup: recent calls stay here to take them
        self.recent: OrderedDict[str, CallRecord] = OrderedDict()
        self.recent_limit = 2000
        self.ignored: OrderedDict[str, None] = OrderedDict()  # linkedids and uniqueids of listening channels
        self.lost_at: dt.datetime | None = None  # when the manager connection was last heard before it broke
        self.board = AgentBoard()
        self.agent_handlers = self.board.handlers
        self.handlers: dict[str, Callable[[CallRecord, dict], None]] = {
            "Newchannel": self._newchannel,
            "Newexten": self._newexten,
            "VarSet": self._varset,
            **{name: self._on_queue(handler) for name, handler in queue_events.HANDLERS.items()},
            "OriginateResponse": self._originate_response,
            "Cdr": self._cdr,
            "Hangup": self._hangup,
            "CoreShowChannel": self._show_channel,  # resync after a (re)connect: a channel that is up
        }

    def _on_queue(self, handler: queue_events.Handler) -> Callable[[CallRecord, dict], None]:
        return lambda call, e: handler(call, e, self.clock)

    @property
    def agents(self) -> dict[tuple[str, str], AgentState]:
        return self.board.agents

    def feed(self, event: dict) -> list[CallRecord]:
        name = event.get("Event") or ""
        handler = self.handlers.get(name)
        if handler is None:
            agent_handler = self.agent_handlers.get(name)
            if agent_handler is not None:
                agent_handler(event)
            return []
        uniqueid = event.get("Uniqueid") or event.get("UniqueID") or ""
        linkedid = event.get("Linkedid") or self.channels.get(uniqueid)
        if not linkedid and name == "AgentComplete":
            return self._complete_without_caller(event)
        if not linkedid or (self.ignored and (linkedid in self.ignored or uniqueid in self.ignored)):
            return []
        call = self.calls.get(linkedid)
        if call is None and name == "Cdr" and linkedid in self.recent:
            late = self.recent[linkedid]
            self._cdr(late, event)
            queue_events.settle_times(late)
            return [late]  # stored again with exact times; the store upserts by Linkedid
        if name in ("Newchannel", "CoreShowChannel"):
            if listens_in(event):
                self._ignore(uniqueid)  # a spy leg, or a whole call that is only a spy
                return []
            if call is None:
                call = self.calls[linkedid] = CallRecord(linkedid)
        elif call is None:
            return []  # a call that started before we listened and was not resynced
        call.events += 1
        call.last_stamp = event.get("Timestamp") or call.last_stamp  # converted only if ever needed
        handler(call, event)
        if name == "Hangup" and not call.open_channels and linkedid in self.calls:
            return [self._finish(call)]
        return []

    def in_progress(self) -> list[str]:
        return list(self.calls)

    def waiting(self) -> list[CallRecord]:
        """Callers in a queue now (the supervisor's calls waiting)."""
        return [c for c in self.calls.values() if c.waiting]

    def connection_lost(self, at: dt.datetime) -> None:
        """The manager connection broke; `at` is the last moment anything was heard on it."""
        self.lost_at = at

    def reconcile(self, live_linkedids: set[str], cause: str = RECONCILED) -> list[CallRecord]:
        """After a reconnect: calls we were tracking that Asterisk no longer has ended while we were away —
        at the last moment they were known to be up, not now."""
        gone = [c for lid, c in self.calls.items() if lid not in live_linkedids]
        finished = []
        for call in gone:
            call.open_channels.clear()
            call.hangup_cause = call.hangup_cause or cause
            known = [t for t in (event_time({"Timestamp": call.last_stamp}), self.lost_at) if t is not None]
            call.ended_at = call.ended_at or (max(known) if known else self.clock())
            finished.append(self._finish(call))
        return finished

    def restore_answered(self) -> int:
        """After CoreShowChannels and QueueStatus: a caller bridged with a queue member talking at the same
        device was answered by that member (CoreShowChannel links legs only by BridgeId)."""
        restored = 0
        for call in self.calls.values():
            root = call.bridged.get(call.linkedid)
            legs = [leg for uid, leg in call.bridged.items() if uid != call.linkedid and root and leg[1] == root[1]]
            for channel, _bridge, seconds in legs:
                agent = None if call.agent else self.board.in_call_at(device_of(channel))
                if agent is not None:
                    call.agent, call.agent_interface = agent.member_name, agent.interface
                    call.queue, call.queue_joined = call.queue or agent.queue, True
                    call.answered_at = call.answered_at or self.clock() - dt.timedelta(seconds=seconds)
                    restored += 1
            call.bridged.clear()
        return restored

    # -- call handlers -----------------------------------------------------------------------

    def _newchannel(self, call: CallRecord, e: dict) -> None:
        uniqueid = e.get("Uniqueid", "")
        call.open_channels.add(uniqueid)
        call.channel_ids.add(uniqueid)
        self.channels[uniqueid] = call.linkedid
        if uniqueid != call.linkedid:
            return
        call.started_at = call.started_at or event_time(e) or self.clock()
        context, exten = e.get("Context", ""), e.get("Exten", "")
        call.contexts.add(context)
        if context in self.inbound:
            self._caller(call, e)
            if exten not in UNKNOWN:
                call.dialled = call.dialled or exten
        elif context in self.outbound and exten not in UNKNOWN | {"s"}:
            call.dialled = call.dialled or normalise_phone(exten) or exten  # the citizen being called

    def _show_channel(self, call: CallRecord, e: dict) -> None:
        uniqueid, seconds = e.get("Uniqueid", ""), duration_seconds(e.get("Duration")) or 0
        if uniqueid == call.linkedid:
            call.started_at = call.started_at or self.clock() - dt.timedelta(seconds=seconds)
            if e.get("Application") == "Queue":
                call.queue, call.queue_joined = (e.get("ApplicationData") or "").split(",")[0] or None, True
                call.queue_joined_at = call.queue_joined_at or self.clock() - dt.timedelta(seconds=seconds)  # at most
            call.recording = call.recording or e.get("ChanVariable:MIXMONITOR_FILENAME") or None
        if e.get("BridgeId"):
            call.bridged[uniqueid] = (e.get("Channel", ""), e["BridgeId"], seconds)
        self._newchannel(call, e)

    def _newexten(self, call: CallRecord, e: dict) -> None:
        if e.get("Uniqueid") != call.linkedid:
            return
        context, app = e.get("Context", ""), e.get("Application")
        call.contexts.add(context)
        if app in SPY_APPS:
            self._drop(call)
            return
        if context in self.outbound and context not in self.inbound and e.get("Exten") == "s":
            call.answered_at = call.answered_at or event_time(e) or self.clock()  # the callee picked up
        if context not in self.inbound | self.outbound:
            return
        if context in self.inbound:
            self._caller(call, e)
            if call.dialled is None and e.get("Exten") not in ("h", "s", "i", "t"):
                call.dialled = e.get("Exten")
        if app in INTERESTING_APPS:
            data = e.get("AppData", "")
            if app == "AGI":
                data = data.rsplit("/", 1)[-1]
            elif app == "Queue":
                data = data.split(",", 1)[0]
            call.ivr_path.append(f"{app}:{data}" if data else app)

    def _varset(self, call: CallRecord, e: dict) -> None:
        variable = e.get("Variable") or ""
        if not variable.startswith(("MIXMONITOR_FILENAME", "IVR_RESULT", "HOTLINE_")):
            return  # most VarSets (the dialplan's and the queue's own) say nothing about the call
        value, root = e.get("Value", ""), e.get("Uniqueid") == call.linkedid
        if variable == ROLE and value == "spy":
            self._drop(call) if root else self._ignore(e.get("Uniqueid", ""), call)
        elif variable == "MIXMONITOR_FILENAME" and root:
            call.recording = value
        elif variable == "IVR_RESULT" and value.startswith("recorded:"):
            call.message_recording = value.split(":", 1)[1]
        elif variable.startswith("HOTLINE_") and root:
            call.variables[variable] = value

    def _complete_without_caller(self, e: dict) -> list[CallRecord]:
        """When the operator hangs up first, app_queue publishes AgentComplete after the caller's channel is
        gone, with no channel snapshot (Asterisk 22, seen on the lab): it belongs to the latest call this
        member answered at this queue that has no talk time yet. A finished call is stored again."""
        interface, queue = e.get("Interface"), e.get("Queue")
        for open_call in self.calls.values():
            if open_call.agent_interface == interface and open_call.queue == queue and open_call.talk_seconds is None:
                queue_events.agent_complete(open_call, e, self.clock)
                return []
        for call in reversed(self.recent.values()):
            if call.agent_interface == interface and call.queue == queue:
                if call.talk_seconds is not None:
                    return []  # the member's latest call was completed already: not this one's
                queue_events.agent_complete(call, e, self.clock)
                queue_events.settle_times(call)
                return [call]
        return []

    def _originate_response(self, call: CallRecord, e: dict) -> None:
        parts = e.get("ActionID", "").split("-")
        if len(parts) == 3 and parts[0] == "callback":
            call.variables.setdefault("HOTLINE_CALLBACK", parts[1])

    def _cdr(self, call: CallRecord, e: dict) -> None:
        """The root channel's CDRs give exact start and end (Asterisk's clock, UTC)."""
        if e.get("DestinationContext") not in self.inbound:
            return
        start, end = cdr_time(e.get("StartTime")), cdr_time(e.get("EndTime"))
        if start and (call.cdr_start is None or start < call.cdr_start):
            call.cdr_start = call.started_at = start
        if end and (call.cdr_end is None or end > call.cdr_end):
            call.cdr_end = call.ended_at = end

    def _hangup(self, call: CallRecord, e: dict) -> None:
        call.open_channels.discard(e.get("Uniqueid", ""))
        if e.get("Uniqueid") == call.linkedid:
            call.hangup_cause = f"{e.get('Cause', '')} {e.get('Cause-txt', '')}".strip()
            call.ended_at = call.ended_at or event_time(e) or self.clock()

    def _caller(self, call: CallRecord, e: dict) -> None:
        number = e.get("CallerIDNum")
        if call.caller is None and number is not None and number not in UNKNOWN:
            call.caller = normalise_phone(number) or number[:32]

    # -- bookkeeping -------------------------------------------------------------------------

    def _ignore(self, uniqueid: str, call: CallRecord | None = None) -> None:
        if call is not None:
            call.open_channels.discard(uniqueid)
        self.ignored[uniqueid] = None
        while len(self.ignored) > self.recent_limit:
            self.ignored.popitem(last=False)

    def _drop(self, call: CallRecord) -> None:
        """A whole 'call' that only listens to another one: forget it."""
        self.calls.pop(call.linkedid, None)
        for uniqueid in call.channel_ids:
            self.channels.pop(uniqueid, None)
        self._ignore(call.linkedid)

    def _finish(self, call: CallRecord) -> CallRecord:
        self.calls.pop(call.linkedid, None)
        self.recent[call.linkedid] = call
        while len(self.recent) > self.recent_limit:
            _, gone = self.recent.popitem(last=False)
            for uniqueid in gone.channel_ids:
                self.channels.pop(uniqueid, None)
        queue_events.settle_times(call)
        call.direction, call.purpose = kind_of(call, self.inbound, self.outbound)
        call.disposition = disposition_of(call)
        return call
