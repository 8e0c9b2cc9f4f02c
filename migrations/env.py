"""Alembic environment: the database URL comes from the caller or from HOTLINE_DATABASE_URL."""

from alembic import context
from sqlalchemy import pool

from hotline.core.db import make_engine
from hotline.core.settings import get_settings
from hotline.models import Base
from hotline.models.knowledge import mapped_only

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=mapped_only,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run `hotline db upgrade`")
run_migrations()
