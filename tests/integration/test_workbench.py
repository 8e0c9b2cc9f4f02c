"""The department workbench in headless Chromium with 1,167 orders in the water company: the views'
counts and paging, filters, emergencies first, a 回退 that asks for confirmation first, and a supervisor's
approval of an extension changing what the department sees; on a desktop and on a 390×844 phone."""

from __future__ import annotations

import os
from pathlib import Path

import httpx2 as httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from hotline.core.db import session_scope
from hotline.core.jobs import InProcessQueue
from hotline.runtime.api import create_app
from tests.bulk import insert_orders
from tests.integration.browser import Screen, chromium, viewport
from tests.integration.conftest import new_order, step
from tests.integration.served import on_a_port
from tests.integration.test_inbox import EXPECTED, specs

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases

PHONE = (390, 844)


@pytest.fixture(scope="module")
def browser():
    b = chromium()
    yield b
    b.quit()


@pytest.fixture
def base(ctx, session_factory):
    with on_a_port(create_app(ctx, queue=InProcessQueue())) as base:
        yield base


@pytest.fixture
def volume(session_factory, ctx) -> list[str]:
    with session_scope(session_factory) as s:
        return insert_orders(s, specs(), ctx.clock.now())


def phone_shot(s: Screen, name: str) -> None:
    """A phone-size screenshot (HOTLINE_SCREENSHOTS), and the page never wider than the phone."""
    assert s.b.execute_script("return document.scrollingElement.scrollWidth <= innerWidth + 1"), name
    shots = os.environ.get("HOTLINE_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        s.b.save_screenshot(str(Path(shots) / f"{name}-390x844.png"))


def rows(s: Screen) -> list:
    return s.all("#orders tr[data-ticket]")


def test_views_count_page_and_filter_a_thousand_orders(base, people, volume, browser):
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    s.login("water", "department.html")
    for view, count in EXPECTED.items():
        s.text(f'[data-count="{view}"]', str(count))
    s.text("#pager", "第 1/49 页 · 共 967 条")
    first = rows(s)[:3]
    assert all("紧急" in r.text for r in first) and "紧急" not in rows(s)[3].text
    assert "还剩" in first[0].find_element(By.CSS_SELECTOR, ".countdown").text
    s.shot("department-inbox")

    s.click("#view-overdue")
    s.text("#pager", "第 1/3 页 · 共 45 条")
    assert len(rows(s)) == 20 and all("超时" in r.text for r in rows(s))
    s.click('#pager [data-go="1"]')
    s.text("#pager", "第 2/3 页")
    page_two = {r.get_attribute("data-ticket") for r in rows(s)}
    assert len(page_two) == 20

    s.click("#view-open")
    s.click("#more-filters summary")
    Select(s.el("#f-tier")).select_by_value("emergency")
    s.text("#pager", "共 3 条")
    s.text('[data-count="to_sign"]', "3")
    s.click("#f-clear")
    s.text("#pager", "共 967 条")
    s.keys("#q", volume[10])
    s.click("#filters button[type=submit]")
    s.text("#pager", "共 1 条")
    assert [r.get_attribute("data-ticket") for r in rows(s)] == [volume[10]]
    assert s.console_errors() == []


def test_a_return_asks_for_confirmation_and_names_its_reason(base, people, api, browser):
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")
    s = Screen(browser, base)
    viewport(browser, *PHONE)
    s.login("water", "department.html")
    s.click(f'tr[data-ticket="{ticket}"]')
    s.text("#ticket", ticket)
    assert not s.b.find_element(By.ID, "inbox").is_displayed()  # on a phone the order takes the screen
    phone_shot(s, "department-order")
    Select(s.el("#return-code")).select_by_value("wrong_place")
    s.keys("#return-reason", "该小区属于开发区供水公司\n请改派")
    s.click("#return-form button")
    s.el("dialog.ask")
    assert "不在本单位辖区" in s.el("dialog.ask").text
    s.click("dialog.ask [data-cancel]")
    state = api.get(f"/api/v1/work-orders/{ticket}", headers=people["water"].headers).json()["state"]
    assert state == "dispatched"
    s.click("#return-form button")
    s.click('dialog.ask button[value="ok"]')
    s.said("已回退")
    story = api.get(f"/api/v1/work-orders/{ticket}/story", headers=people["operator"].headers).json()
    [ret] = [e for e in story["steps"] if e["action"] == "return"]
    assert ret["note"] == "【不在本单位辖区】该小区属于开发区供水公司\n请改派"
    assert ret["data"]["code"] == "wrong_place"
    s.text('[data-count="to_sign"]', "0")
    viewport(browser, 1366, 768)


def test_the_phone_inbox_fits_and_shows_the_emergencies_first(base, people, volume, browser):
    s = Screen(browser, base)
    viewport(browser, *PHONE)
    s.login("water", "department.html")
    s.text('[data-count="to_sign"]', "600")
    assert "紧急" in rows(s)[0].text
    phone_shot(s, "department-inbox")
    s.click("#view-to_sign")
    s.text("#pager", "共 600 条")
    s.click('#pager [data-go="1"]')
    s.text("#pager", "第 2/30 页")
    viewport(browser, 1366, 768)
    with httpx.Client(base_url=base, headers=people["water"].headers) as c:
        assert c.get("/api/v1/inbox", params={"view": "to_sign", "offset": 20}).json()["items"][0]["ticket_no"] \
            == rows(s)[0].get_attribute("data-ticket")


def test_a_supervisors_approval_changes_what_the_department_sees(base, people, api, browser):
    ticket = new_order(api, people["operator"], title="主管道破裂")
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")
    step(api, people["water"], ticket, "sign")
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    s.login("supervisor", "supervisor.html")
    s.live()
    s.text("#ext-count", "0")
    step(api, people["water"], ticket, "extension", {"days": 3, "reason": "需要更换整段主管道"})
    s.text("#ext-count", "1")  # heard live: nobody reloaded the page
    s.text("#extensions", "需要更换整段主管道")
    s.shot("supervisor-approvals")

    s.login("water", "department.html")
    s.text('[data-count="extension"]', "1")
    s.click("#view-extension")
    s.click(f'tr[data-ticket="{ticket}"]')
    s.text("#extension-status", "审批中")

    s.login("supervisor", "supervisor.html")
    s.click('#extensions [data-approve]')
    s.keys("dialog.ask textarea", "同意，请按期办结")
    s.click('dialog.ask button[value="ok"]')
    s.said("已批准")
    s.text("#ext-count", "0")

    viewport(browser, *PHONE)
    s.login("water", "department.html")
    s.text('[data-count="extension"]', "0")
    s.click(f'tr[data-ticket="{ticket}"]')
    s.text("#extension-status", "已批准，同意，请按期办结")
    phone_shot(s, "department-extension")
    viewport(browser, 1366, 768)


def test_sign_reply_and_complete_with_evidence_on_a_phone(base, people, api, browser, tmp_path):
    ticket = new_order(api, people["operator"], title="东关社区停水")
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")
    s = Screen(browser, base)
    viewport(browser, *PHONE)
    s.login("water", "department.html")
    s.click(f'tr[data-ticket="{ticket}"]')
    s.text("#deadlines", "签收时限")
    s.click("#sign")
    s.said("已签收")
    s.keys("#reply-text", "已安排维修人员上门\n预计两小时内恢复")
    s.click("#reply-form button")
    s.said("已反馈")
    s.text("#story", "预计两小时内恢复")
    s.keys("#result", "管道已修复，恢复供水")
    evidence = tmp_path / "photo.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    s.b.find_element(By.ID, "files").send_keys(str(evidence))
    s.click("#complete-form button")
    s.said("已办结")
    s.wait(lambda b: b.find_element(By.ID, "inbox").is_displayed())  # back to the list on a phone
    s.click("#view-done")
    s.text("#orders", ticket)
    phone_shot(s, "department-done")
    viewport(browser, 1366, 768)
