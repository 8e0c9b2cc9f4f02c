"""The department workbench's helpers around one order: reply templates for its category, 下派 to a sub-unit."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, Staff, roles
from hotline.api.routers.work_orders import ERRORS, Ticket, visible
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.dispatch.forwarding import SubUnitForwarding
from hotline.dispatch.reply_templates import templates_for

router = APIRouter(prefix="/api/v1", tags=["workbench"], route_class=UnitOfWorkRoute)
DepartmentDesk = Annotated[Actor, Depends(roles(Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN))]


class TemplateOut(BaseModel):
    name: str
    text: str


class TemplatesOut(BaseModel):
    key: str
    reply: list[TemplateOut]
    result: list[TemplateOut]


@router.get("/work-orders/{ticket}/reply-templates", response_model=TemplatesOut, responses=ERRORS,
            summary="答复模板: wording for the reply and the result, by the order's category, filled in")
def reply_templates(ticket: Ticket, actor: Staff, session: DbSession, ctx: Ctx):
    return templates_for(session, ctx, visible(session, actor, ticket), actor)


class ForwardIn(BaseModel):
    unit: str = Field(min_length=1, max_length=32, description="the sub-unit's department code")
    due_at: dt.datetime = Field(description="its own deadline; without an offset it is read in the centre's zone")
    note: str | None = Field(default=None, max_length=2000, description="what the sub-unit should do")


class ForwardOut(BaseModel):
    ticket_no: str
    unit: str
    due_at: dt.datetime


@router.post("/work-orders/{ticket}/forward", response_model=ForwardOut, responses=ERRORS,
             summary="下派: forward to a sub-unit (街道→社区) with its own deadline inside the order's")
def forward(ticket: Ticket, body: ForwardIn, request: Request, actor: DepartmentDesk, session: DbSession, ctx: Ctx):
    due = body.due_at if body.due_at.tzinfo else body.due_at.replace(tzinfo=ZoneInfo(str(ctx.settings.timezone)))
    order, _sub = SubUnitForwarding(session, ctx).forward(ticket, actor, body.unit, due, body.note)
    audit(session, request, actor, "work_order.forward", "work_order", order.ticket_no,
          {"unit": body.unit, "due_at": due.isoformat()})
    return ForwardOut(ticket_no=order.ticket_no, unit=body.unit, due_at=due)
