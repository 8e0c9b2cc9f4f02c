"""A scripted recogniser with Vosk's output shape: for the demo and for tests that are not about speech."""

from __future__ import annotations

import hashlib
import logging
import math
import re
from pathlib import Path

import numpy as np

from hotline.asr.audio import SILENCE_RMS, rms

PARTIAL_STEP_S = 0.3  # the fake reveals one more token per this much voiced audio


class FakeEngine:
    """Says a scripted text for audio it was taught (by the audio's fingerprint) and `default` for
    any other audio with voice in it; silence stays silent. Tokens are cut as Vosk's Chinese
    models cut them (jieba), so the Chinese pipeline sees the real shape."""

    name = "fake"

    def __init__(self, default: str = "", sample_rate: int = 16000, model: str = "scripted"):
        self.default = default
        self.sample_rate = sample_rate
        self.model = model
        self.known: dict[str, str] = {}
        self.last_fingerprint = ""

    def recognizer(self) -> FakeRecognizer:
        return FakeRecognizer(self)

    def learn(self, path: Path, text: str) -> str:
        """Teach the text of one recording (heard through the same pipeline); returns its fingerprint."""
        from hotline.asr.transcribe import transcribe

        transcribe(self, path)
        self.known[self.last_fingerprint] = text
        return self.last_fingerprint


class FakeRecognizer:
    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine
        self._hash = hashlib.sha256()
        self._samples = 0
        self._voiced_samples = 0

    def accept(self, pcm: bytes) -> dict | None:
        self._hash.update(pcm)
        if rms(np.frombuffer(pcm, dtype="<i2")) >= SILENCE_RMS:  # the fake hears voice, not silence
            self._voiced_samples += len(pcm) // 2
        self._samples += len(pcm) // 2
        return None

    @property
    def _voiced(self) -> bool:
        return self._voiced_samples > 0

    def partial(self) -> str:
        """The default text's first tokens, one more per PARTIAL_STEP_S of voice heard so far."""
        if not self._voiced:
            return ""
        tokens = vosk_shaped(self.engine.default, 1.0).get("text", "").split()
        shown = math.ceil(self._voiced_samples / self.engine.sample_rate / PARTIAL_STEP_S)
        return " ".join(tokens[:shown])

    def close(self) -> None:
        """Nothing to keep: a scripted recogniser costs nothing to make."""

    def final(self) -> dict:
        fingerprint = self.engine.last_fingerprint = self._hash.hexdigest()
        text = self.engine.known.get(fingerprint, self.engine.default) if self._voiced else ""
        return vosk_shaped(text, self._samples / self.engine.sample_rate)


def vosk_shaped(text: str, seconds: float) -> dict:
    """`text` as Vosk would return it: jieba tokens joined by spaces, timings spread over the audio."""
    if not text:
        return {"text": ""}
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokens = [t for t in jieba.cut(text) if t.strip() and not re.fullmatch(r"[\W_]+", t)]
    step = seconds / max(1, len(tokens))
    words = [{"word": t, "start": round(i * step, 2), "end": round((i + 1) * step, 2), "conf": 1.0}
             for i, t in enumerate(tokens)]
    return {"text": " ".join(tokens), "result": words}
