"""What a call became: its orders, recordings and dialogue (话后处理)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hotline.api.schemas.intake import IntakeOut, RecordingOut, TurnOut, WordOut

__all__ = ["CallWorkOut", "DialogueOut", "LinkedOrderOut", "TurnOut", "WordOut"]


class LinkedOrderOut(BaseModel):
    ticket_no: str
    title: str
    state: str
    how: str = Field(description="created | updated: what was done to the order during the call")
    linked_at: dt.datetime


class DialogueOut(BaseModel):
    linkedid: str
    status: str = Field(description="pending | running | transcribed | failed | no_model")
    error: str | None
    turns: list[TurnOut]
    citizen_text: str | None
    operator_text: str | None
    draft: IntakeOut | None
    duration_s: float | None
    transcribed_at: dt.datetime | None


class CallWorkOut(BaseModel):
    linkedid: str
    caller: str | None
    agent: str | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    orders: list[LinkedOrderOut]
    recordings: list[RecordingOut]
    dialogue: DialogueOut | None
    after_call: bool = Field(description="话后处理 offered: the call's draft is there and no order registered during "
                                         "the call has been finished")
