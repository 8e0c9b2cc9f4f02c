"""The audit log against its own application: a hash chain that shows where it was edited or cut, sealed
after the rows are written so writers never queue, and on PostgreSQL an application role that can append to
it and nothing else."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from hotline.audit import chain
from hotline.audit.repository import AuditRepository
from hotline.core.actor import Actor
from hotline.core.db import make_engine, make_session_factory, session_scope
from hotline.core.db_roles import grant_app_role, grant_statements
from hotline.core.enums import Role
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.service import WorkOrderService
from hotline.models import AuditRecord, AuditSeal
from tests.factories import OPERATOR, WATER, draft, staff_of
from tests.integration.test_cli import hotline

APP_ROLE = "hotline_app_i15privacy"
AT = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


def write(factory, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        with session_scope(factory) as s:
            AuditRepository(s).add(AT + dt.timedelta(seconds=i), Actor(Role.OPERATOR, name="operator"),
                                   "work_order.accept", "work_order", f"20261123-{i:04d}", "10.0.0.1",
                                   {"note": f"第{i}条", "n": i})


def seal(factory) -> int:
    with factory() as s:
        return AuditRepository(s).seal_all()


def append(factory, n: int, start: int = 0) -> None:
    """Rows written, then sealed by the periodic job."""
    write(factory, n, start)
    seal(factory)


def verdict(factory):
    with factory() as s:
        return AuditRepository(s).verify()


def tamper(engine, backend: str, sql: str) -> None:
    """What someone with the database's keys could do, bypassing the append-only triggers."""
    if backend == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(sql))
        return
    with sqlite3.connect(engine.url.database) as conn:  # a plain connection: foreign keys not enforced
        for table in ("audit_log", "audit_seals"):
            conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        conn.execute(sql)


def test_an_intact_chain_verifies(session_factory):
    append(session_factory, 5)
    result = verdict(session_factory)
    assert result.ok and result.checked == 5 and "intact: 5" in result.describe()


def test_an_edited_row_is_found(session_factory, engine, backend):
    append(session_factory, 5)
    tamper(engine, backend, "UPDATE audit_log SET actor = 'someone' WHERE id = 3")
    result = verdict(session_factory)
    assert (result.ok, result.broken_at, result.checked) == (False, 3, 2)
    assert "changed" in result.describe()


def test_a_deleted_row_is_found_where_it_was(session_factory, engine, backend):
    append(session_factory, 5)
    tamper(engine, backend, "DELETE FROM audit_log WHERE id = 2")
    result = verdict(session_factory)
    assert (result.ok, result.broken_at, result.checked) == (False, 2, 1) and "removed" in result.problem


def test_a_deleted_row_and_its_seal_break_the_next_link(session_factory, engine, backend):
    append(session_factory, 5)
    tamper(engine, backend, "DELETE FROM audit_seals WHERE audit_id = 2")
    tamper(engine, backend, "DELETE FROM audit_log WHERE id = 2")
    result = verdict(session_factory)
    assert (result.ok, result.broken_at) == (False, 3) and "removed or changed" in result.problem


def test_rows_cut_from_the_end_are_found(session_factory, engine, backend):
    append(session_factory, 5)
    tamper(engine, backend, "DELETE FROM audit_seals WHERE audit_id >= 4")
    tamper(engine, backend, "DELETE FROM audit_log WHERE id >= 4")
    result = verdict(session_factory)
    assert (result.ok, result.broken_at) == (False, 5) and "ends at row 3" in result.problem


def test_a_rehashed_edit_still_breaks_the_next_link(session_factory, engine, backend):
    append(session_factory, 4)
    with session_factory() as s:
        row, link = s.get(AuditRecord, 2), s.scalars(select(AuditSeal).where(AuditSeal.audit_id == 2)).one()
        forged = chain.digest(link.prev_hash, row.at, row.user_id, "someone", row.role, row.action, row.object_type,
                              row.object_id, row.ip, row.details)
    tamper(engine, backend, "UPDATE audit_log SET actor = 'someone' WHERE id = 2")
    tamper(engine, backend, f"UPDATE audit_seals SET row_hash = '{forged}' WHERE audit_id = 2")
    assert verdict(session_factory).broken_at == 3


def test_rows_are_sealed_once_in_the_order_written_and_waiting_rows_are_told_apart(session_factory):
    write(session_factory, 3)
    waiting = verdict(session_factory)
    assert (waiting.ok, waiting.checked, waiting.waiting) == (True, 0, 3) and "3 newer rows" in waiting.describe()
    assert seal(session_factory) == 3
    assert seal(session_factory) == 0  # nothing is sealed twice
    append(session_factory, 2, start=3)
    with session_factory() as s:
        order = s.scalars(select(AuditSeal.audit_id).order_by(AuditSeal.seq)).all()
    assert order == [1, 2, 3, 4, 5]
    result = verdict(session_factory)
    assert (result.ok, result.checked, result.waiting) == (True, 5, 0)


