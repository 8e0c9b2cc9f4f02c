"""Migrations build the schema from empty on both databases, match the models, and go back down."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from hotline.audit.repository import AuditRepository
from hotline.core.actor import Actor
from hotline.core.db import make_engine, make_session_factory, session_scope
from hotline.core.enums import Role
from hotline.core.migrate import current_tables, downgrade_database, upgrade_database
from hotline.models import Base
from hotline.models.knowledge import mapped_only
from tests.conftest import POSTGRES_URL, recreate_postgres_database


@pytest.fixture
def empty_url(backend, tmp_path, request):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    request.getfixturevalue("postgres_url")  # skips or fails exactly as the other PostgreSQL tests
    url = f"{POSTGRES_URL}_migrations"
    recreate_postgres_database(url)
    return url


def test_upgrade_from_empty_creates_the_schema_the_models_describe(empty_url):
    upgrade_database(empty_url)
    assert {t.name for t in Base.metadata.sorted_tables} <= current_tables(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_object": mapped_only}), Base.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(empty_url):
    upgrade_database(empty_url)
    downgrade_database(empty_url, "base")
    assert current_tables(empty_url) <= {"alembic_version"}
    upgrade_database(empty_url)
    assert "work_orders" in current_tables(empty_url)


def test_the_audit_chain_survives_going_down_to_row_hashes_and_back_to_seals(empty_url):
    """0021 moved the chain from the rows into seals: down rebuilds the rows' own hashes in id order, up takes
    them back as seals, and the chain verifies on the way."""
    upgrade_database(empty_url)
    engine = make_engine(empty_url)
    factory = make_session_factory(engine)
    for i in range(4):
        with session_scope(factory) as session:
            AuditRepository(session).add(dt.datetime(2026, 11, 30, 9, i, tzinfo=dt.UTC), Actor(Role.OPERATOR, name="o"),
                                         "work_order.accept", "work_order", f"T{i}", "10.0.0.1", {"第": i})
    with factory() as session:
        assert AuditRepository(session).seal_all() == 4
    engine.dispose()
    downgrade_database(empty_url, "0020")
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, prev_hash, row_hash FROM audit_log ORDER BY id")).all()
        head = conn.execute(text("SELECT last_id, last_hash FROM audit_chain_head")).one()
    assert rows[0].prev_hash == "0" * 64 and all(b.prev_hash == a.row_hash for a, b in pairwise(rows))
    assert tuple(head) == (rows[-1].id, rows[-1].row_hash)
    engine.dispose()
    upgrade_database(empty_url)
    engine = make_engine(empty_url)
    with make_session_factory(engine)() as session:
        verdict = AuditRepository(session).verify()
    engine.dispose()
    assert (verdict.ok, verdict.checked, verdict.waiting) == (True, 4, 0)


def test_a_day_in_progress_keeps_counting_across_the_ticket_sequence_and_back(empty_url):
    """0026 numbers tickets from a sequence on PostgreSQL: a day already counted to 41 goes on at 42, and going
    back down leaves the counters at the highest number the orders hold."""
    from hotline.dispatch.tickets import allocate_ticket

    upgrade_database(empty_url, "0025")
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO ticket_counters (day, last_value) VALUES ('20261130', 41)"))
    engine.dispose()
    upgrade_database(empty_url)
    engine = make_engine(empty_url)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        numbers = [allocate_ticket(session, dt.date(2026, 11, 30)) for _ in range(2)]
        first_of_next_day = allocate_ticket(session, dt.date(2026, 12, 1))
        session.execute(text("INSERT INTO work_orders (ticket_no, extraction_code_hash, state, tier, channel, title, "
                             "content, received_at, redo_count, return_count, version) VALUES (:t, 'h', 'received', "
                             "'general', 'phone', 't', 'c', :at, 0, 0, 1)"),
                        {"t": numbers[-1], "at": dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC)})
    engine.dispose()
    assert numbers == ["20261130-0042", "20261130-0043"] and first_of_next_day == "20261201-0001"
    downgrade_database(empty_url, "0025")
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT last_value FROM ticket_counters WHERE day = '20261130'")).scalar() == 43
    engine.dispose()
