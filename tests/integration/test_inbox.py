"""The department workbench's inbox at volume: 1,167 orders in the water company, each view counted and
paged on the server, filters, sort, emergencies first, and nothing of another department's."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.core import security
from hotline.core.db import session_scope
from tests.bulk import Spec, insert_orders
from tests.integration.conftest import Person, new_order, step

WATER, HOUSING, DISTRICT, STREET = "371500-WATER", "371500-ZJJ", "371502", "371502001"
H = dt.timedelta(hours=1)
EXPECTED = {"open": 967, "to_sign": 600, "in_progress": 367, "due_soon": 60, "overdue": 45, "extension": 12,
            "done": 200, "supervised": 5}


def specs() -> list[Spec]:
    out = [Spec(WATER) for _ in range(597)]
    # Emergencies received first and due last: only the rule "emergencies first" brings them to the top.
    out += [Spec(WATER, tier="emergency", title="燃气泄漏", due_in=10 * 24 * H,
                 received_at=dt.datetime(2026, 10, 31, 17, tzinfo=dt.UTC)) for _ in range(3)]  # 1 Nov 01:00 here
    out += [Spec(WATER, status="signed") for _ in range(250)]
    out += [Spec(WATER, status="signed", due_in=6 * H, category="water.pressure") for _ in range(60)]
    out += [Spec(WATER, status="replied", due_in=-2 * H) for _ in range(40)]
    out += [Spec(WATER, status="signed", extension=True) for _ in range(12)]
    out += [Spec(WATER, status="signed", due_in=-1 * H, supervision="overdue") for _ in range(5)]
    out += [Spec(WATER, status="completed") for _ in range(200)]
    out += [Spec(HOUSING, title="楼道漏水") for _ in range(50)]
    out += [Spec(STREET, title="路灯不亮") for _ in range(30)]
    out += [Spec(DISTRICT, title="占道经营") for _ in range(20)]
    return out


@pytest.fixture
def volume(session_factory, ctx) -> list[str]:
    with session_scope(session_factory) as s:
        return insert_orders(s, specs(), ctx.clock.now())


def inbox(api, person, **params) -> dict:
    r = api.get("/api/v1/inbox", params=params, headers=person.headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_each_view_counts_and_pages_every_order_of_the_department(api, people, volume):
    first = inbox(api, people["water"], view="to_sign", limit=200)
    assert first["counts"] == EXPECTED
    for view, count in EXPECTED.items():
        assert inbox(api, people["water"], view=view, limit=1)["total"] == count, view
    seen: list[str] = []
    for offset in range(0, 600, 200):
        page = inbox(api, people["water"], view="to_sign", limit=200, offset=offset)
        assert page["total"] == 600 and page["offset"] == offset
        seen += [o["ticket_no"] for o in page["items"]]
    assert len(seen) == len(set(seen)) == 600
    assert inbox(api, people["water"], view="to_sign", limit=200, offset=600)["items"] == []
    housing = set(volume[1167:1217])
    assert not housing & set(seen)
    assert inbox(api, people["housing"], view="open")["counts"]["open"] == 50


def test_emergencies_come_first_whatever_the_sort_and_carry_their_next_deadline(api, people, volume, ctx):
    for sort in ("due", "new", "old"):
        page = inbox(api, people["water"], view="to_sign", sort=sort, limit=5)
        assert [o["tier"] for o in page["items"][:3]] == ["emergency"] * 3, sort
        assert page["items"][3]["tier"] == "general"
    page = inbox(api, people["water"], view="to_sign", limit=4)
    emergency = page["items"][0]
    assert dt.datetime.fromisoformat(emergency["next_due_at"]) == ctx.clock.now() + 10 * 24 * H
    assert emergency["next_kind"] == "complete" and emergency["share_status"] == "dispatched"
    assert emergency["department"] == "聊城市水务集团有限公司" and emergency["share_role"] == "lead"
    assert page["timezone"] == "Asia/Shanghai"
    assert dt.datetime.fromisoformat(page["now"]) == ctx.clock.now()


def test_nearest_deadline_first_then_newest_and_oldest(api, people, volume):
    due = [o["next_due_at"] for o in inbox(api, people["water"], view="in_progress", limit=200)["items"]]
    assert due == sorted(due) and due[0] < due[-1]
    new = [o["received_at"] for o in inbox(api, people["water"], view="to_sign", sort="new", limit=50)["items"][3:]]
    old = [o["received_at"] for o in inbox(api, people["water"], view="to_sign", sort="old", limit=50)["items"][3:]]
    assert new == sorted(new, reverse=True) and old == sorted(old) and new[0] > old[0]


def test_lights_are_as_of_now_and_filter_the_views(api, people, volume, ctx):
    water = people["water"]
    assert inbox(api, water, view="open", light="yellow")["total"] == 60
    red = inbox(api, water, view="open", light="red", limit=200)
    assert red["total"] == 45 and {o["light"] for o in red["items"]} == {"red"}
    assert red["counts"]["overdue"] == 45 and red["counts"]["to_sign"] == 0
    assert inbox(api, water, view="open", light="green")["total"] == 967 - 60 - 45
    ctx.clock.advance(hours=7)  # the yellow ones are now past their deadline too
    token, _ = security.issue(ctx.secret, water.user_id, "access", ctx.clock.now())
    later = Person(water.user_id, water.username, {"Authorization": f"Bearer {token}"})
    assert inbox(api, later, view="overdue")["total"] == 105


def test_filters_by_tier_category_branch_date_and_words(api, people, volume, ctx):
    water = people["water"]
    assert inbox(api, water, view="open", tier="emergency")["total"] == 3
    assert inbox(api, water, view="open", tier=["emergency", "general"])["total"] == 967
    assert inbox(api, water, view="open", category="water.pressure")["total"] == 60
    assert inbox(api, water, view="open", category="water")["total"] == 967
    assert inbox(api, water, view="open", category="wat")["total"] == 0  # a branch, not a prefix of letters
    early = {"received_from": "2026-11-01T00:00:00+08:00", "received_to": "2026-11-02T00:00:00+08:00"}
    assert inbox(api, water, view="open", **early)["total"] == 3
    assert inbox(api, water, view="open", **{"from": "2026-11-01", "to": "2026-11-01"})["total"] == 3
    assert inbox(api, water, view="open", **{"from": "2026-11-02"})["total"] == 964
    hit = inbox(api, water, view="done", q=volume[1000])
    assert [o["ticket_no"] for o in hit["items"]] == [volume[1000]]
    assert inbox(api, water, view="open", q="燃气泄漏")["total"] == 3
    assert inbox(api, water, view="open", q="楼道漏水")["total"] == 0  # housing's words, not ours


def test_a_district_narrows_to_a_street_and_never_beyond_its_tree(api, people, volume):
    district = people["district"]
    assert inbox(api, district, view="to_sign")["total"] == 50
    street = inbox(api, district, view="to_sign", unit=STREET, limit=50)
    assert street["total"] == 30 and {o["department"] for o in street["items"]} == {"古楼街道"}
    r = api.get("/api/v1/inbox", params={"unit": WATER}, headers=district.headers | {"Accept-Language": "zh-CN"})
    assert r.status_code == 404 and r.json()["error_id"] == "unit_not_found" and "下级单位" in r.json()["message"]
    codes = [u["code"] for u in api.get("/api/v1/inbox/units", headers=district.headers).json()]
    assert codes[0] == DISTRICT and STREET in codes and WATER not in codes
    assert api.get("/api/v1/inbox", headers=people["operator"].headers).status_code == 403


def test_an_order_walks_through_the_views_as_the_department_works_it(api, people, ctx):
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")
    water = people["water"]

    def views() -> set[str]:
        return {v for v in EXPECTED if ticket in [o["ticket_no"] for o in inbox(api, water, view=v)["items"]]}

    assert views() == {"open", "to_sign"}
    [row] = inbox(api, water, view="to_sign", q=ticket)["items"]
    assert row["next_kind"] == "sign" and row["light"] == "green"  # 签收时限: 24 hours from dispatch
    assert dt.datetime.fromisoformat(row["next_due_at"]) == ctx.clock.now() + 24 * H
    step(api, water, ticket, "sign")
    assert inbox(api, water, view="in_progress", q=ticket)["items"][0]["next_kind"] == "reply"
    assert views() == {"open", "in_progress"}
    step(api, water, ticket, "extension", {"days": 2, "reason": "需要更换主管道"})
    assert views() == {"open", "in_progress", "extension"}
    step(api, water, ticket, "reply", {"text": "已派人查看"})
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "已修复"}, headers=water.headers)
    assert r.status_code == 200, r.text
    assert views() == {"done", "extension"}
