"""明细: the orders behind a rate (its numerator, its denominator, the rest of it) and behind a hotspot are exactly
the orders the numbers counted — on the known week of test_stats — in the reader's scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.models import WorkOrder
from tests.integration.test_stats import FRI, at, build_week
from tests.integration.test_stats import test_hotspot_is_a_category_jumping_against_its_own_baseline as hot_week

WEEK = {"from": "2026-11-23", "to": "2026-11-27"}
ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def week(session_factory, ctx, clock, request):
    """The known week built, the clock on Friday, then the people signed in (their tokens fresh)."""
    ids = build_week(session_factory, ctx, clock)
    clock.set(at(27, 10))
    with session_factory() as s:
        tickets = dict(s.execute(select(WorkOrder.id, WorkOrder.ticket_no)).all())
    return ({name: tickets[i] for name, i in ids.items()}, request.getfixturevalue("api"),
            request.getfixturevalue("people"))


def behind(api, person, rate: str, part: str, **more) -> set[str]:
    r = api.get("/api/v1/stats/orders", params={"rate": rate, "part": part, **WEEK, "limit": 50, **more},
                headers=person.headers)
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == len(page["items"])
    return {o["ticket_no"] for o in page["items"]}


@pytest.mark.parametrize(("rate", "part", "names"), [
    ("complete_on_time_rate", "numerator", {"o1", "o2"}),
    ("complete_on_time_rate", "denominator", {"o1", "o2", "o4"}),
    ("complete_on_time_rate", "rest", {"o4"}),  # not completed by Thursday
    ("reply_on_time_rate", "rest", {"o2", "o4"}),  # o2 three hours late, o4 never
    ("sign_on_time_rate", "numerator", {"o1"}),
    ("satisfaction_rate", "numerator", {"o1", "o5"}),
    ("satisfaction_rate", "rest", {"o2"}),
    ("return_rate", "numerator", {"o3"}),
    ("acceptance_rate", "rest", {"o6"}),
    ("completion_rate", "rest", {"o3", "o4"}),  # dispatched this week, not completed by the lead
])
def test_the_orders_behind_a_rate_are_those_it_counted(week, rate, part, names):
    o, api, people = week
    assert behind(api, people["supervisor"], rate, part) == {o[n] for n in names}


def test_a_department_drills_its_own_subtree_only(week):
    o, api, people = week
    assert behind(api, people["supervisor"], "satisfaction_rate", "denominator", department="371500-WATER") == \
        {o["o1"], o["o2"]}  # o5 was answered by the centre itself
    assert behind(api, people["supervisor"], "acceptance_rate", "denominator", department="371500-WATER") == set()
    district = people["district_supervisor"]
    assert behind(api, district, "complete_on_time_rate", "denominator") == set()  # no water order is his
    r = api.get("/api/v1/stats/orders", params={"rate": "satisfaction_rate", "department": "371500-WATER"},
                headers=district.headers)
    assert r.status_code == 403
    r = api.get("/api/v1/stats/orders", params={"rate": "speed"}, headers=people["supervisor"].headers | ZH)
    assert r.status_code == 422 and r.json()["message"] == "没有这项考核指标"
    assert api.get("/api/v1/stats/orders", params={"rate": "redo_rate", "part": "half"},
                   headers=people["supervisor"].headers).status_code == 422
    assert api.get("/api/v1/stats/orders", params={"rate": "redo_rate"},
                   headers=people["water"].headers).status_code == 403


def test_the_orders_behind_a_hotspot_are_its_window(session_factory, ctx, clock, request):
    hot_week(session_factory, ctx, clock)  # builds the weeks and checks the hotspots
    api, people = request.getfixturevalue("api"), request.getfixturevalue("people")
    for kind, key in (("category", "utility.heat.cold"), ("place", "东关社区")):
        r = api.get("/api/v1/stats/hotspots/orders", params={"kind": kind, "key": key, "as_of": FRI.isoformat()},
                    headers=people["supervisor"].headers)
        assert r.status_code == 200 and r.json()["total"] == 6  # this week's six, not the baseline's one
        assert {o["place"] for o in r.json()["items"]} == {"东关社区"}
    r = api.get("/api/v1/stats/hotspots/orders", params={"kind": "category", "key": "utility.heat.cold",
                                                         "as_of": FRI.isoformat()},
                headers=people["district_supervisor"].headers)
    assert r.json()["total"] == 0  # not dispatched to his district: none of them is his to read
