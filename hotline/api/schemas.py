"""Response and request bodies of the staff API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hotline.core.enums import Channel, Role, Tier


class CitizenOut(BaseModel):
    phone: str | None
    name: str | None


class AssignmentOut(BaseModel):
    department_code: str
    department_name: str
    role: str
    status: str
    active: bool
    dispatched_at: dt.datetime
    signed_at: dt.datetime | None
    replied_at: dt.datetime | None
    completed_at: dt.datetime | None
    reply_text: str | None
    result: str | None


class DeadlineOut(BaseModel):
    kind: str
    due_at: dt.datetime
    light: str
    status: str
    provisional: bool


class OrderSummary(BaseModel):
    ticket_no: str
    state: str
    tier: Tier
    category_code: str | None
    channel: Channel
    title: str
    place: str | None
    received_at: dt.datetime
    light: str | None = Field(description="the worst light among open deadlines")
    due_at: dt.datetime | None = Field(description="the nearest open deadline")


class OrderDetail(OrderSummary):
    content: str
    result: str | None
    accepted_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    replied_at: dt.datetime | None
    completed_at: dt.datetime | None
    closed_at: dt.datetime | None
    close_reason: str | None
    redo_count: int
    return_count: int
    citizen: CitizenOut | None
    assignments: list[AssignmentOut]
    deadlines: list[DeadlineOut]
    allowed_actions: list[str]


class OrderPage(BaseModel):
    items: list[OrderSummary]
    total: int
    limit: int
    offset: int


class CreatedOrder(BaseModel):
    ticket_no: str
    extraction_code: str | None = Field(description="shown once, to tell the citizen; null on an idempotent retry")
    state: str


class EventOut(BaseModel):
    action: str
    from_state: str | None
    to_state: str
    actor_role: str
    note: str | None
    data: dict | None
    occurred_at: dt.datetime


class RouteOut(BaseModel):
    lead: str | None
    co: list[str]
    reasons: list[str]


class Named(BaseModel):
    code: str
    name: str


class IntakeIn(BaseModel):
    text: str = Field(max_length=100_000, description="what the citizen said (a transcript or typed)")
    phone: str | None = Field(default=None, max_length=32, description="the caller's number: checks repeat calls")


class IntakeOut(BaseModel):
    """A work-order draft: every suggestion's rule is in `reasons`."""

    text: str
    tier: str
    category: Named | None
    department: Named | None
    co_handlers: list[Named]
    place: str | None
    numbers: dict[str, list[str]]
    kind: str | None
    reasons: list[str]
    repeat: dict | None = None


class TranscriptOut(BaseModel):
    text: str
    engine: str
    model: str
    duration_s: float
    elapsed_s: float
    truncated: bool
    words: list[dict]
    created_at: dt.datetime


class RecordingOut(BaseModel):
    id: int
    kind: str
    status: str = Field(description="pending | transcribed | failed | no_model")
    error: str | None
    created_at: dt.datetime
    transcript: TranscriptOut | None
    draft: IntakeOut | None


class SupervisionOut(BaseModel):
    kind: str = Field(description="overdue | arbitration | redo")
    ticket_no: str
    title: str
    department: str | None
    note: str | None
    raised_at: dt.datetime


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str
    department: Named | None


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=2000)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class UserIn(BaseModel):
    username: str = Field(min_length=3, max_length=64)
    password: str = Field(min_length=10, max_length=200)
    display_name: str = Field(min_length=1, max_length=100)
    role: Role
    department_code: str | None = Field(default=None, max_length=32)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    department_code: str | None
    active: bool


class ApiClientIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    channel: Channel


class ApiClientOut(BaseModel):
    id: int
    name: str
    channel: str
    api_key: str = Field(description="shown once; store it in the gateway's configuration")


class AuditOut(BaseModel):
    at: dt.datetime
    actor: str
    role: str
    action: str
    object_type: str
    object_id: str | None
    ip: str | None
    details: dict | None


class PublicStatus(BaseModel):
    ticket_no: str
    state: str
    state_label: str
    received_at: dt.datetime
    replies: list[str]
    result: str | None
    completed_at: dt.datetime | None


class CallbackAttemptOut(BaseModel):
    attempt: int
    mode: str
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
    next_attempt: int | None = Field(description="the attempt number to record next; null when finished")
    next_attempt_at: dt.datetime
    max_attempts: int
    attempts: list[CallbackAttemptOut]


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


class RatesOut(BaseModel):
    period: dict[str, str]
    department: dict[str, str] | None
    counts: dict[str, int]
    rates: dict[str, float | None]


class RankingRow(BaseModel):
    rank: int | None
    department: dict[str, str]
    volume: int
    score: float | None
    rates: dict[str, float | None]
    breakdown: list[dict]


class RankingOut(BaseModel):
    period: dict[str, str]
    department: dict[str, str] | None
    min_volume: int
    weights: dict[str, float]
    rows: list[RankingRow]


class HotspotOut(BaseModel):
    kind: str = Field(description="category or place")
    key: str
    label: str
    count: int
    baseline: float
    ratio: float
    examples: list[dict]
