"""SLA policy: which deadlines a tier gets from a starting instant, in calendar or working time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hotline.core.config_sla import Duration, SlaFile
from hotline.core.enums import Tier
from hotline.core.errors import InvalidInputError
from hotline.dispatch.calendar import WorkingCalendar

EARLIEST, LATEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def check_instant(at: dt.datetime) -> None:
    """Deadlines are for this century's cases; far dates have no calendar and odd historic offsets."""
    if at.tzinfo is None:
        raise InvalidInputError("a time needs a time zone offset, e.g. 2026-11-21T09:00:00+08:00",
                                error_id="naive_datetime")
    if not EARLIEST <= at < LATEST:
        raise InvalidInputError(f"{at.isoformat()} is outside 2000–2099", error_id="datetime_out_of_range")


@dataclass(frozen=True)
class Due:
    at: dt.datetime
    provisional: bool


@dataclass(frozen=True)
class TierDeadlines:
    tier: Tier
    starts_at: dt.datetime
    reply: Due
    complete: Due
    sign: Due | None = None

    @property
    def provisional(self) -> bool:
        return self.reply.provisional or self.complete.provisional

    def as_dict(self, tz: dt.tzinfo = dt.UTC) -> dict:
        return {
            "tier": self.tier.value,
            "received_at": self.starts_at.astimezone(tz).isoformat(),
            "reply_due_at": self.reply.at.astimezone(tz).isoformat(),
            "complete_due_at": self.complete.at.astimezone(tz).isoformat(),
            "provisional": self.provisional,
        }


class SlaPolicy:
    """Turns config/sla.yaml durations into instants, in the hotline's local time zone."""

    def __init__(self, sla: SlaFile, calendar: WorkingCalendar, timezone: str):
        self.sla = sla
        self.calendar = calendar
        self.tz = ZoneInfo(timezone)

    def deadlines(self, tier: Tier, starts_at: dt.datetime) -> TierDeadlines:
        check_instant(starts_at)
        policy = self.sla.tiers[Tier(tier)]
        return TierDeadlines(
            Tier(tier), starts_at, self.due(starts_at, policy.reply), self.due(starts_at, policy.complete),
            self.due(starts_at, policy.sign),
        )

    def acceptance_due(self, received_at: dt.datetime) -> Due:
        return self.due(received_at, self.sla.acceptance)

    def return_window_end(self, dispatched_at: dt.datetime) -> Due:
        return self.due(dispatched_at, self.sla.return_window)

    def extension_limit(self, dispatched_at: dt.datetime) -> Due:
        return self.due(dispatched_at, self.sla.extension_limit)

    def warn_at(self, starts_at: dt.datetime, due_at: dt.datetime) -> dt.datetime:
        """When the light turns yellow: N working days before the deadline where configured and there is
        room for it, else at warn_fraction of the time."""
        by_fraction = starts_at + (due_at - starts_at) * self.sla.warn_fraction
        days = self.sla.warn_working_days_before
        if not days:
            return by_fraction
        by_days = self.working_days_before(due_at, days)
        return by_days if by_days > starts_at else by_fraction

    def working_days_before(self, instant: dt.datetime, count: int) -> dt.datetime:
        """The same local time `count` working days earlier; a deadline at 24:00 counts from its own day."""
        local = instant.astimezone(self.tz)
        day, clock = local.date(), local.timetz().replace(tzinfo=None)
        at_midnight = clock == dt.time()
        if at_midnight:
            day -= dt.timedelta(days=1)  # a period's last day ends at 24:00, the next day's 00:00
        while count > 0:
            day -= dt.timedelta(days=1)
            count -= self.calendar.is_workday(day)[0]
        if at_midnight:
            return self._end_of(day)
        return dt.datetime.combine(day, clock, tzinfo=self.tz).astimezone(dt.UTC)

    def due(self, start: dt.datetime, duration: Duration) -> Due:
        """Minutes/hours run on the wall clock; days and working days end at 24:00 local time.

        Day counts follow the civil-law rule for periods: the starting day does not count,
        and a period whose last day is not a working day ends on the next working day.
        """
        if duration.unit in ("minutes", "hours"):
            return Due(start + dt.timedelta(**{duration.unit: duration.amount}), False)
        local_day = start.astimezone(self.tz).date()
        if duration.unit == "working_days":
            last, provisional = self.calendar.add_working_days(local_day, duration.amount)
        else:
            last, provisional = self.calendar.next_workday_on_or_after(
                local_day + dt.timedelta(days=duration.amount)
            )
        return Due(self._end_of(last), provisional)

    def _end_of(self, day: dt.date) -> dt.datetime:
        midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=self.tz)
        return midnight.astimezone(dt.UTC)

    def local_day(self, instant: dt.datetime) -> dt.date:
        return instant.astimezone(self.tz).date()

    def local_text(self, instant: dt.datetime) -> str:
        """An instant for a message: 11月24日 09:00."""
        local = instant.astimezone(self.tz)
        return f"{local.month}月{local.day}日 {local:%H:%M}"

    def local_iso(self, instant: dt.datetime) -> str:
        """An instant as people at the hotline read it (local time with offset)."""
        return instant.astimezone(self.tz).isoformat()
