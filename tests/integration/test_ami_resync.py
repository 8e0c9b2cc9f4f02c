"""The listener away and back, over real TCP with what Asterisk 22.10.1 sent in the lab (captures/restart-*,
cdr-gap.*): an answered call restored after a restart, a crash's end time, calls backfilled from the CDR file."""

from __future__ import annotations

import datetime as dt
import shutil
import time

from sqlalchemy import select

from hotline.core.db import session_scope
from hotline.models import Call, CdrCursor
from hotline.simulator.capture import CAPTURES, SEP, Capture, recorded_answers
from hotline.telephony.listener import AmiListener
from hotline.telephony.repository import AgentRepository, CallRepository
from hotline.telephony.service import DatabaseSinks
from hotline.telephony.tracker import RECONCILED, CallTracker

CALL = Capture.load(CAPTURES / "restart-call.ami")  # 13800138001 queued, answered by op1 at Local/1001@agent-sim/n
KILLED, RESTARTED = 1796002859.27, 1796002864.93  # `hotline ami` was killed -9 and started again (lab times)
LINKEDID = "1796002844.10"


def at(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def start(pbx, ctx, session_factory) -> AmiListener:
    listener = AmiListener("127.0.0.1", pbx.port, pbx.username, pbx.secret, DatabaseSinks(ctx, session_factory),
                           tracker=CallTracker(clock=ctx.clock.now), ping_interval=0.2).start()
    assert listener.connected.wait(10)
    listener.idle()
    return listener


def stored(session_factory) -> dict[str, Call]:
    with session_factory() as s:
        return {c.linkedid: c for c in s.scalars(select(Call))}


def test_listener_restarted_mid_call_stores_who_answered_from_resync_and_agent_complete(pbx, ctx, session_factory):
    pbx.answers = recorded_answers(CAPTURES / "restart-reconnect.ami", CAPTURES / "restart-reconnect.sent.ami")
    ctx.clock.set(at(RESTARTED))
    listener = start(pbx, ctx, session_factory)  # a fresh process: it knows the call only from the resync
    try:
        assert listener.tracker.calls[LINKEDID].agent == "op1"  # CoreShowChannels' BridgeId + QueueStatus InCall
        pbx.send_raw(b"".join(p + SEP for p in CALL.between(RESTARTED)))  # the rest of the call
        listener.idle()
    finally:
        listener.stop()
    call = stored(session_factory)[LINKEDID]
    assert (call.disposition, call.agent, call.agent_interface, call.queue) == \
        ("answered", "op1", "Local/1001@agent-sim/n", "hotline-queue")
    assert (call.wait_seconds, call.talk_seconds, call.caller, call.direction) == (2, 38, "13800138001", "inbound")
    assert abs((call.answered_at - at(1796002856.26)).total_seconds()) < 1  # AgentComplete: its time − TalkTime
    assert call.started_at == at(1796002844) and call.ended_at == at(1796002894)  # the root channel's CDR


def test_call_that_died_with_asterisk_ends_when_it_was_last_known_up_not_at_the_reconnect(pbx, ctx, session_factory):
    ctx.clock.set(at(1796002844.0))
    listener = start(pbx, ctx, session_factory)
    try:
        pbx.send_raw(b"".join(p + SEP for p in CALL.between(0, KILLED)))  # up to the agent talking
        listener.idle()
        ctx.clock.set(at(KILLED))
        listener.idle()  # pings answered: Asterisk was heard at KILLED with the call still up
        pbx.live_channels = []  # Asterisk killed -9 and started again: the call is gone, no Hangup was sent
        pbx.drop_connections()
        ctx.clock.set(at(KILLED + 60))  # back a minute later
        deadline = time.monotonic() + 10
        while LINKEDID not in stored(session_factory) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        listener.stop()
    call = stored(session_factory)[LINKEDID]
    assert call.hangup_cause == RECONCILED and call.agent == "op1"
    assert call.ended_at == at(KILLED)


def test_calls_made_while_the_listener_was_away_are_backfilled_once_from_the_cdr_file(
        pbx, ctx, session_factory, tmp_path):
    cdr = tmp_path / "hotline-cdr.json"
    lines = (CAPTURES / "cdr-gap.hotline-cdr.json").read_bytes().splitlines(keepends=True)
    cdr.write_bytes(b"".join(lines[:4]) + lines[4][:40])  # the last line still being written
    with session_scope(session_factory) as s:
        AgentRepository(s).claim("hotline-queue", "Local/1001@agent-sim/n", "op1", None, ctx.clock.now())
    ctx = ctx.__class__(**{**ctx.__dict__, "settings": ctx.settings.model_copy(update={"cdr_file": cdr})})
    start(pbx, ctx, session_factory).stop()
    assert set(stored(session_factory)) == {"1796002927.13", "1796002965.14"}
    cdr.write_bytes(b"".join(lines))  # Asterisk finished the line and the answered call
    start(pbx, ctx, session_factory).stop()
    start(pbx, ctx, session_factory).stop()  # a third connect reads nothing new
    calls = stored(session_factory)
    assert set(calls) == {"1796002927.13", "1796002965.14", "1796002992.17"}
    message, abandoned, answered = (calls[k] for k in ("1796002927.13", "1796002965.14", "1796002992.17"))
    # captured with endbeforehexten = no: the h extension overwrote dst (config/asterisk/cdr.conf sets yes)
    assert (message.disposition, message.caller, message.dialled) == ("ivr_only", "13700137021", None)
    assert (abandoned.disposition, abandoned.queue, abandoned.started_at) == \
        ("abandoned", "hotline-queue", at(1796002965.139625))
    assert (answered.disposition, answered.agent, answered.agent_interface, answered.talk_seconds) == \
        ("answered", "op1", "Local/1001@agent-sim/n", 13)
    assert answered.ended_at == at(1796003017.253443)  # the last leg to end
    with session_factory() as s:
        assert s.scalars(select(CdrCursor.position)).one() == len(b"".join(lines))


def test_a_replaced_cdr_file_is_read_from_its_start_and_calls_in_progress_are_left_to_the_tracker(
        pbx, ctx, session_factory, tmp_path):
    cdr = tmp_path / "hotline-cdr.json"
    shutil.copy(CAPTURES / "cdr-gap.hotline-cdr.json", cdr)
    sinks = DatabaseSinks(ctx.__class__(**{**ctx.__dict__, "settings": ctx.settings.model_copy(
        update={"cdr_file": cdr})}), session_factory)
    assert sinks.backfill(in_progress={"1796002992.17"}) == 2
    cdr.rename(tmp_path / "hotline-cdr.json.1")  # rotated: a new file under the same name
    cdr.write_bytes(b"".join((CAPTURES / "cdr-gap.hotline-cdr.json").read_bytes().splitlines(keepends=True)[1:]))
    assert sinks.backfill(in_progress=set()) == 1  # the call that was in progress; nothing twice
    assert len(stored(session_factory)) == 3


def test_a_call_the_resync_closed_with_a_guess_gets_asterisks_times(ctx, session_factory):
    from hotline.telephony.records import CallRecord

    guessed = CallRecord("1796002965.14", started_at=at(1796002960), ended_at=at(1796003100),
                         hangup_cause=RECONCILED, disposition="abandoned")
    exact = CallRecord("1796002965.14", started_at=at(1796002965.1), ended_at=at(1796002991.2), disposition="x")
    with session_scope(session_factory) as s:
        CallRepository(s).save([guessed], ctx.clock.now())
    with session_scope(session_factory) as s:
        assert CallRepository(s).backfill([exact], RECONCILED, ctx.clock.now()) == 0
    call = stored(session_factory)["1796002965.14"]
    assert (call.started_at, call.ended_at, call.disposition) == (at(1796002965.1), at(1796002991.2), "abandoned")


def test_resync_restores_the_recording_from_the_channel_variables_asterisk_reports(pbx, ctx, session_factory):
    """This branch's manager.conf (channelvars) on the lab's Asterisk: CoreShowChannel carries
    `ChanVariable: MIXMONITOR_FILENAME=…`, so a restarted listener knows the call's recording."""
    pbx.answers = recorded_answers(CAPTURES / "resync-channelvars.ami", CAPTURES / "resync-channelvars.sent.ami")
    listener = start(pbx, ctx, session_factory)
    try:
        call = listener.tracker.calls["1796007692.6"]
    finally:
        listener.stop()
    assert (call.agent, call.agent_interface, call.queue, call.caller) == \
        ("op1", "Local/1001@agent-sim/n", "hotline-queue", "13800138041")
    assert call.recording == "/var/spool/asterisk/monitor/1796007692.6.wav"


def test_cdrs_written_with_this_branchs_cdr_conf_give_dialled_number_recording_and_message(
        pbx, ctx, session_factory, tmp_path):
    """endbeforehexten = yes and the hotline_recording CDR variable, as the lab wrote them (two answered calls and
    a message left while `hotline ami` was stopped)."""
    from hotline.dispatch.service import WorkOrderService
    from tests.factories import OPERATOR, draft

    with session_scope(session_factory) as s:
        AgentRepository(s).claim("hotline-queue", "Local/1001@agent-sim/n", "op1", None, ctx.clock.now())
        WorkOrderService(s, ctx).create(draft(source_id="1796007848.15"), OPERATOR)  # the IVR's order
    cdr = shutil.copy(CAPTURES / "cdr-gap-endbeforehexten.hotline-cdr.json", tmp_path / "hotline-cdr.json")
    ctx = ctx.__class__(**{**ctx.__dict__, "settings": ctx.settings.model_copy(update={"cdr_file": cdr})})
    assert DatabaseSinks(ctx, session_factory).backfill(set()) == 3
    calls = stored(session_factory)
    answered, message = calls["1796007755.9"], calls["1796007848.15"]
    assert (answered.dialled, answered.agent, answered.talk_seconds, answered.recording) == \
        ("12345", "op1", 13, "/var/spool/asterisk/monitor/1796007755.9.wav")
    assert (message.dialled, message.disposition, message.work_order_id is not None) == ("12345", "message_left", True)
