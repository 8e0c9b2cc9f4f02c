"""Callers waiting in a queue, as the tracker knows them: from QueueCallerJoin until they are answered,
abandon or leave, and after a reconnect from the channels Asterisk still has in the Queue application."""

from __future__ import annotations

import datetime as dt

from hotline.telephony.tracker import CallTracker

NOW = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


def channel(linkedid: str, **extra) -> dict:
    return {"Event": "Newchannel", "Uniqueid": linkedid, "Linkedid": linkedid, "Context": "hotline-in",
            "Exten": "12345", "CallerIDNum": "13800138000", **extra}


def event(name: str, linkedid: str, **extra) -> dict:
    return {"Event": name, "Uniqueid": linkedid, "Linkedid": linkedid, **extra}


def test_a_caller_waits_from_joining_the_queue_until_answered_or_gone():
    tracker = CallTracker(clock=lambda: NOW)
    for lid in ("a", "b", "c"):
        tracker.feed(channel(lid))
        tracker.feed(event("QueueCallerJoin", lid, Queue="hotline-queue", Timestamp=str(NOW.timestamp() - 30)))
    assert {c.linkedid for c in tracker.waiting()} == {"a", "b", "c"}
    assert tracker.calls["a"].queue_joined_at == NOW - dt.timedelta(seconds=30)
    tracker.feed(event("AgentConnect", "a", Queue="hotline-queue", MemberName="Agent1001", HoldTime="30"))
    tracker.feed(event("QueueCallerAbandon", "b", Queue="hotline-queue", HoldTime="31"))
    tracker.feed(event("QueueCallerLeave", "c", Queue="hotline-queue"))
    assert tracker.waiting() == []


def test_after_a_reconnect_a_channel_still_in_the_queue_is_waiting_since_its_duration():
    tracker = CallTracker(clock=lambda: NOW)
    tracker.feed(event("CoreShowChannel", "r", Context="hotline-in", Exten="12345", Application="Queue",
                       ApplicationData="hotline-queue,,,,300", Duration="00:01:15", CallerIDNum="13800138000"))
    [waiting] = tracker.waiting()
    assert (waiting.queue, waiting.queue_joined_at) == ("hotline-queue", NOW - dt.timedelta(seconds=75))
    tracker.feed(event("Hangup", "r"))
    assert tracker.waiting() == []
