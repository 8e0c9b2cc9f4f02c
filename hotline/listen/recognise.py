"""One stream's recogniser: telephone audio in, partial and final results out, on a worker thread.

The engine (model) is the process's one (hotline.asr.engine); each stream gets its own recogniser,
fed at the model's rate: the 8 kHz stream is resampled by soxr exactly as recordings are
(hotline.asr.audio), so live and after-call text come from the same signal. A partial is asked for
at most every `partial_every_s` seconds of *audio* (so a stream that fell behind spends its time
catching up, not on partials) and reported only when its text changed.

Not thread-safe by design: the stream's session hands it to the pool one batch at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import soxr

from hotline.asr.engine import Engine


@dataclass(frozen=True)
class Heard:
    """A partial (`final` False: text only) or a finished utterance (words with times and confidences)."""

    final: bool
    raw: str
    audio_s: float
    words: tuple[dict[str, Any], ...] = field(default_factory=tuple)


class StreamRecogniser:
    def __init__(self, engine: Engine, partial_every_s: float = 0.25) -> None:
        self.recognizer = engine.recognizer()
        self.model_rate = engine.sample_rate
        self.partial_every_s = partial_every_s
        self.audio_s = 0.0
        self._rate: int | None = None
        self._resampler: Any = None
        self._partial_at = -partial_every_s
        self._partial = ""

    def feed(self, pcm: bytes, rate: int) -> list[Heard]:
        """Accept a batch of 16-bit mono PCM at `rate` Hz; what became known."""
        samples = np.frombuffer(pcm, dtype="<i2")
        self.audio_s += len(samples) / rate
        out: list[Heard] = []
        done = self.recognizer.accept(self._to_model_rate(samples, rate).tobytes())
        if done is not None:
            self._add_final(done, out)
        elif self.audio_s - self._partial_at >= self.partial_every_s:
            self._partial_at = self.audio_s
            text = self.recognizer.partial()
            if text != self._partial:
                self._partial = text
                out.append(Heard(False, text, round(self.audio_s, 3)))
        return out

    def finish(self) -> list[Heard]:
        """The stream is over: flush the resampler and the last utterance."""
        out: list[Heard] = []
        if self._resampler is not None:
            tail = self._resampler.resample_chunk(np.zeros(0, dtype=np.int16), last=True)
            if len(tail):
                done = self.recognizer.accept(tail.tobytes())
                if done is not None:
                    self._add_final(done, out)
        self._add_final(self.recognizer.final(), out)
        return out

    def _to_model_rate(self, samples: np.ndarray, rate: int) -> np.ndarray:
        if rate == self.model_rate:
            return samples
        if self._resampler is None or rate != self._rate:
            self._rate = rate
            self._resampler = soxr.ResampleStream(rate, self.model_rate, 1, dtype="int16")
        return self._resampler.resample_chunk(samples)

    def _add_final(self, result: dict, out: list[Heard]) -> None:
        self._partial = ""
        text = result.get("text", "")
        if not text:
            return
        words = tuple({"word": w["word"], "start": round(float(w["start"]), 3), "end": round(float(w["end"]), 3),
                       "conf": round(float(w.get("conf", 1.0)), 3)} for w in result.get("result", []))
        out.append(Heard(True, text, round(self.audio_s, 3), words))
