"""Intake for operators: a draft (tier, category, department, place, repeat calls) from what was said."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from hotline.api import schemas
from hotline.api.deps import DbSession, current_actor, get_ctx
from hotline.api.scope import require
from hotline.api.env import ApiEnv as Context
from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.intake.service import IntakeService

router = APIRouter(prefix="/api/v1/intake", tags=["intake"])


@router.post("/analyze", response_model=schemas.IntakeOut,
             responses={422: {"description": "text too long"}, 403: {"description": "hotline staff only"}},
             summary="Draft a work order from the citizen's words, each suggestion with its reason")
def analyze(body: schemas.IntakeIn, actor: Actor = Depends(current_actor), session: DbSession = None,
            ctx: Context = Depends(get_ctx)):
    require(actor, Role.OPERATOR, Role.HOTLINE_ADMIN)
    return IntakeService(session, ctx).analyze(body.text, body.phone).as_dict()