@pytest.mark.postgres_only
def test_a_writer_never_waits_and_a_row_is_sealed_only_when_none_can_appear_before_it(session_factory):
    """An open transaction's row keeps the sealer from sealing past it (it may take a lower id than rows committed
    meanwhile), while other writers go on without waiting."""
    early = session_factory()
    try:
        AuditRepository(early).add(AT, Actor(Role.OPERATOR, name="early"), "work_order.accept", "work_order", "A",
                                   None)
        early.flush()  # the row exists, its transaction is open
        writer = threading.Thread(target=write, args=(session_factory, 2))
        writer.start()
        writer.join(timeout=10)
        assert not writer.is_alive()  # nothing to wait for: the other writer committed while this one is open
        assert seal(session_factory) == 0  # a row is still in flight: nothing is final yet
        assert verdict(session_factory).waiting == 2
        early.commit()
    finally:
        early.close()
    assert seal(session_factory) == 3
    with session_factory() as s:
        first = s.scalars(select(AuditRecord.actor).join(AuditSeal, AuditSeal.audit_id == AuditRecord.id)
                          .order_by(AuditSeal.seq)).first()
    assert first == "early"
    assert verdict(session_factory).ok


def test_a_row_slipped_in_behind_the_sealer_is_named(session_factory):
    def slip_in(audit_id: int) -> None:  # written with the application's rights, but with an id of its choosing
        with session_scope(session_factory) as s:
            s.add(AuditRecord(id=audit_id, at=AT, actor="someone", role="operator", action="work_order.accept",
                              object_type="work_order"))

    append(session_factory, 3)
    slip_in(6)
    seal(session_factory)
    assert verdict(session_factory).ok
    slip_in(5)
    seal(session_factory)
    result = verdict(session_factory)
    assert (result.ok, result.broken_at) == (False, 5) and "no seal" in result.problem


@pytest.mark.postgres_only
def test_concurrent_appends_make_one_chain(session_factory):
    errors: list[Exception] = []

    def worker(k: int) -> None:
        try:
            append(session_factory, 3, start=k * 3)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def sealer() -> None:
        for _ in range(10):
            seal(session_factory)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(20)] + [threading.Thread(target=sealer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seal(session_factory)
    result = verdict(session_factory)
    assert result.ok and result.checked == 60


@pytest.fixture
def app_role_url(postgres_url, engine):
    """An application role that owns nothing, granted by `hotline db grant` as the schema's owner."""
    with engine.begin() as conn:
        conn.execute(text(f"DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; "
                          "END $$"))
    grant_app_role(postgres_url, APP_ROLE)
    return make_url(postgres_url).set(username=APP_ROLE).render_as_string(hide_password=False)


@pytest.mark.postgres_only
def test_the_application_role_appends_and_can_neither_truncate_nor_disable_the_guards(
        app_role_url, session_factory, ctx):
    app_engine = make_engine(app_role_url)
    factory = make_session_factory(app_engine)
    try:
        with session_scope(factory) as s:  # the application's ordinary work goes through
            orders = WorkOrderService(s, ctx)
            order = orders.create(draft(), OPERATOR).order
            orders.accept(order.id, OPERATOR)
            orders.dispatch(order.id, OPERATOR)
            DepartmentService(s, ctx).sign(order.id, staff_of(s, WATER))
        append(factory, 3)
        for sql, refused in [
            ("TRUNCATE audit_log", "permission denied"),
            ("TRUNCATE work_order_events CASCADE", "permission denied"),
            ("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only", "must be owner"),
            ("ALTER TABLE audit_log DISABLE TRIGGER ALL", "must be owner"),
            ("UPDATE audit_log SET actor = 'x'", "permission denied"),
            ("UPDATE audit_seals SET row_hash = 'x'", "permission denied"),
            ("DELETE FROM audit_seals", "permission denied"),
            ("TRUNCATE audit_seals CASCADE", "permission denied"),
            ("DELETE FROM audit_log", "permission denied"),
            ("DELETE FROM work_order_events", "permission denied"),
            ("SET session_replication_role = replica", "permission denied"),
            ("DROP TABLE audit_log", "must be owner"),
        ]:
            with pytest.raises(DBAPIError, match=refused), app_engine.begin() as conn:
                conn.execute(text(sql))
        with session_factory() as s:
            assert len(s.scalars(select(AuditRecord)).all()) == 3
        ok = hotline("audit", "verify", env={"HOTLINE_DATABASE_URL": app_role_url})
        assert ok.returncode == 0 and "intact: 3" in ok.stdout, ok.stderr
    finally:
        app_engine.dispose()


@pytest.mark.postgres_only
def test_even_the_owner_cannot_truncate_the_audit_log(engine):
    for table in ("audit_log", "audit_seals"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {table} CASCADE"))


def test_the_grants_never_give_the_audit_tables_away():
    sql = "\n".join(grant_statements("hotline", "hotline_app"))
    assert "REVOKE UPDATE, DELETE ON audit_log, audit_seals, work_order_events FROM hotline_app" in sql
    assert "REVOKE TRUNCATE" in sql
    with pytest.raises(ValueError):
        grant_statements("hotline", "app; DROP TABLE x")


def test_verify_from_the_command_line_names_the_row(session_factory, engine, backend, db_url):
    append(session_factory, 4)
    tamper(engine, backend, "UPDATE audit_log SET details = NULL WHERE id = 2")
    result = hotline("audit", "verify", env={"HOTLINE_DATABASE_URL": db_url})
    assert result.returncode == 1 and "broken at row 2" in result.stderr, result.stdout
