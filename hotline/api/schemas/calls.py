"""What a call became: its orders, recordings and dialogue (话后处理)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hotline.api.schemas.intake import IntakeOut, RecordingOut


class LinkedOrderOut(BaseModel):
    ticket_no: str
    title: str
    state: str
    how: str = Field(description="created | updated: what was done to the order during the call")
    linked_at: dt.datetime


class WordOut(BaseModel):
    word: str
    start: float
    end: float
    conf: float


class TurnOut(BaseModel):
    speaker: str = Field(description="citizen | operator | ivr (prompts the citizen heard before an operator)")
    start: float = Field(description="seconds from the start of the recording")
    end: float
    text: str
    words: list[WordOut]


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
