"""The callback desk and statistics over HTTP: the whole loop from completion to the numbers moving."""

from __future__ import annotations

from hotline.core import security
from tests.integration.conftest import new_order, step


def complete(api, person, ticket):
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "管道已修复"}, headers=person.headers)
    assert r.status_code == 200, r.text


def worked_order(api, people) -> str:
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept", {"tier": "livelihood"})
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER"})
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "已安排抢修"})
    complete(api, people["water"], ticket)
    return ticket


def signed_in_again(ctx, people) -> None:
    for person in people.values():
        token, _ = security.issue(ctx.secret, person.user_id, "access", ctx.clock.now())
        person.headers["Authorization"] = f"Bearer {token}"


def test_completed_order_is_called_back_and_unsatisfied_goes_back_to_the_department(api, people, queue, ctx):
    ticket = worked_order(api, people)
    queue.drain()  # the scheduling job sent after completion
    desk = people["callback"].headers
    assert api.get("/api/v1/callbacks/due", headers=desk).json() == []  # the citizen may rate by message first
    ctx.clock.advance(hours=24)  # no rating came within the reply window: the desk calls
    signed_in_again(ctx, people)
    due = api.get("/api/v1/callbacks/due", headers=desk).json()
    assert [c["ticket_no"] for c in due] == [ticket] and due[0]["next_attempt"] == 1
    taken = api.post("/api/v1/callbacks/next", headers=desk).json()
    assert taken["callback"]["ticket_no"] == ticket
    assert taken["order"]["citizen"]["phone"] == "13800138000"  # the desk must be able to call
    r = api.post(f"/api/v1/callbacks/{ticket}/attempts", headers=desk,
                 json={"attempt": 1, "verdict": "unsatisfied", "process": "basically_satisfied", "comment": "还是没水"})
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "dispatched" and r.json()["outcome"] == "unsatisfied"
    again = api.post(f"/api/v1/callbacks/{ticket}/attempts", headers=desk, json={"attempt": 1, "verdict": "satisfied"})
    assert again.status_code == 409
    order = api.get(f"/api/v1/work-orders/{ticket}", headers=people["water"].headers).json()
    assert order["redo_count"] == 1 and "sign" in order["allowed_actions"]
    history = api.get(f"/api/v1/callbacks/{ticket}", headers=desk).json()
    assert [(a["attempt"], a["verdict"], a["process"]) for a in history["attempts"]] == \
        [(1, "unsatisfied", "basically_satisfied")]
    assert api.post("/api/v1/callbacks/next", headers=desk).json() == {"callback": None, "order": None}

    rates = api.get("/api/v1/stats/rates?from=2026-11-23&to=2026-11-24", headers=people["supervisor"].headers).json()
    assert rates["counts"]["completed"] == 1 and rates["counts"]["unsatisfied"] == 1
    assert rates["counts"]["dispatched"] == 2  # the first dispatch and the redo
    assert rates["rates"]["satisfaction_rate"] == 0.0 and rates["rates"]["process_satisfaction_rate"] == 1.0


def test_unreachable_attempt_reports_when_to_try_again(api, people, queue):
    ticket = worked_order(api, people)
    queue.drain()
    r = api.post(f"/api/v1/callbacks/{ticket}/attempts", headers=people["callback"].headers,
                 json={"attempt": 1, "verdict": "unreachable"})
    assert r.status_code == 201 and r.json()["state"] == "callback_pending"
    assert r.json()["next_attempt_at"].startswith("2026-11-24T01:00:00")  # Tuesday 09:00 local


def test_bad_callback_and_stats_requests_get_clear_errors(api, people, queue):
    ticket = worked_order(api, people)
    queue.drain()
    desk = people["callback"].headers
    for body in ({"attempt": 1, "verdict": "great"}, {"attempt": 1, "verdict": "unsatisfied"}, {"attempt": 0,
                                                                                              "verdict": "satisfied"}):
        r = api.post(f"/api/v1/callbacks/{ticket}/attempts", headers=desk, json=body)
        assert r.status_code == 422, body
    assert api.get(f"/api/v1/callbacks/{ticket}", headers=desk).json()["attempts"] == []
    boss = people["supervisor"].headers
    assert api.get("/api/v1/stats/rates?from=2026-11-30&to=2026-11-01", headers=boss).status_code == 422
    assert api.get("/api/v1/stats/ranking?month=2026-13", headers=boss).status_code == 422
    assert api.get("/api/v1/stats/rates?department=NOPE", headers=boss).status_code == 404
    r = api.get("/api/v1/stats/rates?department=371500-WATER", headers=people["district_supervisor"].headers)
    assert r.status_code == 403 and "outside your scope" in r.json()["message"]


def test_ranking_csv_and_department_admin_sees_own_numbers(api, people, queue):
    worked_order(api, people)
    r = api.get("/api/v1/stats/ranking.csv?month=2026-11", headers=people["admin"].headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("rank,code,name,score,volume")
    water = next(line for line in lines if ",371500-WATER," in line)
    assert water.split(",")[4] == "1"  # one dispatched order; below the minimum, so no rank
    mine = api.get("/api/v1/stats/rates", headers=people["water_admin"].headers).json()
    assert mine["department"]["code"] == "371500-WATER" and mine["counts"]["completed"] == 1
