"""What a call's queue events say about it: joining, leaving, giving up, and the operator who answered.

Pure functions of one call record and one AMI event (a dict of headers); `now` is the tracker's clock, used
when an event carries no timestamp. The tracker maps each event name to one of these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hotline.telephony.records import CallRecord, as_int, event_time

Clock = Callable[[], dt.datetime]
Handler = Callable[[CallRecord, dict, Clock], None]


def queue_join(call: CallRecord, e: dict, now: Clock) -> None:
    call.queue, call.queue_joined = e.get("Queue"), True
    call.queue_joined_at = event_time(e) or now()


def queue_leave(call: CallRecord, e: dict, now: Clock) -> None:
    call.queue_left = True


def queue_abandon(call: CallRecord, e: dict, now: Clock) -> None:
    call.abandoned = True
    call.wait_seconds = as_int(e.get("HoldTime"))


def agent_connect(call: CallRecord, e: dict, now: Clock) -> None:
    call.agent, call.agent_interface = e.get("MemberName"), e.get("Interface")
    call.agent_channel = e.get("DestChannel") or call.agent_channel
    call.caller_channel = e.get("Channel") or call.caller_channel
    call.wait_seconds = as_int(e.get("HoldTime"))
    call.answered_at = call.answered_at or event_time(e) or now()


def agent_complete(call: CallRecord, e: dict, now: Clock) -> None:
    """The end of an answered queue call carries who, where and how long: enough on its own when the
    listener missed the connect (a restart mid-call)."""
    call.agent = call.agent or e.get("MemberName")
    call.agent_interface = call.agent_interface or e.get("Interface")
    call.queue, call.queue_joined = call.queue or e.get("Queue"), True
    call.wait_seconds = call.wait_seconds if call.wait_seconds is not None else as_int(e.get("HoldTime"))
    call.talk_seconds = as_int(e.get("TalkTime"))
    if call.talk_seconds is not None:
        call.answered_at = (event_time(e) or now()) - dt.timedelta(seconds=call.talk_seconds)


def settle_times(call: CallRecord) -> None:
    """With the root channel's CDR end and the talk time, the answer is dated on Asterisk's own clock."""
    if call.cdr_end and call.talk_seconds is not None and call.agent:
        call.answered_at = call.cdr_end - dt.timedelta(seconds=call.talk_seconds)


HANDLERS: dict[str, Handler] = {
    "QueueCallerJoin": queue_join,
    "QueueCallerLeave": queue_leave,
    "QueueCallerAbandon": queue_abandon,
    "AgentConnect": agent_connect,
    "AgentComplete": agent_complete,
}
