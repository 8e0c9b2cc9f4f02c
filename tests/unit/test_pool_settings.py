"""The PostgreSQL connection pool is sized by settings, so processes × (pool + overflow) can be kept below the
server's max_connections; SQLite takes no pool options."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hotline.core.db import make_engine
from hotline.core.settings import Settings

URL = "postgresql+psycopg://hotline@127.0.0.1:5432/hotline"


def test_the_pool_takes_the_sizes_the_settings_name(monkeypatch):
    monkeypatch.setenv("HOTLINE_DB_POOL_SIZE", "6")
    monkeypatch.setenv("HOTLINE_DB_MAX_OVERFLOW", "2")
    settings = Settings(database_url=URL, secret_key="k" * 40)
    engine = make_engine(settings.database_url, **settings.pool_options())  # no connection is opened
    assert (engine.pool.size(), engine.pool._max_overflow) == (6, 2)


def test_default_pool_matches_a_workers_thread_pool_and_sqlite_takes_none(tmp_path):
    assert Settings(database_url=URL).pool_options() == {"pool_size": 20, "max_overflow": 20}
    assert Settings(database_url=f"sqlite:///{tmp_path / 'h.db'}").pool_options() == {}


@pytest.mark.parametrize(("name", "value"), [("db_pool_size", 0), ("db_max_overflow", -1), ("db_pool_size", 500)])
def test_a_pool_size_out_of_range_is_refused(name, value):
    with pytest.raises(ValidationError):
        Settings(database_url=URL, **{name: value})
