"""Work orders: what staff send and get back."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hotline.core.enums import Channel, Tier


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
    citizen_phone: str | None = Field(default=None, description="masked for departments")


class OrderDetail(OrderSummary):
    content: str
    kind: str | None = Field(default=None, description="consult | help | complaint | report | suggestion | praise")
    suggested_category_code: str | None = Field(default=None, description="what intake suggested at creation")
    suggestion_confidence: float | None = None
    suggestion_model: str | None = None
    call_linkedid: str | None = Field(description="the call it was registered during (its recording, transcript)")
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
    evidence_required: bool = Field(default=False, description="the category asks for photos or a PDF to complete")


class OrderPage(BaseModel):
    items: list[OrderSummary]
    total: int
    limit: int
    offset: int


class CreatedOrder(BaseModel):
    ticket_no: str
    extraction_code: str | None = Field(description="to tell the citizen; a retried Idempotency-Key gets it again "
                                                 "within the idempotency window, null after it")
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


class SupervisionOut(BaseModel):
    id: int
    status: str = Field(default="open", description="open | resolved")
    kind: str = Field(description="overdue | arbitration | redo | emergency | repeat | attitude")
    ticket_no: str
    title: str
    department: str | None
    note: str | None
    raised_at: dt.datetime
    due_at: dt.datetime | None = Field(default=None, description="the 督办's own deadline, where it has one")
    overdue: bool = Field(default=False, description="open past its own deadline")


class StepOut(BaseModel):
    """A lifecycle step's answer: where the order stands now and what this person may do next."""

    ticket_no: str
    state: str
    tier: Tier
    category_code: str | None
    redo_count: int
    return_count: int
    allowed_actions: list[str]


class AcceptIn(BaseModel):
    tier: Tier | None = None
    category_code: str | None = Field(default=None, max_length=32)
    place: str | None = Field(default=None, min_length=1, max_length=200, description="corrects where it is")
    note: str | None = Field(default=None, max_length=2000)
    attitude_department: str | None = Field(default=None, max_length=32, description=(
        "服务态度: the code of the department whose attitude the citizen complains of (opens a 督办 naming it)"))


class DispatchIn(BaseModel):
    lead: str | None = Field(default=None, max_length=32, description="omit to follow the routing rules")
    co: list[str] = Field(default=[], max_length=10)
    reason: str | None = Field(default=None, max_length=2000)


class TextIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)


class ReturnIn(TextIn):
    code: str | None = Field(default=None, max_length=32, description="a reason code from GET /api/v1/return-reasons")


class AnswerIn(TextIn):
    article_version_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                           description="the knowledge-base article version the answer rests on")


class ExtensionIn(BaseModel):
    days: int = Field(ge=1, le=15)
    reason: str = Field(min_length=1, max_length=2000)


class DuplicateIn(BaseModel):
    parent_ticket: str = Field(pattern=r"^\d{8}-\d{4,}$")


class DecisionIn(BaseModel):
    approve: bool
    note: str | None = Field(default=None, max_length=2000)
