"""Setting up telephony as a centre does: prompts spoken and checked, Asterisk's files checked, /healthz."""

from __future__ import annotations

import shutil

import numpy as np
from fastapi.testclient import TestClient

from hotline.core.jobs import InProcessQueue
from hotline.ivr.espeak import EspeakSynthesizer
from hotline.ivr.prompts import make_prompts
from hotline.runtime.api import create_app
from hotline.runtime.context import build_context
from hotline.simulator.capture import CAPTURES
from tests.conftest import CONFIG_DIR
from tests.integration.test_cli import hotline
from tests.unit.test_ivr_prompts import IVR, FakeSynthesizer


def g711(data: bytes, encoding: str) -> np.ndarray:
    """Decode μ-law or A-law (ITU-T G.711) to linear samples."""
    codes = np.frombuffer(data, dtype=np.uint8).astype(np.int32)
    if encoding == "mu-law":
        codes = ~codes & 0xFF
        magnitude = (((codes & 0x0F) << 3) + 0x84) << ((codes & 0x70) >> 4)
        return np.where(codes & 0x80, 0x84 - magnitude, magnitude - 0x84)
    codes ^= 0x55
    exponent, mantissa = (codes & 0x70) >> 4, codes & 0x0F
    magnitude = np.where(exponent == 0, (mantissa << 4) + 8, ((mantissa << 4) + 0x108) << np.maximum(exponent - 1, 0))
    return np.where(codes & 0x80, magnitude, -magnitude)


def test_espeak_speaks_a_prompt_as_raw_g711_at_8khz(tmp_path):
    synth = EspeakSynthesizer()
    for encoding in ("mu-law", "a-law"):
        path = tmp_path / f"your-ticket.{encoding}"
        synth.speak("您的工单编号是", path, encoding)
        samples = g711(path.read_bytes(), encoding)
        seconds = len(samples) / 8000  # one byte per sample at 8 kHz: what Asterisk's format_pcm plays
        assert 0.8 < seconds < 4, seconds
        assert np.sqrt(np.mean(samples.astype(float) ** 2)) > 1000  # spoken, at a level a phone line carries
        assert np.abs(samples[:300]).max() < 200  # a breath of silence before the words


def test_ivr_check_lists_what_asterisk_would_not_find_until_the_prompts_are_made(tmp_path):
    r = hotline("ivr", "check", "--dir", str(tmp_path))
    assert r.returncode == 1 and "missing custom/hotline-privacy" in r.stdout and "missing digits/1" in r.stdout
    make_prompts(tmp_path, IVR, FakeSynthesizer())
    r = hotline("ivr", "check", "--dir", str(tmp_path))
    assert r.returncode == 0, r.stdout


def test_the_shipped_asterisk_configuration_has_no_errors_only_its_placeholders(tmp_path):
    r = hotline("asterisk", "check")
    assert r.returncode == 0, r.stdout
    assert "0 error(s)" in r.stdout and "match = 192.0.2.1 is a placeholder" in r.stdout


def test_asterisk_check_names_what_would_fail_a_call(tmp_path):
    folder = shutil.copytree(CONFIG_DIR / "asterisk", tmp_path / "asterisk")
    pjsip = folder / "pjsip.conf"
    pjsip.write_text(pjsip.read_text().replace("match = 192.0.2.1", "match = carrier.example"))
    (folder / "queues.conf").write_text((folder / "queues.conf").read_text() + "eventwhencalled = yes\n")
    (folder / "cdr_manager.conf").unlink()
    modules = folder / "modules.conf"
    modules.write_text(modules.read_text().replace("require => res_agi.so", "noload => res_agi.so"))
    r = hotline("asterisk", "check", "--config-dir", str(folder))
    assert r.returncode == 1
    for expected in ("cdr_manager.conf: missing", "match = carrier.example does not resolve",
                     "res_agi is not loaded", "eventwhencalled: Asterisk 22 no longer knows it"):
        assert expected in r.stdout, r.stdout


def test_healthz_lists_prompts_asterisk_would_not_find(settings, clock, config, session_factory, tmp_path):
    ctx = build_context(settings.model_copy(update={"asterisk_sounds_dir": tmp_path}), clock=clock, config=config)
    with TestClient(create_app(ctx, queue=InProcessQueue())) as client:
        missing = client.get("/healthz").json()
        make_prompts(tmp_path, IVR, FakeSynthesizer())
        ready = client.get("/healthz").json()
    assert missing["status"] == "degraded" and "custom/survey" in missing["checks"]["prompts"]["missing"]
    assert ready["checks"]["prompts"]["status"] == "ok"


def test_asterisk_check_asks_the_running_asterisk_for_the_modules_hotline_needs(pbx):
    """ModuleCheck answers as the lab's Asterisk gave them (captures/modulecheck.ami)."""
    captured = (CAPTURES / "modulecheck.ami").read_bytes()
    assert b"Response: Error\r\nActionID: m2\r\nMessage: Module not loaded" in captured
    env = {"HOTLINE_AMI_HOST": "127.0.0.1", "HOTLINE_AMI_PORT": str(pbx.port)}
    assert hotline("asterisk", "check", "--ami", env=env).returncode == 0
    pbx.missing_modules = {"res_agi", "chan_audiosocket"}
    r = hotline("asterisk", "check", "--ami", env=env)
    assert r.returncode == 1
    assert "ERROR   running Asterisk: res_agi is not loaded" in r.stdout
    assert "WARNING running Asterisk: chan_audiosocket is not loaded (live audio needs it)" in r.stdout
    assert {a.get("Module") for a in pbx.actions if a.get("Action") == "ModuleCheck"} >= {"res_agi", "app_queue"}
