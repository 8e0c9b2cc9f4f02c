"""`hotline db`, `hotline config`, `hotline sla`: schema, operator configuration, deadline preview."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from hotline.cli.common import fail, group, usage
from hotline.core.errors import HotlineError

db_app = group("db", "Database schema and reference data")
config_app = group("config", "Operator configuration under config/")
sla_app = group("sla", "Deadlines (SLA tiers)")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head", grant: Annotated[str | None, typer.Option(
        help="then grant this application role what it needs (PostgreSQL; run as the migration role)")] = None
               ) -> None:
    """Create or upgrade the schema, then load the department tree from config/."""
    from hotline.core.migrate import upgrade_database
    from hotline.core.settings import get_settings

    try:
        upgrade_database(get_settings().database_url, revision)
        result = load_departments()
    except HotlineError as exc:
        fail(exc)
    typer.echo(f"schema at {revision}; departments: {result.created} created, {result.updated} updated, "
               f"{result.retired} retired, {result.active} active")
    if grant:
        db_grant(grant)


@db_app.command("grant")
def db_grant(role: Annotated[str, typer.Argument(help="the role the API and workers connect as")],
             show: Annotated[bool, typer.Option(help="print the SQL instead of running it")] = False) -> None:
    """Grant the application role rows, never the schema: no TRUNCATE, no UPDATE/DELETE on the audit tables."""
    from hotline.core.db_roles import grant_app_role, grant_statements
    from hotline.core.settings import get_settings

    try:
        statements = grant_statements("<database>", role) if show else grant_app_role(get_settings().database_url,
                                                                                    role)
    except ValueError as exc:
        usage(str(exc))
    typer.echo(";\n".join(statements) + ";" if show else f"granted {role} the application's rights")


@config_app.command("check")
def config_check() -> None:
    """Validate every YAML file and the notification providers; print each problem as file: key: what is wrong."""
    from hotline.core.config import load_config, walk_departments
    from hotline.core.settings import get_settings
    from hotline.notifications.setup import providers_for

    settings = get_settings()
    try:
        config = load_config(settings.config_dir)
        providers = providers_for(settings, config)
    except HotlineError as exc:
        fail(exc)
    departments = sum(1 for _ in walk_departments(config.departments.departments))
    typer.echo(f"{settings.config_dir}: ok — {departments} departments, "
               f"{len(config.categories.categories)} categories, {len(config.sla.tiers)} SLA tiers, "
               f"calendar overrides for {sorted(config.calendar.years) or 'no years'}")
    typer.echo("notifications: " + ", ".join(f"{channel} → {provider.name}" for channel, provider in providers.items()
                                             if channel != "log"))


@config_app.command("load")
def config_load() -> None:
    """Load the department tree from config/ into the database (after editing departments.yaml)."""
    try:
        result = load_departments()
    except HotlineError as exc:
        fail(exc)
    typer.echo(f"departments: {result.created} created, {result.updated} updated, "
               f"{result.retired} retired, {result.active} active")


def load_departments():
    from hotline.core.config import load_config
    from hotline.core.db import make_engine, make_session_factory, session_scope
    from hotline.core.settings import get_settings
    from hotline.dispatch.departments import sync_departments

    settings = get_settings()
    config = load_config(settings.config_dir)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            return sync_departments(session, config.departments.departments)
    finally:
        engine.dispose()


@sla_app.command("due")
def sla_due(
    tier: Annotated[str, typer.Option(help="emergency | livelihood | general | complex")],
    at: Annotated[str, typer.Option(help="ISO 8601 instant, e.g. 2026-09-30T16:00:00+08:00")],
) -> None:
    """Print the deadlines a case of TIER received AT would get, as JSON."""
    from hotline.core.enums import Tier
    from hotline.dispatch.sla import check_instant
    from hotline.runtime.context import build_context

    try:
        start = dt.datetime.fromisoformat(at)
        tier_value = Tier(tier)
    except ValueError as exc:
        usage(str(exc))
    try:
        check_instant(start)
    except HotlineError as exc:
        usage(exc.message)
    try:
        ctx = build_context()
    except HotlineError as exc:
        fail(exc)
    typer.echo(json.dumps(ctx.sla.deadlines(tier_value, start).as_dict(ctx.sla.tz), ensure_ascii=False))
