"""The department workbench's inbox and the pending extensions: what the consoles get back."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hotline.core.enums import Tier


class InboxItem(BaseModel):
    ticket_no: str
    state: str
    tier: Tier
    category_code: str | None
    title: str
    place: str | None
    received_at: dt.datetime
    redo_count: int
    light: str | None = Field(description="the worst light of the open deadlines, as of now")
    next_due_at: dt.datetime | None = Field(description="the order's next deadline, for the countdown")
    next_kind: str | None = Field(description="which clock that is: reply, complete")
    share_status: str | None = Field(description="our department's share: dispatched, signed, replied, completed")
    share_role: str | None = Field(description="lead (主办) or co (协办)")
    department: str | None = Field(description="which of our units holds it")
    dispatched_at: dt.datetime | None
    supervised: bool = Field(description="an open 督办 concerns us")
    extension_pending: bool


class InboxUnit(BaseModel):
    code: str
    name: str
    depth: int


class InboxOut(BaseModel):
    view: str
    items: list[InboxItem]
    total: int
    limit: int
    offset: int
    counts: dict[str, int] = Field(description="orders per view under the same filters")
    now: dt.datetime = Field(description="the server's clock, for countdowns")
    timezone: str = Field(description="the centre's time zone: every time is shown in it")


class PendingExtension(BaseModel):
    id: int
    ticket_no: str
    title: str
    tier: Tier
    department: str
    days: int
    reason: str
    requested_at: dt.datetime
    due_at: dt.datetime | None = Field(description="the completion deadline it would move")


class PendingExtensions(BaseModel):
    items: list[PendingExtension]
    total: int
