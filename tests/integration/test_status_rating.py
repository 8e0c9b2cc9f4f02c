"""Rating from the citizen's status page: once the order is completed the citizen rates it once (满意/基本满意/
不满意 and words), through the same step as the SMS reply and the signed link; a second rating is refused in
Chinese, a redo takes none until completed again, and the page is rate-limited like the code look-up."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.core.db import session_scope
from hotline.models import Callback, CallbackAttempt, WorkOrder
from tests.integration.browser import Screen, viewport
from tests.integration.conftest import step
from tests.integration.test_workbench import PHONE, base, browser, phone_shot  # noqa: F401 (fixtures)

ZH = {"Accept-Language": "zh-CN"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def completed(api, people, queue) -> tuple[str, str]:
    r = api.post("/api/v1/work-orders", headers=people["operator"].headers, json={
        "title": "停水", "content": "小区停水两天", "category_code": "water.outage", "citizen_phone": "13800138000"})
    ticket, code = r.json()["ticket_no"], r.json()["extraction_code"]
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER", "reason": "水务"})
    finish(api, people, queue, ticket)
    return ticket, code


def finish(api, people, queue, ticket: str) -> None:
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "已安排抢修"})
    assert api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "阀门已修好"},
                    files={"files": ("现场.png", PNG, "image/png")}, headers=people["water"].headers).status_code == 200
    queue.drain()  # the callback is scheduled by a job sent after the completion commits


def status(api, ticket: str, code: str) -> dict:
    r = api.get("/api/v1/public/status", params={"ticket": ticket, "code": code})
    assert r.status_code == 200, r.text
    return r.json()


def rate(api, ticket: str, code: str, verdict: str = "satisfied", **more):
    return api.post("/api/v1/public/rating", json={"ticket": ticket, "code": code, "verdict": verdict, **more},
                    headers=ZH)


def test_a_completed_order_is_rated_once_from_the_status_page(api, people, queue, session_factory):
    ticket, code = completed(api, people, queue)
    assert (status(api, ticket, code)["can_rate"], status(api, ticket, code)["rated"]) == (True, None)
    r = rate(api, ticket, code, "basically_satisfied", process="satisfied", comment="修得挺快")
    assert r.status_code == 200 and r.json()["message"] == "感谢您的评价，我们会继续改进。"
    after = status(api, ticket, code)
    assert (after["can_rate"], after["rated"], after["rated_label"], after["state"]) == \
        (False, "basically_satisfied", "基本满意", "closed")
    again = rate(api, ticket, code, "unsatisfied", comment="改主意了")
    assert again.status_code == 409 and again.json()["message"] == "这件工单已经评价过了，感谢您的反馈"
    with session_scope(session_factory) as s:
        [attempt] = s.scalars(select(CallbackAttempt)).all()  # the same record as a link's rating
        assert (attempt.channel, attempt.mode, attempt.verdict, attempt.process_verdict, attempt.comment) == \
            ("link", "message", "basically_satisfied", "satisfied", "修得挺快")
        assert s.scalar(select(Callback.outcome)) == "basically_satisfied"


def test_no_rating_before_completion_nor_during_a_redo(api, people, queue, session_factory):
    r = api.post("/api/v1/work-orders", headers=people["operator"].headers, json={
        "title": "停水", "content": "小区停水", "category_code": "water.outage", "citizen_phone": "13800138000"})
    ticket, code = r.json()["ticket_no"], r.json()["extraction_code"]
    early = rate(api, ticket, code)
    assert early.status_code == 409 and early.json()["error_id"] == "rating_not_open"
    assert early.json()["message"].startswith("工单办结后才能评价")
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER", "reason": "水务"})
    finish(api, people, queue, ticket)
    assert rate(api, ticket, code, "unsatisfied", comment="还是没水").status_code == 200
    redo = status(api, ticket, code)
    assert (redo["round"], redo["can_rate"], redo["rated"], redo["result"]) == (2, False, None, None)
    during = rate(api, ticket, code)
    assert during.status_code == 409 and during.json()["error_id"] == "rating_not_open"
    finish(api, people, queue, ticket)  # completed again: this round is rated once more
    assert status(api, ticket, code)["can_rate"] is True
    assert rate(api, ticket, code, "satisfied").status_code == 200
    with session_scope(session_factory) as s:
        assert s.scalar(select(WorkOrder.state)) == "closed"


def test_a_rating_needs_the_code_a_verdict_and_is_rate_limited(api, people, queue, session_factory):
    ticket, code = completed(api, people, queue)
    wrong = rate(api, ticket, "000000" if code != "000000" else "111111")
    assert wrong.status_code == 404 and wrong.json()["error_id"] == "case_not_found"
    bad = rate(api, ticket, code, "great")
    assert bad.status_code == 422 and bad.json()["error_id"] == "invalid_verdict"
    assert status(api, ticket, code)["can_rate"] is True  # nothing of the refused ratings stayed
    codes = [rate(api, ticket, code, "nope").status_code for _ in range(20)]
    # Look-ups and ratings share one budget per ticket (ten an hour, as guessing a code would need).
    assert codes == [422] * 7 + [429] * 13
    with session_scope(session_factory) as s:
        assert s.scalars(select(CallbackAttempt)).all() == []


@pytest.mark.one_backend
def test_the_citizen_rates_on_a_phone(base, api, people, queue, browser):  # noqa: F811
    ticket, code = completed(api, people, queue)
    s = Screen(browser, base)
    viewport(browser, *PHONE)
    browser.get(f"{base}/status?ticket={ticket}")
    s.keys("#code", code)
    s.click("#lookup button[type=submit]")
    s.text("#state", "待回访")
    s.click('#rating input[name=verdict][value="unsatisfied"]')
    s.keys("#comment", "水压还是很低")
    phone_shot(s, "status-rating")
    s.click("#rating button[type=submit]")
    s.text("#message", "已收到您的意见")
    s.text("#r-round", "第 2 轮重新办理")
    assert not s.all("#rating")[0].is_displayed()  # no rating during the redo
