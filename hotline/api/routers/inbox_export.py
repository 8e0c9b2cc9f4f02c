"""导出: an inbox view as CSV (Excel opens it: UTF-8 with a BOM). The same view, filters, sort and scope as
the inbox; streamed in batches from its own session; refused, with nothing written, above the cap.

Only CSV: openpyxl is not a dependency, and a CSV with a BOM opens in Excel and WPS as a sheet."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, Workbench
from hotline.api.routers.inbox import ERRORS, Filters, Unit
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.actor import Actor
from hotline.core.errors import InvalidInputError
from hotline.dispatch import inbox_csv
from hotline.dispatch.inbox import InboxRepository
from hotline.dispatch.scope import disclosure

router = APIRouter(prefix="/api/v1/inbox", tags=["department workbench"], route_class=UnitOfWorkRoute)
CAP = 10_000  # rows in one export: beyond this, narrow the filters (a month, a view)
BATCH = 500


@router.get("/export.csv", response_class=StreamingResponse, responses=ERRORS | {422: {"description": "too many"}},
            summary="导出: the inbox view as CSV for Excel, same filters and scope, at most 10,000 orders")
def export(request: Request, actor: Workbench, session: DbSession, ctx: Ctx, wanted: Filters, unit: Unit = None):
    now = ctx.clock.now()
    scoped = InboxRepository(session, actor, now, InboxRepository(session, actor, now).unit_in_scope(unit))
    total = scoped.total(wanted)
    if total > CAP:
        raise InvalidInputError(f"{total} orders in this view; an export holds at most {CAP}",
                                error_id="export_too_large", details={"total": total, "cap": CAP})
    ids = scoped.ordered_ids(replace(wanted, limit=CAP, offset=0))
    audit(session, request, actor, "inbox.export", "inbox", wanted.view, {"rows": len(ids), "unit": unit})
    categories = {c.code: c.name for c in ctx.config.catalogue.leaves()}
    categories |= {c.code: c.name for c in ctx.config.categories.categories if c.code not in categories}
    rows = stream(request, actor, now, unit, ids, ZoneInfo(str(ctx.settings.timezone)), categories)
    name = f"工单-{wanted.view}-{now.astimezone(ZoneInfo(str(ctx.settings.timezone))):%Y%m%d-%H%M}.csv"
    return StreamingResponse(rows, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=\"inbox-{wanted.view}.csv\"; filename*=utf-8''{quote(name)}",
        "X-Export-Rows": str(len(ids)), "Cache-Control": "private, no-store"})


def stream(request: Request, actor: Actor, now, unit: str | None, ids: list[int], zone: ZoneInfo,
           categories: dict[str, str]) -> Iterator[str]:
    """The rows in batches, read in a session of the stream's own (the request's has ended by then)."""
    yield inbox_csv.header()
    shown = disclosure(actor)
    with request.app.state.session_factory() as session:
        repo = InboxRepository(session, actor, now, InboxRepository(session, actor, now).unit_in_scope(unit))
        for start in range(0, len(ids), BATCH):
            yield "".join(inbox_csv.lines(repo.rows(ids[start:start + BATCH]), zone, shown, categories))
