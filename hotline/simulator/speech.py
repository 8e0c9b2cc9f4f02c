"""The demo's recogniser: a fake that knows what the citizen says in the captured message recording."""

from __future__ import annotations

from hotline.asr.fake import FakeEngine
from hotline.simulator.caller import MESSAGE

# What the caller says in the captured recording (see hotline/simulator/captures/README.md).
MESSAGE_TEXT = "我家小区停水了，已经两天了，请尽快派人处理。"
_ENGINE: FakeEngine | None = None


def demo_engine() -> FakeEngine:
    global _ENGINE
    if _ENGINE is None:
        engine = FakeEngine(default="", model="demo-scripted")
        engine.learn(MESSAGE, MESSAGE_TEXT)
        _ENGINE = engine
    return _ENGINE
