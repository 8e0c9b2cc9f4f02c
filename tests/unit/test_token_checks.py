"""Access tokens: a signature is checked once per process, but type and expiry on every use, and a token is
only ever good for the secret that signed it."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.core import security
from hotline.core.errors import AuthenticationError

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
SECRET, OTHER = b"one centre's secret 0123456789abcdef", b"another centre's secret 0123456789ab"


def test_a_token_seen_before_still_expires_and_keeps_its_kind():
    token, claims = security.issue(SECRET, 7, "access", NOW)
    for _ in range(2):
        assert security.verify(SECRET, token, "access", NOW) == claims
    with pytest.raises(AuthenticationError, match="cannot be used here"):
        security.verify(SECRET, token, "refresh", NOW)
    with pytest.raises(AuthenticationError) as expired:
        security.verify(SECRET, token, "access", claims.expires_at)
    assert expired.value.error_id == "token_expired"


def test_a_token_good_under_one_secret_is_refused_under_another():
    token, _ = security.issue(SECRET, 7, "access", NOW)
    assert security.verify(SECRET, token, "access", NOW).user_id == 7
    with pytest.raises(AuthenticationError, match="not valid"):
        security.verify(OTHER, token, "access", NOW)


def test_a_refused_token_is_refused_again():
    token, _ = security.issue(SECRET, 7, "access", NOW)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="not valid"):
            security.verify(SECRET, tampered, "access", NOW)
    assert security.verify(SECRET, token, "access", NOW).user_id == 7
