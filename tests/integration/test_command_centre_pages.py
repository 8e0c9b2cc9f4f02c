"""The command centre's screens in Chromium: the live agent board, trends, the map with its drill-down,
units not ranked listed apart, exports, wall mode at 1920×1080 (no scrolling, panels rotating) and the
monthly report printed on A4."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from hotline.core.db import session_scope
from hotline.models import AgentSession, AgentState, QueueCaller
from tests.integration.browser import SHOTS, Screen, viewport
from tests.integration.test_agent_board import call, seat
from tests.integration.test_command_centre import GULOU, LIUYUAN, at_street
from tests.integration.test_workbench import base, browser, volume  # noqa: F401 (fixtures)

pytestmark = pytest.mark.one_backend  # a page test: the API beneath is tested on both databases
PANELS = ["board", "trends", "ranking", "map", "redlights"]


@pytest.fixture(autouse=True)
def blank_after(browser):  # noqa: F811
    """Leave no page polling a server that is about to stop (its errors would land in the next test's log)."""
    yield
    browser.get("about:blank")


def staffed(session_factory, people, now) -> None:
    """Three operators at the queue (one talking, one paused for lunch, one free), two callers waiting."""
    with session_scope(session_factory) as s:
        seat(s, "hotline-queue", "PJSIP/1001", "Agent1001", people["operator"].user_id, in_call=True, calls_taken=4)
        seat(s, "hotline-queue", "PJSIP/1002", "Agent1002", paused=True, pause_reason="午休")
        seat(s, "hotline-queue", "PJSIP/1003", "Agent1003")
        s.add(AgentState(user_id=people["operator"].user_id, queue="hotline-queue", interface="PJSIP/1001",
                         state="talking", since=now - dt.timedelta(minutes=3), updated_at=now))
        for i, waited in enumerate((95, 20)):
            s.add(QueueCaller(linkedid=f"w{i}", queue="hotline-queue", joined_at=now - dt.timedelta(seconds=waited),
                              updated_at=now))
        for i, wait in enumerate((5, 30)):
            call(s, f"t{i}", now - dt.timedelta(minutes=30), wait)


def smallest_text_px(s: Screen, css: str) -> float:
    """The smallest rendered height of the text in an SVG, in CSS pixels (after any scaling)."""
    return s.b.execute_script(
        "const t = [...document.querySelectorAll(arguments[0] + ' text')].filter((e) => e.textContent.trim());"
        "return Math.min(...t.map((e) => parseFloat(getComputedStyle(e).fontSize) * "
        "(e.ownerSVGElement.getBoundingClientRect().width / e.ownerSVGElement.viewBox.baseVal.width)));", css)


def test_the_supervisor_sees_the_board_trends_map_and_units_not_ranked(base, api, people, volume, browser,  # noqa: F811
                                                                        session_factory, ctx):
    staffed(session_factory, people, ctx.clock.now())
    for street in (GULOU, GULOU, LIUYUAN, "371500-GAS", "371500-GAS"):
        at_street(api, people, street)
    areas = api.get("/api/v1/stats/areas", headers=people["supervisor"].headers).json()
    dongchang = next(g for g in areas["groups"] if g["code"] == "371502")
    gulou = next(a for a in dongchang["areas"] if a["code"] == GULOU)
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    s.login("supervisor", "supervisor.html")
    s.text('[data-board="waiting"]', "2")
    s.text('[data-board="longest_wait"]', "01:35")
    s.text('[data-board="service_level"]', "50.0%")
    s.text('#board tr[data-member="PJSIP/1002"]', "午休")
    assert [r.get_attribute("data-state") for r in s.all("#board tr[data-member]")] == ["talking", "paused", "idle"]
    with session_scope(session_factory) as db:  # a third caller joins the queue: the board shows it unasked
        db.add(QueueCaller(linkedid="w3", queue="hotline-queue", joined_at=ctx.clock.now(), updated_at=ctx.clock.now()))
        db.scalars(select(AgentSession).where(AgentSession.interface == "PJSIP/1002")).one().paused = False
    s.text('[data-board="waiting"]', "3", seconds=12)  # within the board's 5-second round
    s.wait(lambda b: b.find_element("css selector", '#board tr[data-member="PJSIP/1002"]').get_attribute(
        "data-state") == "idle")

    s.wait(lambda b: b.find_elements("css selector", "#trends svg.chart .series"))
    assert smallest_text_px(s, "#trends") >= 12 and smallest_text_px(s, "#ranking-chart") >= 12
    s.el("#trend-by").send_keys("按周")
    s.wait(lambda b: b.find_element("css selector", "#trends").get_attribute("data-by") == "week")

    s.text('#ranking tr[data-unit="371500-WATER"]', "聊城市水务集团有限公司")  # enough volume to be ranked
    assert s.el('#ranking tr[data-unit="371500-WATER"] td').text == "3"
    s.text("#unranked li:first-child", "聊城市燃气有限公司 2 件")  # two orders: listed apart, no score
    assert "燃气" not in s.el("#ranking").text
    s.text("#min-volume", "10")

    s.text('#areas [data-district="371502"]', f"东昌府区（{dongchang['total']}）")
    assert gulou["count"] >= 2
    assert smallest_text_px(s, "#areas") >= 12
    s.click(f'#areas a.area[data-unit="{GULOU}"]')
    s.text("#drill-title", f"古楼街道 在办 · 共 {gulou['count']} 件")
    s.click("#unranked li:first-child button")
    s.text("#drill-title", "聊城市燃气有限公司 · 共 2 件")
    s.click("#trends-csv")
    s.said("走势已导出")
    s.click("#ranking-csv")
    s.said("排名已导出")
    assert s.b.execute_script("return document.scrollingElement.scrollWidth <= innerWidth + 1")  # no chart overflows
    s.text("#unranked", "个单位本月没有交办")  # units with nothing sent are counted, not listed one by one
    assert s.console_errors() == []
    s.shot("supervisor-centre")


def test_wall_mode_fits_a_1920_by_1080_screen_and_rotates_its_panels(base, api, people, volume, browser,  # noqa: F811
                                                                     session_factory, ctx):
    staffed(session_factory, people, ctx.clock.now())
    at_street(api, people, GULOU)
    browser.get_log("browser")
    s = Screen(browser, base)
    viewport(browser, 1920, 1080)
    s.login("supervisor", "supervisor.html")
    browser.get(f"{base}/console/supervisor.html?wall=1")  # the supervisor's address in wall mode
    s.wait(lambda b: b.current_url.endswith("/console/wall.html"))
    browser.get(f"{base}/console/wall.html?rotate=4")  # each panel fetches as it comes up: time for a busy CI
    s.wait(lambda b: b.find_element("css selector", "body").get_attribute("data-ready") == "on", 20)
    assert browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)") >= 24
    seen: list[str] = []
    deadline = time.monotonic() + 45
    while len(seen) < len(PANELS) and time.monotonic() < deadline:
        panel = browser.execute_script("return document.body.dataset.panel")
        section = f'section[data-panel="{panel}"]'
        if panel and (not seen or seen[-1] != panel) and browser.execute_script(
                "return !!document.querySelector(arguments[0]).dataset.loaded", section):
            seen.append(panel)
            assert s.fits(), f"{panel}: the page scrolls"
            assert browser.execute_script(  # the panel's content fits inside it too: nothing cut off below
                "const e = document.querySelector(arguments[0]); return e.scrollHeight <= e.clientHeight + 1", section), panel
            heading = browser.execute_script(
                "return parseFloat(getComputedStyle(document.querySelector(arguments[0] + ' h2')).fontSize)", section)
            assert heading >= 36, f"{panel}: heading {heading}px is too small to read from 3 m"
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                browser.save_screenshot(str(Path(SHOTS) / f"wall-{panel}-1920x1080.png"))
        time.sleep(0.2)
    assert seen == PANELS, f"panels shown in turn: {seen}"
    assert s.el('section[data-panel="redlights"] #w-red-count').text == "45"
    assert s.console_errors() == []


