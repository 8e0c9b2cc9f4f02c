"""Every role against every endpoint: who may do what, and who may not even see that an order exists."""

from __future__ import annotations

import pytest

from hotline.core.actor import Actor
from hotline.core.db import session_scope
from hotline.core.enums import Role
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.extensions import ExtensionService
from hotline.dispatch.service import WorkOrderService
from tests.factories import OPERATOR, draft, staff_of
from tests.integration.conftest import PEOPLE

ROLES = list(PEOPLE)


@pytest.fixture
def world(session_factory, ctx, people):
    """A: water outage at the water company (signed, extension pending). B: street sanitation at
    古楼街道. C: a liaison's proxy submission, not yet accepted."""
    with session_scope(session_factory) as s:
        orders, dept = WorkOrderService(s, ctx), DepartmentService(s, ctx)
        a = orders.create(draft(), OPERATOR).order
        orders.accept(a.id, OPERATOR)
        orders.dispatch(a.id, OPERATOR)
        dept.sign(a.id, staff_of(s, "371500-WATER"))
        extension = ExtensionService(s, ctx).request(a.id, staff_of(s, "371500-WATER"), 2, "等待材料")
        b = orders.create(draft(category_code="city.sanitation", place="东昌府区古楼街道米市街社区",
                                title="垃圾未清运"), OPERATOR).order
        orders.accept(b.id, OPERATOR)
        orders.dispatch(b.id, OPERATOR)
        liaison = Actor(Role.LIAISON, user_id=people["liaison"].user_id)
        c = orders.create(draft(channel="liaison", title="代老人反映"), liaison).order
        return {"A": a.ticket_no, "B": b.ticket_no, "C": c.ticket_no, "extension": extension.id}


SEES = {
    "operator": "ABC", "admin": "ABC", "callback": "ABC", "supervisor": "ABC", "district_supervisor": "B",
    "water": "A", "water_admin": "A", "housing": "", "street": "B", "district": "B", "liaison": "C",
}


@pytest.mark.parametrize("who", ROLES)
def test_order_list_holds_exactly_the_orders_in_scope(api, people, world, who):
    r = api.get("/api/v1/work-orders", headers=people[who].headers)
    assert r.status_code == 200
    seen = {item["ticket_no"] for item in r.json()["items"]}
    assert seen == {world[k] for k in SEES[who]}
    assert r.json()["total"] == len(SEES[who])


def codes(**by_role) -> dict[str, int]:
    """Expected status per role; `rest` is everyone not named."""
    rest = by_role.pop("rest")
    return {role: by_role.get(role, rest) for role in ROLES}


def sees_a(role: str, yes: int, no: int = 404) -> int:
    return yes if "A" in SEES[role] else no


