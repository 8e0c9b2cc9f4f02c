"""督办 where the Liaocheng rules put them: an emergency tracked from dispatch until completed, a request that
comes back after 办结 (重复诉求), a complaint about a department's attitude (服务态度) — each naming its
department, with its own deadline, opened once per trigger and order, told to the department and supervisors."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from sqlalchemy import delete, func, select, update

from hotline.callbacks.service import CallbackService
from hotline.core.db import session_scope
from hotline.core.enums import Verdict
from hotline.dispatch.repository import DepartmentRepository
from hotline.dispatch.triggers import SupervisionTriggers
from hotline.models import OutboxMessage, Supervision, WorkOrder, WorkOrderEvent
from tests.factories import CALLBACK
from tests.integration.conftest import new_order, step
from tests.integration.test_api_telephony import sse_events
from tests.integration.test_workbench import base  # noqa: F401 (fixture)

ZH = {"Accept-Language": "zh-CN"}
PARALLEL = 8
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WATER_NAME = "聊城市水务集团有限公司"


def supervisions(api, person, kind: str | None = None) -> list[dict]:
    rows = api.get("/api/v1/supervisions", headers=person.headers).json()
    return [r for r in rows if kind is None or r["kind"] == kind]


def completed(api, people, ticket: str) -> None:
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "已到场处置"})
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "已修复"},
                 files={"files": ("现场.png", PNG, "image/png")}, headers=people["water"].headers)
    assert r.status_code == 200, r.text


def completed_days_ago(session_factory, ticket: str, days: int) -> None:
    """The earlier order was completed `days` ago (moving it back keeps the people's tokens fresh)."""
    with session_scope(session_factory) as s:
        at = s.scalar(select(WorkOrder.completed_at).where(WorkOrder.ticket_no == ticket))
        s.execute(update(WorkOrder).where(WorkOrder.ticket_no == ticket)
                  .values(completed_at=at - dt.timedelta(days=days)))


def dispatched(api, people, lead: str = "371500-WATER", **fields) -> str:
    ticket = new_order(api, people["operator"], **fields)
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": lead, "reason": "按职责"})
    return ticket


def rows_of(session_factory, ticket_kind: str) -> list[Supervision]:
    with session_scope(session_factory) as s:
        rows = list(s.scalars(select(Supervision).where(Supervision.kind == ticket_kind).order_by(Supervision.id)))
        s.expunge_all()
        return rows


def test_an_emergency_is_tracked_once_from_dispatch_and_closes_itself_when_completed(api, people, ctx,
                                                                                     session_factory):
    ticket = dispatched(api, people, category_code="utility.water.burst", title="主管道爆裂")
    [sup] = supervisions(api, people["supervisor"], "emergency")
    assert (sup["ticket_no"], sup["department"]) == (ticket, WATER_NAME)
    assert "紧急工单全程跟踪督办" in sup["note"]
    assert dt.datetime.fromisoformat(sup["due_at"]) == ctx.clock.now() + dt.timedelta(hours=24)
    assert sup["overdue"] is False
    with session_scope(session_factory) as s:  # its own deadline passed (moved, so the tokens stay fresh)
        s.execute(update(Supervision).values(due_at=ctx.clock.now() - dt.timedelta(minutes=1)))
    assert supervisions(api, people["supervisor"], "emergency")[0]["overdue"] is True
    # Returned and dispatched again in the same round: the trigger does not fire a second time.
    step(api, people["water"], ticket, "return", {"code": "not_our_duty", "text": "属于燃气"})
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER", "reason": "核实属供水"})
    assert len(rows_of(session_factory, "emergency")) == 1
    with session_scope(session_factory) as s:
        told = [m.recipient for m in s.scalars(select(OutboxMessage).where(OutboxMessage.subject == f"督办 {ticket}"))]
        assert sorted(set(told)) == ["supervisors", "water"] and len(told) == len(set(told))
        assert s.scalar(select(func.count()).where(WorkOrderEvent.action == "supervise")) == 1
    completed(api, people, ticket)
    assert supervisions(api, people["supervisor"], "emergency") == []
    [row] = rows_of(session_factory, "emergency")
    assert (row.status, row.resolution_note) == ("resolved", "紧急工单已办结，督办自动关闭")
    story = api.get(f"/api/v1/work-orders/{ticket}/story", headers=people["operator"].headers).json()
    assert "close_supervision" in [e["action"] for e in story["steps"]]


def test_an_order_that_is_no_emergency_opens_no_tracking(api, people, session_factory):
    ticket = dispatched(api, people)  # 停水: livelihood
    completed(api, people, ticket)
    assert supervisions(api, people["supervisor"]) == []


def test_a_request_repeated_within_the_window_after_completion_supervises_the_department_that_completed_it(
        api, people, session_factory):
    first = dispatched(api, people)
    completed(api, people, first)
    completed_days_ago(session_factory, first, 10)
    again = new_order(api, people["operator"])  # the same caller, the same leaf
    assert supervisions(api, people["supervisor"], "repeat") == []  # opened at 受理, not at registration
    step(api, people["operator"], again, "accept")
    [sup] = supervisions(api, people["supervisor"], "repeat")
    assert (sup["ticket_no"], sup["department"]) == (again, WATER_NAME)
    assert f"工单 {first} 办结后 10 天内" in sup["note"] and "同一诉求分类" in sup["note"]
    other = new_order(api, people["operator"], citizen_phone="13900139000")  # another caller
    step(api, people["operator"], other, "accept")
    assert len(supervisions(api, people["supervisor"], "repeat")) == 1


def test_a_request_repeated_after_the_window_opens_nothing(api, people, session_factory):
    first = dispatched(api, people)
    completed(api, people, first)
    completed_days_ago(session_factory, first, 31)  # window_days: 30
    again = new_order(api, people["operator"])
    step(api, people["operator"], again, "accept")
    assert supervisions(api, people["supervisor"], "repeat") == []


def test_a_repeat_at_the_same_place_under_another_leaf_counts(api, people, session_factory):
    first = dispatched(api, people)
    completed(api, people, first)
    completed_days_ago(session_factory, first, 2)
    again = new_order(api, people["operator"], category_code="water.quality", title="水质发黄")
    step(api, people["operator"], again, "accept")
    [sup] = supervisions(api, people["supervisor"], "repeat")
    assert "同一地点" in sup["note"]


def test_an_attitude_complaint_names_the_department_it_is_given_to(api, people, session_factory):
    ticket = dispatched(api, people, lead="371502", kind="投诉", category_code="gov.conduct.staff",
                        title="窗口工作人员态度恶劣", place="东昌府区政务服务中心")
    [sup] = supervisions(api, people["supervisor"], "attitude")
    assert (sup["ticket_no"], sup["department"], sup["note"][:6]) == (ticket, "东昌府区", "服务态度投诉")
    # The district's own supervisor sees and resolves it; a 咨询 under the same leaf would open nothing.
    [seen] = supervisions(api, people["district_supervisor"], "attitude")
    r = api.post(f"/api/v1/supervisions/{seen['id']}/resolve", json={"text": "已约谈窗口负责人"},
                 headers=people["district_supervisor"].headers)
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    dispatched(api, people, lead="371502", kind="咨询", category_code="gov.conduct.staff")
    assert len(rows_of(session_factory, "attitude")) == 1


def test_an_attitude_flag_at_acceptance_names_that_department_once(api, people, session_factory):
    ticket = new_order(api, people["operator"])
    r = api.post(f"/api/v1/work-orders/{ticket}/accept", json={"attitude_department": "NOPE"},
                 headers=people["operator"].headers | ZH)
    assert r.status_code == 422 and r.json()["error_id"] == "department_not_found"
    assert api.get(f"/api/v1/work-orders/{ticket}", headers=people["operator"].headers).json()["state"] == "received"
    step(api, people["operator"], ticket, "accept", {"attitude_department": "371500-WATER"})
    [sup] = supervisions(api, people["supervisor"], "attitude")
    assert (sup["department"], sup["note"][:13]) == (WATER_NAME, "服务态度投诉（话务员标记）")
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER"})
    assert len(rows_of(session_factory, "attitude")) == 1


def test_another_districts_supervisor_cannot_see_or_resolve_a_trigger_supervision(api, people):
    dispatched(api, people, category_code="utility.water.burst")
    [sup] = supervisions(api, people["supervisor"], "emergency")
    assert supervisions(api, people["district_supervisor"]) == []
    r = api.post(f"/api/v1/supervisions/{sup['id']}/resolve", json={"text": "越权"},
                 headers=people["district_supervisor"].headers)
    assert r.status_code == 404
    assert supervisions(api, people["supervisor"], "emergency")[0]["status"] == "open"


@pytest.mark.postgres_only
def test_parallel_triggers_for_one_order_open_one_supervision(api, people, ctx, session_factory):
    """Two transactions firing the same trigger at once (the order's lock bypassed): one row, one event,
    one message per recipient — the unique trigger key decides, the loser waits and then does nothing."""
    ticket = dispatched(api, people, category_code="utility.water.burst")
    with session_scope(session_factory) as s:
        s.execute(delete(OutboxMessage).where(OutboxMessage.subject == f"督办 {ticket}"))
        s.execute(delete(Supervision))  # as if the dispatch had not fired it yet
    barrier = threading.Barrier(PARALLEL)

    def fire() -> None:
        with session_scope(session_factory) as s:
            order = s.scalars(select(WorkOrder).where(WorkOrder.ticket_no == ticket)).one()
            lead = DepartmentRepository(s).by_code("371500-WATER")
            barrier.wait()
            SupervisionTriggers(s, ctx).dispatched(order, lead)

    with ThreadPoolExecutor(PARALLEL) as pool:
        for done in [pool.submit(fire) for _ in range(PARALLEL)]:
            done.result()
    assert len(rows_of(session_factory, "emergency")) == 1
    with session_scope(session_factory) as s:
        assert s.scalar(select(func.count()).where(WorkOrderEvent.action == "supervise")) == 2  # dispatch's + one
        assert s.scalar(select(func.count()).where(OutboxMessage.subject == f"督办 {ticket}")) == 2


@pytest.mark.one_backend
def test_the_department_and_the_supervisor_hear_a_new_supervision_live(base, api, people):  # noqa: F811
    def dispatch_emergency() -> None:
        def post() -> None:
            with httpx.Client(base_url=base, headers=people["operator"].headers, timeout=10) as c:
                r = c.post("/api/v1/work-orders", json={"title": "主管道爆裂", "content": "路面冒水",
                                                        "category_code": "utility.water.burst",
                                                        "citizen_phone": "13800138000"})
                ticket = r.json()["ticket_no"]
                assert c.post(f"/api/v1/work-orders/{ticket}/accept").status_code == 200
                assert c.post(f"/api/v1/work-orders/{ticket}/dispatch", json={"lead": "371500-WATER"}).status_code == 200
        threading.Timer(0.1, post).start()

    # The department hears the new order arrive first (its own notice), then the 督办; the supervisor only the 督办.
    for person, count in (("water", 2), ("supervisor", 1)):
        heard = sse_events(base, people[person].headers, dispatch_emergency, count=count)
        [(event, data)] = [(e, d) for e, d in heard if d.get("kind") == "supervision"]
        assert (event, data["kind"], data["supervision_kind"]) == ("notice", "supervision", "emergency")
        assert "紧急工单全程跟踪督办" in data["text"]


def test_a_redone_emergency_is_tracked_again_until_completed_again(api, people, ctx, queue, session_factory):
    ticket = dispatched(api, people, category_code="utility.water.burst")
    completed(api, people, ticket)
    queue.drain()  # the callback is scheduled after the completion commits
    with session_scope(session_factory) as s:
        order_id = s.scalar(select(WorkOrder.id).where(WorkOrder.ticket_no == ticket))
        CallbackService(s, ctx).record(order_id, CALLBACK, 1, Verdict.UNSATISFIED, comment="还在冒水")
    [again] = supervisions(api, people["supervisor"], "emergency")  # the redo round's own tracking
    assert again["department"] == WATER_NAME
    assert [s.status for s in rows_of(session_factory, "emergency")] == ["resolved", "open"]
    completed(api, people, ticket)
    assert supervisions(api, people["supervisor"], "emergency") == []


def test_a_repeat_before_dispatch_is_seen_by_the_supervisor_of_the_department_it_names(api, people,
                                                                                      session_factory):
    first = dispatched(api, people, lead="371502001", place="古楼街道东关社区")  # a street of the district
    step(api, people["street"], first, "sign")
    step(api, people["street"], first, "reply", {"text": "已到场"})
    r = api.post(f"/api/v1/work-orders/{first}/complete", data={"result": "已处理"},
                 files={"files": ("现场.png", PNG, "image/png")}, headers=people["street"].headers)
    assert r.status_code == 200, r.text
    completed_days_ago(session_factory, first, 3)
    again = new_order(api, people["operator"], place="古楼街道东关社区")
    step(api, people["operator"], again, "accept")  # not dispatched: the district cannot read the order itself
    assert api.get(f"/api/v1/work-orders/{again}", headers=people["district_supervisor"].headers).status_code == 404
    [sup] = supervisions(api, people["district_supervisor"], "repeat")
    assert (sup["ticket_no"], sup["department"]) == (again, "古楼街道")
    r = api.post(f"/api/v1/supervisions/{sup['id']}/resolve", json={"text": "已责成街道回访核实"},
                 headers=people["district_supervisor"].headers)
    assert r.status_code == 200 and r.json()["status"] == "resolved"
