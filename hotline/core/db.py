"""Database engine and sessions: sync SQLAlchemy 2; the request or task boundary commits."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, Engine, Result, create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for PostgreSQL or SQLite; SQLite gets foreign keys, WAL and write-serialising BEGIN."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # As many connections as a worker's thread pool runs requests at once, so none waits for one.
        if "poolclass" not in kwargs:
            kwargs.setdefault("pool_size", 20)
            kwargs.setdefault("max_overflow", 20)
        # No ping on every checkout (a round trip per request): connections are recycled before servers
        # drop idle ones, a dead one invalidates the pool, and the request's unit of work retries once.
        kwargs.setdefault("pool_recycle", 1800)
        return create_engine(url, pool_pre_ping=False, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Take over transaction control from pysqlite so BEGIN IMMEDIATE below is honoured.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A read that later writes would otherwise deadlock on lock upgrade; take the write lock up front.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# INSERT with ON CONFLICT support, by dialect name: PostgreSQL and SQLite speak the same upsert.
DIALECT_INSERTS: dict[str, Callable[[Any], Any]] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(session: Session, model):
    """INSERT with ON CONFLICT support for the session's database."""
    return DIALECT_INSERTS[session.get_bind().dialect.name](model)


def expire_loaded(session: Session, model: type, key: str, values: Collection[Any], *attributes: str) -> None:
    """After an UPDATE on a mapped class's table of the rows whose `key` is in `values` (cheaper than the ORM's
    own bulk UPDATE, which evaluates its criteria against every loaded object): the loaded objects it may have
    changed read those attributes again when next used. A loaded object whose `key` is itself expired is
    expired too, never read just to decide."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model):
            known = inspect(obj).dict.get(key)
            if known is None or known in values:
                session.expire(obj, list(attributes))


def rowcount(result: Result) -> int:
    """Rows an UPDATE or DELETE touched (a cursor result's count, typed). Not for INSERT … ON CONFLICT DO
    NOTHING: psycopg reports -1 for it on PostgreSQL whether a row went in or not — add RETURNING instead."""
    return result.rowcount if isinstance(result, CursorResult) else -1