def test_the_monthly_report_is_an_a4_page_with_the_months_figures(base, api, people, volume, browser):  # noqa: F811
    for _ in range(2):
        at_street(api, people, "371500-GAS")
    browser.get_log("browser")  # what earlier tests' pages logged is not this page's
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    s.login("supervisor", "supervisor.html")
    browser.get(f"{base}/console/report.html?month=2026-11")
    s.wait(lambda b: b.find_element("css selector", "body").get_attribute("data-month") == "2026-11", 20)
    s.text("#title", "2026年11月 12345热线办理情况通报")
    s.text("#subtitle", "全市")
    s.text('#r-counts tr[data-count="dispatched"]', "交办量（主办）")
    s.text('#r-rates tr[data-rate="satisfaction_rate"]', "满意率")
    s.text("#r-ranking", "聊城市水务集团有限公司")
    s.text("#r-unranked", "样本不足，不排名：聊城市燃气有限公司（2 件）")
    assert browser.execute_script(
        "return [...document.styleSheets].flatMap((s) => [...s.cssRules]).some("
        "(r) => r instanceof CSSPageRule && r.style.getPropertyValue('size').toLowerCase() === 'a4')")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not s.all("header")[0].is_displayed() and not s.el("main.report").find_elements(
            "css selector", "button")
        assert not browser.find_element("css selector", ".toolbar").is_displayed()
        s.shot("monthly-report-print")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert s.axe() == []
    assert s.console_errors() == []


def test_a_district_supervisor_sees_the_districts_figures_but_not_the_centres_agents(
        base, api, people, browser, session_factory, ctx):  # noqa: F811
    staffed(session_factory, people, ctx.clock.now())
    at_street(api, people, GULOU)
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    s.login("district_supervisor", "supervisor.html")
    s.text('#areas [data-district="371502"]', "东昌府区（1）")
    assert not s.all('#areas [data-district="371521"]')  # 阳谷县 is not theirs
    assert not s.el("body").find_elements("css selector", "#board:not([hidden])")
    browser.get(f"{base}/console/wall.html?rotate=2")
    s.wait(lambda b: b.find_element("css selector", "body").get_attribute("data-ready") == "on", 20)
    shown = set()
    deadline = time.monotonic() + 12
    while time.monotonic() < deadline and len(shown) < len(PANELS) - 1:
        shown.add(browser.execute_script("return document.body.dataset.panel"))
        time.sleep(0.2)
    assert shown == set(PANELS) - {"board"}
    assert s.console_errors() == []  # no refused request behind the scenes either
