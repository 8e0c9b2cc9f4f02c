"""Rating by link (no login): the case a signed link names, and the citizen's one rating."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class RatingCase(BaseModel):
    ticket_no: str
    title: str
    department: str | None
    result: str | None
    completed_at: dt.datetime | None
    can_rate: bool = Field(description="false once rated (by link, reply or call) or closed")
    rated: str | None = Field(description="the verdict already given, if any")


class RatingIn(BaseModel):
    verdict: str = Field(description="结果满意度: satisfied | basically_satisfied | unsatisfied")
    process: str | None = Field(default=None, description="过程满意度 (timely, polite): same values, optional")
    comment: str | None = Field(default=None, max_length=1000, description="the citizen's words")


class RatingOut(BaseModel):
    ticket_no: str
    outcome: str
    message: str
