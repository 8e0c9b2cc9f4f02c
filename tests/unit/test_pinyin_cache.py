"""Pinyin readings kept between runs: the same readings as pypinyin, a stale file ignored, no import when known."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from hotline.text import pinyin_cache


def test_readings_are_pypinyins_and_survive_a_save_and_a_reload(tmp_path, monkeypatch):
    from pypinyin import Style, lazy_pinyin, pinyin  # imported here: collecting the suite need not load its tables

    monkeypatch.setattr(pinyin_cache, "_state", {"path": None, "dirty": False})
    monkeypatch.setattr(pinyin_cache, "_chars", {})
    monkeypatch.setattr(pinyin_cache, "_words", {})
    path = tmp_path / "cache" / "pinyin.json"
    pinyin_cache.use_file(path)  # no file yet: nothing known, nothing fails
    assert pinyin_cache.heteronyms("着") == tuple(pinyin("着", style=Style.NORMAL, heteronym=True)[0])
    assert pinyin_cache.meant("种子") == tuple(lazy_pinyin("种子", style=Style.NORMAL)) == ("zhong", "zi")
    pinyin_cache.save()
    monkeypatch.setattr(pinyin_cache, "_chars", {})
    monkeypatch.setattr(pinyin_cache, "_words", {})
    pinyin_cache.use_file(path)
    assert pinyin_cache._chars["着"][:2] == ("zhe", "zhao") and pinyin_cache._words["种子"] == ("zhong", "zi")


def test_a_file_from_another_pypinyin_or_a_damaged_one_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(pinyin_cache, "_state", {"path": None, "dirty": False})
    monkeypatch.setattr(pinyin_cache, "_chars", {})
    monkeypatch.setattr(pinyin_cache, "_words", {})
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({"pypinyin": "0.0.1", "chars": {"着": ["wrong"]}, "words": {}}), encoding="utf-8")
    pinyin_cache.use_file(stale)
    assert "着" not in pinyin_cache._chars
    damaged = tmp_path / "damaged.json"
    damaged.write_text("{not json", encoding="utf-8")
    pinyin_cache.use_file(damaged)
    assert pinyin_cache.heteronyms("着")[0] == "zhe"


def test_a_second_cli_analysis_does_not_import_pypinyin(tmp_path):
    script = ("import sys\nsys.argv = ['hotline', 'intake', 'analyze', '家 里 停 店 了']\nfrom hotline.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\nprint('pypinyin:', 'pypinyin' in sys.modules)")
    env = {**os.environ, "HOTLINE_VAR_DIR": str(tmp_path), "HOTLINE_LOG_LEVEL": "WARNING"}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert first.stdout.strip().endswith("pypinyin: True")  # readings worked out once, then kept
    assert second.stdout.strip().endswith("pypinyin: False"), second.stdout
    assert json.loads(first.stdout.splitlines()[0]) == json.loads(second.stdout.splitlines()[0])
    assert (tmp_path / "cache" / "pinyin.json").exists()
