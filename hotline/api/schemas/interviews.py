"""约谈 list bodies."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class InterviewIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="why the department is called in")
    department: str | None = Field(default=None, max_length=32,
                                   description="the department's code (default: the one the 督办 names)")
    supervision_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="the 督办 it comes from")
    ranking_month: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$",
                                      description="or the monthly ranking it comes from")


class InterviewOut(BaseModel):
    id: int
    status: str = Field(description="open | resolved")
    department: dict[str, str] = Field(description="code and name")
    source: str = Field(description="supervision | ranking")
    supervision_id: int | None
    ticket_no: str | None = Field(description="the order of the 督办 it comes from")
    ranking_month: str | None
    reason: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    resolution_note: str | None
