"""`hotline audit`: check the audit log's hash chain."""

from __future__ import annotations

import typer

from hotline.cli.common import group

audit_app = group("audit", "The audit log")


@audit_app.command("verify")
def audit_verify() -> None:
    """Seal what has become final, then walk the audit log's hash chain; exit 1 and name the first row where it
    breaks."""
    from hotline.audit.repository import AuditRepository
    from hotline.core.db import make_engine, make_session_factory
    from hotline.core.settings import get_settings

    engine = make_engine(get_settings().database_url)
    try:
        with make_session_factory(engine)() as session:
            repository = AuditRepository(session)
            repository.seal_all()
            verdict = repository.verify()
    finally:
        engine.dispose()
    typer.echo(verdict.describe(), err=not verdict.ok)
    if not verdict.ok:
        raise typer.Exit(1)
