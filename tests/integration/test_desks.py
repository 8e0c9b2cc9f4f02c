"""The operator's desk in Chromium with the console's default settings, against the API on a real port
with the simulated PBX and the real AMI listener: a new operator binds their phone once, takes a call
that pops, dispatches it in one step, reads the extraction code out, finds the state again after a
reload, finishes wrap-up; works the waiting and returned lists; merges a duplicate, attaches a caller to
an incident, closes an invalid call; all by keyboard where it matters, at 1366×768 without scrolling."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.integration.browser import Screen, chromium
from tests.integration.test_api_telephony import ANSWERED, served  # noqa: F401 (the fixture)

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases

CALLER = "13800138000"  # the caller in the captured call
WATER = "东关社区停水了，已经两天了，请尽快派人处理"


@pytest.fixture(scope="module")
def browser():
    b = chromium()
    yield b
    b.quit()


def http(base: str, person) -> httpx.Client:
    return httpx.Client(base_url=base, headers={**person.headers, "Accept-Language": "zh-CN"}, timeout=10)


def register(base: str, person, **fields) -> str:
    body = {"outcome": "register", "content": "小区停水，东关社区，请处理", "category_code": "water.outage",
            "place": "东昌府区古楼街道东关社区", "citizen_phone": "13900139000", **fields}
    with http(base, person) as c:
        r = c.post("/api/v1/desk/intake", json=body)
        assert r.status_code == 201, r.text
        return r.json()["ticket_no"]


def test_a_new_operator_takes_a_call_dispatches_it_in_one_step_and_wraps_up(served, people, pbx, browser):  # noqa: F811
    ctx, base, listener = served
    s = Screen(browser, base)
    s.login("operator", "operator.html")
    assert s.text("#agent-state", "未签入")
    # First sign-in: the account has no phone yet; it is asked once and remembered.
    s.click("#join")
    s.el("dialog input[name=extension]").clear()
    s.keys("dialog input[name=extension]", "PJSIP/1001", Keys.ENTER)
    s.text("#agent-state", "空闲")
    assert ("hotline-queue", "PJSIP/1001") in pbx.members
    s.live()
    pbx.play(ANSWERED, at=ctx.clock.now())  # rings whoever is signed in: this operator
    s.text("#pop-body", CALLER)
    s.text("#agent-state", "话后处理")  # the captured call is short: it has ended already
    assert pbx.members[("hotline-queue", "PJSIP/1001")].paused  # no call rings during wrap-up
    assert s.el("#phone").get_attribute("value") == CALLER
    s.keys("#content", WATER)
    s.wait(lambda b: b.find_element(By.ID, "category").get_attribute("value") == "utility.water.outage")
    assert s.el("#department").get_attribute("value") == "聊城市水务集团有限公司"
    assert "停水" in browser.find_element(By.ID, "reasons").get_attribute("textContent")
    assert s.fits() and s.visible_in_viewport("#dispatch")
    s.shot("operator-call")
    s.keys("#content", Keys.ALT, "d")  # 受理并派单 by keyboard
    s.said("已受理并派单")
    ticket = s.el("#code [data-ticket-no]").text
    code = s.el("#code [data-code]").text
    assert len(code) == 6 and code.isdigit()
    s.shot("operator-code")
    s.click("#code [data-told]")
    assert not s.all("#code [data-code]")  # gone once told
    with http(base, people["operator"]) as c:
        order = c.get(f"/api/v1/work-orders/{ticket}").json()
        assert order["state"] == "dispatched" and order["call_linkedid"]
        assert order["assignments"][0]["department_code"] == "371500-WATER"
        assert [e["action"] for e in c.get(f"/api/v1/work-orders/{ticket}/events").json()] == ["create", "accept", "dispatch"]
    # A reload shows the same state and caller; 完成话后处理 takes calls again.
    browser.refresh()
    s.text("#agent-state", "话后处理")
    s.text("#pop-body", CALLER)
    assert s.el("#agent-ext").text == "分机 PJSIP/1001"
    s.keys("#content", Keys.ALT, "r")
    s.text("#agent-state", "空闲")
    assert not pbx.members[("hotline-queue", "PJSIP/1001")].paused
    s.text("[data-today=calls] dd", "1")
    s.text("[data-today=dispatched] dd", "1")
    assert s.axe() == []
    assert s.console_errors() == []


def test_a_matter_the_centre_answers_itself_suggests_answering_directly_not_a_department(served, people, browser):  # noqa: F811
    _ctx, base, _listener = served
    s = Screen(browser, base)
    s.login("operator", "operator.html")
    s.keys("#content", "你们这个热线一直占线，打了一上午都打不进来")
    s.wait(lambda b: b.find_element(By.ID, "category").get_attribute("value") == "other.general.hotline")
    assert "suggested" in s.el("#answer").get_attribute("class").split()
    assert s.el("#department").get_attribute("value") == ""  # nothing to dispatch to
    assert "直接答复，不派单" in browser.find_element(By.ID, "reasons").get_attribute("textContent")
    s.el("#content").clear()
    s.keys("#content", WATER)  # a department's matter: dispatched as before
    s.wait(lambda b: b.find_element(By.ID, "department").get_attribute("value") == "聊城市水务集团有限公司")
    assert "suggested" not in s.el("#answer").get_attribute("class").split()
    assert s.console_errors() == []


def test_waiting_and_returned_lists_update_live_and_a_changed_department_needs_a_reason(served, people, browser):  # noqa: F811
    ctx, base, listener = served
    s = Screen(browser, base)
    first = register(base, people["admin"], outcome="register")  # accepted: not waiting
    s.login("operator", "operator.html")
    s.live()
    with http(base, people["operator"]) as c:  # an online submission arrives while the desk is open
        r = c.post("/api/v1/work-orders", json={"title": "网上来件", "content": "幸福小区物业不修电梯", "channel": "web",
                                                "citizen_phone": "13700137000", "category_code": "housing.property"})
        waiting = r.json()["ticket_no"]
    s.text("[data-count=waiting]", "1")
    row = s.el(f'#list tr[data-ticket="{waiting}"]')
    assert "还剩 30 分" in row.text  # the 30-minute acceptance countdown
    row.send_keys(Keys.ENTER)
    s.text("#draft-ticket", waiting)
    assert s.el("#content").get_attribute("value") == "幸福小区物业不修电梯"
    s.wait(lambda b: b.find_element(By.ID, "department").get_attribute("value") == "聊城市住房和城乡建设局")
    # Another department from the searchable tree, by pinyin initials: it asks for the reason.
    dept = s.el("#department")
    dept.clear()
    dept.send_keys("sw")
    s.text("#department-list", "聊城市水务集团有限公司")
    dept.send_keys(Keys.ENTER)
    s.keys("#content", Keys.ALT, "d")
    s.text("#message", "改派理由")
    s.keys("#reason", "电梯归水务集团下属物业公司管理")
    s.keys("#reason", Keys.ALT, "d")
    s.said(f"工单 {waiting} 已受理并派单")
    s.text("[data-count=waiting]", "0")
    # The department returns it: it appears on 被回退 at once.
    with http(base, people["water"]) as c:
        assert c.post(f"/api/v1/work-orders/{waiting}/return", json={"text": "不归我单位管理"}).status_code == 200
    s.text("[data-count=returned]", "1")
    s.keys("#content", Keys.ALT, "2")
    s.click(f'#list tr[data-ticket="{waiting}"]')
    s.text("#draft-ticket", "被回退")
    s.wait(lambda b: b.find_element(By.ID, "department").get_attribute("value") == "聊城市住房和城乡建设局")
    s.click("#dispatch")
    s.said(f"工单 {waiting} 已受理并派单")
    # 我的工单: search by phone; a row opens the order's story.
    s.keys("#content", Keys.ALT, "3")
    s.keys("#search-phone", "7000", Keys.ENTER)  # the end of the number is enough
    s.click(f'#list tr[data-ticket="{waiting}"]')
    story = s.el("dialog.drawer .story").text
    assert "回退" in story and "不归我单位管理" in story and "派单" in story
    assert first not in s.el("#list").text
    s.shot("operator-story")
    s.click("dialog.drawer [data-close]")


def test_a_duplicate_an_incident_and_an_invalid_call_each_take_one_click(served, people, browser):  # noqa: F811
    ctx, base, listener = served
    s = Screen(browser, base)
    mine = register(base, people["admin"], outcome="dispatch", citizen_phone="13600136000")
    neighbour = register(base, people["admin"], outcome="dispatch", citizen_phone="13500135000",
                         content="东关社区水管爆了，整条街停水")
    s.login("operator", "operator.html")
    # The same caller again about the same thing: merged as a duplicate.
    s.keys("#phone", "13600136000")
    s.keys("#place", "东昌府区古楼街道东关社区")
    s.keys("#content", "东关社区还是停水，上次打过电话了")
    s.text("#flags", f"合并到 {mine}")
    s.click(f'#flags [data-duplicate="{mine}"]')
    s.said("已合并为重复件")
    # Another citizen about the burst main: attached to the incident, counted.
    s.keys("#phone", "13400134000")
    s.keys("#place", "东昌府区古楼街道东关社区")
    s.keys("#content", "东关社区停水了，是不是水管爆了")
    s.text("#flags", f"并案到 {neighbour}")
    s.shot("operator-incident")
    s.click(f'#flags [data-incident="{neighbour}"]')
    s.said("已并案")
    with http(base, people["supervisor"]) as c:
        incidents = c.get("/api/v1/incidents").json()
        assert [(i["ticket_no"], i["callers"]) for i in incidents["items"]] == [(neighbour, 2)]
        story = c.get(f"/api/v1/work-orders/{neighbour}/story").json()
        assert [x["phone"] for x in story["incident"]["callers"]] == ["13400134000"]
    # A prank: 无效 asks for the reason in a dialog.
    s.keys("#content", "没什么事，随便打打")
    s.click("#invalid")
    s.keys("dialog textarea[name=reason]", "骚扰电话，无实际诉求")
    s.click("dialog button[value=ok]")
    s.said("已作为无效件关闭")
    s.text("[data-today=incidents] dd", "1")
    assert s.text("[data-today=duplicates] dd", "1")


def test_a_danger_heard_in_the_call_shows_who_to_hand_it_to(served, people, browser):  # noqa: F811
    ctx, base, listener = served
    s = Screen(browser, base)
    s.login("operator", "operator.html")
    s.keys("#content", "对面 楼 六 楼 窗户 往外 冒 黑 烟 还 有 火苗 里面 好像 有 人")
    s.text("#danger", "消防救援（119）")
    assert "火灾" in s.el("#danger").text and "火苗" in s.el("#danger").text
    assert s.el("#tier").get_attribute("value") == "emergency"
    s.el("#content").clear()
    s.keys("#content", "楼道 里 堆 了 好多 纸箱 万一 着火 了 人 都 跑 不 出去")
    s.wait(lambda b: not b.find_element(By.ID, "danger").is_displayed())  # a worry is no emergency
    assert "隐患" in browser.find_element(By.ID, "reasons").get_attribute("textContent")
