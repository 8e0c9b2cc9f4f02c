"""One stream's recogniser: telephone audio in, partial and final results out, on a worker thread.

The engine (model) is the process's one (hotline.asr.engine); each stream gets a recogniser of its own
(one the engine kept from an earlier stream when one waits), fed at the model's rate: the 8 kHz stream
is resampled by soxr exactly as recordings are (hotline.asr.audio), so live and after-call text come
from the same signal. A partial is asked for at most every `partial_every_s` seconds of *audio* (so a
stream that fell behind spends its time catching up, not on partials) and reported only when its text
changed.

Silence is skipped as the after-call path skips it (hotline.asr.transcribe): once a side has been
quiet for HANGOVER_S the recogniser has closed the utterance, so further quiet audio is not fed —
on a call each side is quiet while the other speaks, which is about half of every stream. Word
times are mapped back to stream time.

Not thread-safe by design: the stream's session hands it to the pool one batch at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import soxr

from hotline.asr.audio import SILENCE_RMS, rms
from hotline.asr.engine import Engine
from hotline.asr.transcribe import HANGOVER_S, Timeline


@dataclass(frozen=True)
class Heard:
    """A partial (`final` False: text only) or a finished utterance (words with times and confidences)."""

    final: bool
    raw: str
    audio_s: float
    words: tuple[dict[str, Any], ...] = field(default_factory=tuple)


BLOCK_S = 0.1  # silence is judged, and audio fed, in blocks of this length


class StreamRecogniser:
    """The recogniser of one stream, with its resampler and partial-result pacing."""

    def __init__(self, engine: Engine, partial_every_s: float = 0.25) -> None:
        self.recognizer = engine.recognizer()
        self.model_rate = engine.sample_rate
        self.partial_every_s = partial_every_s
        self.audio_s = 0.0  # heard
        self.fed_s = 0.0  # given to the recogniser (silence after the hangover is not)
        self._quiet_s = 0.0
        self._timeline = Timeline()
        self._rate: int | None = None
        self._resampler: Any = None
        self._partial_at = -partial_every_s
        self._partial = ""

    def feed(self, pcm: bytes, rate: int) -> list[Heard]:
        """Accept a batch of 16-bit mono PCM at `rate` Hz; what became known."""
        samples = np.frombuffer(pcm, dtype="<i2")
        out: list[Heard] = []
        fed = False
        step = max(1, int(rate * BLOCK_S))  # a catch-up batch mixes speech and silence: judge each block
        for at in range(0, len(samples), step):
            fed = self._block(samples[at:at + step], rate, out) or fed
        if fed and self.audio_s - self._partial_at >= self.partial_every_s:
            self._partial_at = self.audio_s
            text = self.recognizer.partial()
            if text != self._partial:
                self._partial = text
                out.append(Heard(False, text, round(self.audio_s, 3)))
        return out

    def _block(self, samples: np.ndarray, rate: int, out: list[Heard]) -> bool:
        """One block to the recogniser, unless it is silence past the hangover; whether it was fed."""
        seconds = len(samples) / rate
        self.audio_s += seconds
        block = self._to_model_rate(samples, rate)  # always: the resampler's stream stays continuous
        self._quiet_s = self._quiet_s + seconds if rms(samples) < SILENCE_RMS else 0.0
        if self._quiet_s > HANGOVER_S:
            self._timeline.skipped(self.fed_s, seconds)
            return False
        self.fed_s += seconds
        done = self.recognizer.accept(block.tobytes())
        if done is not None:
            self._add_final(done, out)
        return True

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
        self.recognizer.close()  # kept warm for the next stream (hotline.asr.engine)
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
        real = self._timeline.real
        words = tuple({"word": w["word"], "start": round(real(float(w["start"])), 3),
                       "end": round(real(float(w["end"])), 3),
                       "conf": round(float(w.get("conf", 1.0)), 3)} for w in result.get("result", []))
        out.append(Heard(True, text, round(self.audio_s, 3), words))
