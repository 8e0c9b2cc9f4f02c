"""Two centres on one Redis server: live events, rate limits and job queues never cross.

Redis pub/sub ignores the database number, so the lab's two deployments (Redis db 2 and db 7) heard each
other's screen pops; every channel and key now carries the deployment's namespace."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace

import pytest
import redis

from hotline.core.ratelimit import make_rate_limiter
from hotline.core.settings import Settings
from hotline.live.bus import RedisBus
from hotline.live.events import CALLS
from hotline.runtime.celery import celery_app
from tests.conftest import REDIS_URL, require_redis

COMPOSE_DATABASE = "postgresql+psycopg://hotline:hotline@postgres:5432/hotline"  # every stack has the same string


@pytest.fixture
def redis_url() -> str:
    require_redis(REDIS_URL)
    return REDIS_URL


def other_db(url: str) -> str:
    base, _, db = url.rpartition("/")
    return f"{base}/{(int(db or 0) + 1) % 16}"


def test_same_database_url_on_other_redis_databases_are_two_deployments(redis_url):
    first = Settings(database_url=COMPOSE_DATABASE, redis_url=redis_url)
    second = Settings(database_url=COMPOSE_DATABASE, redis_url=other_db(redis_url))
    assert first.namespace != second.namespace
    assert Settings(database_url=COMPOSE_DATABASE, redis_url=redis_url, deployment="liaocheng").namespace == \
        "liaocheng"


def test_live_events_of_one_deployment_never_reach_another(redis_url):
    ours = Settings(database_url=COMPOSE_DATABASE, redis_url=redis_url)
    theirs = Settings(database_url=COMPOSE_DATABASE, redis_url=other_db(redis_url))

    async def main() -> tuple[list, list]:
        our_bus, their_bus = RedisBus(redis_url, ours.namespace), RedisBus(other_db(redis_url), theirs.namespace)
        async with our_bus.subscribe(CALLS) as mine, their_bus.subscribe(CALLS) as others:
            await asyncio.sleep(0.2)  # both subscriptions registered on the server
            await asyncio.to_thread(our_bus.publish, CALLS, {"linkedid": "ours"})
            heard = [await asyncio.wait_for(mine.get(), 5)]
            await asyncio.sleep(0.3)
            leaked = [others.get_nowait() for _ in range(others.qsize())]
        return heard, leaked

    heard, leaked = asyncio.run(main())
    assert heard == [{"linkedid": "ours"}] and leaked == []


def test_rate_limits_are_counted_per_deployment(redis_url):
    key = f"login:{uuid.uuid4()}"
    refuse_all = SimpleNamespace(hit=lambda *_: False)  # the database store, never reached while Redis answers
    ours = make_rate_limiter(redis_url, "centre-a", refuse_all)
    theirs = make_rate_limiter(redis_url, "centre-b", refuse_all)
    assert [ours.hit(key, 2, 60) for _ in range(3)] == [True, True, False]
    assert theirs.hit(key, 2, 60)  # the other centre's counter is untouched


def test_jobs_wait_under_the_deployments_own_keys(redis_url):
    client = redis.Redis.from_url(redis_url)
    settings = Settings(database_url=COMPOSE_DATABASE, redis_url=redis_url, deployment=f"ns-{uuid.uuid4().hex[:8]}")
    app, shared_before = celery_app(settings), client.llen("celery")
    try:
        app.send_task("hotline.no.such.job")
        assert client.llen(f"hotline:{settings.namespace}:celery") == 1
        assert client.llen("celery") == shared_before  # nothing in the queue every deployment would read
    finally:
        for key in client.keys(f"hotline:{settings.namespace}:*"):
            client.delete(key)
