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
