"""/healthz names the danger model in use, and says when intake falls back to the danger patterns alone."""

from __future__ import annotations

from hotline.intake import danger_judge


def test_healthz_names_the_danger_model_and_says_when_it_falls_back(api, monkeypatch):
    check = api.get("/healthz").json()["checks"]["danger_model"]
    assert check["status"] == "ok" and check["version"] and 0 < check["threshold"] < 1
    monkeypatch.setattr(danger_judge, "shipped", lambda: (None, "danger-model.npz does not match its checksum"))
    body = api.get("/healthz").json()
    assert body["checks"]["danger_model"]["status"] == "fallback" and body["status"] == "degraded"
    assert "险情规则" in body["checks"]["danger_model"]["message"]
