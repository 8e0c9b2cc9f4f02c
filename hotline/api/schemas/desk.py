"""The desks: the operator's one-transaction intake, 并案, the story of an order, daily counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from hotline.core.enums import Tier
from hotline.desk.intake import Outcome
from hotline.dispatch.schemas import Suggested

TICKET = r"^\d{8}-\d{4,}$"


class TakeIn(BaseModel):
    """受理 and what follows, in one request. Either `ticket` (a waiting order) or `content` (a new one)."""

    outcome: Outcome = Field(description="register | dispatch | answer (直办) | duplicate | incident (并案) | invalid")
    ticket: str | None = Field(default=None, pattern=TICKET, description="a waiting order; omit for a new one")
    content: str | None = Field(default=None, min_length=1, max_length=20000, description="what the citizen said")
    title: str | None = Field(default=None, min_length=1, max_length=200, description="default: the first clause")
    citizen_phone: str | None = Field(default=None, max_length=30)
    citizen_name: str | None = Field(default=None, max_length=100)
    call_linkedid: str | None = Field(default=None, max_length=64, pattern=r"^[0-9A-Za-z._-]+$",
                                      description="the call on the line: links its recording and transcript")
    tier: Tier | None = None
    category_code: str | None = Field(default=None, max_length=32)
    place: str | None = Field(default=None, min_length=1, max_length=200)
    lead: str | None = Field(default=None, max_length=32, description="omit to follow the routing rules")
    co: list[str] = Field(default=[], max_length=10)
    reason: str | None = Field(default=None, max_length=2000, description="another department than suggested; 无效")
    answer: str | None = Field(default=None, max_length=20000, description="直办: the answer given")
    other_ticket: str | None = Field(default=None, pattern=TICKET, description="重复件's original or 并案's master")
    kind: str | None = Field(default=None, max_length=16, description="咨询/求助/投诉/举报/建议/表扬 (code or name)")
    suggestion: Suggested | None = Field(default=None, description="intake's suggestion as shown (a new order)")


class TakenOut(BaseModel):
    ticket_no: str
    state: str
    outcome: str
    extraction_code: str | None = Field(description="a new order's code, shown once: read it out to the citizen")
    citizen_phone: str | None


class IncidentCandidate(BaseModel):
    ticket_no: str
    title: str
    place: str | None
    state: str
    received_at: dt.datetime
    callers: int = Field(description="callers about it so far, its own included")
    why: str


class IncidentOut(BaseModel):
    ticket_no: str
    title: str
    category_code: str | None
    place: str | None
    state: str
    received_at: dt.datetime
    callers: int = Field(description="every caller about the incident: the first and those attached")
    last_call_at: dt.datetime


class IncidentPage(BaseModel):
    items: list[IncidentOut]
    total: int


class StoryOut(BaseModel):
    """流转记录: every step, replies and results, evidence, callbacks with the citizen's words, 督办, 延期, 并案."""

    ticket_no: str
    steps: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    callbacks: list[dict[str, Any]]
    redos: list[dict[str, Any]]
    supervisions: list[dict[str, Any]]
    extensions: list[dict[str, Any]]
    incident: dict[str, Any] | None
    handovers: list[dict[str, Any]] = Field(default=[], description="转接 of the order's call: to whom, how, outcome")


class TodayOut(BaseModel):
    day: str
    calls: int
    talk_seconds: int
    wrapups: int
    wrapup_seconds: int
    hold_seconds: int = Field(description="time citizens spent on hold (保持) today")
    average_wrapup_seconds: int | None
    pause_seconds: int
    registered: int
    accepted: int
    dispatched: int
    answered_directly: int
    duplicates: int
    incidents: int
    invalid: int
    callbacks: int
    callback_dials: int
    satisfied: int
    unsatisfied: int
    unreachable: int


class ScriptOut(BaseModel):
    key: str
    opening: str
    questions: list[str]
    closing: str


class DialOut(BaseModel):
    linkedid: str = Field(description="the call's Linkedid: its record and recording are found by it")
    channel: str
    attempt: int


class ExtensionIn(BaseModel):
    extension: str = Field(min_length=3, max_length=128, pattern=r"^[A-Za-z0-9/@._;:-]+$", examples=["PJSIP/1001"])


class AgentMe(BaseModel):
    state: str
    since: str | None
    queue: str | None
    interface: str | None
    pause_reason: str | None
    linkedid: str | None
    caller: str | None
    now: str
    extension: str | None = Field(description="the phone bound to the account")
    pause_reasons: list[str]
    wrapup_reason: str


class LinkOut(BaseModel):
    url: str
    expires_at: dt.datetime
