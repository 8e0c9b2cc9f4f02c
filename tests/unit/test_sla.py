"""Deadlines across weekends, national holidays, 调休 Saturdays and years nobody has configured."""

from __future__ import annotations

import datetime as dt
import logging

from hotline.core.config_sla import CalendarFile, CalendarYear, Duration
from hotline.core.enums import Tier
from hotline.dispatch.calendar import WorkingCalendar
from hotline.dispatch.sla import SlaPolicy
from tests.shipped import shipped_config

CST = dt.timezone(dt.timedelta(hours=8))
SLA = shipped_config().sla


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=CST)


def policy(years: dict | None = None) -> SlaPolicy:
    return SlaPolicy(SLA, WorkingCalendar(CalendarFile(years=years or {})), "Asia/Shanghai")


def local(instant):
    return instant.astimezone(CST)


def test_emergency_reply_is_two_hours_of_calendar_time_even_at_night_and_on_holidays():
    due = policy().deadlines(Tier.EMERGENCY, at(2026, 10, 1, 23, 30))
    assert local(due.reply.at) == at(2026, 10, 2, 1, 30)
    assert not due.provisional


def test_livelihood_reply_is_24_hours_over_a_weekend():
    due = policy().deadlines(Tier.LIVELIHOOD, at(2026, 11, 21, 15))  # Saturday
    assert local(due.reply.at) == at(2026, 11, 22, 15)


def test_general_completion_skips_the_weekend():
    # Thursday 19 Nov: 5 working days are Fri 20, Mon 23 … Thu 26; due at 24:00 on Thursday.
    due = policy().deadlines(Tier.GENERAL, at(2026, 11, 19, 16))
    assert local(due.complete.at) == at(2026, 11, 27, 0, 0)


def test_general_deadline_skips_national_day_and_counts_the_tiaoxiu_saturday():
    # Wed 30 Sep: Oct 1–7 are holidays, Thu 8 and Fri 9 work, Sat 10 is a 调休 working day.
    due = policy().deadlines(Tier.GENERAL, at(2026, 9, 30, 16))
    assert local(due.reply.at) == at(2026, 10, 11, 0, 0)  # 3rd working day: Sat 10 Oct
    assert local(due.complete.at) == at(2026, 10, 14, 0, 0)  # 5th: Tue 13 Oct


def test_order_received_on_a_holiday_starts_counting_on_the_next_working_day():
    due = policy().deadlines(Tier.GENERAL, at(2026, 10, 3, 9))
    assert local(due.reply.at) == at(2026, 10, 11, 0, 0)  # Oct 8, 9, 10


def test_complex_fifteen_days_ending_on_a_holiday_moves_to_the_next_working_day():
    # 15 days after 16 Sep is 1 Oct (holiday); the period ends with Thursday 8 Oct.
    due = policy().deadlines(Tier.COMPLEX, at(2026, 9, 16, 11))
    assert local(due.complete.at) == at(2026, 10, 9, 0, 0)


def test_year_nobody_configured_falls_back_to_weekdays_and_is_provisional(caplog):
    caplog.set_level(logging.WARNING)
    due = policy().deadlines(Tier.GENERAL, at(2026, 12, 28, 10))
    # Mon 28 Dec: Tue 29, Wed 30, Thu 31 (2026, known) then Fri 1 Jan, Mon 4 Jan (2027, guessed).
    assert local(due.reply.at) == at(2027, 1, 1, 0, 0) and not due.reply.provisional
    assert local(due.complete.at) == at(2027, 1, 5, 0, 0) and due.complete.provisional
    assert due.provisional
    assert "no holiday schedule for 2027" in caplog.text


def test_configured_year_wins_and_is_not_provisional():
    year_2027 = CalendarYear(holidays=[dt.date(2027, 1, 1)], workdays=[dt.date(2027, 1, 9)])
    p = policy({2027: year_2027})
    due = p.deadlines(Tier.GENERAL, at(2026, 12, 28, 10))
    # Jan 1 is now a holiday: Tue 29, Wed 30, Thu 31, Mon 4, Tue 5.
    assert local(due.complete.at) == at(2027, 1, 6, 0, 0)
    assert not due.provisional
    assert p.calendar.is_workday(dt.date(2027, 1, 9)) == (True, False)  # a configured 调休 Saturday


def test_config_override_wins_over_package_data_for_a_known_year():
    p = policy({2026: CalendarYear(holidays=[dt.date(2026, 11, 24)])})
    assert p.calendar.is_workday(dt.date(2026, 11, 24)) == (False, False)


def test_warning_light_comes_at_eighty_percent_of_the_time():
    p = policy()
    start = at(2026, 11, 23, 8)
    due = p.due(start, Duration(hours=10)).at
    assert local(p.warn_at(start, due)) == at(2026, 11, 23, 16)


def test_acceptance_is_thirty_minutes_and_return_window_two_working_days():
    p = policy()
    assert local(p.acceptance_due(at(2026, 11, 20, 17, 45)).at) == at(2026, 11, 20, 18, 15)
    assert local(p.return_window_end(at(2026, 11, 20, 17)).at) == at(2026, 11, 25, 0, 0)  # Mon, Tue


