"""Reference data everyone may read: departments, categories, SLA tiers and a deadline preview."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from hotline.api.deps import Ctx, DbSession
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.enums import Tier
from hotline.core.labels import all_labels
from hotline.dispatch.repository import DepartmentRepository
from hotline.text.initials import initials, short_initials

router = APIRouter(prefix="/api/v1", tags=["reference"], route_class=UnitOfWorkRoute)


class DepartmentOut(BaseModel):
    code: str
    name: str
    kind: str
    parent_code: str | None
    active: bool
    initials: str = Field(description="pinyin initials of the name, for searching (聊城市水务 → lcssw)")
    short_initials: str = Field(description="the same without the leading place (水务 → sw), ranked first")
    path: list[str] = Field(description="names of the units above it, from the top")


class CategoryOut(BaseModel):
    code: str
    name: str
    tier: Tier
    department: str | None


class ReturnReasonOut(BaseModel):
    code: str
    name: str


class DeadlinePreview(BaseModel):
    tier: Tier
    received_at: dt.datetime
    reply_due_at: dt.datetime
    complete_due_at: dt.datetime
    provisional: bool


@router.get("/departments", response_model=list[DepartmentOut], summary="The department tree, parents first")
def list_departments(session: DbSession):
    rows = DepartmentRepository(session).all()
    by_id = {d.id: d for d in rows}

    def above(d) -> list[str]:
        names = []
        while d.parent_id and d.parent_id in by_id:
            d = by_id[d.parent_id]
            names.append(d.name)
        return names[::-1]

    return [DepartmentOut(code=d.code, name=d.name, kind=d.kind,
                          parent_code=by_id[d.parent_id].code if d.parent_id in by_id else None,
                          active=d.active, initials=initials(d.name),
                          short_initials=short_initials(d.name), path=above(d)) for d in rows]


@router.get("/labels", summary="Chinese names of states, tiers, lights, channels, steps … (one copy, for consoles)")
def labels(ctx: Ctx) -> dict[str, dict[str, str]]:
    return {**all_labels(), "centre": {"timezone": str(ctx.settings.timezone)}}


@router.get("/return-reasons", response_model=list[ReturnReasonOut],
            summary="Reason codes a department picks when it returns (回退) an order")
def return_reasons(ctx: Ctx):
    return [ReturnReasonOut(code=r.code, name=r.name) for r in ctx.config.desk.return_reasons]


@router.get("/categories", response_model=list[CategoryOut],
            summary="The catalogue's leaves (小类): code, name, default tier and lead department")
def list_categories(ctx: Ctx):
    return [CategoryOut(code=c.code, name=c.name, tier=c.tier, department=c.department)
            for c in ctx.config.catalogue.leaves()]


@router.get("/sla/due", response_model=DeadlinePreview, summary="Deadlines a tier would get from an instant")
def sla_due(tier: Tier, ctx: Ctx,
            at: Annotated[dt.datetime | None, Query(description="ISO 8601 with offset")] = None):
    start = at or ctx.clock.now()
    return ctx.sla.deadlines(tier, start).as_dict(ctx.sla.tz)
