"""The application's database role on PostgreSQL: it reads and writes rows, and owns nothing.

A migration role owns the schema (`hotline db upgrade` runs as it); the API, workers and listeners
connect as an application role granted only what they need. Owning no table, the application role
cannot ALTER a table, disable its triggers or TRUNCATE it; the audit log, its seals and the work-order
events are granted to it for SELECT and INSERT only, so even a compromised application cannot rewrite them.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from hotline.core.db import make_engine

APPEND_ONLY = ("audit_log", "audit_seals", "work_order_events")
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(database: str, role: str) -> list[str]:
    """The SQL that gives `role` exactly the application's rights on the current schema (re-run after
    every upgrade: new tables are owned by the migration role and granted by this)."""
    if not _ROLE.fullmatch(role):
        raise ValueError(f"{role!r} is not a plain role name (lower-case letters, digits, underscores)")
    quoted_db = '"' + database.replace('"', '""') + '"'
    append_only = ", ".join(APPEND_ONLY)
    return [
        f"GRANT CONNECT ON DATABASE {quoted_db} TO {role}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
        f"REVOKE UPDATE, DELETE ON {append_only} FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]


def grant_app_role(url: str, role: str) -> list[str]:
    """Run the grants as the schema's owner (the migration role); refuses to grant to the owner itself."""
    engine = make_engine(url)
    try:
        if engine.dialect.name != "postgresql":
            raise ValueError("database roles are a PostgreSQL matter; SQLite has none")
        with engine.begin() as conn:
            owner = conn.scalar(text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'"))
            if owner == role:
                raise ValueError(f"{role} owns the tables: run the application as a role that owns nothing")
            database = conn.scalar(text("SELECT current_database()"))
            statements = grant_statements(database, role)
            for statement in statements:
                conn.execute(text(statement))
        return statements
    finally:
        engine.dispose()
