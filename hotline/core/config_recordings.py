"""Recordings as personal data (config/recordings.yaml): retention per kind, and whether departments may
listen."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.enums import RecordingKind


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def months_before(at: dt.datetime, months: int) -> dt.datetime:
    """The same instant `months` calendar months earlier; a day the month lacks becomes its last day."""
    month0 = at.year * 12 + at.month - 1 - months
    year, month = divmod(month0, 12)
    following = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return at.replace(year=year, month=month + 1, day=min(at.day, last))


class Retention(_Strict):
    months: int | None = Field(default=None, ge=1, le=1200)
    days: int | None = Field(default=None, ge=1, le=36500)
    after_close_days: int | None = Field(default=None, ge=0, le=36500)

    @model_validator(mode="after")
    def _one_age(self) -> Retention:
        if self.months is not None and self.days is not None:
            raise ValueError("give months or days, not both")
        if self.months is None and self.days is None and self.after_close_days is None:
            raise ValueError("give months, days or after_close_days")
        return self

    def made_before(self, now: dt.datetime) -> dt.datetime | None:
        """Recordings made at or before this instant are past their age (None: no age rule)."""
        if self.months is not None:
            return months_before(now, self.months)
        return now - dt.timedelta(days=self.days) if self.days is not None else None

    def closed_before(self, now: dt.datetime) -> dt.datetime | None:
        """Recordings whose order closed at or before this instant are past their time (None: no such rule)."""
        return now - dt.timedelta(days=self.after_close_days) if self.after_close_days is not None else None


class RecordingsFile(_Strict):
    retention: dict[str, Retention]
    departments_may_listen: bool = False
    sweep_batch: int = Field(default=200, ge=1, le=10_000)

    @model_validator(mode="after")
    def _every_kind(self) -> RecordingsFile:
        missing = [k.value for k in RecordingKind if k.value not in self.retention]
        if missing:
            raise ValueError(f"retention missing for: {', '.join(missing)}")
        unknown = [k for k in self.retention if k not in {r.value for r in RecordingKind}]
        if unknown:
            raise ValueError(f"retention for unknown kinds: {', '.join(unknown)}")
        return self
