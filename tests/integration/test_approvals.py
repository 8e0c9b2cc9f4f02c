"""Extensions go somewhere: supervisors list what waits in their scope, decide it, and hear of it live;
the department hears the decision and sees its inbox change."""

from __future__ import annotations

import datetime as dt
import threading

import httpx2 as httpx

from tests.integration.conftest import new_order, step
from tests.integration.test_api_telephony import sse_events
from tests.integration.test_workbench import base  # noqa: F401 (the fixture)


def signed_order(api, people) -> str:
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")
    step(api, people["water"], ticket, "sign")
    return ticket


def pending(api, person) -> dict:
    r = api.get("/api/v1/extensions", headers=person.headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_pending_extensions_are_listed_in_scope_and_leave_the_list_once_decided(api, people):
    ticket = signed_order(api, people)
    step(api, people["water"], ticket, "extension", {"days": 3, "reason": "需要更换主管道"})
    due_before = api.get(f"/api/v1/work-orders/{ticket}", headers=people["water"].headers).json()["deadlines"]
    [item] = pending(api, people["supervisor"])["items"]
    assert (item["ticket_no"], item["department"], item["days"], item["reason"]) == (
        ticket, "聊城市水务集团有限公司", 3, "需要更换主管道")
    complete_due = next(d["due_at"] for d in due_before if d["kind"] == "complete" and d["status"] == "open")
    assert item["due_at"] == complete_due
    assert pending(api, people["district_supervisor"]) == {"items": [], "total": 0}  # not his district
    assert api.get("/api/v1/extensions", headers=people["water"].headers).status_code == 403
    inbox = api.get("/api/v1/inbox", params={"view": "extension"}, headers=people["water"].headers).json()
    assert [o["ticket_no"] for o in inbox["items"]] == [ticket]

    r = api.post(f"/api/v1/extensions/{item['id']}/decision", json={"approve": True, "note": "同意"},
                 headers=people["supervisor"].headers)
    assert r.status_code == 200, r.text
    assert pending(api, people["supervisor"])["total"] == 0
    inbox = api.get("/api/v1/inbox", params={"view": "extension"}, headers=people["water"].headers).json()
    assert inbox["total"] == 0 and inbox["counts"]["extension"] == 0
    after = api.get(f"/api/v1/work-orders/{ticket}", headers=people["water"].headers).json()["deadlines"]
    moved = next(d["due_at"] for d in after if d["kind"] == "complete" and d["status"] == "open")
    assert dt.datetime.fromisoformat(moved) - dt.datetime.fromisoformat(complete_due) == dt.timedelta(days=3)


def test_supervisors_hear_a_request_live_and_the_department_hears_the_decision(base, api, people):  # noqa: F811
    ticket = signed_order(api, people)

    sent: list[threading.Timer] = []

    def later(person, path: str, body: dict):
        """Send once the stream is open (from another thread, as another person's browser would)."""
        def send():
            with httpx.Client(base_url=base, headers=person.headers, timeout=10) as c:
                assert c.post(path, json=body).status_code == 200
        sent.append(threading.Timer(0.1, send))
        sent[-1].start()

    def ask():
        later(people["water"], f"/api/v1/work-orders/{ticket}/extension", {"days": 2, "reason": "等待配件"})

    [(event, data)] = sse_events(base, people["supervisor"].headers, ask)
    assert event == "extension" and data["status"] == "pending" and "ticket" not in data
    request_id = data["request_id"]
    sent[-1].join(10)  # the request has answered: its event has reached every channel, the department's too

    def decide():
        later(people["supervisor"], f"/api/v1/extensions/{request_id}/decision",
              {"approve": False, "note": "可先临时供水"})

    [(event, data)] = sse_events(base, people["water"].headers, decide)
    assert (event, data["status"]) == ("extension", "refused")
    story = api.get(f"/api/v1/work-orders/{ticket}/story", headers=people["water"].headers).json()
    assert [(x["status"], x["note"]) for x in story["extensions"]] == [("refused", "可先临时供水")]