def test_unknown_years_are_reported_for_the_health_check():
    cal = WorkingCalendar(CalendarFile())
    assert cal.unknown_years(dt.date(2026, 11, 21), 60) == [2027]
    assert cal.unknown_years(dt.date(2026, 6, 1), 60) == []


def test_sign_deadline_is_minutes_for_an_emergency_and_a_day_for_the_rest():
    assert local(policy().deadlines(Tier.EMERGENCY, at(2026, 11, 21, 23, 50)).sign.at) == at(2026, 11, 22, 0, 20)
    assert local(policy().deadlines(Tier.GENERAL, at(2026, 11, 21, 15)).sign.at) == at(2026, 11, 22, 15)


def test_the_yellow_card_can_come_one_working_day_before_the_deadline():
    by_days = SlaPolicy(SLA.model_copy(update={"warn_working_days_before": 1}),
                        WorkingCalendar(CalendarFile(years={})), "Asia/Shanghai")
    start = at(2026, 11, 23, 9)  # Monday; 5 working days end Monday 30 November at 24:00
    due = by_days.deadlines(Tier.GENERAL, start).complete.at
    assert local(due) == at(2026, 12, 1, 0, 0)
    # one working day before the end of Monday the 30th is the end of Friday the 27th (the weekend is skipped)
    assert local(by_days.warn_at(start, due)) == at(2026, 11, 28, 0, 0)
    assert local(policy().warn_at(start, due)) == local(start + (due - start) * 0.8)  # the fraction, as before
    two_hours = start + dt.timedelta(hours=2)  # too short a clock for a working day: the fraction
    assert by_days.warn_at(start, two_hours) == start + dt.timedelta(minutes=96)
    mid_day = at(2026, 11, 30, 15)  # a deadline at 15:00 Monday warns at 15:00 the Friday before
    assert local(by_days.working_days_before(mid_day, 1)) == at(2026, 11, 27, 15)


def test_a_guessed_day_keeps_the_deadline_provisional_into_a_known_year():
    p = policy({2028: CalendarYear(holidays=[], workdays=[])})
    # Wed 29 Dec 2027 (nobody's schedule): Thu 30, Fri 31 guessed, then Mon 3, Tue 4, Wed 5 Jan 2028 known.
    due = p.deadlines(Tier.GENERAL, at(2027, 12, 29, 10))
    assert local(due.complete.at) == at(2028, 1, 6, 0, 0) and due.complete.provisional
    assert p.calendar.is_known_year(2028) and p.calendar.is_known_year(2026) and not p.calendar.is_known_year(2027)
    # 15 days after Fri 16 Dec 2033 is Sat 31 Dec (guessed), then Sun 1 and Mon 2 Jan 2034 (known).
    q = policy({2034: CalendarYear(holidays=[], workdays=[])})
    late = q.deadlines(Tier.COMPLEX, at(2033, 12, 16, 10))
    assert local(late.complete.at) == at(2034, 1, 3, 0, 0) and late.complete.provisional


def test_deadlines_say_their_tier_and_start_and_are_instants_in_utc():
    start = at(2026, 11, 23, 7)  # 07:00 in Liaocheng is still Sunday in UTC
    due = policy().deadlines(Tier.GENERAL, start)
    assert (due.tier, due.starts_at) == (Tier.GENERAL, start)
    assert due.complete.at.tzinfo is dt.UTC and due.reply.at.utcoffset() == dt.timedelta(0)
    assert due.complete.at == policy().deadlines(Tier.GENERAL, at(2026, 11, 23, 23)).complete.at
    assert policy().deadlines(Tier.EMERGENCY, start).reply.provisional is False
    complex_ = policy().deadlines(Tier.COMPLEX, at(2026, 9, 16, 11))
    assert not complex_.complete.provisional


def test_a_time_without_offset_or_outside_this_century_is_refused():
    import pytest

    from hotline.core.errors import InvalidInputError

    p = policy()
    with pytest.raises(InvalidInputError, match="needs a time zone offset") as naive:
        p.deadlines(Tier.GENERAL, dt.datetime(2026, 11, 23, 10))
    assert naive.value.error_id == "naive_datetime"
    for moment in (dt.datetime(1999, 12, 31, 23, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)):
        with pytest.raises(InvalidInputError, match="outside 2000–2099") as far:
            p.deadlines(Tier.GENERAL, moment)
        assert far.value.error_id == "datetime_out_of_range"
    assert p.deadlines(Tier.EMERGENCY, dt.datetime(2000, 1, 1, tzinfo=dt.UTC)).reply.at.year == 2000


def test_an_unknown_year_is_warned_about_once_in_words_an_operator_can_act_on(caplog):
    caplog.set_level(logging.WARNING)
    p = policy()
    p.deadlines(Tier.GENERAL, at(2026, 12, 28, 10))
    p.deadlines(Tier.GENERAL, at(2026, 12, 29, 10))
    assert [r.getMessage() for r in caplog.records] == [
        "no holiday schedule for 2027: deadlines in 2027 use Monday–Friday and are provisional; "
        "add the year to config/calendar.yaml"]
