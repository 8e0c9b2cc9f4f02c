"""Login, tokens and refresh: forged, tampered, expired and reused tokens are refused."""

from __future__ import annotations

import base64
import json

import jwt

from hotline.core import security
from tests.integration.conftest import PASSWORD


def login(api, username, password=PASSWORD):
    return api.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_login_gives_tokens_that_open_the_api(api, people):
    r = login(api, "water")
    assert r.status_code == 200
    tokens = r.json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 900
    me = api.get("/api/v1/work-orders", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200


def test_failed_login_says_nothing_about_whether_the_user_exists(api, people):
    wrong_password, no_such_user = login(api, "water", "not the password"), login(api, "nobody", "whatever-123")
    assert wrong_password.status_code == no_such_user.status_code == 401
    assert wrong_password.json() == no_such_user.json() == {
        "error_id": "login_failed", "message": "wrong username or password", "details": None}


def test_login_is_rate_limited_per_account(api, people):
    codes = [login(api, "operator", f"guess-number-{i}").status_code for i in range(6)]
    assert codes == [401] * 5 + [429]
    assert login(api, "operator").status_code == 429  # even the right password waits out the window
    assert login(api, "callback").status_code == 200  # other accounts are unaffected


def test_refresh_rotates_and_a_used_refresh_token_is_refused(api, people):
    first = login(api, "admin").json()
    second = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200 and second.json()["refresh_token"] != first["refresh_token"]
    again = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert again.status_code == 401


def test_forged_tampered_expired_and_misused_tokens_are_refused(api, people, ctx, clock):
    good = people["admin"].headers["Authorization"].split()[1]
    assert api.get("/api/v1/work-orders", headers=people["admin"].headers).status_code == 200  # its signature known
    forged, _ = security.issue(b"someone else's secret", people["admin"].user_id, "access", clock.now())
    header, payload, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = str(people["water"].user_id)
    tampered = ".".join([header, base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode(), signature])
    refresh, _ = security.issue(ctx.secret, people["admin"].user_id, "refresh", clock.now())
    unsigned = jwt.encode({"sub": "1", "typ": "access", "jti": "x", "exp": 9999999999}, key=None, algorithm="none")
    for token in (forged, tampered, refresh, unsigned, "not-a-jwt"):
        r = api.get("/api/v1/work-orders", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, token
        assert r.json()["error_id"] == "not_authenticated"
    assert api.get("/api/v1/work-orders").status_code == 401
    clock.advance(minutes=16)
    expired = api.get("/api/v1/work-orders", headers=people["admin"].headers)
    assert expired.status_code == 401 and expired.json()["error_id"] == "token_expired"


def test_a_disabled_account_is_locked_out_at_once(api, people, session_factory):
    from sqlalchemy import update

    from hotline.core.db import session_scope
    from hotline.models import User

    with session_scope(session_factory) as s:
        s.execute(update(User).where(User.username == "water").values(active=False))
    assert api.get("/api/v1/work-orders", headers=people["water"].headers).status_code == 401
