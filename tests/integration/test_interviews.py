"""约谈 list: a supervisor calls a department in, from a 督办 or from the ranking; lists and resolves it; every
action audited; a district supervisor sees and acts on its own units only (anything else is not found)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from hotline.core.db import session_scope
from hotline.core.errors import ConflictError
from hotline.dispatch.interviews import InterviewService
from hotline.models import Interview
from tests.factories import ADMIN
from tests.integration.conftest import new_order, step

ZH = {"Accept-Language": "zh-CN"}
PARALLEL = 8


def emergency(api, people, lead: str = "371500-WATER", **fields) -> str:
    ticket = new_order(api, people["operator"], category_code="utility.water.burst", **fields)
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": lead, "reason": "按职责"})
    return ticket


def supervision_of(api, people, ticket: str) -> dict:
    return next(s for s in api.get("/api/v1/supervisions", headers=people["supervisor"].headers).json()
                if s["ticket_no"] == ticket)


def escalate(api, person, body: dict, expect: int = 201) -> dict:
    r = api.post("/api/v1/interviews", json=body, headers=person.headers | ZH)
    assert r.status_code == expect, r.text
    return r.json()


def test_a_department_is_called_in_from_a_supervision_listed_resolved_and_audited(api, people):
    ticket = emergency(api, people)
    sup = supervision_of(api, people, ticket)
    made = escalate(api, people["supervisor"], {"supervision_id": sup["id"], "reason": "紧急工单处置迟缓"})
    assert (made["department"]["code"], made["source"], made["ticket_no"], made["status"]) == \
        ("371500-WATER", "supervision", ticket, "open")
    again = escalate(api, people["supervisor"], {"supervision_id": sup["id"], "reason": "再次"}, 409)
    assert again["error_id"] == "interview_already_open" and again["message"] == "该单位已在约谈名单中，尚未办结"
    [listed] = api.get("/api/v1/interviews", headers=people["supervisor"].headers).json()
    assert listed["id"] == made["id"] and listed["reason"] == "紧急工单处置迟缓"
    path = f"/api/v1/interviews/{made['id']}/resolve"
    r = api.post(path, json={"text": "已约谈分管负责人，限期整改"}, headers=people["supervisor"].headers)
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert api.post(path, json={"text": "再"}, headers=people["supervisor"].headers).json()["error_id"] == \
        "interview_already_resolved"
    assert api.get("/api/v1/interviews", headers=people["supervisor"].headers).json() == []
    [done] = api.get("/api/v1/interviews?status=resolved", headers=people["supervisor"].headers).json()
    assert done["resolution_note"] == "已约谈分管负责人，限期整改"
    log = api.get("/api/v1/audit", params={"object_id": "371500-WATER"}, headers=people["supervisor"].headers).json()
    assert [r["action"] for r in reversed(log)] == ["interview.escalate", "interview.resolve"]
    # Resolved, the department may be called in again.
    escalate(api, people["supervisor"], {"department": "371500-WATER", "ranking_month": "2026-11",
                                         "reason": "11月排名末位"})


def test_a_department_is_called_in_from_the_ranking(api, people):
    made = escalate(api, people["district_supervisor"], {"department": "371502001", "ranking_month": "2026-11",
                                                         "reason": "满意率连续两月排名末位"})
    assert (made["department"]["name"], made["source"], made["ranking_month"], made["ticket_no"]) == \
        ("古楼街道", "ranking", "2026-11", None)


def test_bad_escalations_are_refused_in_chinese_and_change_nothing(api, people):
    sup = supervision_of(api, people, emergency(api, people))
    for body, error in [({"reason": "无来由"}, "interview_source_required"),
                        ({"reason": "两个来由", "supervision_id": sup["id"], "ranking_month": "2026-11"},
                         "interview_source_required"),
                        ({"reason": "没有单位", "ranking_month": "2026-11"}, "interview_department_required"),
                        ({"reason": " ", "department": "371502", "ranking_month": "2026-11"}, "text_required"),
                        ({"reason": "坏月份", "department": "371502", "ranking_month": "2026-13"}, "invalid_period")]:
        r = escalate(api, people["supervisor"], body, 422)
        assert r["error_id"] == error and r["message"]
    assert api.get("/api/v1/interviews?status=all", headers=people["supervisor"].headers).json() == []


def test_another_districts_supervisor_cannot_see_or_act(api, people):
    sup = supervision_of(api, people, emergency(api, people))  # the water company: a city agency
    district = people["district_supervisor"]
    assert escalate(api, district, {"supervision_id": sup["id"], "reason": "越权"}, 404)["error_id"] == \
        "supervision_not_found"
    assert escalate(api, district, {"department": "371500-WATER", "ranking_month": "2026-11", "reason": "越权"},
                    404)["error_id"] == "interview_department_not_found"
    made = escalate(api, people["supervisor"], {"supervision_id": sup["id"], "reason": "处置迟缓"})
    assert api.get("/api/v1/interviews", headers=district.headers).json() == []
    r = api.post(f"/api/v1/interviews/{made['id']}/resolve", json={"text": "越权"}, headers=district.headers)
    assert r.status_code == 404 and r.json()["error_id"] == "interview_not_found"
    assert api.post("/api/v1/interviews", json={"department": "371502", "ranking_month": "2026-11", "reason": "x"},
                    headers=people["water_admin"].headers).status_code == 403


@pytest.mark.postgres_only
def test_parallel_escalations_of_one_department_leave_one_interview(session_factory, ctx):
    """Supervisors calling the same department in at once: the partial unique index keeps one open row; every
    other request is refused with interview_already_open, not a 500."""
    barrier = threading.Barrier(PARALLEL)

    def escalate_now() -> str:
        try:
            with session_scope(session_factory) as s:
                service = InterviewService(s, ctx.clock)
                barrier.wait()
                service.escalate(ADMIN, "11月排名末位", department="371500-WATER", ranking_month="2026-11")
            return "made"
        except ConflictError as exc:
            return exc.error_id

    with ThreadPoolExecutor(PARALLEL) as pool:
        outcomes = Counter(pool.map(lambda _: escalate_now(), range(PARALLEL)))
    assert outcomes == {"made": 1, "interview_already_open": PARALLEL - 1}
    with session_scope(session_factory) as s:
        assert s.scalar(select(func.count()).select_from(Interview)) == 1
