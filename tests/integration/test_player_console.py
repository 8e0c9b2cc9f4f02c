"""A call's recording in the order drawer, in headless Chromium: the dialogue beside the audio, turn by turn,
the word being spoken highlighted as it plays (start <= t < end) and a click on a word playing from there —
the audio streamed by signed link with range requests from the API on a real port."""

from __future__ import annotations

import math
import struct
import wave

import pytest
from selenium.webdriver.common.keys import Keys

from hotline.asr.repository import RecordingRepository
from hotline.core.db import session_scope
from hotline.core.enums import RecordingKind, RecordingStatus
from hotline.dispatch.repository import WorkOrderRepository
from hotline.voice.repository import TRANSCRIBED, CallDialogueRepository
from tests.integration.browser import Screen
from tests.integration.test_api_telephony import served  # noqa: F401 (the fixture)
from tests.integration.test_consoles import browser  # noqa: F401 (the fixture)
from tests.integration.test_desks import register

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases

LINKEDID = "1795257491.4"
WORDS = [("citizen", [("东关", 0.4, 1.1), ("停水", 1.1, 1.9)]), ("operator", [("马上", 2.4, 3.0), ("派人", 3.0, 3.8)])]


def tone_wav(path, seconds: float = 6.0, rate: int = 8000) -> None:
    """8 kHz 16-bit mono, as MixMonitor writes: a quiet 440 Hz tone the browser can decode and play."""
    frames = b"".join(struct.pack("<h", int(3000 * math.sin(2 * math.pi * 440 * i / rate)))
                      for i in range(int(seconds * rate)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate), w.writeframes(frames)


def now_word(s: Screen) -> str:
    found = s.all("figure.recording [data-start].now")
    return found[0].text if found else ""


def test_the_word_being_spoken_is_highlighted_as_a_call_recording_plays(served, people, browser,  # noqa: F811
                                                                        session_factory, tmp_path):
    ctx, base, listener = served
    ticket = register(base, people["operator"])
    tone_wav(tmp_path / "call.wav")
    turns = [{"speaker": who, "start": words[0][1], "end": words[-1][2], "text": "".join(w for w, _, _ in words),
              "words": [{"word": w, "start": a, "end": b, "conf": 0.9} for w, a, b in words]} for who, words in WORDS]
    with session_scope(session_factory) as s:
        order = WorkOrderRepository(s).by_ticket(ticket)
        recording = RecordingRepository(s).register(str(tmp_path / "call.wav"), RecordingKind.CALL, LINKEDID, order.id,
                                                    ctx.clock.now())
        dialogues = CallDialogueRepository(s)
        dialogues.add(LINKEDID, recording, str(tmp_path / "in.wav"), str(tmp_path / "out.wav"), 0.0, ctx.clock.now())
        row = dialogues.get(LINKEDID)
        row.turns, row.status, row.citizen_text = turns, TRANSCRIBED, "东关停水"
        RecordingRepository(s).get(recording).status = RecordingStatus.TRANSCRIBED
    s = Screen(browser, base)
    s.login("operator", "operator.html")
    s.keys("#content", Keys.ALT, "3")  # 我的工单
    s.click(f'#list tr[data-ticket="{ticket}"]')
    s.text("dialog.drawer figure.recording", "通话录音 · 已转写")
    s.text("dialog.drawer figure.recording", "市民")
    assert [w.text for w in s.all("figure.recording [data-start]")] == ["东关", "停水", "马上", "派人"]
    assert now_word(s) == ""
    s.click('figure.recording [data-start="3"]')  # 派人: plays from there
    s.wait(lambda b: now_word(s) == "派人")
    audio = s.el("figure.recording audio")
    s.wait(lambda b: b.execute_script("return !arguments[0].paused && arguments[0].currentTime > 3", audio))
    s.wait(lambda b: now_word(s) == "", 5)  # played past the last word: nothing is being spoken
    browser.execute_script("arguments[0].pause(); arguments[0].currentTime = 1.5", audio)
    s.wait(lambda b: now_word(s) == "停水")  # timeupdate/seeked: start <= t < end
    assert s.el("figure.recording .now").get_attribute("aria-current") == "true"
    browser.execute_script("arguments[0].currentTime = 0.5", audio)
    s.wait(lambda b: now_word(s) == "东关")
    assert len(s.all("figure.recording [data-start].now")) == 1
    s.shot("operator-recording")
    assert s.axe() == [] and s.console_errors() == []
