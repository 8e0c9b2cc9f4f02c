"""A refresh token used twice ends every session of its login: the thief's and the owner's alike."""

from __future__ import annotations

from collections import Counter

import pytest
import requests
from sqlalchemy import select

from hotline.models import RefreshToken
from tests.integration.api_workers import at_once, two_workers  # noqa: F401 (fixture)
from tests.integration.conftest import PASSWORD


def login(post, username: str) -> dict:
    r = post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()


def test_reusing_a_spent_refresh_token_revokes_its_whole_family(api, people, session_factory):
    stolen = login(api.post, "operator")
    other_device = login(api.post, "operator")
    owner = api.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]}).json()
    latest = api.post("/api/v1/auth/refresh", json={"refresh_token": owner["refresh_token"]}).json()

    replay = api.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]},
                      headers={"Accept-Language": "zh-CN"})

    assert replay.status_code == 401 and replay.json()["error_id"] == "refresh_token_reused"
    assert "重新登录" in replay.json()["message"]
    # The newest token of that login is dead too, the other login's is not.
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": latest["refresh_token"]}).status_code == 401
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": other_device["refresh_token"]}).status_code == 200
    with session_factory() as s:
        rows = s.scalars(select(RefreshToken).order_by(RefreshToken.issued_at)).all()
        families = Counter(r.family for r in rows)
        assert sorted(families.values()) == [2, 3]  # this login: 3 tokens, the other device: 2
        big = max(families, key=families.__getitem__)
        assert all(r.revoked_at is not None for r in rows if r.family == big)


@pytest.mark.postgres_only
@pytest.mark.postgres_only
def test_parallel_refreshes_with_one_token_leave_no_live_session(two_workers, people, session_factory):  # noqa: F811
    def post(path, **kw):
        return requests.post(two_workers.url + path, timeout=60, **kw)

    first = login(post, "supervisor")

    answers = at_once(24, lambda c, i: c.post(two_workers.url + "/api/v1/auth/refresh",
                                              json={"refresh_token": first["refresh_token"]}, timeout=60))

    codes = Counter(r.status_code for r in answers)
    assert codes[200] <= 1 and codes[200] + codes[401] == 24, two_workers.tail()
    assert {r.json()["error_id"] for r in answers if r.status_code == 401} == {"refresh_token_reused"}
    for winner in (r.json() for r in answers if r.status_code == 200):
        again = post("/api/v1/auth/refresh", json={"refresh_token": winner["refresh_token"]})
        assert again.status_code == 401
    with session_factory() as s:
        assert all(r.revoked_at is not None for r in s.scalars(select(RefreshToken)))