ENDPOINTS = {
    "read A": ("GET", "/api/v1/work-orders/{A}", None, {r: sees_a(r, 200) for r in ROLES}),
    "events of A": ("GET", "/api/v1/work-orders/{A}/events", None, {r: sees_a(r, 200) for r in ROLES}),
    "route of A": ("GET", "/api/v1/work-orders/{A}/route", None,
                   codes(operator=200, admin=200, supervisor=200, district_supervisor=404, rest=403)),
    "transcripts of A": ("GET", "/api/v1/work-orders/{A}/transcripts", None,
                         codes(operator=200, admin=200, supervisor=200, district_supervisor=404, rest=403)),
    "intake draft": ("POST", "/api/v1/intake/analyze", {"text": "我家停水了"}, codes(operator=200, admin=200, rest=403)),
    "who am I": ("GET", "/api/v1/auth/me", None, dict.fromkeys(ROLES, 200)),
    "open 督办": ("GET", "/api/v1/supervisions", None, codes(admin=200, supervisor=200, district_supervisor=200, rest=403)),
    "reply on A": ("POST", "/api/v1/work-orders/{A}/reply", {"text": "已安排"},
                   {r: sees_a(r, 200 if r in ("water", "water_admin") else 403) for r in ROLES}),
    "accept C": ("POST", "/api/v1/work-orders/{C}/accept", {},
                 {r: (200 if r in ("operator", "admin") else 403) if "C" in SEES[r] else 404 for r in ROLES}),
    "dispatch C": ("POST", "/api/v1/work-orders/{C}/dispatch", {"lead": "371500-WATER"},
                   {r: (409 if r in ("operator", "admin", "supervisor") else 403) if "C" in SEES[r] else 404
                    for r in ROLES}),
    "decide extension": ("POST", "/api/v1/extensions/{extension}/decision", {"approve": True},
                         {r: sees_a(r, 200 if r in ("admin", "supervisor") else 403) for r in ROLES}),
    "create order": ("POST", "/api/v1/work-orders", {"title": "路灯不亮", "content": "建设路路灯不亮"},
                     codes(operator=201, admin=201, liaison=201, rest=403)),
    "create user": ("POST", "/api/v1/users", {"username": "newbie", "password": "long enough pw", "display_name": "新人",
                                              "role": "operator"}, codes(admin=201, rest=403)),
    "list users": ("GET", "/api/v1/users", None,
                   codes(admin=200, supervisor=200, district_supervisor=200, water_admin=200, rest=403)),
    "create api client": ("POST", "/api/v1/api-clients", {"name": "wechat-gw", "channel": "wechat"},
                          codes(admin=201, rest=403)),
    "read audit log": ("GET", "/api/v1/audit", None, codes(admin=200, supervisor=200, district_supervisor=200, rest=403)),
    "callback queue": ("GET", "/api/v1/callbacks/due", None, codes(callback=200, admin=200, rest=403)),
    "take next callback": ("POST", "/api/v1/callbacks/next", None, codes(callback=200, admin=200, rest=403)),
    "verdict on A": ("POST", "/api/v1/callbacks/{A}/attempts", {"attempt": 1, "verdict": "satisfied"},
                     codes(callback=409, admin=409, rest=403)),  # A is being worked, not awaiting a callback
    "rates": ("GET", "/api/v1/stats/rates", None,
              codes(admin=200, supervisor=200, district_supervisor=200, water_admin=200, rest=403)),
    "district rates": ("GET", "/api/v1/stats/rates?department=371502", None,
                       codes(admin=200, supervisor=200, district_supervisor=200, rest=403)),
    "ranking": ("GET", "/api/v1/stats/ranking?month=2026-11", None,
                codes(admin=200, supervisor=200, district_supervisor=200, water_admin=200, rest=403)),
    "hotspots": ("GET", "/api/v1/stats/hotspots", None,
                 codes(admin=200, supervisor=200, district_supervisor=200, water_admin=200, rest=403)),
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_role_endpoint_table(api, people, world, endpoint, who):
    method, path, body, expected = ENDPOINTS[endpoint]
    r = api.request(method, path.format(**world), json=body, headers=people[who].headers)
    assert r.status_code == expected[who], r.text
    if r.status_code >= 400:
        assert set(r.json()) == {"error_id", "message", "details"}


def test_departments_see_masked_phone_and_no_name_the_centre_sees_both(api, people, world):
    water = api.get(f"/api/v1/work-orders/{world['A']}", headers=people["water"].headers).json()
    assert water["citizen"] == {"phone": "138****8000", "name": None}
    assert "13800138000" not in water["content"]
    operator = api.get(f"/api/v1/work-orders/{world['A']}", headers=people["operator"].headers).json()
    assert operator["citizen"] == {"phone": "13800138000", "name": "张女士"}


def test_list_shows_each_orders_worst_light_and_nearest_deadline(api, people, world):
    items = api.get("/api/v1/work-orders", headers=people["water"].headers).json()["items"]
    assert items[0]["light"] == "green" and items[0]["due_at"].startswith("2026-11-24T01:00:00")
