"""Test wiring: every database test runs on SQLite and on real PostgreSQL.

PostgreSQL comes from HOTLINE_TEST_POSTGRES_URL (default: the local server on 127.0.0.1:5432), Redis from
HOTLINE_TEST_REDIS_URL (default: database 15 of the local server). Under pytest-xdist (`make test` runs
several workers) each worker gets a database of its own: the PostgreSQL name takes the worker's suffix
(`hotline_test_gw1`) and the Redis database number counts down from the one given.
When it is unreachable the PostgreSQL half is skipped with the reason, unless
HOTLINE_TEST_REQUIRE_SERVICES=1 (set by CI), which turns that into a failure.
`pytest --db sqlite` or `--db postgresql` runs one backend only.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from hotline.core.clock import FixedClock
from hotline.core.db import make_engine, make_session_factory, session_scope
from hotline.core.migrate import upgrade_database
from hotline.core.settings import Settings
from hotline.dispatch.departments import sync_departments
from hotline.models import Base
from hotline.runtime.context import Context, build_context
from tests.shipped import CONFIG_DIR, shipped_config

ROOT = Path(__file__).resolve().parents[1]
# "gw0", "gw1" … under pytest-xdist; empty when the suite runs in one process.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def per_worker_database(url: str) -> str:
    """A PostgreSQL URL whose database is this worker's own."""
    if not WORKER:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{WORKER}").render_as_string(hide_password=False)


def per_worker_redis(url: str) -> str:
    """A Redis URL whose database number is this worker's own (counting down from the one given)."""
    if not WORKER:
        return url
    base, _, number = url.rpartition("/")
    index = int(WORKER.removeprefix("gw"))
    return f"{base}/{(int(number or 0) - index) % 16}"


POSTGRES_URL = per_worker_database(os.environ.get(
    "HOTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/hotline_test"))
REDIS_URL = per_worker_redis(os.environ.get("HOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
REQUIRE_SERVICES = os.environ.get("HOTLINE_TEST_REQUIRE_SERVICES") == "1"
# Monday 23 November 2026, 09:00 in Liaocheng: a plain working day.
CST = dt.timezone(dt.timedelta(hours=8))
MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=CST)
# Long and varied enough to pass the check every deployment's secret goes through.
TEST_SECRET = "test-secret-for-the-hotline-suite-0123456789"


@pytest.fixture(autouse=True)
def _no_kept_live_messages():
    """The in-process bus is the process's one: what one test's calls kept must not reach the next test."""
    from hotline.live.bus import MemoryBus, bus_for

    bus = bus_for(None, "")
    assert isinstance(bus, MemoryBus)
    bus.forget()


def pytest_addoption(parser):
    parser.addoption("--db", choices=["sqlite", "postgresql", "both"], default="both",
                     help="which database backends the database tests run on")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--db")
        backends = ["sqlite", "postgresql"] if choice == "both" else [choice]
        if metafunc.definition.get_closest_marker("postgres_only"):
            backends = ["postgresql"]  # deselected under --db sqlite (see below)
        elif choice == "both" and metafunc.definition.get_closest_marker("one_backend"):
            backends = ["sqlite"]  # what the page shows does not change with the database; the API has tests on both
        metafunc.parametrize("backend", backends, scope="session")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--db") != "sqlite":
        return
    postgres_only = [i for i in items if i.get_closest_marker("postgres_only")]
    if postgres_only:
        config.hook.pytest_deselected(items=postgres_only)
        items[:] = [i for i in items if not i.get_closest_marker("postgres_only")]


def pytest_collection_finish(session):
    # What collection built (modules, the app's routes, config) lives to the end of the run: moved out of the
    # collector's reach, later full collections (and pytest's own at exit) need not walk it again.
    gc.freeze()


def recreate_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def require_redis(url: str, client=None):
    """A client on the Redis at `url`, or the test skipped with the reason (a failure when CI requires it)."""
    import redis

    client = client or redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis is required but unreachable at {url}: {exc}")
        pytest.skip(f"Redis not reachable at {url} (set HOTLINE_TEST_REDIS_URL): {exc}")
    return client


@pytest.fixture(scope="session")
def postgres_url() -> str:
    try:
        recreate_postgres_database(POSTGRES_URL)
    except psycopg.OperationalError as exc:
        if REQUIRE_SERVICES:
            pytest.fail(f"PostgreSQL is required but unreachable at {POSTGRES_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} (set HOTLINE_TEST_POSTGRES_URL): {exc}")
    upgrade_database(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(backend, request, tmp_path) -> str:
    if backend == "sqlite":
        path = tmp_path / "hotline.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(db_url, backend):
    engine = make_engine(db_url)
    yield engine
    if backend == "postgresql":
        empty_tables(engine)
    engine.dispose()


def empty_tables(engine, attempts: int = 5) -> None:
    """Every table emptied for the next test. A test's own background work (a server thread finishing a
    request, a job) may still hold a lock; when the database picks this TRUNCATE as a deadlock's victim it is
    tried again once the other side is through."""
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    for attempt in range(attempts):
        try:
            with engine.begin() as conn:
                # The append-only tables refuse TRUNCATE; the superuser that cleans up between tests
                # switches this session's triggers off (what no application role can do).
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                conn.execute(text("INSERT INTO audit_chain_head (id, last_id, last_hash) VALUES (1, NULL, :genesis)"),
                             {"genesis": "0" * 64})
            return
        except OperationalError as exc:
            if "deadlock" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.5)


@pytest.fixture(scope="session")
def config():
    return shipped_config()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_9AM)


@pytest.fixture
def settings(tmp_path, db_url) -> Settings:
    return Settings(database_url=db_url, config_dir=CONFIG_DIR, var_dir=tmp_path / "var",
                    secret_key=TEST_SECRET, intake_first_model=False)  # a test that wants one says so


@pytest.fixture
def ctx(settings, clock, config) -> Context:
    return build_context(settings, clock=clock, config=config)


@pytest.fixture
def session_factory(engine, config):
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        sync_departments(session, config.departments.departments)
    return factory


@pytest.fixture
def session(session_factory):
    with session_factory() as session:
        yield session
        session.rollback()
