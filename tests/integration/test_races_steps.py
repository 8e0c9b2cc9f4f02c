"""One winner per decision and per step, with many requests at once on two API worker processes."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import requests
from sqlalchemy import select

from hotline.core.enums import ExtensionStatus
from hotline.models import Assignment, Deadline, ExtensionRequest, WorkOrder, WorkOrderEvent
from tests.integration.api_workers import at_once, bearer, two_workers  # noqa: F401 (fixture)

pytestmark = pytest.mark.postgres_only
PARALLEL = 24


class Via:
    """Requests to the worker processes as one person."""

    def __init__(self, server, headers):
        self.url, self.headers = server.url, headers

    def post(self, client, path: str, **kw):
        return client.post(self.url + path, headers=self.headers, timeout=60, **kw)


def sent(server, ctx, people, name: str) -> Via:
    return Via(server, bearer(ctx, people[name].user_id))


ORDER = {"title": "小区停水", "content": "我家小区停水了，请尽快处理。", "category_code": "water.outage",
         "place": "东昌府区古楼街道东关社区", "citizen_phone": "13800138000", "citizen_name": "张女士"}


def dispatched_with_co_handler(server, ctx, people) -> str:
    operator = sent(server, ctx, people, "operator")
    with requests.Session() as client:
        r = operator.post(client, "/api/v1/work-orders", json=ORDER)
        assert r.status_code == 201, r.text
        ticket = r.json()["ticket_no"]
        for path, body in [("accept", {}), ("dispatch", {"lead": "371500-WATER", "co": ["371502001"]})]:
            r = operator.post(client, f"/api/v1/work-orders/{ticket}/{path}", json=body)
            assert r.status_code == 200, r.text
    return ticket


def codes(responses) -> Counter:
    return Counter(r.status_code for r in responses)


def test_parallel_extension_decisions_make_exactly_one_decision(two_workers, ctx, people,  # noqa: F811
                                                                session_factory):
    ticket = dispatched_with_co_handler(two_workers, ctx, people)
    water = sent(two_workers, ctx, people, "water")
    with requests.Session() as client:
        assert water.post(client, f"/api/v1/work-orders/{ticket}/sign").status_code == 200
        r = water.post(client, f"/api/v1/work-orders/{ticket}/extension", json={"days": 2, "reason": "等待材料"})
        assert r.status_code == 200, r.text
    with session_factory() as s:
        order_id = s.scalar(select(WorkOrder.id).where(WorkOrder.ticket_no == ticket))
        request_id = s.scalar(select(ExtensionRequest.id).where(ExtensionRequest.work_order_id == order_id))
        due_before = s.scalar(select(Deadline.due_at).where(Deadline.work_order_id == order_id,
                                                            Deadline.kind == "complete", Deadline.status == "open"))
    deciders = [sent(two_workers, ctx, people, name) for name in ("admin", "supervisor")]

    answers = at_once(PARALLEL, lambda c, i: deciders[i % 2].post(
        c, f"/api/v1/extensions/{request_id}/decision", json={"approve": i % 3 != 0, "note": f"第{i}次"}))

    assert codes(answers) == Counter({200: 1, 409: PARALLEL - 1}), two_workers.tail()
    assert {r.json()["error_id"] for r in answers if r.status_code == 409} == {"extension_already_decided"}
    with session_factory() as s:
        request = s.get(ExtensionRequest, request_id)
        due_after = s.scalar(select(Deadline.due_at).where(Deadline.work_order_id == order_id,
                                                           Deadline.kind == "complete", Deadline.status == "open"))
        decisions = s.scalars(select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order_id,
                                                           WorkOrderEvent.action == "decide_extension")).all()
    assert len(decisions) == 1
    moved = due_after - due_before
    if request.status == ExtensionStatus.APPROVED:
        assert moved == dt.timedelta(days=2) and decisions[0].data["approved"] is True
    else:
        assert moved == dt.timedelta(0) and decisions[0].data["approved"] is False


@pytest.mark.parametrize("action", ["sign", "reply", "complete"])
def test_parallel_co_handler_steps_have_one_winner(two_workers, ctx, people, session_factory,  # noqa: F811
                                                   action):
    ticket = dispatched_with_co_handler(two_workers, ctx, people)
    street = sent(two_workers, ctx, people, "street")
    path = f"/api/v1/work-orders/{ticket}/"
    with requests.Session() as client:  # the co-handler walks up to the step being raced
        for before in ["sign", "reply", "complete"][:["sign", "reply", "complete"].index(action)]:
            r = (street.post(client, path + before, data={"result": "已处理"}) if before == "complete"
                 else street.post(client, path + before, json={"text": "已处理"}))
            assert r.status_code == 200, r.text

    def step(c, i):
        if action == "complete":
            return street.post(c, path + action, data={"result": f"协办结果{i}"})
        return street.post(c, path + action, json={"text": f"协办反馈{i}"})

    answers = at_once(PARALLEL, step)

    assert codes(answers) == Counter({200: 1, 409: PARALLEL - 1}), two_workers.tail()
    with session_factory() as s:
        order_id = s.scalar(select(WorkOrder.id).where(WorkOrder.ticket_no == ticket))
        events = s.scalars(select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order_id,
                                                        WorkOrderEvent.action == action)).all()
        share = s.scalars(select(Assignment).where(Assignment.work_order_id == order_id,
                                                   Assignment.role == "co")).one()
    assert len(events) == 1 and events[0].data["co_handler"] is True
    winner = next(r for r in answers if r.status_code == 200)
    assert winner.status_code == 200
    if action != "sign":
        stored = share.reply_text if action == "reply" else share.result
        assert stored == events[0].note
