"""The demo's simulated PBX records a queue call as Asterisk does — three 8 kHz 16-bit WAV files named in
HOTLINE_REC_CITIZEN / HOTLINE_REC_OPERATOR, written before MixMonitorStop — so the after-call path runs in
`make demo`: the call's dialogue is transcribed (the demo's scripted recogniser) and /healthz counts no
failed recording."""

from __future__ import annotations

import time
import wave

import httpx2 as httpx
import pytest
from sqlalchemy import select

from hotline.asr import loader as engines
from hotline.core.jobs import InProcessQueue
from hotline.models import Call, CallDialogue, Recording
from hotline.runtime.api import create_app
from hotline.runtime.context import build_context
from hotline.runtime.processes import agi_server, ami_listener
from hotline.simulator.capture import CAPTURES, Capture
from hotline.simulator.demo import SimulatedPbx
from hotline.simulator.recording import with_recording_events
from hotline.simulator.speech import MESSAGE_TEXT, demo_engine
from tests.integration.served import on_a_port


@pytest.fixture
def demo(settings, clock, config, session_factory, tmp_path, monkeypatch):
    """`hotline demo` in small: its simulated PBX (first call after 3 s: a queue call), the real AMI listener,
    FastAGI IVR and API, jobs in-process, the demo's recogniser."""
    monkeypatch.setattr(engines, "_SCRIPTED", demo_engine())
    engines.forget_engine()
    simulated = SimulatedPbx(interval=3600)
    ctx = build_context(settings.model_copy(update={
        "ami_host": "127.0.0.1", "ami_port": simulated.port, "asr_engine": "fake",
        "recordings_dir": tmp_path / "monitor"}), clock=clock, config=config)
    queue = InProcessQueue()
    app = create_app(ctx, queue=queue)
    with on_a_port(app) as base:
        listener = ami_listener(app.state.runtime, "127.0.0.1", simulated.port).start()
        assert listener.connected.wait(10)
        simulated.start(agi_server(app.state.runtime), ctx.settings.recordings_dir, clock.now)
        yield ctx, base, queue, session_factory
        listener.stop()
        simulated.stop()
    engines.forget_engine()


def test_a_simulated_queue_call_leaves_its_recording_and_is_transcribed(demo):
    ctx, base, queue, session_factory = demo
    deadline = time.monotonic() + 20
    call = None
    while call is None and time.monotonic() < deadline:
        with session_factory() as s:
            call = s.scalars(select(Call).where(Call.disposition == "answered")).first()
        time.sleep(0.2)
    assert call is not None, "the demo placed no answered call"
    queue.drain(60)
    with session_factory() as s:
        dialogue = s.scalars(select(CallDialogue).where(CallDialogue.linkedid == call.linkedid)).one()
        recordings = s.scalars(select(Recording).where(Recording.linkedid == call.linkedid)).all()
    assert (dialogue.status, dialogue.error) == ("transcribed", None)
    assert dialogue.citizen_text == MESSAGE_TEXT.rstrip("。").replace("，", "").replace("两", "2")
    assert [t["speaker"] for t in dialogue.turns] == ["citizen"] and dialogue.draft is not None
    assert [(r.kind, r.status) for r in recordings] == [("call", "transcribed")]
    folder = ctx.settings.recordings_dir
    for name in (f"{call.linkedid}.wav", f"{call.linkedid}-in.wav", f"{call.linkedid}-out.wav"):
        with wave.open(str(folder / name)) as w:  # as MixMonitor writes them
            assert (w.getframerate(), w.getsampwidth(), w.getnchannels()) == (8000, 2, 1)
    assert dialogue.citizen_path == str(folder / f"{call.linkedid}-in.wav")
    health = httpx.get(f"{base}/healthz", timeout=10).json()
    assert health["checks"]["asr"] == {"status": "ok", "engine": "fake", "recordings": {}}  # none failed or waiting


def test_the_recording_events_are_those_the_shipped_dialplan_makes():
    before, stop, after = with_recording_events(Capture.load(CAPTURES / "queue-answered.ami").events)
    named = [p for p in before if b"Variable: HOTLINE_REC_" in p]
    assert [line for p in named for line in p.split(b"\r\n") if line.startswith((b"Variable", b"Value"))] == [
        b"Variable: HOTLINE_REC_CITIZEN", b"Value: /var/spool/asterisk/monitor/1795257491.4-in.wav",
        b"Variable: HOTLINE_REC_OPERATOR", b"Value: /var/spool/asterisk/monitor/1795257491.4-out.wav"]
    assert stop[0].startswith(b"Event: MixMonitorStop\r\n") and after[0].startswith(b"Event: Hangup\r\n")
    assert b"Uniqueid: 1795257491.4\r\n" in after[0]
