"""Intake for operators: a draft (tier, category, department, place, repeat calls) from what was said."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hotline.api.deps import Ctx, DbSession, HotlineDesk, Supervisors
from hotline.api.schemas.intake import IntakeIn, IntakeOut, SuggestionWeek
from hotline.api.uow import UnitOfWorkRoute
from hotline.intake.loop import weekly_outcomes
from hotline.intake.service import IntakeService

router = APIRouter(prefix="/api/v1/intake", tags=["intake"], route_class=UnitOfWorkRoute)


@router.post("/analyze", response_model=IntakeOut,
             responses={422: {"description": "text too long"}, 403: {"description": "hotline staff only"}},
             summary="Draft a work order from the citizen's words, each suggestion with its reason")
def analyze(body: IntakeIn, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    return IntakeService(session, ctx).analyze(body.text, body.phone).as_dict()


@router.get("/suggestions/weekly", response_model=list[SuggestionWeek],
            responses={403: {"description": "supervisors only"}},
            summary="Per week and category: how often operators kept intake's suggestion or changed it")
def suggestions_weekly(actor: Supervisors, session: DbSession, ctx: Ctx,
                       weeks: Annotated[int, Query(ge=1, le=53)] = 8):
    return weekly_outcomes(session, ctx.config, ctx.settings.timezone, ctx.clock.now(), weeks, actor)
