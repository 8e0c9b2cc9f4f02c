"""One recording through one recogniser: stream blocks, skip long silences, keep real timings.

Silence is skipped only where it is safe: after HANGOVER seconds of quiet the recogniser has seen
enough trailing silence to close the utterance (Vosk's endpoint rules want 0.5–1 s), so further
quiet blocks carry nothing. Skipped time is added back to every word's start and end.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hotline.asr.audio import SILENCE_RMS, AudioSource, rms
from hotline.asr.engine import Engine
from hotline.text.normalize import normalise

HANGOVER_S = 1.0


@dataclass
class Transcription:
    text: str  # normalised Chinese: tokens joined, spoken numbers as digits
    raw: str  # the recogniser's own tokens
    words: list[dict]
    duration_s: float
    elapsed_s: float
    engine: str
    model: str
    voiced_s: float = 0.0  # audio actually fed to the recogniser
    truncated: bool = False
    segments: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class Timeline:
    """Maps recogniser time (skipped silence removed) back to recording time."""

    def __init__(self) -> None:
        self.fed_at: list[float] = [0.0]
        self.shift: list[float] = [0.0]

    def skipped(self, fed: float, seconds: float) -> None:
        if self.fed_at[-1] == fed:
            self.shift[-1] += seconds
        else:
            self.fed_at.append(fed)
            self.shift.append(self.shift[-1] + seconds)

    def real(self, t: float) -> float:
        return t + self.shift[bisect_right(self.fed_at, t) - 1]


def transcribe(engine: Engine, path: Path, *, max_seconds: float | None = None) -> Transcription:
    started = time.perf_counter()
    source = AudioSource(path, max_seconds=max_seconds)
    rate = engine.sample_rate
    timeline = Timeline()
    results: list[dict] = []
    fed = quiet = 0.0  # seconds fed; seconds of quiet in a row
    with closing(engine.recognizer()) as recognizer:
        for block in source.blocks(rate):
            seconds = len(block) / rate
            quiet = quiet + seconds if rms(block) < SILENCE_RMS else 0.0
            if quiet > HANGOVER_S:
                timeline.skipped(fed, seconds)
                continue
            fed += seconds
            done = recognizer.accept(block.tobytes())
            if done:
                results.append(done)
        results.append(recognizer.final())
    words: list[dict] = []
    segments: list[str] = []
    for result in results:
        if result.get("text"):
            segments.append(result["text"])
        for w in result.get("result", []):
            words.append({"word": w["word"], "start": round(timeline.real(w["start"]), 3),
                          "end": round(timeline.real(w["end"]), 3), "conf": round(float(w.get("conf", 1.0)), 3)})
    raw = " ".join(segments)
    return Transcription(
        text="，".join(normalise(s) for s in segments), raw=raw, words=words,
        duration_s=round(source.frames_read / source.info.sample_rate, 3),
        elapsed_s=round(time.perf_counter() - started, 3), engine=engine.name, model=engine.model,
        voiced_s=round(fed, 3), truncated=source.truncated, segments=segments)
