"""The department workbench's helpers around one order: reply templates for its category."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from hotline.api.deps import Ctx, DbSession, Staff
from hotline.api.routers.work_orders import ERRORS, Ticket, visible
from hotline.api.uow import UnitOfWorkRoute
from hotline.dispatch.reply_templates import templates_for

router = APIRouter(prefix="/api/v1", tags=["workbench"], route_class=UnitOfWorkRoute)


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
