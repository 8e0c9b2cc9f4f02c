"""config/sla.yaml and config/calendar.yaml: the tiers' clocks, supervision triggers and the working calendar."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.enums import Tier


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Duration(_Strict):
    """Exactly one unit: minutes/hours (calendar time), days (calendar days) or working_days."""

    minutes: int | None = Field(default=None, gt=0)
    hours: int | None = Field(default=None, gt=0)
    days: int | None = Field(default=None, gt=0)
    working_days: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_unit(self) -> Duration:
        given = [k for k in ("minutes", "hours", "days", "working_days") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of minutes, hours, days, working_days")
        return self

    @property
    def unit(self) -> str:
        return next(k for k in ("minutes", "hours", "days", "working_days") if getattr(self, k))

    @property
    def amount(self) -> int:
        return getattr(self, self.unit)


class TierPolicy(_Strict):
    label: str
    sign: Duration = Field(default_factory=lambda: Duration(hours=24))  # 签收时限 from dispatch
    reply: Duration
    complete: Duration


class SupervisionTrigger(_Strict):
    due: Duration  # the 督办's own deadline, counted from when it opens


class RepeatTrigger(SupervisionTrigger):
    """重复诉求: the same caller about the same leaf or place within this many days after 办结."""

    window_days: int = Field(default=30, ge=1, le=365)


class AttitudeTrigger(SupervisionTrigger):
    """服务态度: a 投诉 filed under one of these leaves (or flagged by the operator)."""

    categories: list[str] = Field(default_factory=lambda: ["gov.conduct.staff"])


class SupervisionPolicy(_Strict):
    """The Liaocheng 督办 triggers that belong to no deadline, each with its own deadline."""

    emergency: SupervisionTrigger = Field(default_factory=lambda: SupervisionTrigger(due=Duration(hours=24)))
    repeat: RepeatTrigger = Field(default_factory=lambda: RepeatTrigger(due=Duration(working_days=3)))
    attitude: AttitudeTrigger = Field(default_factory=lambda: AttitudeTrigger(due=Duration(working_days=3)))


class SlaFile(_Strict):
    acceptance: Duration
    return_window: Duration
    extension_limit: Duration
    warn_fraction: float = Field(default=0.8, gt=0, lt=1)
    # The yellow light N working days before a deadline (the Shandong rules' yellow card: one working day);
    # a clock too short for that warns at warn_fraction instead.
    warn_working_days_before: int | None = Field(default=None, ge=1, le=10)
    tiers: dict[Tier, TierPolicy]
    supervision: SupervisionPolicy = Field(default_factory=SupervisionPolicy)

    @model_validator(mode="after")
    def _every_tier(self) -> SlaFile:
        missing = [t.value for t in Tier if t not in self.tiers]
        if missing:
            raise ValueError(f"tiers missing: {', '.join(missing)}")
        return self


class CalendarYear(_Strict):
    holidays: list[dt.date] = []  # statutory days off (放假), weekdays included
    workdays: list[dt.date] = []  # 调休 make-up working days on weekends


class CalendarFile(_Strict):
    years: dict[int, CalendarYear] = {}
