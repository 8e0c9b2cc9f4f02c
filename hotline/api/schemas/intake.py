"""Intake drafts, recordings and what was heard."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


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
    deleted_at: dt.datetime | None = Field(default=None, description="the audio was deleted: its retention ran out")
