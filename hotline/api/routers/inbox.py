"""承办单位工作台: the department's inbox with views and counts, filters, sort and server-side paging."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query

from hotline.api.deps import Ctx, DbSession, Workbench
from hotline.api.params import Limit, Offset
from hotline.api.schemas.inbox import InboxItem, InboxOut, InboxUnit
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.enums import Light, Tier
from hotline.dispatch.inbox import VIEWS, InboxQuery, InboxRepository

router = APIRouter(prefix="/api/v1/inbox", tags=["department workbench"], route_class=UnitOfWorkRoute)
ERRORS: dict[int | str, dict[str, Any]] = {403: {"description": "not a department or supervisor"},
                                           404: {"description": "no such unit in your scope"}}
View = Annotated[str, Query(pattern="^(" + "|".join(VIEWS) + ")$", description=" | ".join(VIEWS))]


def filters(ctx: Ctx, view: View = "open", tier: Annotated[list[Tier] | None, Query()] = None,
            category: Annotated[str | None, Query(max_length=32, description="a catalogue code and its branch")] = None,
            light: Light | None = None, received_from: dt.datetime | None = None,
            received_to: dt.datetime | None = None,
            date_from: Annotated[dt.date | None, Query(alias="from", description="received on or after")] = None,
            date_to: Annotated[dt.date | None, Query(alias="to", description="received on or before")] = None,
            q: Annotated[str | None, Query(max_length=100, description="a ticket number or words")] = None,
            sort: Annotated[str, Query(pattern="^(due|new|old)$")] = "due") -> InboxQuery:
    """The view, filters and sort as the inbox reads them (its export reads the same)."""
    zone = ZoneInfo(str(ctx.settings.timezone))  # days are the centre's days, not the browser's
    if date_from:
        received_from = max(received_from or dt.datetime.min.replace(tzinfo=dt.UTC),
                            dt.datetime.combine(date_from, dt.time(), zone))
    if date_to:
        received_to = min(received_to or dt.datetime.max.replace(tzinfo=dt.UTC),
                          dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), zone))
    return InboxQuery(view=view, tiers=[t.value for t in tier or []], category=category or None,
                      light=light.value if light else None, received_from=received_from,
                      received_to=received_to, words=q.strip() if q and q.strip() else None, sort=sort)


Filters = Annotated[InboxQuery, Depends(filters)]
Unit = Annotated[str | None, Query(max_length=32, description="a sub-unit (下级单位) code")]


@router.get("", response_model=InboxOut, responses=ERRORS,
            summary="The inbox: one view (待签收, 办理中, 即将超期, 已超期, 延期审批中, 已办结, 被督办) with counts")
def inbox(actor: Workbench, session: DbSession, ctx: Ctx, wanted: Filters, unit: Unit = None,
          limit: Limit = 20, offset: Offset = 0):
    now = ctx.clock.now()
    scoped = InboxRepository(session, actor, now)
    page = InboxRepository(session, actor, now, scoped.unit_in_scope(unit)).page(
        replace(wanted, limit=limit, offset=offset))
    return InboxOut(view=wanted.view, items=[InboxItem(**vars(r)) for r in page.items], total=page.total,
                    limit=limit, offset=offset, counts=page.counts, now=now, timezone=str(ctx.settings.timezone))


@router.get("/units", response_model=list[InboxUnit], summary="The units the inbox can be narrowed to (下级单位)")
def units(actor: Workbench, session: DbSession, ctx: Ctx):
    rows = InboxRepository(session, actor, ctx.clock.now()).units()
    top = min((path.count("/") for _, _, path in rows), default=0)
    return [InboxUnit(code=code, name=name, depth=path.count("/") - top) for code, name, path in rows]
