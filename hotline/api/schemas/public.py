"""What a citizen sees of their own case."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class PublicStatus(BaseModel):
    ticket_no: str
    state: str
    state_label: str
    received_at: dt.datetime
    replies: list[str]
    result: str | None = Field(description="the current round's result only (none while a redo is under way)")
    completed_at: dt.datetime | None
    department: str | None = Field(default=None, description="the lead department (主办单位)")
    due_at: dt.datetime | None = Field(default=None, description="when it is due to be completed")
    due_text: str | None = Field(default=None, description="the same in the centre's local time, in Chinese")
    timezone: str = Field(default="Asia/Shanghai", description="the centre's time zone, for showing times")
    round: int = Field(default=1, description="2 and more while being redone after an unsatisfied callback")
    can_rate: bool = Field(default=False, description="completed and not yet rated in this round: a rating is taken")
    rated: str | None = Field(default=None, description="this round's verdict, once given (by any channel)")
    rated_label: str | None = Field(default=None, description="the same in Chinese")


class OwnRatingIn(BaseModel):
    """评价 from the status page: the case proven by ticket and extraction code, as for the look-up."""

    ticket: str = Field(pattern=r"^\d{8}-\d{4,}$")
    code: str = Field(pattern=r"^\d{6}$")
    verdict: str = Field(description="结果满意度: satisfied | basically_satisfied | unsatisfied")
    process: str | None = Field(default=None, description="过程满意度: the same values, optional")
    comment: str | None = Field(default=None, max_length=1000, description="the citizen's words")
