"""Notices: what an order's citizen and departments were sent, what providers reported, what the citizen replied."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class ReceiptOut(BaseModel):
    delivered: bool
    status: str
    description: str | None
    reported_at: str | None = Field(description="the provider's own time text")
    received_at: dt.datetime


class NoticeOut(BaseModel):
    id: int
    audience: str = Field(description="citizen | staff")
    notice: str | None = Field(description="the citizen notice: accepted, dispatched, extended, completed, redone")
    channel: str
    recipient: str = Field(description="masked: 138****8000, a***@example.cn, the robot's name")
    subject: str
    body: str = Field(description="as sent, with the extraction code hidden")
    status: str = Field(description="held | pending | sending | sent | failed | cancelled")
    attempts: int
    created_at: dt.datetime
    not_before: dt.datetime | None = Field(description="waits until then: quiet hours or a provider's retry time")
    sent_at: dt.datetime | None
    last_error: str | None
    delivery: str | None = Field(description="delivered | undelivered, from the provider's receipts")
    delivery_at: dt.datetime | None
    receipts: list[ReceiptOut]


class ReplyOut(BaseModel):
    sender: str
    text: str
    outcome: str = Field(description="rated | opted_out | ignored | unmatched | not_awaited")
    received_at: dt.datetime


class OrderNotices(BaseModel):
    ticket_no: str
    citizen_opted_out: bool
    notices: list[NoticeOut]
    replies: list[ReplyOut]


class OptOutIn(BaseModel):
    opted_out: bool = Field(description="true: the citizen wants no more notices; false: notices again")


class OptOutOut(BaseModel):
    ticket_no: str
    opted_out: bool
    cancelled: int = Field(description="notices not yet sent that will not go")


class PushOut(BaseModel):
    provider: str
    receipts: int
    replies: dict[str, int]
