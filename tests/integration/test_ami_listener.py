"""The AMI listener over real TCP against the simulated PBX: records, replays, faults, agents, screen pops."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import func, select

from hotline.core.db import session_scope
from hotline.core.errors import ConflictError
from hotline.dispatch.service import WorkOrderService
from hotline.models import AgentSession, Call
from hotline.simulator.fake import CAPTURES, Capture
from hotline.telephony.listener import AmiListener, Sinks
from hotline.telephony.pbx import AmiPbx as Pbx
from hotline.telephony.pbx import PbxUnavailableError
from hotline.telephony.service import DatabaseSinks
from tests.factories import OPERATOR, draft

ANSWERED, ABANDONED, IVR = (Capture.load(CAPTURES / f"{n}.ami") for n in ("queue-answered", "queue-abandon", "ivr-agi"))


class Collect(Sinks):
    def __init__(self) -> None:
        self.records: dict[str, dict] = {}
        self.pops = []

    def calls(self, records):
        for r in records:
            self.records[r.linkedid] = r.as_dict()

    def connected(self, call):
        self.pops.append(call.linkedid)


def listen(pbx, sinks, **kw) -> AmiListener:
    listener = AmiListener("127.0.0.1", pbx.port, pbx.username, pbx.secret, sinks, **kw).start()
    assert listener.connected.wait(10)
    listener.idle()
    return listener


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_replayed_captures_become_call_records_and_the_same_stream_twice_stores_each_call_once(
        pbx, session_factory, ctx):
    listener = listen(pbx, DatabaseSinks(ctx, session_factory))
    try:
        for _ in range(2):
            for capture in (ANSWERED, ABANDONED, IVR):
                pbx.play(capture, fresh=False)
            listener.idle()
    finally:
        listener.stop()
    with session_factory() as s:
        calls = {c.linkedid: c for c in s.scalars(select(Call))}
    assert set(calls) == {"1795257491.4", "1795257533.8", "1795257454.2"}
    answered = calls["1795257491.4"]
    assert (answered.disposition, answered.agent, answered.wait_seconds, answered.talk_seconds) == \
        ("answered", "Agent1001", 2, 31)
    assert calls["1795257533.8"].disposition == "abandoned"
    assert calls["1795257454.2"].disposition == "message_left"


def test_fresh_replays_make_distinct_calls(pbx):
    sinks = Collect()
    listener = listen(pbx, sinks)
    try:
        for _ in range(5):
            pbx.play(ANSWERED)
        listener.idle()
    finally:
        listener.stop()
    assert len(sinks.records) == 5 and {r["disposition"] for r in sinks.records.values()} == {"answered"}
    assert len(sinks.pops) == 5


def test_malformed_packets_bad_bytes_and_oversized_packets_are_survived(pbx):
    sinks = Collect()
    listener = listen(pbx, sinks)
    try:
        pbx.send_raw(b"this is not an AMI packet\r\n\r\n")
        pbx.send_raw(b"Event: Newchannel\r\nCallerIDName: \xff\xfe\xfd\r\nUniqueid: 9.9\r\nLinkedid: 9.9\r\n\r\n")
        pbx.send_raw(b"Event: Flood\r\nData: " + b"x" * 200_000 + b"\r\n\r\n")
        pbx.play(ANSWERED)
        listener.idle()
        assert len(sinks.records) == 1
        assert listener.client.malformed == 1
        assert listener.client.reader.problems == {"not_utf8": 1, "oversized": 1}
    finally:
        listener.stop()


def test_connection_dropped_mid_event_then_asterisk_back_loses_no_completed_call(pbx):
    sinks = Collect()
    listener = listen(pbx, sinks, ping_interval=0.2)
    try:
        packets = pbx.freshen(ANSWERED, ANSWERED.first_time())
        half = len(packets) // 2
        pbx.send_raw(b"".join(p + b"\r\n\r\n" for p in packets[:half]) + packets[half][:20])  # cut inside a packet
        listener.idle()
        linkedid = next(iter(listener.tracker.calls))
        pbx.live_channels = [{"Channel": "Local/play@citizen-sim-00000100;1", "Uniqueid": linkedid,
                              "Linkedid": linkedid, "CallerIDNum": "13800138000", "Context": "hotline-in",
                              "Exten": "12346"}]
        pbx.drop_connections()  # Asterisk restarts; the call is still up on the other side
        assert wait_for(lambda: listener.stats.connects >= 2)
        listener.idle()
        assert sinks.records == {}  # still in progress: resync kept it open
        pbx.send_raw(b"".join(p + b"\r\n\r\n" for p in packets[half:]))
        listener.idle()
        assert list(sinks.records) == [linkedid] and sinks.records[linkedid]["disposition"] == "answered"
    finally:
        listener.stop()


def test_call_that_ended_while_disconnected_is_closed_by_the_resync(pbx):
    sinks = Collect()
    listener = listen(pbx, sinks, ping_interval=0.2)
    try:
        packets = pbx.freshen(ABANDONED, ABANDONED.first_time())
        pbx.send_raw(b"".join(p + b"\r\n\r\n" for p in packets[:40]))
        listener.idle()
        pbx.live_channels = []
        pbx.drop_connections()
        assert wait_for(lambda: len(sinks.records) == 1)
        record = next(iter(sinks.records.values()))
        assert record["hangup_cause"] == "ended while the listener was disconnected"
    finally:
        listener.stop()


def test_refused_login_is_retried_until_asterisk_accepts(pbx):
    pbx.refuse_logins = True
    listener = AmiListener("127.0.0.1", pbx.port, pbx.username, pbx.secret, Collect(), backoff_max=0.2).start()
    try:
        assert wait_for(lambda: listener.stats.refused_logins >= 2)
        assert not listener.connected.is_set()
        pbx.refuse_logins = False
        assert listener.connected.wait(10)
    finally:
        listener.stop()


def test_event_flood_is_read_without_blocking_and_every_call_stored(pbx, session_factory, ctx):
    listener = listen(pbx, DatabaseSinks(ctx, session_factory))
    try:
        for _ in range(60):
            pbx.play(ANSWERED)
            pbx.play(ABANDONED)
        assert listener.idle(60)
        assert listener.stats.lag_p99_ms() is not None
    finally:
        listener.stop()
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Call)) == 120


def test_agent_actions_go_through_ami_and_state_comes_back_from_events(pbx, session_factory, ctx):
    listener = listen(pbx, DatabaseSinks(ctx, session_factory))
    pbx_port = Pbx("127.0.0.1", pbx.port, pbx.username, pbx.secret)
    try:
        pbx_port.queue_add("hotline-queue", "PJSIP/1001", "话务员1001")
        pbx_port.queue_pause("hotline-queue", "PJSIP/1001", True, "午休")
        with pytest.raises(ConflictError, match="Already there"):
            pbx_port.queue_add("hotline-queue", "PJSIP/1001", "话务员1001")
        listener.idle()
        with session_factory() as s:
            agent = s.scalars(select(AgentSession)).one()
            assert (agent.member_name, agent.paused, agent.pause_reason) == ("话务员1001", True, "午休")
        pbx_port.queue_remove("hotline-queue", "PJSIP/1001")
        listener.idle()
        with session_factory() as s:
            assert s.scalars(select(AgentSession)).one().logged_in is False
    finally:
        listener.stop()
    with pytest.raises(PbxUnavailableError):
        Pbx(None, 5038, "x", "y").queue_add("q", "i", "n")
    with pytest.raises(PbxUnavailableError, match="unreachable"):
        Pbx("127.0.0.1", 1, "x", "y").queue_add("q", "i", "n")


def test_screen_pop_reaches_the_answering_operator_with_the_callers_history(pbx, session_factory, ctx):
    with session_scope(session_factory) as s:
        WorkOrderService(s, ctx).create(draft(citizen_phone="13800138000", title="上次停水"), OPERATOR)
        from hotline.models import User
        user = User(username="op1001", display_name="话务员", role="operator", password_hash="x", active=True,
                    created_at=ctx.clock.now())
        s.add(user)
        s.flush()
        s.add(AgentSession(queue="hotline-queue", interface="Local/1001@agent-sim/n", member_name="Agent1001",
                           user_id=user.id, updated_at=ctx.clock.now()))
        user_id = user.id
    bus = ctx.live
    received = []

    async def subscriber(ready):
        async with bus.subscribe(f"agent:{user_id}") as q:
            ready.set()
            received.append(await asyncio.wait_for(q.get(), 10))

    loop = asyncio.new_event_loop()
    ready = asyncio.Event()
    task = loop.create_task(subscriber(ready))
    loop.run_until_complete(ready.wait())
    listener = listen(pbx, DatabaseSinks(ctx, session_factory))
    try:
        pbx.play(ANSWERED)
        loop.run_until_complete(task)
    finally:
        listener.stop()
        loop.close()
    pop = received[0]
    assert pop["type"] == "screen_pop" and pop["agent"] == "Agent1001"
    assert pop["history"]["known"] and [o["title"] for o in pop["history"]["open"]] == ["上次停水"]


def test_channels_that_only_listen_in_are_never_stored_as_calls(pbx, session_factory, ctx):
    """Six AudioSocket channels originated with ChanSpy on a queue call (lab h-live-audio): one call."""
    listener = listen(pbx, DatabaseSinks(ctx, session_factory))
    try:
        pbx.play(CAPTURES / "chanspy-audiosocket.ami", fresh=False)
        listener.idle()
    finally:
        listener.stop()
    with session_factory() as s:
        calls = s.scalars(select(Call)).all()
    assert [(c.linkedid, c.caller, c.disposition) for c in calls] == [("1796003442.38", "13800138090", "answered")]


def test_a_channel_originated_with_hotline_role_spy_is_not_a_call(pbx):
    """Lab run of this branch: the VarSet HOTLINE_ROLE=spy comes after the channel's Newchannel."""
    sinks = Collect()
    listener = listen(pbx, sinks)
    try:
        pbx.play(CAPTURES / "spy-originate.ami", fresh=False)
        listener.idle()
        assert listener.tracker.calls == {}
    finally:
        listener.stop()
    assert sinks.records == {}


def test_e164_caller_ids_are_stored_as_the_citizens_number(pbx):
    sinks = Collect()
    listener = listen(pbx, sinks)
    try:
        pbx.play(CAPTURES / "e164-callers.ami", fresh=False)  # +8613800138077 and 008613800138078, verbatim
        listener.idle()
    finally:
        listener.stop()
    assert sorted(r["caller"] for r in sinks.records.values()) == ["13800138077", "13800138078"]


def test_a_member_removed_while_paused_is_stored_unpaused(pbx, session_factory, ctx):
    """The lab's QueueMemberRemoved reports the member as it was: `Paused: 1`, `PausedReason: 午餐`."""
    listener = listen(pbx, DatabaseSinks(ctx, session_factory))
    try:
        pbx.play(CAPTURES / "queue-member-removed.ami", fresh=False)
        listener.idle()
    finally:
        listener.stop()
    with session_factory() as s:
        place = s.scalars(select(AgentSession)).one()
    assert (place.queue, place.member_name, place.logged_in, place.paused, place.pause_reason) == \
        ("callback-queue", "cb1", False, False, None)
