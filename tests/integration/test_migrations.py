"""Migrations build the schema from empty on both databases, match the models, and go back down."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hotline.core.db import make_engine
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
