"""The workbench live and across units in headless Chromium: an emergency, a 催办 and a 督办 ring and notify;
a street forwards (下派) to its community, which replies up; the operator's order drawer carries 内部沟通."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.integration.browser import Screen, viewport
from tests.integration.conftest import step
from tests.integration.test_department_steps import dispatched
from tests.integration.test_workbench import PHONE, base, browser, phone_shot  # noqa: F401 (fixtures)
from tests.integration.test_workbench_order import enter, open_order

pytestmark = pytest.mark.one_backend


FAKE_NOTIFICATIONS = """
window.__notified = []; window.__played = [];
class FakeNotification extends EventTarget {
  constructor(title, options) { super(); this.title = title; this.options = options; window.__notified.push(this); }
  close() {}
}
FakeNotification.permission = "default";
FakeNotification.requestPermission = async () => { FakeNotification.permission = "granted"; return "granted"; };
window.Notification = FakeNotification;
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  if (!this.muted) window.__played.push(this.src);
  return play.call(this);
};
"""


def test_an_emergency_an_urge_and_a_supervision_ring_and_notify(base, people, api, browser, ctx,  # noqa: F811
                                                                  session_factory):
    from hotline.core.db import session_scope
    from hotline.dispatch.repository import DepartmentRepository
    from hotline.live.events import DepartmentNotice
    with session_scope(session_factory) as db:
        water_id = DepartmentRepository(db).by_code("371500-WATER").id
    s = Screen(browser, base)
    viewport(browser, *PHONE)
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FAKE_NOTIFICATIONS})
    s_id = script["identifier"]
    try:
        enter(s, "water")
        s.live()
        s.click("#alerts-on")  # the user gesture that asks for permission
        s.wait(lambda b: not b.find_element(By.ID, "alerts-on").is_displayed())
        notified = lambda: s.b.execute_script("return window.__notified.map((n) => n.title)")  # noqa: E731
        plain = dispatched(api, people)  # an ordinary order: the inbox reloads, nothing rings
        s.text("#orders", plain)
        assert notified() == [] and s.b.execute_script("return window.__played") == []
        emergency = dispatched(api, people, title="水管爆裂 水淹道路", tier="emergency")
        s.wait(lambda b: len(notified()) == 1)
        assert notified() == [f"紧急新工单：工单 {emergency}"]
        assert s.b.execute_script("return window.__played")[-1].endswith("/console/alert.wav")
        assert s.b.find_element(By.TAG_NAME, "body").get_attribute("data-alerts") == "1"
        s.said("紧急新工单")
        step(api, people["supervisor"], plain, "urge", {"text": "请今天处理完毕"})
        s.wait(lambda b: len(notified()) == 2)
        assert notified()[1] == f"催办：工单 {plain}"
        assert s.b.execute_script("return window.__notified[1].options.body") == "请今天处理完毕"
        ctx.live.publish(DepartmentNotice(water_id, "supervised", plain, "已超过办结时限，已转督办"))
        s.wait(lambda b: len(notified()) == 3)
        assert notified()[2] == f"督办：工单 {plain}"
        ctx.live.publish(DepartmentNotice(water_id, "supervision_resolved", plain, "已核实"))
        s.said("督办已办结")
        assert len(notified()) == 3  # news, not an alarm
        phone_shot(s, "department-alert")
        s.b.execute_script("window.__notified[0].dispatchEvent(new Event('click'))")  # the notification opens it
        s.text("#ticket", emergency)
        assert len(s.b.execute_script("return window.__played")) == 3
        assert s.console_errors() == []
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": s_id})
        viewport(browser, 1366, 768)


def test_a_street_forwards_to_its_community_which_replies_up_on_a_phone(base, people, api, browser,  # noqa: F811
                                                                          session_factory, ctx):
    import datetime as dt

    from selenium.webdriver.support.ui import Select

    from tests.integration.test_sub_units import COMMUNITY, at_street, complete_due, person
    community = person(session_factory, ctx, "mishijie", COMMUNITY)
    ticket = at_street(api, people)
    wall = (complete_due(api, people["street"], ticket) - dt.timedelta(days=1)).astimezone(
        dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M")
    s = Screen(browser, base)
    viewport(browser, *PHONE)
    enter(s, "street")
    open_order(s, ticket)
    Select(s.el("#forward-unit")).select_by_value(COMMUNITY)
    s.b.execute_script("arguments[0].value = arguments[1]", s.el("#forward-due"), wall)
    s.keys("#forward-note", "请社区今天组织清运")
    phone_shot(s, "department-forward")
    assert s.axe() == []
    s.click("#forward-form button")
    s.said("已下派给")
    s.text("#story", "米市街社区")
    assert community.username == "mishijie"
    enter(s, "mishijie")
    s.text('[data-count="to_sign"]', "1")
    open_order(s, ticket, "to_sign")
    s.text("#deadlines", "下派时限")
    assert not s.b.find_element(By.ID, "complete-form").is_displayed()
    assert not s.b.find_element(By.ID, "return-form").is_displayed()
    assert not s.b.find_element(By.ID, "forward-form").is_displayed()
    s.click("#sign")
    s.said("已签收")
    s.text("#reply-label", "报上级单位")
    s.keys("#reply-text", "已组织保洁员清运完毕")
    s.click("#reply-form button")
    s.said("已反馈")
    sub = next(a for a in api.get(f"/api/v1/work-orders/{ticket}/story", headers=people["street"].headers)
               .json()["assignments"] if a["role"] == "sub")
    assert sub["status"] == "replied" and sub["reply"] == "已组织保洁员清运完毕"
    assert s.console_errors() == []
    viewport(browser, 1366, 768)


def test_the_operator_reads_and_writes_notes_in_the_order_drawer_live(base, people, api, browser):  # noqa: F811
    ticket = dispatched(api, people, title="东关社区停水")
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    s.login("operator", "operator.html")
    s.b.get_log("browser")
    s.live()
    s.click("#tab-mine")
    s.click(f'#list tr[data-ticket="{ticket}"]')
    s.text("dialog.drawer .notes-list", "还没有沟通记录")
    s.keys("dialog.drawer .note-form textarea", "市民下午再次来电催促")
    s.click("dialog.drawer .note-form button")
    s.text("dialog.drawer .notes-list", "市民下午再次来电催促")
    [note] = api.get(f"/api/v1/work-orders/{ticket}/notes", headers=people["water"].headers).json()
    assert note["side"] == "12345热线" and note["text"] == "市民下午再次来电催促"
    r = api.post(f"/api/v1/work-orders/{ticket}/notes", json={"text": "维修队已出发，预计一小时到"},
                 headers=people["water"].headers)
    assert r.status_code == 201
    s.text("dialog.drawer .notes-list", "预计一小时到")  # heard live in the open drawer
    s.said("承办单位在工单")
    s.click("dialog.drawer [data-close]")
    assert s.console_errors() == []
