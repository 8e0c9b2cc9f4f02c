"""The citizen's status page (/status): Chinese, for a phone, the deadline shown, and only the current
round — during a redo never the result the citizen rejected."""

from __future__ import annotations

import httpx2 as httpx
import pytest

from hotline.callbacks.service import CallbackService
from hotline.core.db import session_scope
from hotline.core.enums import Verdict
from hotline.models import WorkOrder
from tests.factories import CALLBACK
from tests.integration.browser import Screen, viewport
from tests.integration.conftest import step
from tests.integration.test_workbench import PHONE, base, browser, phone_shot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases


def registered(api, people) -> tuple[str, str]:
    r = api.post("/api/v1/work-orders", headers=people["operator"].headers, json={
        "title": "停水", "content": "小区停水两天", "category_code": "water.outage", "citizen_phone": "13800138000"})
    ticket, code = r.json()["ticket_no"], r.json()["extraction_code"]
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER", "reason": "水务"})
    return ticket, code


def status(api, ticket, code) -> dict:
    r = api.get("/api/v1/public/status", params={"ticket": ticket, "code": code})
    assert r.status_code == 200, r.text
    return r.json()


def test_during_a_redo_the_citizen_never_sees_the_rejected_result(api, people, session_factory, ctx, queue):
    ticket, code = registered(api, people)
    first = status(api, ticket, code)
    assert first["department"] == "聊城市水务集团有限公司" and first["round"] == 1
    assert first["due_at"] and first["due_text"].endswith(":00") and "月" in first["due_text"]
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "已安排抢修"})
    assert api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "阀门已修好"},
                    headers=people["water"].headers).status_code == 200
    done = status(api, ticket, code)
    assert (done["result"], done["replies"], done["due_at"]) == ("阀门已修好", ["已安排抢修"], None)
    queue.drain()  # the callback is scheduled by a job sent after the completion commits
    with session_scope(session_factory) as s:
        order_id = s.query(WorkOrder.id).filter(WorkOrder.ticket_no == ticket).scalar()
        CallbackService(s, ctx).record(order_id, CALLBACK, 1, Verdict.UNSATISFIED, comment="还是没水")
    redo = status(api, ticket, code)
    assert redo["round"] == 2 and redo["state_label"] == "已转办"
    assert redo["result"] is None and redo["replies"] == []  # the rejected round is gone from the citizen's view
    assert redo["due_at"] is not None and redo["due_text"]  # the redo's own completion deadline
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "更换整段水管"})
    assert status(api, ticket, code)["replies"] == ["更换整段水管"]


def test_the_status_page_on_a_phone_answers_in_chinese(base, api, people, browser):  # noqa: F811
    ticket, code = registered(api, people)
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "维修人员下午到场\n请家中留人"})
    r = httpx.get(f"{base}/status")
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    assert "<script>" not in r.text
    s = Screen(browser, base)
    viewport(browser, *PHONE)
    browser.get(f"{base}/status?ticket={ticket}")
    assert s.el("#ticket").get_attribute("value") == ticket
    s.keys("#code", "000000")
    s.click("#lookup button")
    s.text("#message", "工单号或提取码不正确")
    browser.get_log("browser")  # the refused look-up's 404 is the browser's own log line, not a page error
    s.el("#code").clear()
    s.keys("#code", code)
    s.click("#lookup button")
    s.text("#state", "已答复")
    s.text("#r-replies", "维修人员下午到场")
    assert "月" in s.el("#r-due").text and s.el("#r-department").text == "聊城市水务集团有限公司"
    assert s.axe() == [] and s.console_errors() == []
    phone_shot(s, "citizen-status")
    viewport(browser, 1366, 768)
