"""A queue call on the lab's real Asterisk 22.10.1 running config/asterisk/ as shipped (captures/
lab17-queue-operator-hangs-up.ami, the raw stream of the project's AMI account): a sipp citizen talks, the
simulated operator (Local/1001@agent-sim/n) answers, talks and hangs up first, `hotline ami` streams both
sides to `hotline listen` (two AudioSocket/ChanSpy channels), StopMixMonitor in `h` announces
MixMonitorStop. Replayed through the real listener and the desk's sinks:

* the call is one row, the AudioSocket channels none;
* AgentComplete comes after the caller's Hangup and without any channel snapshot when the operator hangs
  up first — its talk time still reaches the call;
* MixMonitorStop, the hang-up and the late CDRs register the recording and its two sides once and send
  one transcription job (on PostgreSQL it used to be one per event)."""

from __future__ import annotations

from sqlalchemy import select

from hotline.core.jobs import install_after_commit
from hotline.desk.sinks import DeskSinks
from hotline.models import Call, CallDialogue, Recording
from hotline.runtime.context import build_context
from hotline.simulator.fake import CAPTURES
from hotline.voice.calls import CALL_JOB
from tests.integration.test_ami_listener import listen

CAPTURE = CAPTURES / "lab17-queue-operator-hangs-up.ami"
LINKEDID = "1796030484.0"


class Jobs:
    def __init__(self) -> None:
        self.sent: list[tuple[str, tuple]] = []

    def send(self, name: str, args: tuple) -> None:
        self.sent.append((name, args))


def test_the_lab_call_is_one_call_with_its_talk_time_and_one_transcription_job(pbx, settings, clock, config,
                                                                                session_factory, tmp_path):
    ctx = build_context(settings.model_copy(update={"recordings_dir": tmp_path}), clock=clock, config=config)
    jobs = Jobs()
    install_after_commit(session_factory, jobs)
    listener = listen(pbx, DeskSinks(ctx, session_factory))
    try:
        pbx.play(CAPTURE, fresh=False)
        assert listener.idle()
    finally:
        listener.stop()
    with session_factory() as s:
        calls = s.scalars(select(Call)).all()
        dialogues = s.scalars(select(CallDialogue)).all()
        recordings = s.scalars(select(Recording)).all()
    assert [(c.linkedid, c.caller, c.agent, c.disposition, c.wait_seconds) for c in calls] == \
        [(LINKEDID, "13800138000", "op1", "answered", 2)]
    assert calls[0].talk_seconds == 29  # from the AgentComplete that names no channel
    assert [(d.linkedid, d.citizen_path, d.operator_path) for d in dialogues] == \
        [(LINKEDID, str(tmp_path / f"{LINKEDID}-in.wav"), str(tmp_path / f"{LINKEDID}-out.wav"))]
    assert 12.0 < dialogues[0].answered_offset_s < 13.0  # IVR and queue before the operator picked up
    assert [r.path for r in recordings] == [str(tmp_path / f"{LINKEDID}.wav")]
    assert [job for job in jobs.sent if job[0] == CALL_JOB] == [(CALL_JOB, (LINKEDID, "13800138000"))]
