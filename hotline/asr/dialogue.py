"""A call's two directions into one dialogue: each side's utterances, with speaker, times, words, confidences.

MixMonitor records the citizen's channel with r() (the receive feed: what the citizen says) and t()
(the transmit feed: what the citizen hears — the operator, and before the answer the IVR's prompts),
and `S` keeps the two files in step by writing silence, so times on both sides are times of the same
call. Each side runs through its own recogniser, streamed block by block (hotline.asr.audio), so a
long call never sits in memory; each utterance Vosk closes becomes a turn.

A file whose header promises more audio than it holds was cut off (the disk filled, Asterisk died):
the call is not transcribed from half a file — `AudioError`, and nothing is stored. A file holding
more than its header says is still being written (Asterisk fixes the header when it closes it).
"""

from __future__ import annotations

import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from hotline.asr.audio import SILENCE_RMS, AudioError, AudioSource, rms
from hotline.asr.engine import Engine
from hotline.asr.transcribe import HANGOVER_S, Timeline
from hotline.text.normalize import normalise

CITIZEN, OPERATOR, IVR = "citizen", "operator", "ivr"
WAV_HEADER_MIN = 44


class RecordingOpen(AudioError):
    """The file is still growing: try again once Asterisk has closed it."""


@dataclass
class Dialogue:
    turns: list[dict]
    citizen_text: str
    operator_text: str
    duration_s: float
    elapsed_s: float
    engine: str
    model: str
    audio_s: float = 0.0  # both sides together (the figure "hours of audio")
    voiced_s: float = 0.0
    sides: dict[str, int] = field(default_factory=dict)  # turns per speaker


def check_complete(path: Path) -> None:
    """Raise unless the WAV holds exactly what its header promises (a cut-off or still-open file)."""
    source = AudioSource(path)
    if source.info.channels and path.suffix.lower() == ".wav":
        promised = source.info.frames * source.info.channels * 2
        held = path.stat().st_size - WAV_HEADER_MIN
        if held < promised:
            most = held / (2 * source.info.channels * source.info.sample_rate)
            raise AudioError(f"{path}: recording cut off: the header promises {source.info.duration_s:.1f} s, "
                             f"the file holds at most {most:.1f} s",
                             error_id="call_recording_incomplete")
        if source.info.frames == 0 and held > 0:
            raise RecordingOpen(f"{path}: still being written (its header has no length yet)",
                                error_id="call_recording_open")


def utterances(engine: Engine, path: Path) -> tuple[list[dict], AudioSource, float]:
    """Each utterance of one side: start, end, raw text, words (recording time); and the seconds fed."""
    source = AudioSource(path)
    rate = engine.sample_rate
    timeline = Timeline()
    results: list[dict] = []
    fed = quiet = 0.0
    speaking = False  # audio fed since the last utterance was closed
    with closing(engine.recognizer()) as recognizer:
        for block in source.blocks(rate):
            seconds = len(block) / rate
            quiet = quiet + seconds if rms(block) < SILENCE_RMS else 0.0
            if quiet > HANGOVER_S:  # the turn is over: close it (a turn is one side's stretch of speech)
                if speaking:
                    results.append(recognizer.final())
                    speaking = False
                timeline.skipped(fed, seconds)
                continue
            speaking = True
            fed += seconds
            done = recognizer.accept(block.tobytes())
            if done:
                results.append(done)
        if speaking:
            results.append(recognizer.final())
    if source.truncated:
        raise AudioError(f"{path}: recording cut off after {source.frames_read / source.info.sample_rate:.1f} s "
                         f"of {source.info.duration_s:.1f} s", error_id="call_recording_incomplete")
    out = []
    for result in results:
        words = [_word(w, timeline) for w in result.get("result", [])]
        if result.get("text") and words:
            out.append({"start": words[0]["start"], "end": words[-1]["end"], "raw": result["text"], "words": words})
    return out, source, fed


def _word(w: dict, timeline: Timeline) -> dict:
    """A word in recording time. Both ends move by the skip before the word's end: Kaldi may start the
    first word of an utterance a little inside the silence fed before it, which lies before a skip
    point, and a word is never long enough to straddle a skipped silence."""
    start, end = float(w["start"]), float(w["end"])
    shift = timeline.real(end) - end
    return {"word": w["word"], "start": round(start + shift, 3), "end": round(end + shift, 3),
            "conf": round(float(w.get("conf", 1.0)), 3)}


def transcribe_dialogue(engine: Engine, citizen: Path, operator: Path,
                        answered_offset_s: float | None = None) -> Dialogue:
    """Both directions, checked first (nothing is recognised from a cut-off file), then merged by time.
    What the citizen heard before `answered_offset_s` was the IVR, not an operator."""
    started = time.perf_counter()
    for path in (citizen, operator):
        check_complete(path)
    turns: list[dict] = []
    audio = voiced = 0.0
    for path, side in ((citizen, CITIZEN), (operator, OPERATOR)):
        said, source, fed = utterances(engine, path)
        audio += source.frames_read / source.info.sample_rate
        voiced += fed
        for u in said:
            speaker = IVR if side == OPERATOR and answered_offset_s is not None and u["start"] < answered_offset_s \
                else side
            turns.append({"speaker": speaker, "start": u["start"], "end": u["end"], "text": normalise(u["raw"]),
                          "words": u["words"]})
    turns.sort(key=lambda t: (t["start"], t["speaker"] != CITIZEN))
    duration = max((t["end"] for t in turns), default=0.0)
    return Dialogue(
        turns=turns, citizen_text=_joined(turns, CITIZEN), operator_text=_joined(turns, OPERATOR),
        duration_s=round(max(duration, audio / 2), 3), elapsed_s=round(time.perf_counter() - started, 3),
        engine=engine.name, model=engine.model, audio_s=round(audio, 3), voiced_s=round(voiced, 3),
        sides={s: sum(1 for t in turns if t["speaker"] == s) for s in (CITIZEN, OPERATOR, IVR)})


def _joined(turns: list[dict], speaker: str) -> str:
    return "，".join(t["text"] for t in turns if t["speaker"] == speaker and t["text"])
