"""Intake for operators: a draft (tier, category, department, place, repeat calls) from what was said."""

from __future__ import annotations

from fastapi import APIRouter

from hotline.api.deps import Ctx, DbSession, HotlineDesk
from hotline.api.schemas.intake import IntakeIn, IntakeOut
from hotline.api.uow import UnitOfWorkRoute
from hotline.intake.service import IntakeService

router = APIRouter(prefix="/api/v1/intake", tags=["intake"], route_class=UnitOfWorkRoute)


@router.post("/analyze", response_model=IntakeOut,
             responses={422: {"description": "text too long"}, 403: {"description": "hotline staff only"}},
             summary="Draft a work order from the citizen's words, each suggestion with its reason")
def analyze(body: IntakeIn, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    return IntakeService(session, ctx).analyze(body.text, body.phone).as_dict()
