"""Intake drafts, recordings and what was heard."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class Named(BaseModel):
    code: str
    name: str


class Choice(BaseModel):
    code: str
    name: str
    confidence: float | None
    department: Named | None


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
    confidence: float | None = Field(default=None, description="of the category; null when no model spoke")
    must_choose: bool = Field(default=False, description="below the configured confidence: the operator picks "
                                                         "among `choices`")
    choices: list[Choice] = Field(default_factory=list, description="the best leaves, best first")
    why: dict | None = Field(default=None, description="words that weighed most, similar past orders by ticket")
    source: str = Field(default="rules", description="danger | keyword | model | rules: what decided the category")
    model: dict | None = Field(default=None, description="the live model's version and accuracy, or why none")


class SuggestionWeek(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W48")
    week_start: dt.date
    category_code: str
    category_name: str
    kept: int = Field(description="orders whose final category is the one suggested at creation")
    changed: int = Field(description="orders an operator filed under another category")
    kept_rate: float


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
