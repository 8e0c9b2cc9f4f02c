"""Intake drafts, recordings and what was heard."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class Named(BaseModel):
    code: str
    name: str


class SuggestedDepartment(BaseModel):
    code: str
    name: str
    direct: bool = Field(default=False, description="the centre itself: answered directly (直办), not dispatched")


class Choice(BaseModel):
    code: str
    name: str
    confidence: float | None
    department: SuggestedDepartment | None


class IntakeIn(BaseModel):
    text: str = Field(max_length=100_000, description="what the citizen said (a transcript or typed)")
    phone: str | None = Field(default=None, max_length=32, description="the caller's number: checks repeat calls")


class NumbersOut(BaseModel):
    phones: list[str]
    tickets: list[str]
    house: str | None = Field(default=None, description="building, unit and room: 8号楼2单元301")
    id_numbers: list[str] = Field(default=[], description="ID numbers said, masked: 371502********123X")
    other: list[str] = Field(default=[], description="digit strings said but not understood")


class DangerOut(BaseModel):
    """Danger heard in the call: an emergency to hand over, or a hazard (隐患) that has not happened."""

    level: str = Field(description="emergency | hazard")
    category: str
    category_name: str
    service: str | None = Field(description="110, 119, 120, gas, power or water (config/catalogue.yaml)")
    service_name: str | None
    phone: str | None = Field(description="the number to hand over to; null when the centre has not set it")
    evidence: list[str]
    reason: str


class PlaceOut(BaseModel):
    name: str
    said: str
    kind: str
    department: str | None = Field(description="street office / township code; null when the name is ambiguous")
    department_name: str | None
    known: bool = Field(description="in the gazetteer (config/places.yaml)")
    candidates: list[str]
    reason: str


class IntakeOut(BaseModel):
    """A work-order draft: every suggestion's reason, in Chinese, is in `reasons`."""

    text: str
    tier: str
    category: Named | None
    department: SuggestedDepartment | None
    co_handlers: list[Named]
    place: str | None
    numbers: NumbersOut
    kind: str | None
    reasons: list[str]
    repeat: dict | None = None
    danger: DangerOut | None = None
    place_detail: PlaceOut | None = None
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


class WordOut(BaseModel):
    word: str
    start: float
    end: float
    conf: float


class TurnOut(BaseModel):
    speaker: str = Field(description="citizen | operator | ivr (prompts the citizen heard before an operator)")
    start: float = Field(description="seconds from the start of the recording")
    end: float
    text: str
    words: list[WordOut]


class RecordingOut(BaseModel):
    id: int
    kind: str
    status: str = Field(description="pending | transcribed | failed | no_model")
    error: str | None
    created_at: dt.datetime
    transcript: TranscriptOut | None
    draft: IntakeOut | None
    deleted_at: dt.datetime | None = Field(default=None, description="the audio was deleted: its retention ran out")
    linkedid: str | None = Field(default=None, description="the call it was recorded in")
    turns: list[TurnOut] = Field(default_factory=list, description="a call's recording: the dialogue heard in it, "
                                 "each word timed from the start of the recording (empty until transcribed)")
