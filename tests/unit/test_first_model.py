"""A centre's first model: who builds it (one process), when it is due, and what /healthz is told meanwhile."""

from __future__ import annotations

import datetime as dt
import json
import os

from hotline.intake.learning import (
    LAST_RUN,
    claim_first_build,
    needs_first_model,
    release_first_build,
)
from hotline.intake.model import BUILDING, BUILDING_STALE_SECONDS, LIVE, building
from hotline.intake.slot import ModelSlot

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def test_a_fresh_directory_needs_a_first_model_and_a_trained_or_failed_one_does_not(tmp_path):
    fresh = tmp_path / "fresh"
    assert needs_first_model(fresh)
    trained = tmp_path / "trained"
    trained.mkdir()
    (trained / LAST_RUN).write_text(json.dumps({"at": NOW.isoformat(), "version": "v0001", "live": True}))
    assert not needs_first_model(trained)  # trained here before (its pointer was taken away by hand)
    live = tmp_path / "live"
    live.mkdir()
    (live / LIVE).write_text(json.dumps({"version": "v0003"}))
    assert not needs_first_model(live)
    failed = tmp_path / "failed"
    failed.mkdir()
    release_first_build(failed, NOW, "MemoryError: ")
    assert not needs_first_model(failed)  # not retried unasked


def test_only_one_process_claims_the_first_build(tmp_path):
    assert claim_first_build(tmp_path / "m", NOW)
    assert not claim_first_build(tmp_path / "m", NOW)
    release_first_build(tmp_path / "m", NOW)
    assert building(tmp_path / "m") is None
    assert claim_first_build(tmp_path / "m", NOW)


def test_a_marker_left_by_a_process_that_died_is_stale_and_reclaimed(tmp_path):
    assert claim_first_build(tmp_path, NOW)
    old = os.stat(tmp_path / BUILDING).st_mtime - BUILDING_STALE_SECONDS - 1
    os.utime(tmp_path / BUILDING, (old, old))
    assert building(tmp_path) is None
    assert claim_first_build(tmp_path, NOW + dt.timedelta(hours=2))
    assert building(tmp_path)["since"] == (NOW + dt.timedelta(hours=2)).isoformat()


def test_healthz_status_while_building_then_after_a_failure(tmp_path):
    slot = ModelSlot(tmp_path)
    assert slot.status()["status"] == "no_model"
    claim_first_build(tmp_path, NOW)
    status = slot.status()
    assert status["status"] == "building" and status["since"] == NOW.isoformat()
    assert "规则" in status["message"] and "种子语料" in status["message"]
    release_first_build(tmp_path, NOW, "MemoryError: cannot allocate")
    status = slot.status()
    assert status["status"] == "fallback" and status["error"] == "MemoryError: cannot allocate"
    assert "hotline intake train" in status["message"]


def test_a_marker_of_a_process_gone_from_this_machine_is_stale(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert claim_first_build(tmp_path, NOW)
    note = json.loads((tmp_path / BUILDING).read_text())
    assert building(tmp_path) == note  # this process, alive
    (tmp_path / BUILDING).write_text(json.dumps({**note, "pid": int(done.stdout)}))
    assert building(tmp_path) is None  # a centre stopped while building: not "building" for an hour
    (tmp_path / BUILDING).write_text(json.dumps({**note, "host": "another-machine", "pid": int(done.stdout)}))
    assert building(tmp_path) is not None  # another machine's process cannot be checked from here


def test_status_names_a_model_put_live_by_another_process_at_once(tmp_path, monkeypatch):
    from hotline.intake import slot as slot_module

    slot = ModelSlot(tmp_path, recheck_seconds=3600)
    assert slot.status()["status"] == "no_model"
    loaded = []

    def load_model(directory, version):
        loaded.append(version)
        return type("Model", (), {"version": version, "accuracy": {"category": 0.8}, "meta": {}})()

    monkeypatch.setattr(slot_module, "load_model", load_model)
    (tmp_path / LIVE).write_text(json.dumps({"version": "v0001"}))
    status = slot.status()  # well within the hour between rechecks
    assert status["status"] == "ok" and status["version"] == "v0001" and loaded == ["v0001"]
