"""Was anything said in a message? Decided from the audio: the lab's recordings, line noise, clicks."""

from __future__ import annotations

import numpy as np
import pytest

from hotline.asr.audio import voiced_seconds
from hotline.simulator.capture import CAPTURES
from hotline.voice.messages import heard_speech
from tests.speech import espeak, read, silence, write

RATE = 8000


def noise(seconds: float, rms: float, seed: int = 7) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, rms, int(seconds * RATE)).clip(-32768, 32767).astype(np.int16)


def test_the_lab_recordings_are_judged_by_what_is_in_them():
    assert heard_speech(CAPTURES / "agi-1795257454.2.wav")  # 「我家小区停水了…」
    assert not heard_speech(CAPTURES / "msg-silent-1796002592.2.wav")  # a silent caller: 1.02 s, peak 8/32768
    assert not heard_speech(CAPTURES / "msg-empty-1796002633.4.wav")  # no audio at all: a 44-byte header


@pytest.mark.parametrize("rms", [20, 120, 250, 600])
def test_line_noise_alone_is_not_a_message(tmp_path, rms):
    assert not heard_speech(write(tmp_path / "noise.wav", noise(20, rms), RATE))


def test_a_click_or_a_breath_is_not_a_message(tmp_path):
    audio = noise(10, 60)
    audio[RATE * 3:RATE * 3 + 160] = 12000  # 20 ms click
    audio[RATE * 6:RATE * 6 + 1600] += noise(0.2, 900, seed=3)  # 0.2 s breath
    assert voiced_seconds(write(tmp_path / "click.wav", audio, RATE)) < 0.5
    assert not heard_speech(tmp_path / "click.wav")


def test_speech_over_a_noisy_line_is_a_message(tmp_path):
    speech, _ = read(espeak("我家小区停水了", "cmn", RATE, tmp_path / "words.wav"))
    audio = np.concatenate([noise(2, 250), (speech.astype(np.int32) // 3 + noise(len(speech) / RATE, 250)).clip(
        -32768, 32767).astype(np.int16), noise(3, 250)])  # a quiet voice, about 10 dB over the hiss
    assert heard_speech(write(tmp_path / "noisy.wav", audio, RATE))


def test_a_missing_file_keeps_the_message_and_an_empty_one_does_not(tmp_path):
    assert heard_speech(tmp_path / "not-there.wav")  # a volume not mounted must not lose messages
    (tmp_path / "empty.wav").write_bytes(b"")
    assert not heard_speech(tmp_path / "empty.wav")
    assert not heard_speech(write(tmp_path / "quiet.wav", silence(5, RATE), RATE))
