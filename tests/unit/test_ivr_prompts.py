"""The IVR's prompts: what the flow needs, where Asterisk looks, and the centre's recordings left alone."""

from __future__ import annotations

import json

import pytest

from hotline.ivr.prompts import MANIFEST, health, make_prompts, missing, wanted
from tests.shipped import shipped_config

IVR = shipped_config().ivr


class FakeSynthesizer:
    """Writes the text itself (a file per text and encoding is enough to follow what was spoken)."""

    def __init__(self, signature: str = "fake voice") -> None:
        self.spoken: list[tuple[str, str]] = []
        self.signature = signature

    def speak(self, text, path, encoding, pause_after=0.0):
        self.spoken.append((text, encoding))
        path.write_bytes(f"{encoding}:{text}:{pause_after}".encode())


def test_every_prompt_of_the_flow_the_digits_and_the_hold_message_are_wanted():
    sounds = wanted(IVR)
    assert set(IVR.prompts.values()) - {IVR.prompts["status_prefix"]} <= set(sounds)
    assert {f"custom/status-{s}" for s in ("received", "dispatched", "closed", "callback_pending")} <= set(sounds)
    assert [sounds[f"digits/{n}"] for n in range(10)] == list("零幺二三四五六七八九")  # 1 read as 幺
    assert sounds["moh/hold"]


def test_prompts_land_in_asterisks_language_layout_as_mu_law_and_a_law(tmp_path):
    synth = FakeSynthesizer()
    report = make_prompts(tmp_path, IVR, synth)
    assert len(report.made) == len(wanted(IVR)) and missing(tmp_path, IVR) == []
    assert (tmp_path / "zh/custom/hotline-privacy.ulaw").read_bytes().startswith(b"mu-law:")
    assert (tmp_path / "zh/custom/hotline-privacy.alaw").read_bytes().startswith(b"a-law:")
    assert (tmp_path / "zh/digits/1.ulaw").read_bytes() == b"mu-law:\xe5\xb9\xba:0.0"  # 幺
    assert not any(p.name.endswith(".partial") for p in tmp_path.rglob("*"))


def test_a_second_run_speaks_only_what_changed(tmp_path):
    make_prompts(tmp_path, IVR, FakeSynthesizer())
    changed = IVR.model_copy(update={"texts": {**IVR.texts, "custom/thanks": "谢谢，再见。"}})
    synth = FakeSynthesizer()
    report = make_prompts(tmp_path, changed, synth)
    assert report.made == ["custom/thanks"] and synth.spoken == [("谢谢，再见。", "mu-law"), ("谢谢，再见。", "a-law")]


@pytest.mark.parametrize("recording", ["thanks.wav", "thanks.ulaw", "thanks.g722"])
def test_a_recording_the_centre_put_in_place_is_never_overwritten(tmp_path, recording):
    make_prompts(tmp_path, IVR, FakeSynthesizer())
    theirs = tmp_path / "zh/custom" / recording
    theirs.write_bytes(b"the centre's own voice")
    report = make_prompts(tmp_path, IVR, FakeSynthesizer())
    assert report.kept == ["custom/thanks"] and theirs.read_bytes() == b"the centre's own voice"
    left = sorted(p.name for p in (tmp_path / "zh/custom").glob("thanks.*"))
    assert left == [recording]  # generated formats go, or Asterisk would prefer them for G.711 callers
    assert "custom/thanks" not in json.loads((tmp_path / "zh" / MANIFEST).read_text())
    assert make_prompts(tmp_path, IVR, FakeSynthesizer()).kept == ["custom/thanks"]


def test_missing_prompts_are_listed_where_asterisk_would_look(tmp_path):
    assert set(missing(tmp_path, IVR)) == set(wanted(IVR))
    (tmp_path / "digits").mkdir()
    (tmp_path / "digits/5.gsm").write_bytes(b"x")  # no language: found for every language
    (tmp_path / "zh/custom").mkdir(parents=True)
    (tmp_path / "zh/custom/survey.sln16").write_bytes(b"x")
    (tmp_path / "zh/custom/sorry.txt").write_bytes(b"x")  # not a sound
    absent = missing(tmp_path, IVR)
    assert "digits/5" not in absent and "custom/survey" not in absent and "custom/sorry" in absent


def test_health_names_what_is_missing(tmp_path):
    assert health(None, IVR)["status"] == "not_configured"
    assert health(tmp_path, IVR)["status"] == "missing" and "custom/hotline-privacy" in health(tmp_path, IVR)["missing"]
    make_prompts(tmp_path, IVR, FakeSynthesizer())
    assert health(tmp_path, IVR)["status"] == "ok"


def test_another_voice_speaks_every_generated_prompt_again_but_not_the_centres(tmp_path):
    make_prompts(tmp_path, IVR, FakeSynthesizer())
    (tmp_path / "zh/custom/thanks.wav").write_bytes(b"the centre's own voice")
    report = make_prompts(tmp_path, IVR, FakeSynthesizer("a better voice"))
    assert len(report.made) == len(wanted(IVR)) - 1 and report.kept == ["custom/thanks"]
