"""The callback desk (回访)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hotline.api.schemas.orders import OrderDetail


class CallbackAttemptOut(BaseModel):
    attempt: int
    mode: str = Field(description="staff | auto (keypad survey) | message (the citizen rated by message)")
    channel: str = Field(description="who obtained the verdict: staff | auto | sms (a reply) | link (rating page)")
    started_at: dt.datetime
    finished_at: dt.datetime | None
    verdict: str | None
    process: str | None
    comment: str | None


class CallbackOut(BaseModel):
    ticket_no: str
    title: str
    kind: str = Field(description="full, or light for consultations the operator answered directly")
    round: int = Field(description="0 for the first completion, 1 after one redo …")
    status: str
    outcome: str | None
    department_code: str | None
    due_at: dt.datetime
    by_message_until: dt.datetime | None = Field(
        description="the citizen may rate by SMS reply or link until then; the desk calls after it")
    next_attempt: int | None = Field(description="the attempt number to record next; null when finished")
    next_attempt_at: dt.datetime
    max_attempts: int
    attempts: list[CallbackAttemptOut]
    citizen_phone: str | None = None


class CallbackPage(BaseModel):
    items: list[CallbackOut]
    total: int


class CallbackTaken(BaseModel):
    callback: CallbackOut | None
    order: OrderDetail | None


class VerdictIn(BaseModel):
    attempt: int = Field(ge=1, le=100, description="the attempt number this verdict is for (from next_attempt)")
    verdict: str = Field(description="satisfied | basically_satisfied | unsatisfied | unreachable (结果满意度)")
    process: str | None = Field(default=None, description="过程满意度: satisfied | basically_satisfied | unsatisfied")
    comment: str | None = Field(default=None, max_length=4000, description="the citizen's words; required for 不满意")


class VerdictOut(BaseModel):
    ticket_no: str
    state: str
    outcome: str | None
    next_attempt_at: dt.datetime | None
    supervised: bool
