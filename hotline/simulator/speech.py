"""The demo's recogniser: a fake that knows what the citizen says in the captured message recording, left
as a message or said on a recorded queue call (the citizen's side of the call, heard turn by turn)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hotline.asr.dialogue import utterances
from hotline.asr.fake import FakeEngine
from hotline.simulator.caller import MESSAGE
from hotline.simulator.recording import citizen_side, write_wav

# What the caller says in the captured recording (see hotline/simulator/captures/README.md).
MESSAGE_TEXT = "我家小区停水了，已经两天了，请尽快派人处理。"
_ENGINE: FakeEngine | None = None


def demo_engine() -> FakeEngine:
    global _ENGINE
    if _ENGINE is None:
        engine = FakeEngine(default="", model="demo-scripted")
        engine.learn(MESSAGE, MESSAGE_TEXT)
        with tempfile.TemporaryDirectory() as folder:  # heard as the after-call job hears a call's side
            utterances(engine, write_wav(Path(folder) / "citizen.wav", citizen_side()))
        engine.known[engine.last_fingerprint] = MESSAGE_TEXT
        _ENGINE = engine
    return _ENGINE
