"""Transcription jobs on both databases: a voice message becomes text and a draft; failures keep
the recording and say why; no model means a clear wait; the periodic pass loses nothing."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from hotline.asr import loader as engines
from hotline.asr.fake import FakeEngine
from hotline.core.actor import SYSTEM
from hotline.core.db import session_scope
from hotline.core.jobs import REGISTRY, InProcessQueue, Runtime, install_after_commit
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.service import WorkOrderService
from hotline.ivr.services import DatabaseServices
from hotline.models import Recording, Transcript, WorkOrder, WorkOrderEvent
from hotline.runtime.context import build_context
from hotline.simulator.fake import CAPTURES
from hotline.simulator.speech import demo_engine
from hotline.voice.messages import PLACEHOLDER as MESSAGE_CONTENT
from hotline.voice.messages import VoiceMessages
from hotline.voice.tasks import transcribe_recording
from tests.speech import silence, write

MESSAGE = CAPTURES / "agi-1795257454.2.wav"
CALLER = "13800138000"


@pytest.fixture
def asr_ctx(settings, clock, config, tmp_path):
    """Settings with a recordings directory of their own and the demo's scripted recogniser."""
    engines.forget_engine()
    engines.use_scripted(demo_engine())
    yield build_context(settings.model_copy(update={"recordings_dir": tmp_path / "rec", "asr_engine": "fake"}),
                        clock=clock, config=config)
    engines.forget_engine()


@pytest.fixture
def runtime(asr_ctx, session_factory):
    queue = InProcessQueue()
    install_after_commit(session_factory, queue)
    queue.runtime = Runtime(asr_ctx, session_factory, queue)
    return queue.runtime


def leave_message(runtime, linkedid="1795257454.2", source=MESSAGE, judge_speech=True) -> tuple[str, int]:
    """What the IVR does when a caller leaves a message: the file lands, the order is made."""
    folder = runtime.ctx.settings.recordings_dir
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, folder / f"msg-{linkedid}.wav")
    path = f"/var/spool/asterisk/monitor/msg-{linkedid}.wav"
    if judge_speech:
        ticket, _ = DatabaseServices(runtime.ctx, runtime.session_factory).message_order_now(CALLER, linkedid, path)
    else:  # registered as it is (the IVR's own check would drop a silent one)
        with session_scope(runtime.session_factory) as s:
            ticket, _ = VoiceMessages(s, runtime.ctx).register(CALLER, linkedid, path)
    with runtime.session_factory() as s:
        return ticket, s.scalar(select(Recording.id).where(Recording.linkedid == linkedid))


def test_a_voice_message_becomes_the_orders_text_with_a_draft(runtime, session_factory):
    ticket, recording_id = leave_message(runtime)
    runtime.queue.drain()  # the job was sent when the order committed
    with session_factory() as s:
        order = s.scalars(select(WorkOrder).where(WorkOrder.ticket_no == ticket)).one()
        rec = s.get(Recording, recording_id)
        transcript = s.scalars(select(Transcript)).one()
        event = s.scalars(select(WorkOrderEvent).where(WorkOrderEvent.action == "transcribe")).one()
    assert rec.status == "transcribed" and rec.error is None and rec.attempts == 1
    # Vosk writes no punctuation; spoken 两 before a measure word becomes a digit
    assert order.content == "我家小区停水了已经2天了请尽快派人处理" and order.state == "received"
    assert order.title == "语音留言：停水"
    assert (order.suggested_category_code, order.suggestion_model) == ("utility.water.outage", "rules")
    assert (transcript.engine, transcript.model) == ("fake", "demo-scripted")
    assert transcript.raw_text.split()[:3] == ["我家", "小区", "停水"] and transcript.words[0]["word"] == "我家"
    assert transcript.duration_s == pytest.approx(11.0, abs=0.1)
    assert transcript.draft["category"]["code"] == "utility.water.outage" and transcript.draft["tier"] == "livelihood"
    assert transcript.draft["department"]["code"] == "371500-WATER"
    assert event.data["suggested"]["category"]["code"] == "utility.water.outage" and event.to_state == "received"


def test_the_job_is_idempotent(runtime, session_factory):
    _, recording_id = leave_message(runtime)
    runtime.queue.drain()
    assert REGISTRY["hotline.asr.transcribe"](runtime, recording_id) == "transcribed"
    assert transcribe_recording(runtime, recording_id, FakeEngine(default="别的话")) == "transcribed"
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Transcript)) == 1
        assert s.scalar(select(func.count()).select_from(WorkOrderEvent).where(WorkOrderEvent.action == "transcribe")) == 1


