"""`hotline outbox`, `hotline stats`: notifications to send again, rates, rankings and roll-ups."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from hotline.cli.common import group, in_session, usage

outbox_app = group("outbox", "Notifications waiting, sent or failed")
stats_app = group("stats", "Rates, rankings and the daily roll-ups")


@outbox_app.command("resend")
def outbox_resend(ids: Annotated[list[int] | None, typer.Argument(help="outbox message ids")] = None,
                  failed: Annotated[bool, typer.Option(help="every message that failed")] = False) -> None:
    """Send notifications again (after a provider outage, or when someone says nothing arrived)."""
    from hotline.core.db import session_scope
    from hotline.core.jobs import InProcessQueue
    from hotline.notifications.outbox import failed_ids, resend
    from hotline.runtime.boot import open_runtime
    from hotline.runtime.context import build_context

    if not ids and not failed:
        usage("give message ids or --failed")
    runtime = open_runtime(build_context())
    with session_scope(runtime.session_factory) as session:
        queued = resend(session, list(ids or []) + (failed_ids(session) if failed else []))
    if isinstance(runtime.queue, InProcessQueue):  # embedded: deliver now, before this command exits
        runtime.queue.drain()
    typer.echo(f"queued again: {queued or 'nothing'}")


@stats_app.command("report")
def stats_report(month: Annotated[str, typer.Option(help="YYYY-MM, e.g. 2026-11")],
                 department: Annotated[str | None, typer.Option(help="a department code: its subtree")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of tables")] = False) -> None:
    """The month's rates and the department ranking."""
    from hotline.stats.formulas import Period
    from hotline.stats.report import report_text
    from hotline.stats.service import StatsService

    def work(session, ctx):
        service, period = StatsService(session, ctx), Period.month(month)
        return service.rates(period, department), service.ranking(period, department)

    rates, ranking = in_session(work)
    typer.echo(json.dumps({"rates": rates, "ranking": ranking}, ensure_ascii=False, indent=1) if as_json
               else report_text(rates, ranking))


@stats_app.command("rollup")
def stats_rollup(start: Annotated[str, typer.Option("--from", help="first local day, YYYY-MM-DD")],
                 end: Annotated[str, typer.Option("--to", help="last local day (finished days only)")]) -> None:
    """Rebuild the daily counters of past days (the nightly job does the recent ones by itself)."""
    from hotline.stats.service import StatsService

    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError as exc:
        usage(str(exc))
    written = in_session(lambda session, ctx: StatsService(session, ctx).rollup(first, last))
    typer.echo(f"rolled up {start}..{end}: {written} counters")
