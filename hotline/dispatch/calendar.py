"""Chinese working days (工作日): official data from chinese-calendar, overrides from config/calendar.yaml."""

from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar

from hotline.core.config_sla import CalendarFile

log = logging.getLogger(__name__)


class WorkingCalendar:
    """Answers whether a day is a working day, and whether that answer is only provisional."""

    def __init__(self, overrides: CalendarFile):
        self._years = {
            year: (frozenset(spec.holidays), frozenset(spec.workdays))
            for year, spec in overrides.years.items()
        }
        self._warned: set[int] = set()

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is a working day, provisional) — provisional when nobody has the year's schedule."""
        if day.year in self._years:
            holidays, workdays = self._years[day.year]
            return (day in workdays or (day.weekday() < 5 and day not in holidays)), False
        try:
            return chinese_calendar.is_workday(day), False
        except NotImplementedError:
            self._warn(day.year)
            return day.weekday() < 5, True

    def is_known_year(self, year: int) -> bool:
        if year in self._years:
            return True
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
            return True
        except NotImplementedError:
            return False

    def unknown_years(self, start: dt.date, days_ahead: int) -> list[int]:
        """Years between start and start + days_ahead whose holidays nobody has configured."""
        last = start + dt.timedelta(days=days_ahead)
        return [y for y in range(start.year, last.year + 1) if not self.is_known_year(y)]

    def add_working_days(self, day: dt.date, count: int) -> tuple[dt.date, bool]:
        """The count-th working day after `day` (the day itself never counts), and provisional."""
        provisional = False
        while count > 0:
            day += dt.timedelta(days=1)
            working, guessed = self.is_workday(day)
            provisional |= guessed
            count -= working
        return day, provisional

    def next_workday_on_or_after(self, day: dt.date) -> tuple[dt.date, bool]:
        provisional = False
        while True:
            working, guessed = self.is_workday(day)
            provisional |= guessed
            if working:
                return day, provisional
            day += dt.timedelta(days=1)

    def _warn(self, year: int) -> None:
        if year not in self._warned:
            self._warned.add(year)
            log.warning(
                "no holiday schedule for %s: deadlines in %s use Monday–Friday and are provisional; "
                "add the year to config/calendar.yaml", year, year,
            )