def test_a_corrupt_file_fails_with_its_reason_and_is_kept(runtime, session_factory, tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVE")
    ticket, recording_id = leave_message(runtime, source=bad)
    runtime.queue.drain()
    with session_factory() as s:
        rec = s.get(Recording, recording_id)
        order = s.scalars(select(WorkOrder).where(WorkOrder.ticket_no == ticket)).one()
    assert rec.status == "failed" and "WAV" in rec.error
    assert order.content == MESSAGE_CONTENT  # the operator types the text; nothing was lost
    assert (runtime.ctx.settings.recordings_dir / "msg-1795257454.2.wav").exists()


def test_silence_leaves_the_placeholder(runtime, session_factory, tmp_path):
    quiet = write(tmp_path / "quiet.wav", silence(5, 8000), 8000)
    ticket, recording_id = leave_message(runtime, source=quiet, judge_speech=False)
    runtime.queue.drain()
    with session_factory() as s:
        assert s.get(Recording, recording_id).status == "transcribed"
        assert s.scalars(select(Transcript)).one().text == ""
        assert s.scalars(select(WorkOrder)).one().content == MESSAGE_CONTENT


def queued(ctx, session_factory) -> Runtime:
    queue = InProcessQueue()
    queue.runtime = Runtime(ctx, session_factory, queue)
    return queue.runtime


def test_without_a_model_jobs_wait_then_run_once_one_is_there(asr_ctx, session_factory, tmp_path):
    no_model = asr_ctx.settings.model_copy(update={"asr_engine": "vosk", "asr_model_dir": tmp_path / "none"})
    waiting = queued(build_context(no_model, clock=asr_ctx.clock, config=asr_ctx.config), session_factory)
    runtime = queued(asr_ctx, session_factory)
    _, recording_id = leave_message(waiting)
    REGISTRY["hotline.asr.transcribe"](waiting, recording_id)
    with session_factory() as s:
        rec = s.get(Recording, recording_id)
        assert rec.status == "no_model" and "no such directory" in rec.error and rec.attempts == 0
    assert REGISTRY["hotline.asr.pending"](waiting) == 0  # still no model: nothing to send
    assert REGISTRY["hotline.asr.pending"](runtime) == 1  # a recogniser now: the waiting one is sent
    runtime.queue.drain()
    with session_factory() as s:
        assert s.get(Recording, recording_id).status == "transcribed"


def test_a_lost_job_is_sent_again_by_the_periodic_pass(asr_ctx, session_factory, clock):
    _, recording_id = leave_message(Runtime(asr_ctx, session_factory, None))  # the job never left: Redis was down
    runtime = queued(asr_ctx, session_factory)
    assert REGISTRY["hotline.asr.pending"](runtime) == 0  # too fresh: its job may still be on its way
    clock.advance(seconds=asr_ctx.settings.job_visibility_timeout + 1)
    assert REGISTRY["hotline.asr.pending"](runtime) == 1
    runtime.queue.drain()
    with session_factory() as s:
        assert s.get(Recording, recording_id).status == "transcribed"


def test_an_order_the_operator_already_wrote_keeps_its_text(asr_ctx, session_factory):
    runtime = queued(asr_ctx, session_factory)
    ticket, recording_id = leave_message(Runtime(asr_ctx, session_factory, None))
    with session_scope(session_factory) as s:
        order = s.scalars(select(WorkOrder).where(WorkOrder.ticket_no == ticket)).one()
        service = WorkOrderService(s, runtime.ctx)
        service.accept(order.id, SYSTEM, category_code="water.outage")
        order.content = "接线员记录：小区停水两天"
    transcribe_recording(runtime, recording_id, engines.engine_for(runtime.ctx.settings)[0])
    with session_factory() as s:
        assert s.scalars(select(WorkOrder)).one().content == "接线员记录：小区停水两天"
        assert s.scalars(select(Transcript)).one().text.startswith("我家小区停水了")


def test_repeat_caller_same_phone_category_and_place(runtime, session_factory, asr_ctx):
    from hotline.intake.service import IntakeService

    with session_scope(session_factory) as s:
        service = WorkOrderService(s, asr_ctx)
        earlier = service.create(WorkOrderDraft(title="停水", content="东关社区停水", category_code="water.outage",
                                                place="东昌府区古楼街道东关社区", citizen_phone=CALLER), SYSTEM).order
        service.create(WorkOrderDraft(title="路灯", content="路灯不亮", category_code="city.road",
                                      place="东关社区", citizen_phone=CALLER), SYSTEM)
        ticket = earlier.ticket_no
    with session_factory() as s:
        intake = IntakeService(s, asr_ctx)
        again = intake.analyze("东关社区又停水了", CALLER)
        assert again.repeat["tickets"] == [ticket] and again.repeat["reason"] in again.reasons
        assert intake.analyze("东关社区又停水了", "13900000000").repeat is None  # another phone
        assert intake.analyze("湖西社区停水了", CALLER).repeat is None  # another place
        assert intake.analyze("东关社区暖气不热", CALLER).repeat is None  # another category
    asr_ctx.clock.advance(days=asr_ctx.config.intake.repeat_window_days + 1)
    with session_factory() as s:
        assert IntakeService(s, asr_ctx).analyze("东关社区又停水了", CALLER).repeat is None  # outside the window
