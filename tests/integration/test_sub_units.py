"""下派 where the tree has sub-units (街道→社区): the street forwards an order to a community with a deadline of
its own inside the order's (one past it is refused and nothing changes); the community sees it in its inbox,
signs and replies up; the street completes once the community has replied; others see nothing of it."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.core import security
from hotline.core.db import session_scope
from hotline.core.enums import Role
from hotline.dispatch.repository import DepartmentRepository
from hotline.dispatch.sweep import SlaSweep
from hotline.models import User
from tests.integration.conftest import Person, new_order, password_hash, step
from tests.integration.test_department_steps import ZH

STREET, COMMUNITY, OTHER_COMMUNITY = "371502001", "371502001002", "371502002001"  # 古楼街道, 米市街社区, 柳园社区


def person(session_factory, ctx, name: str, code: str) -> Person:
    with session_scope(session_factory) as s:
        user = User(username=name, display_name=name, role=Role.DEPARTMENT_STAFF, password_hash=password_hash(),
                    active=True, department_id=DepartmentRepository(s).by_code(code).id, created_at=ctx.clock.now())
        s.add(user)
        s.flush()
        token, _ = security.issue(ctx.secret, user.id, "access", ctx.clock.now())
        return Person(user.id, name, {"Authorization": f"Bearer {token}"})


@pytest.fixture
def community(session_factory, ctx) -> Person:
    return person(session_factory, ctx, "mishijie", COMMUNITY)


@pytest.fixture
def elsewhere(session_factory, ctx) -> Person:
    return person(session_factory, ctx, "liuyuan", OTHER_COMMUNITY)


def at_street(api, people, sign: bool = True) -> str:
    ticket = new_order(api, people["operator"], category_code="city.sanitation", title="垃圾未清运",
                       place="东昌府区古楼街道米市街社区")
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": STREET, "reason": "属地管理"})
    if sign:
        step(api, people["street"], ticket, "sign")
    return ticket


def signed_by_the_community(api, people, community, ticket: str) -> None:
    """Accepted, dispatched to the street, signed there, forwarded to the community and signed by it."""
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": STREET, "reason": "属地管理"})
    step(api, people["street"], ticket, "sign")
    forward(api, people["street"], ticket, COMMUNITY,
            (complete_due(api, people["street"], ticket) - dt.timedelta(hours=2)).isoformat())
    step(api, community, ticket, "sign")


def complete_due(api, person, ticket) -> dt.datetime:
    detail = api.get(f"/api/v1/work-orders/{ticket}", headers=person.headers).json()
    return dt.datetime.fromisoformat(next(d["due_at"] for d in detail["deadlines"]
                                          if d["kind"] == "complete" and d["status"] == "open"))


def forward(api, person, ticket, unit, due, expect=200, **extra):
    r = api.post(f"/api/v1/work-orders/{ticket}/forward", json={"unit": unit, "due_at": due, **extra},
                 headers=person.headers | ZH)
    assert r.status_code == expect, r.text
    return r.json()


def test_the_community_works_the_forwarded_order_and_the_street_completes(api, people, community):
    ticket = at_street(api, people)
    due = complete_due(api, people["street"], ticket) - dt.timedelta(days=1)
    forward(api, people["street"], ticket, COMMUNITY, due.isoformat(), note="请今天清运")
    inbox = api.get("/api/v1/inbox", params={"view": "to_sign"}, headers=community.headers).json()
    assert [o["ticket_no"] for o in inbox["items"]] == [ticket]
    assert inbox["items"][0]["share_role"] == "sub" and inbox["items"][0]["next_kind"] == "sub"
    street_inbox = api.get("/api/v1/inbox", params={"view": "to_sign"}, headers=people["street"].headers).json()
    assert ticket not in [o["ticket_no"] for o in street_inbox["items"]]  # the street signed already
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "已清运"}, headers=people["street"].headers)
    assert r.status_code == 409 and r.json()["error_id"] == "sub_units_pending"
    step(api, community, ticket, "sign")
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "我们办完了"}, headers=community.headers)
    assert r.status_code == 409 and r.json()["error_id"] == "sub_unit_replies_up"
    step(api, community, ticket, "reply", {"text": "已组织保洁员清运完毕"})
    story = api.get(f"/api/v1/work-orders/{ticket}/story", headers=people["street"].headers).json()
    sub = next(a for a in story["assignments"] if a["role"] == "sub")
    assert sub["reply"] == "已组织保洁员清运完毕" and sub["status"] == "replied" and sub["signed_at"]
    forwarded = next(e for e in story["steps"] if e["action"] == "forward")
    assert forwarded["note"] == "请今天清运" and forwarded["data"]["unit"] == "米市街社区"
    detail = api.get(f"/api/v1/work-orders/{ticket}", headers=people["street"].headers).json()
    assert detail["state"] == "signed"  # the order waits for the street: the community's reply went up, not out
    step(api, people["street"], ticket, "reply", {"text": "社区已清运"})
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "已清运"}, headers=people["street"].headers)
    assert r.status_code == 200, r.text
    done = api.get("/api/v1/inbox", params={"view": "done"}, headers=community.headers).json()
    assert [o["ticket_no"] for o in done["items"]] == [ticket]
    deadlines = api.get(f"/api/v1/work-orders/{ticket}", headers=community.headers).json()["deadlines"]
    assert next(d for d in deadlines if d["kind"] == "sub")["status"] == "met"


def test_a_deadline_past_the_parents_or_a_unit_not_below_is_refused_and_nothing_changes(
        api, people, community, elsewhere):
    ticket = at_street(api, people)
    limit = complete_due(api, people["street"], ticket)
    error = forward(api, people["street"], ticket, COMMUNITY, (limit + dt.timedelta(minutes=1)).isoformat(), 422)
    assert error["error_id"] == "sub_deadline_after_parent" and "办结时限" in error["message"]
    assert forward(api, people["street"], ticket, COMMUNITY, "2020-01-01T09:00:00", 422)["error_id"] == \
        "sub_deadline_past"
    for unit in (OTHER_COMMUNITY, STREET, "371500-WATER", "nosuch"):
        assert forward(api, people["street"], ticket, unit, limit.isoformat(), 422)["error_id"] == "not_a_sub_unit"
    detail = api.get(f"/api/v1/work-orders/{ticket}", headers=people["street"].headers).json()
    assert [a["role"] for a in detail["assignments"]] == ["lead"]
    assert api.get(f"/api/v1/work-orders/{ticket}", headers=community.headers).status_code == 404
    local = limit.astimezone(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None)  # the centre's wall clock
    assert forward(api, people["street"], ticket, COMMUNITY, local.isoformat())["unit"] == COMMUNITY
    assert forward(api, people["street"], ticket, COMMUNITY, local.isoformat(), 409)["error_id"] == \
        "sub_unit_already_holds"
    assert forward(api, community, ticket, COMMUNITY, local.isoformat(), 409)["error_id"] == "sub_unit_cannot_forward"
    for outsider in (elsewhere, people["water"]):
        assert api.get(f"/api/v1/work-orders/{ticket}", headers=outsider.headers).status_code == 404
        assert forward(api, outsider, ticket, COMMUNITY, local.isoformat(), 404)["error_id"] == "order_not_found"
    assert forward(api, people["operator"], ticket, COMMUNITY, local.isoformat(), 403)["error_id"] == \
        "role_not_allowed"


def test_forwarding_waits_for_the_street_to_sign(api, people):
    ticket = at_street(api, people, sign=False)
    due = complete_due(api, people["street"], ticket) - dt.timedelta(hours=1)
    assert forward(api, people["street"], ticket, COMMUNITY, due.isoformat(), 409)["error_id"] == \
        "sign_before_forward"


def test_the_citizen_and_open311_never_read_a_sub_units_reply_up(api, people, community):
    key = api.post("/api/v1/api-clients", json={"name": "311-app", "channel": "app"},
                   headers=people["admin"].headers).json()["api_key"]
    created = api.post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "city.sanitation", "address_string": "东昌府区古楼街道米市街社区",
        "description": "垃圾三天没人清运"}).json()[0]
    ticket = created["service_request_id"]
    signed_by_the_community(api, people, community, ticket)
    step(api, community, ticket, "reply", {"text": "社区内部：保洁员请假，明天补清运"})
    [request] = api.get(f"/open311/v2/requests/{ticket}.json", params={"api_key": key}).json()
    assert "保洁员请假" not in (request["status_notes"] or "")
    step(api, people["street"], ticket, "reply", {"text": "已安排明天上午清运"})
    [request] = api.get(f"/open311/v2/requests/{ticket}.json", params={"api_key": key}).json()
    assert request["status_notes"] == "已安排明天上午清运"


def test_the_status_page_shows_the_streets_reply_not_the_communitys(api, people, community):
    created = api.post("/api/v1/work-orders", headers=people["operator"].headers, json={
        "title": "垃圾未清运", "content": "垃圾三天没人清运", "category_code": "city.sanitation",
        "place": "东昌府区古楼街道米市街社区", "citizen_phone": "13800138000"}).json()
    ticket, code = created["ticket_no"], created["extraction_code"]
    signed_by_the_community(api, people, community, ticket)
    step(api, community, ticket, "reply", {"text": "社区内部：保洁员请假"})
    step(api, people["street"], ticket, "reply", {"text": "已安排明天上午清运"})
    status = api.get("/api/v1/public/status", params={"ticket": ticket, "code": code}).json()
    assert status["replies"] == ["已安排明天上午清运"]


def test_a_missed_sub_unit_deadline_turns_red_and_raises_a_supervision_naming_it(api, people, community,
                                                                                 session_factory, ctx):
    ticket = at_street(api, people)
    due = complete_due(api, people["street"], ticket) - dt.timedelta(days=2)
    forward(api, people["street"], ticket, COMMUNITY, due.isoformat())
    with session_scope(session_factory) as s:
        SlaSweep(s, ctx).run_batch(due + dt.timedelta(minutes=1))
    deadlines = api.get(f"/api/v1/work-orders/{ticket}", headers=community.headers).json()["deadlines"]
    assert next(d for d in deadlines if d["kind"] == "sub")["light"] == "red"
    mine = api.get("/api/v1/supervisions", headers=people["supervisor"].headers).json()
    assert ("overdue", "米市街社区") in [(x["kind"], x["department"]) for x in mine if x["ticket_no"] == ticket]
    supervised = api.get("/api/v1/inbox", params={"view": "supervised"}, headers=community.headers).json()
    assert [o["ticket_no"] for o in supervised["items"]] == [ticket]
