"""The supervisor acts from the command centre: 催办, resolving a 督办 with a note, re-dispatching an order
returned twice, drilling down from a number to its orders — and the department sees each at once."""

from __future__ import annotations

import threading

import httpx2 as httpx
import pytest
from selenium.webdriver.support.ui import Select
from sqlalchemy import select

from hotline.core.db import session_scope
from hotline.models import OutboxMessage, Supervision
from tests.integration.browser import Screen, viewport
from tests.integration.conftest import new_order, step
from tests.integration.test_api_telephony import sse_events
from tests.integration.test_workbench import base, browser, rows, volume  # noqa: F401 (fixtures)

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases

ZH = {"Accept-Language": "zh-CN"}


def dispatched(api, people, lead: str = "371500-WATER") -> str:
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": lead, "reason": "按职责"})
    return ticket


def returned_twice(api, people) -> str:
    ticket = dispatched(api, people)
    step(api, people["water"], ticket, "return", {"code": "not_our_duty", "text": "属于物业"})
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-ZJJ", "reason": "改派住建局"})
    step(api, people["housing"], ticket, "return", {"code": "not_our_duty", "text": "属于供水"})
    return ticket


def test_an_urge_reaches_the_lead_department_and_the_story(api, people, session_factory):
    ticket = dispatched(api, people)
    step(api, people["supervisor"], ticket, "urge", {"text": "群众反映强烈，请今日内到场"})
    story = api.get(f"/api/v1/work-orders/{ticket}/story", headers=people["water"].headers).json()
    [urge] = [e for e in story["steps"] if e["action"] == "urge"]
    assert urge["note"] == "群众反映强烈，请今日内到场" and urge["actor_role"] == "supervisor"
    with session_scope(session_factory) as s:
        bodies = [m.body for m in s.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "water"))]
    assert any("催办" in b and "请今日内到场" in b for b in bodies)
    assert api.post(f"/api/v1/work-orders/{ticket}/urge", json={"text": "快"},
                    headers=people["district_supervisor"].headers).status_code == 404  # not his district
    assert api.post(f"/api/v1/work-orders/{ticket}/urge", json={"text": "快"},
                    headers=people["water"].headers).status_code == 403
    step(api, people["water"], ticket, "return", {"code": "not_our_duty", "text": "属于物业"})
    r = api.post(f"/api/v1/work-orders/{ticket}/urge", json={"text": "快"}, headers=people["supervisor"].headers | ZH)
    assert r.status_code == 409 and r.json()["error_id"] == "nothing_to_urge"


def test_a_supervision_is_resolved_once_with_a_note_in_scope(api, people, session_factory):
    ticket = returned_twice(api, people)
    [sup] = api.get("/api/v1/supervisions", headers=people["supervisor"].headers).json()
    assert (sup["kind"], sup["ticket_no"], sup["department"]) == ("arbitration", ticket, "聊城市住房和城乡建设局")
    path = f"/api/v1/supervisions/{sup['id']}/resolve"
    assert api.post(path, json={"text": "x"}, headers=people["district_supervisor"].headers).status_code == 404
    r = api.post(path, json={"text": "经核实属供水管网，已约谈"}, headers=people["supervisor"].headers)
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert api.get("/api/v1/supervisions", headers=people["supervisor"].headers).json() == []
    again = api.post(path, json={"text": "再次"}, headers=people["supervisor"].headers | ZH)
    assert again.status_code == 409 and again.json()["message"] == "这条督办已经办结"
    with session_scope(session_factory) as s:
        row = s.get(Supervision, sup["id"])
        assert (row.status, row.resolution_note) == ("resolved", "经核实属供水管网，已约谈")
    steps = api.get(f"/api/v1/work-orders/{ticket}/story", headers=people["operator"].headers).json()["steps"]
    assert steps[-1]["action"] == "resolve_supervision" and steps[-1]["note"] == "经核实属供水管网，已约谈"


def test_the_department_hears_an_urge_live(base, api, people):  # noqa: F811
    ticket = dispatched(api, people)

    def send():
        def post():
            with httpx.Client(base_url=base, headers=people["supervisor"].headers, timeout=10) as c:
                assert c.post(f"/api/v1/work-orders/{ticket}/urge", json={"text": "请加快"}).status_code == 200
        threading.Timer(0.1, post).start()

    [(event, data)] = sse_events(base, people["water"].headers, send)
    assert (event, data["kind"], data["ticket"], data["text"]) == ("notice", "urge", ticket, "请加快")


def test_the_supervisor_acts_from_the_screen_and_the_department_sees_it(base, api, people, volume, browser):  # noqa: F811
    arbitrated = returned_twice(api, people)
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    s.login("supervisor", "supervisor.html")
    s.text("#overdue-count", "45")
    s.text("#overdue-pager", "第 1/5 页")
    first = s.all("#overdue tr[data-ticket]")[0].get_attribute("data-ticket")
    s.click(f'#overdue [data-urge="{first}"]')
    s.click('dialog.ask button[value="ok"]')
    s.said("催办")
    story = api.get(f"/api/v1/work-orders/{first}/story", headers=people["water"].headers).json()
    assert story["steps"][-1]["action"] == "urge"

    s.click('[data-drill="supervised"]')
    s.text("#drill-title", "共 6 件")  # five overdue in the water company, one arbitration
    s.click('[data-drill="overdue"]')
    s.text("#drill-title", "超期工单 · 共 45 件")
    assert len(s.all("#drill-orders tr[data-ticket]")) == 10

    s.click(f'#supervisions [data-redispatch="{arbitrated}"]')
    Select(s.el("dialog.ask select")).select_by_value("371500-WATER")
    s.keys("dialog.ask textarea", "经裁定，供水管网由水务集团负责")
    s.click('dialog.ask button[value="ok"]')
    s.said("已裁定改派")
    s.wait(lambda b: not b.find_elements("css selector", f'#supervisions [data-redispatch="{arbitrated}"]'))
    before = len(s.all("#supervisions tr[data-supervision]"))
    s.click("#supervisions [data-resolve]")
    s.keys("dialog.ask textarea", "已约谈承办单位负责人")
    s.click('dialog.ask button[value="ok"]')
    s.said("督办已办结")
    s.wait(lambda b: len(b.find_elements("css selector", "#supervisions tr[data-supervision]")) == before - 1)
    s.shot("supervisor-command")

    s.login("water", "department.html")
    s.text('[data-count="supervised"]', "4")
    s.click("#view-to_sign")
    s.keys("#q", arbitrated)
    s.click("#filters button[type=submit]")
    s.text("#pager", "共 1 条")
    assert rows(s)[0].get_attribute("data-ticket") == arbitrated
