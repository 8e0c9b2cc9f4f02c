"""What a citizen sees of their own case."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class PublicStatus(BaseModel):
    ticket_no: str
    state: str
    state_label: str
    received_at: dt.datetime
    replies: list[str]
    result: str | None
    completed_at: dt.datetime | None
