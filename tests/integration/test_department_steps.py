"""The order page's rules for a department: 回退 names a reason code from config, a category that asks
for evidence is not completed without it, and the whole story shows the redo's 不满意 words."""

from __future__ import annotations

from hotline.callbacks.service import CallbackService
from hotline.core.db import session_scope
from hotline.core.enums import State, Verdict
from tests.factories import CALLBACK, order_in
from tests.integration.conftest import new_order, step

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ZH = {"Accept-Language": "zh-CN"}


def dispatched(api, people, **fields) -> str:
    ticket = new_order(api, people["operator"], **fields)
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER", "reason": "供水管网造成路面塌陷"})
    return ticket


def test_a_return_takes_a_reason_code_from_config_and_refuses_an_unknown_one(api, people):
    reasons = api.get("/api/v1/return-reasons").json()
    assert {"code": "not_our_duty", "name": "不属于本单位职责"} in reasons
    ticket = dispatched(api, people)
    r = api.post(f"/api/v1/work-orders/{ticket}/return", json={"code": "bored", "text": "不想办"},
                 headers=people["water"].headers | ZH)
    assert r.status_code == 422 and r.json()["error_id"] == "return_reason_unknown" and "回退原因" in r.json()["message"]
    assert api.get(f"/api/v1/work-orders/{ticket}", headers=people["water"].headers).json()["state"] == "dispatched"
    step(api, people["water"], ticket, "return", {"code": "not_our_duty", "text": "属于开发区水务"})
    [event] = [e for e in api.get(f"/api/v1/work-orders/{ticket}/events", headers=people["operator"].headers).json()
               if e["action"] == "return"]
    assert event["note"] == "【不属于本单位职责】属于开发区水务" and event["data"]["code"] == "not_our_duty"


def test_a_category_that_asks_for_evidence_is_not_completed_without_it(api, people):
    ticket = dispatched(api, people, category_code="city.road", title="路面塌陷")  # 道路破损
    water = people["water"]
    assert api.get(f"/api/v1/work-orders/{ticket}", headers=water.headers).json()["evidence_required"] is True
    step(api, water, ticket, "sign")
    step(api, water, ticket, "reply", {"text": "已派人到场\n设置围挡"})
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "已修复"}, headers=water.headers | ZH)
    assert r.status_code == 422 and r.json()["error_id"] == "evidence_required" and "佐证材料" in r.json()["message"]
    detail = api.get(f"/api/v1/work-orders/{ticket}", headers=water.headers).json()
    assert detail["state"] == "replied" and detail["completed_at"] is None
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "路面已修复\n已撤除围挡"},
                 files={"files": ("现场.png", PNG, "image/png")}, headers=water.headers)
    assert r.status_code == 200, r.text
    detail = api.get(f"/api/v1/work-orders/{ticket}", headers=water.headers).json()
    assert detail["result"] == "路面已修复\n已撤除围挡"  # multi-line kept as written
    plain = dispatched(api, people)  # 停水 asks for no photos
    assert api.get(f"/api/v1/work-orders/{plain}", headers=water.headers).json()["evidence_required"] is False


def test_the_department_reads_the_redo_words_in_the_story(api, people, session_factory, ctx):
    with session_scope(session_factory) as s:
        order = order_in(State.CALLBACK_PENDING, s, ctx)
        CallbackService(s, ctx).record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment="还是没有水，家里老人等着用")
        ticket = order.ticket_no
    story = api.get(f"/api/v1/work-orders/{ticket}/story", headers=people["water"].headers).json()
    assert [r["words"] for r in story["redos"]] == ["还是没有水，家里老人等着用"]
    actions = [e["action"] for e in story["steps"]]
    assert actions[:3] == ["create", "accept", "dispatch"] and actions[-1] == "redo"
    inbox = api.get("/api/v1/inbox", params={"view": "to_sign"}, headers=people["water"].headers).json()
    [row] = [o for o in inbox["items"] if o["ticket_no"] == ticket]
    assert row["redo_count"] == 1 and row["supervised"] is False


def test_a_second_unsatisfied_raises_a_supervision_that_names_the_department(api, people, session_factory, ctx, queue):
    with session_scope(session_factory) as s:
        order = order_in(State.CALLBACK_PENDING, s, ctx)
        CallbackService(s, ctx).record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment="还是没有水")
        ticket = order.ticket_no
    for action, body in (("sign", None), ("reply", {"text": "再次抢修"})):
        step(api, people["water"], ticket, action, body)
    assert api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "已更换水表"},
                    headers=people["water"].headers).status_code == 200
    queue.drain()  # the callback is scheduled by a job sent after the completion commits
    with session_scope(session_factory) as s:
        CallbackService(s, ctx).record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment="水压还是很低")
    [redo] = [x for x in api.get("/api/v1/supervisions", headers=people["supervisor"].headers).json()
              if x["kind"] == "redo"]
    assert redo["ticket_no"] == ticket and redo["department"] == "聊城市水务集团有限公司"
    inbox = api.get("/api/v1/inbox", params={"view": "supervised"}, headers=people["water"].headers).json()
    assert [o["ticket_no"] for o in inbox["items"]] == [ticket]
    assert api.get("/api/v1/inbox", params={"view": "supervised"},
                   headers=people["housing"].headers).json()["total"] == 0
