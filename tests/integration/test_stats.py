"""Statistics: every counter and rate on a week whose story is known, roll-ups equal to live counting,
the ranking with its published score, hotspots against their own baseline, and bad periods."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.callbacks.service import CallbackService
from hotline.core.db import session_scope
from hotline.core.enums import Role, Tier, Verdict
from hotline.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.service import WorkOrderService
from hotline.models import DailyCounter, Department
from hotline.runtime.context import build_context
from hotline.stats.formulas import Period
from hotline.stats.service import StatsService, ranking_csv
from tests.conftest import CST
from tests.factories import CALLBACK, OPERATOR, WATER, draft, staff_of

MON, FRI = dt.date(2026, 11, 23), dt.date(2026, 11, 27)
WEEK = Period(MON, FRI)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=CST)


def build_week(session_factory, ctx, clock) -> dict[str, int]:
    """Mon 23 – Fri 27 November 2026 at the water company, step by step (see the expected numbers below)."""
    with session_scope(session_factory) as s:
        service, dept, water = WorkOrderService(s, ctx), DepartmentService(s, ctx), staff_of(s, WATER)
        callbacks = CallbackService(s, ctx)
        clock.set(at(23, 9))
        o = {name: service.create(draft(), OPERATOR).order for name in ("o1", "o2", "o3", "o4")}
        o["o5"] = service.create(draft(category_code="consult.policy", title="咨询"), OPERATOR).order
        o["o6"] = service.create(draft(title="未受理"), OPERATOR).order
        for name in ("o1", "o2", "o3", "o4", "o5"):
            service.accept(o[name].id, OPERATOR, tier=Tier.LIVELIHOOD if name != "o5" else None)
        for name in ("o1", "o2", "o3", "o4"):
            service.dispatch(o[name].id, OPERATOR, WATER)  # reply due Tue 09:00, complete due end of Thu
        service.answer_directly(o["o5"].id, OPERATOR, "可到政务服务中心办理")
        clock.set(at(23, 10))
        dept.return_order(o["o3"].id, water, "不属于本单位")
        for step in (dept.sign, lambda i, w: dept.reply(i, w, "已派人"), lambda i, w: dept.complete(i, w, "已修复")):
            step(o["o1"].id, water)  # on time everywhere, 1 hour from dispatch
        clock.set(at(24, 12))
        for step in (dept.sign, lambda i, w: dept.reply(i, w, "已派人"), lambda i, w: dept.complete(i, w, "已修复")):
            step(o["o2"].id, water)  # reply 3 hours late, completed 27 hours from dispatch
        for name in ("o1", "o5", "o2"):
            callbacks.start(o[name].id)
        clock.set(at(24, 14))
        callbacks.record(o["o1"].id, CALLBACK, 1, Verdict.SATISFIED, process=Verdict.BASICALLY_SATISFIED)
        callbacks.record(o["o5"].id, CALLBACK, 1, Verdict.BASICALLY_SATISFIED)
        callbacks.record(o["o2"].id, CALLBACK, 1, Verdict.UNSATISFIED, comment="还是没水")  # redo: a 5th dispatch
        return {name: order.id for name, order in o.items()}


CITY_COUNTS = {
    "received": 6, "accepted": 5, "answered_directly": 1, "dispatched": 5, "returned": 1,
    "sign_due": 4, "sign_on_time": 1,  # o1 signed in an hour; o2 a day late; o4 and o2's redo never; o3 cancelled
    "reply_due": 4, "reply_on_time": 1,  # o1 on time; o2 late; o4 and o2's redo never replied; o3 cancelled
    "complete_due": 3, "complete_on_time": 2,  # o1 and o2 by Thursday; o4 not; o2's redo due later
    "completed": 2, "handling_seconds": 28 * 3600,
    "callbacks_reached": 3, "satisfied": 1, "basically_satisfied": 1, "unsatisfied": 1, "unreachable": 0,
    "process_asked": 1, "process_satisfied": 1,
    # every verdict came from an agent's call: none by keypad, SMS reply or rating link
    "reached_staff": 3, "content_staff": 2, "reached_auto": 0, "content_auto": 0, "reached_sms": 0,
    "content_sms": 0, "reached_link": 0, "content_link": 0,
}


def test_a_known_week_gives_exactly_the_expected_counts_and_rates(session_factory, ctx, clock):
    build_week(session_factory, ctx, clock)
    clock.set(at(27, 10))
    with session_factory() as s:
        report = StatsService(s, ctx).rates(WEEK)
    assert report["counts"] == CITY_COUNTS
    assert report["rates"] == {
        "acceptance_rate": round(5 / 6, 4), "sign_on_time_rate": 0.25, "reply_on_time_rate": 0.25, "completion_rate": 0.5,
        "complete_on_time_rate": round(2 / 3, 4), "satisfaction_rate": round(2 / 3, 4),
        "process_satisfaction_rate": 1.0, "redo_rate": round(1 / 3, 4), "return_rate": 0.2,
        "avg_handling_hours": 14.0, "satisfaction_rate_staff": round(2 / 3, 4), "satisfaction_rate_auto": None,
        "satisfaction_rate_sms": None, "satisfaction_rate_link": None, "message_share": 0.0,
    }


def test_a_department_sees_only_its_own_counters(session_factory, ctx, clock):
    build_week(session_factory, ctx, clock)
    clock.set(at(27, 10))
    with session_factory() as s:
        report = StatsService(s, ctx).rates(WEEK, WATER)
    assert report["department"]["code"] == WATER
    counts, rates = report["counts"], report["rates"]
    assert (counts["received"], counts["answered_directly"], counts["dispatched"], counts["callbacks_reached"]) == (0, 0, 5, 2)
    assert rates["acceptance_rate"] is None  # the centre's counter: no department receives calls
    assert (rates["completion_rate"], rates["satisfaction_rate"], rates["redo_rate"]) == (0.4, 0.5, 0.5)


def test_deadlines_count_only_once_due(session_factory, ctx, clock):
    build_week(session_factory, ctx, clock)
    clock.set(at(26, 10))  # Thursday morning: the completion deadlines (end of Thursday) are not due yet
    with session_factory() as s:
        counts = StatsService(s, ctx).rates(WEEK)["counts"]
    assert (counts["complete_due"], counts["reply_due"]) == (0, 4)


def test_rolled_up_days_give_the_same_numbers_as_counting_live(session_factory, ctx, clock):
    build_week(session_factory, ctx, clock)
    clock.set(at(28, 10))
    with session_scope(session_factory) as s:
        assert StatsService(s, ctx).rollup(MON, FRI) > 0
    with session_factory() as s:
        stats = StatsService(s, ctx)
        rolled, live = stats.totals(WEEK), stats.totals(WEEK, use_rollups=False)
        assert {k: dict(v) for k, v in rolled.items()} == {k: dict(v) for k, v in live.items()}
        assert stats.rates(WEEK)["counts"] == stats.rates(WEEK, use_rollups=False)["counts"]
        # the roll-up really is what is read: change a stored counter and the report follows it
        row = s.query(DailyCounter).filter_by(metric="received").one()
        row.value = 60
        assert stats.rates(WEEK)["counts"]["received"] == 60
        assert stats.rates(WEEK, use_rollups=False)["counts"]["received"] == 6


def test_today_is_never_rolled_up_and_nightly_runs_once_a_day(session_factory, ctx, clock):
    build_week(session_factory, ctx, clock)
    clock.set(at(24, 23))
    with session_scope(session_factory) as s:
        assert StatsService(s, ctx).rollup(MON, FRI) > 0  # only Monday is finished
        assert StatsService(s, ctx).rollup(dt.date(2026, 11, 24), FRI) == 0
    clock.set(at(25, 1))
    with session_scope(session_factory) as s:
        days = StatsService(s, ctx).nightly()
        assert days[-1] == dt.date(2026, 11, 24) and len(days) == ctx.config.stats.rollup.recompute_days
        assert StatsService(s, ctx).nightly() == []  # already done today
    clock.set(at(25, 15))
    with session_factory() as s:
        assert StatsService(s, ctx).rates(Period(MON, dt.date(2026, 11, 25)))["counts"] == \
            StatsService(s, ctx).rates(Period(MON, dt.date(2026, 11, 25)), use_rollups=False)["counts"]


def test_ranking_publishes_each_units_score_and_respects_the_minimum_volume(session_factory, ctx, clock, settings, config):
    build_week(session_factory, ctx, clock)
    clock.set(at(28, 10))
    with session_factory() as s:
        table = StatsService(s, ctx).ranking(WEEK)
    assert table["rows"] == []  # nobody reached the minimum of 10
    water = next(r for r in table["unranked"] if r["department"]["code"] == WATER)
    assert water["volume"] == 5 and water["rank"] is None and water["score"] is None  # 样本不足，不排名
    assert all(p["points"] is None for p in water["breakdown"])  # no part of a score either
    assert water["rates"]["complete_on_time_rate"] == pytest.approx(2 / 3, abs=1e-4)  # its rates stay readable
    assert ranking_csv(table).splitlines()[1].split(",")[3] == ""  # no score in the export
    assert ranking_csv(table).splitlines()[1].endswith("样本不足，不排名")
    low = config.model_copy(update={"stats": config.stats.model_copy(update={
        "ranking": config.stats.ranking.model_copy(update={"min_volume": 1})})})
    with session_factory() as s:
        table = StatsService(s, build_context(settings, clock=clock, config=low)).ranking(WEEK)
    first = table["rows"][0]
    assert first["department"]["code"] == WATER and first["rank"] == 1
    assert all(r["volume"] == 0 and r["score"] is None for r in table["unranked"])  # the rest: nothing sent
    assert WATER not in {r["department"]["code"] for r in table["unranked"]}
    # 100 × (15×0.25 + 25×2/3 + 40×0.5 + 10×(1−0.5) + 10×(1−0.2)) / 100
    assert first["score"] == pytest.approx(53.42, abs=0.01)
    assert sum(p["points"] for p in first["breakdown"]) == pytest.approx(first["score"], abs=0.05)
    csv_text = ranking_csv(table)
    assert csv_text.splitlines()[0].startswith("rank,code,name,score,volume,reply_on_time_rate")
    assert csv_text.splitlines()[1].startswith(f"1,{WATER},")


def test_ranking_under_a_district_ranks_its_streets(session_factory, ctx, clock):
    with session_factory() as s:
        table = StatsService(s, ctx).ranking(WEEK, "371502")
        streets = {d.code for d in s.query(Department).filter(Department.path.like("/371500/371502/%/"))
                   if d.path.count("/") == 4}
    assert {r["department"]["code"] for r in table["rows"] + table["unranked"]} == streets


def test_hotspot_is_a_category_jumping_against_its_own_baseline(session_factory, ctx, clock):
    with session_scope(session_factory) as s:
        service = WorkOrderService(s, ctx)

        def orders(category: str, when: dt.datetime, n: int, place: str) -> None:
            clock.set(when)
            for _ in range(n):
                service.create(draft(category_code=category, place=place, title=f"{category} 投诉"), OPERATOR)

        for week in range(1, 5):  # four baseline weeks: 5 water reports each, heating only once in all
            orders("water.outage", at(20, 10) - dt.timedelta(weeks=week - 1), 5, "建设路")
        orders("heating", at(1, 10), 1, "东关社区")
        orders("water.outage", at(24, 10), 5, "建设路")  # this week: as usual
        orders("heating", at(25, 10), 6, "东关社区")  # this week: the first cold week
    clock.set(at(27, 18))
    with session_factory() as s:
        spots = StatsService(s, ctx).hotspots(FRI)
    keys = {(h["kind"], h["key"]) for h in spots}
    assert ("category", "utility.heat.cold") in keys and ("place", "东关社区") in keys  # filed under leaves
    assert ("category", "utility.water.outage") not in keys and ("place", "建设路") not in keys
    heating = next(h for h in spots if h["key"] == "utility.heat.cold")
    assert heating["count"] == 6 and heating["baseline"] == 0.25 and len(heating["examples"]) == 3


@pytest.mark.parametrize("make", [
    lambda: Period(FRI, MON),
    lambda: Period.month("2026-13"),
    lambda: Period.month("November"),
    lambda: Period(dt.date(1999, 1, 1), MON),
])
def test_bad_periods_are_refused(make):
    with pytest.raises(InvalidInputError):
        make()


def test_department_outside_scope_and_unknown_department_are_refused(session_factory, ctx):
    with session_factory() as s:
        stats = StatsService(s, ctx)
        water_only = staff_of(s, WATER, Role.DEPARTMENT_ADMIN)
        with pytest.raises(PermissionDeniedError, match="outside your scope"):
            stats.rates(WEEK, "371502", water_only)
        with pytest.raises(NotFoundError):
            stats.rates(WEEK, "NOPE")
        assert stats.rates(WEEK, None, water_only)["department"]["code"] == WATER  # defaults to own subtree


def test_month_period_covers_the_whole_month():
    assert Period.month("2026-02") == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert Period.month("2026-12") == Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
