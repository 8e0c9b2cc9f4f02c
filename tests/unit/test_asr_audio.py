"""Recordings in: every bad shape gets a clear error, odd but usable ones are read honestly."""

from __future__ import annotations

import itertools
import struct

import numpy as np
import pytest

from hotline.asr.audio import AudioError, AudioSource
from hotline.asr.fake import FakeEngine
from hotline.asr.transcribe import transcribe
from tests.speech import silence, tone, write

SAID = "我家小区停水了"


class Recording:
    """An engine that keeps every byte fed to it (to check resampling and silence skipping)."""

    name, model = "probe", "probe"

    def __init__(self, rate=16000):
        self.sample_rate = rate
        self.fed = bytearray()

    def recognizer(self):
        probe = self

        class R:
            def accept(self, pcm):
                probe.fed += pcm

            def final(self):
                return {"text": ""}

            def close(self):
                pass

        return R()


@pytest.fixture
def fake():
    return FakeEngine(default=SAID)


def test_a_plain_recording_is_transcribed_with_vosk_shaped_words(tmp_path, fake):
    path = write(tmp_path / "a.wav", tone(2, 8000), 8000)
    result = transcribe(fake, path)
    assert result.raw == "我家 小区 停水 了" and result.text == SAID
    assert [w["word"] for w in result.words] == ["我家", "小区", "停水", "了"]
    assert result.duration_s == 2.0 and not result.truncated


def test_telephone_8k_is_resampled_to_the_models_rate(tmp_path):
    path = write(tmp_path / "a.wav", tone(1, 8000), 8000)
    probe = Recording(16000)
    transcribe(probe, path)
    assert abs(len(probe.fed) // 2 - 16000) <= 32  # one second at 16 kHz, not 8 kHz samples passed through


def test_stereo_is_mixed_down(tmp_path, fake):
    both = np.repeat(tone(1, 16000), 2)  # interleaved L/R
    path = write(tmp_path / "s.wav", both, 16000, channels=2)
    probe = Recording(16000)
    transcribe(probe, path)
    assert len(probe.fed) // 2 == 16000
    assert transcribe(fake, path).text == SAID


def test_long_silence_is_skipped_and_silence_alone_says_nothing(tmp_path, fake):
    path = write(tmp_path / "quiet.wav", silence(60, 8000), 8000)
    probe = Recording(16000)
    result = transcribe(probe, path)
    assert result.duration_s == 60.0 and result.voiced_s <= 1.5  # only the hangover was fed
    assert transcribe(fake, path).text == "" and transcribe(fake, path).words == []


def test_speech_after_a_pause_is_still_fed(tmp_path):
    audio = np.concatenate([tone(1, 16000), silence(20, 16000), tone(1, 16000)])
    probe = Recording(16000)
    result = transcribe(probe, write(tmp_path / "gap.wav", audio, 16000))
    assert 3.0 <= result.voiced_s <= 3.5 and result.duration_s == 22.0


def test_empty_wav_gives_an_empty_transcript(tmp_path, fake):
    result = transcribe(fake, write(tmp_path / "e.wav", np.zeros(0, np.int16), 8000))
    assert (result.text, result.words, result.duration_s) == ("", [], 0.0)


def test_cut_off_recording_is_transcribed_as_far_as_it_goes_and_says_so(tmp_path, fake):
    path = write(tmp_path / "cut.wav", tone(2, 8000), 8000)
    path.write_bytes(path.read_bytes()[:44 + 8000])  # the header still promises 2 s
    result = transcribe(fake, path)
    assert result.truncated and result.duration_s == 0.5 and result.text == SAID


def test_asterisk_signed_linear_files_are_read_by_their_extension(tmp_path, fake):
    path = tmp_path / "msg.sln16"
    path.write_bytes(tone(1, 16000).astype("<i2").tobytes())
    assert transcribe(fake, path).duration_s == 1.0
    odd = tmp_path / "odd.sln"
    odd.write_bytes(b"\x00\x01\x02")
    with pytest.raises(AudioError, match="whole 16-bit samples"):
        AudioSource(odd)


@pytest.mark.parametrize("make,message", [
    (lambda p: p.write_bytes(b""), "empty file"),
    (lambda p: p.write_bytes(b"hello"), "not a PCM WAV file"),
    (lambda p: p.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt "), "truncated WAV header"),
    (lambda p: p.write_bytes("不是录音".encode() * 20), "not a PCM WAV file"),
    (lambda p: p.write_bytes(b"ID3\x04" + b"\x00" * 200), "not a PCM WAV file"),  # an MP3
    (lambda p: write(p, tone(1, 8000), 8000, width=1), "8-bit samples"),
    (lambda p: write(p, tone(0.1, 8000), 8000, width=3), "24-bit samples"),
    (lambda p: write(p, np.repeat(tone(0.1, 8000), 3), 8000, channels=3), "3 channels"),
    (lambda p: write(p, tone(0.1, 1000), 1000), "sample rate 1000 Hz"),
])
def test_bad_files_get_clear_errors(tmp_path, make, message):
    path = tmp_path / "bad.wav"
    make(path)
    with pytest.raises(AudioError, match=message):
        AudioSource(path)
    assert path.exists()  # nothing is deleted


def test_missing_file(tmp_path):
    with pytest.raises(AudioError, match="no such recording"):
        AudioSource(tmp_path / "gone.wav")


def test_hours_long_recording_is_refused_before_reading_it(tmp_path, fake):
    path = write(tmp_path / "long.wav", tone(1, 8000), 8000)
    data = bytearray(path.read_bytes())
    hours = 3 * 3600 * 8000 * 2
    data[4:8] = struct.pack("<I", 36 + hours)
    data[40:44] = struct.pack("<I", hours)  # a header promising three hours
    path.write_bytes(bytes(data))
    with pytest.raises(AudioError, match="180 min long; the limit is 60 min"):
        transcribe(fake, path, max_seconds=3600)


def test_the_fake_recogniser_reveals_its_words_as_voice_arrives_and_stays_quiet_on_silence(fake):
    rec = fake.recognizer()
    rec.accept(silence(1, 16000).tobytes())
    assert rec.partial() == ""
    seen = []
    for _ in range(6):
        rec.accept(tone(0.3, 16000).tobytes())
        seen.append(rec.partial())
    assert seen[0] == "我家" and seen[-1] == "我家 小区 停水 了"  # one more token per 0.3 s of voice
    assert all(b.startswith(a) for a, b in itertools.pairwise(seen))
    assert rec.final()["text"] == seen[-1]
