"""The request's unit of work: one thread-pool crossing, a dead pooled connection retried once, the
account cached briefly — and none of it changes what a request does."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from hotline.accounts.cache import ActorCache
from hotline.api import uow
from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.core.jobs import InProcessQueue
from hotline.runtime.api import create_app
from tests.integration.conftest import new_order, step


def test_a_lifecycle_step_crosses_into_the_thread_pool_once(api, people, monkeypatch):
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept")
    crossings = []
    import fastapi.routing
    import starlette.concurrency

    real = starlette.concurrency.run_in_threadpool

    async def counting(func, *args, **kwargs):
        crossings.append(getattr(func, "__name__", str(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "run_in_threadpool", counting)
    monkeypatch.setattr("fastapi.dependencies.utils.run_in_threadpool", counting)
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER", "reason": "水务"})
    assert len(crossings) == 1  # the endpoint, its commit and its response in one call


def test_a_step_answers_with_the_new_state_and_the_next_allowed_actions(api, people):
    ticket = new_order(api, people["operator"])
    body = step(api, people["operator"], ticket, "accept", {"tier": "livelihood"})
    assert body["state"] == "accepted" and body["tier"] == "livelihood"
    assert set(body["allowed_actions"]) >= {"dispatch", "answer_directly"}


@pytest.mark.postgres_only
def test_a_connection_the_server_dropped_is_retried_once_and_the_request_succeeds(ctx, session_factory, people,
                                                                                  engine):
    app = create_app(ctx, queue=InProcessQueue())
    with TestClient(app) as client:
        headers = people["operator"].headers
        assert client.get("/api/v1/work-orders", headers=headers).status_code == 200  # a pooled connection now
        pool_engine = app.state.runtime.session_factory.kw["bind"]
        with engine.connect() as admin:  # the server ends every other session, as a failover would
            admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            admin.commit()
        r = client.get("/api/v1/work-orders", headers=headers)
        assert r.status_code == 200, r.text
        created = client.post("/api/v1/work-orders", json={"title": "路灯", "content": "路灯不亮"}, headers=headers)
        assert created.status_code == 201
        pool_engine.dispose()


def test_a_unit_of_work_that_fails_twice_is_an_error_and_writes_nothing(session_factory):
    from sqlalchemy.exc import OperationalError

    calls = []

    def endpoint(session):
        calls.append(1)
        session.execute(text("SELECT 1"))
        error = OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        error.connection_invalidated = True
        raise error

    run = uow._in_one_thread(endpoint, None, 200, retry=True)
    with pytest.raises(OperationalError):
        run(session=session_factory())
    assert len(calls) == 2  # retried once, then the caller hears of it


def test_endpoints_that_act_outside_the_database_are_not_retried(session_factory):
    from sqlalchemy.exc import OperationalError

    calls = []

    def endpoint(session):
        calls.append(1)
        error = OperationalError("SELECT 1", {}, Exception("gone"))
        error.connection_invalidated = True
        raise error

    run = uow._in_one_thread(endpoint, None, 200, retry=False)
    with pytest.raises(OperationalError):
        run(session=session_factory())
    assert len(calls) == 1


def test_the_account_cache_forgets_after_its_lifetime_and_on_demand():
    now = [0.0]
    cache = ActorCache(ttl=30, clock=lambda: now[0])
    actor = Actor(Role.OPERATOR, user_id=7, name="op")
    cache.put(actor)
    assert cache.get(7) == actor
    now[0] = 29.9
    assert cache.get(7) == actor
    now[0] = 30.0
    assert cache.get(7) is None
    cache.put(actor)
    cache.drop(7)
    assert cache.get(7) is None
