"""Guess limits hold per account and per ticket, from any address, over two API workers, with Redis up, down
or absent; forwarded addresses are believed only from configured proxies; windows slide."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import httpx2 as httpx
import pytest
from sqlalchemy import select

from hotline.accounts.attempt_repository import DatabaseRateLimiter
from hotline.core.db import session_scope
from hotline.core.ratelimit import make_rate_limiter
from hotline.core.settings import Settings
from hotline.dispatch import tickets
from hotline.ivr.services import DatabaseServices
from hotline.models import AuditRecord
from hotline.runtime.processes import forwarding
from tests.conftest import REDIS_URL, require_redis
from tests.integration.conftest import PASSWORD, new_order
from tests.integration.served import free_port, serving

ADDRESSES = (f"198.51.100.{i}" for i in itertools.count(1))  # every guess from a "new" address


def live_redis() -> str:
    require_redis(REDIS_URL)
    return REDIS_URL


STORES = {"redis": live_redis, "redis-down": lambda: f"redis://127.0.0.1:{free_port()}/0", "database": lambda: None}


@contextmanager
def two_workers(ctx, store: str) -> Iterator[itertools.cycle]:
    url, namespace = STORES[store](), f"limits-{uuid.uuid4().hex[:8]}"
    with serving(ctx, url, namespace) as one, serving(ctx, url, namespace) as two:
        yield itertools.cycle([one, two])


@pytest.mark.parametrize("store", sorted(STORES))
def test_password_guesses_on_one_account_are_limited_from_any_address(ctx, people, store):
    with two_workers(ctx, store) as workers:
        codes = [httpx.post(f"{next(workers)}/api/v1/auth/login", json={"username": "operator", "password": f"g{i}"},
                            headers={"X-Forwarded-For": next(ADDRESSES)}, timeout=10).status_code for i in range(12)]
        right = httpx.post(f"{next(workers)}/api/v1/auth/login", json={"username": "operator", "password": PASSWORD},
                           timeout=10)
    assert codes == [401] * 5 + [429] * 7  # 5 a minute for the account, however many workers and addresses
    assert right.status_code == 429


@pytest.mark.parametrize("store", sorted(STORES))
def test_code_guesses_on_one_ticket_are_limited_to_ten_an_hour(ctx, people, api, store):
    ticket = new_order(api, people["operator"])
    with two_workers(ctx, store) as workers:
        codes = [httpx.get(f"{next(workers)}/api/v1/public/status", params={"ticket": ticket, "code": f"{i:06d}"},
                           headers={"X-Forwarded-For": next(ADDRESSES)}, timeout=10).status_code for i in range(12)]
    assert codes == [404] * tickets.CODE_GUESSES_PER_HOUR + [429] * 2


def audited_address(session_factory, ticket: str) -> str | None:
    with session_scope(session_factory) as s:
        return s.scalar(select(AuditRecord.ip).where(AuditRecord.object_id == ticket,
                                                     AuditRecord.action == "work_order.create"))


@pytest.mark.parametrize("trusted,expected", [("", "127.0.0.1"), ("127.0.0.1", "203.0.113.7")])
def test_forwarded_addresses_are_believed_only_from_configured_proxies(ctx, people, session_factory, trusted,
                                                                       expected):
    settings = ctx.settings.model_copy(update={"trusted_proxies": trusted})
    with serving(replace(ctx, settings=settings)) as base:
        r = httpx.post(f"{base}/api/v1/work-orders", headers={**people["operator"].headers,
                                                              "X-Forwarded-For": "203.0.113.7"},
                       json={"title": "路灯不亮", "content": "路灯不亮", "category_code": "water.outage"}, timeout=10)
    assert r.status_code == 201, r.text
    assert audited_address(session_factory, r.json()["ticket_no"]) == expected


def test_no_proxy_is_trusted_by_default():
    assert Settings().trusted_proxy_list == []
    assert forwarding(Settings()) == {"proxy_headers": False, "forwarded_allow_ips": ""}


@pytest.mark.parametrize("store", ["redis", "database"])
def test_windows_slide_rather_than_reset_on_the_clock(engine, store):
    url = STORES[store]()
    limiter = make_rate_limiter(url, f"slide-{uuid.uuid4().hex[:8]}", DatabaseRateLimiter(engine))
    while not 1.5 <= time.time() % 2 < 1.6:  # just before a 2-second boundary, where a fixed window resets
        time.sleep(0.05)
    assert [limiter.hit("k", 3, 2) for _ in range(3)] == [True, True, True]
    time.sleep(2.1 - time.time() % 2)  # past the boundary, but not 2 s after the attempts
    assert limiter.hit("k", 3, 2) is False
    time.sleep(1.7)  # now the first attempts have left the window
    assert limiter.hit("k", 3, 2) is True


def test_keypad_and_web_guesses_share_the_tickets_hourly_budget(ctx, session_factory, engine, api, people):
    r = api.post("/api/v1/work-orders", headers=people["operator"].headers,
                 json={"title": "停水", "content": "小区停水", "category_code": "water.outage"})
    ticket, code = r.json()["ticket_no"], r.json()["extraction_code"]
    keypad = DatabaseServices(ctx, session_factory, DatabaseRateLimiter(engine))
    wrong = [f"{(int(code) + i) % 1_000_000:06d}" for i in range(1, 10)]
    assert [keypad.case_status_now(ticket, guess) for guess in wrong] == [None] * 9
    assert api.get("/api/v1/public/status", params={"ticket": ticket, "code": wrong[0]}).status_code == 404
    assert keypad.case_status_now(ticket, code) is None  # the eleventh try, right or wrong, waits the hour out
    assert api.get("/api/v1/public/status", params={"ticket": ticket, "code": code}).status_code == 429
