"""The consoles end to end in headless Chromium against the API on a real port, with the simulated PBX
and the real AMI listener behind it: an operator (phone bound to the account, as an administrator sets
it up) takes a call and dispatches it, the department completes it, the callback desk calls the citizen
through Asterisk and records 不满意, the order comes back to the department, the next callback round is
labelled as the second, and the supervisor sees the numbers move. Every page: a strict CSP, no console
errors, no serious axe-core violations; /docs works from local files."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.integration.browser import Screen, chromium
from tests.integration.test_api_telephony import ANSWERED, served  # noqa: F401 (the fixture)

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases

PAGES = ["index.html", "operator.html", "callbacks.html", "department.html", "supervisor.html", "wall.html",
         "report.html"]


@pytest.fixture
def config(config):
    """A one-hour window for rating by SMS, so the callback desk's turn comes on the day of the call."""
    satisfaction = config.notices.satisfaction.model_copy(update={"reply_window_hours": 1})
    return config.model_copy(update={"notices": config.notices.model_copy(update={"satisfaction": satisfaction})})


@pytest.fixture(scope="module")
def browser():
    b = chromium()
    yield b
    b.quit()


def bind(base: str, person, extension: str) -> None:
    with httpx.Client(base_url=base, headers=person.headers, timeout=10) as c:
        assert c.put("/api/v1/auth/me/extension", json={"extension": extension}).status_code == 200


def test_a_call_goes_round_the_whole_centre(served, people, pbx, browser, tmp_path):  # noqa: F811
    ctx, base, listener = served
    bind(base, people["operator"], "PJSIP/1001")
    bind(base, people["callback"], "PJSIP/1002")
    s = Screen(browser, base)

    s.login("operator", "operator.html")
    s.click("#join")
    s.text("#agent-state", "空闲")
    s.live()
    pbx.play(ANSWERED, at=ctx.clock.now())
    s.text("#pop-body", "13800138000")
    s.keys("#content", "东关社区停水了，已经两天了，请尽快派人处理")
    s.wait(lambda b: b.find_element(By.ID, "category").get_attribute("value") == "utility.water.outage")
    s.click("#dispatch")
    ticket = s.said("已受理并派单").split()[1]

    s.login("water", "department.html")
    s.click(f'tr[data-ticket="{ticket}"]')
    s.click("#sign")
    s.said("已签收")
    s.keys("#reply-text", "已安排维修人员上门")
    s.click("#reply-form button")
    s.said("已反馈")
    s.keys("#result", "管道已修复，恢复供水")
    evidence = tmp_path / "photo.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    s.el("#files").send_keys(str(evidence))
    s.shot("department")
    s.click("#complete-form button")
    s.said("已办结")

    # Callback desk: the citizen is found by phone, called through Asterisk, and not satisfied.
    ctx.clock.advance(hours=ctx.config.notices.satisfaction.reply_window_hours)  # no rating came by SMS
    s.login("callback", "callbacks.html")
    s.keys("#find-phone", "13800138000", Keys.ENTER)
    s.click(f'#due tr[data-ticket="{ticket}"]')
    s.text("#ticket", f"{ticket} · 第 1 轮 · 第 1 次")
    assert "已安排维修人员上门" in s.el("#story").text and "photo.png" in s.el("#story").text
    assert "您反映的问题现在解决了吗" in s.el("#script").text
    s.keys("#comment", Keys.ALT, "c")
    s.text("#dial-state", "PJSIP/1002")
    [originate] = [a for a in pbx.actions if a.get("Action", "").lower() == "originate"]
    assert (originate["Channel"], originate["Exten"], originate["Context"]) == ("PJSIP/1002", "13800138000",
                                                                              "hotline-callback")
    assert originate["ChannelId"].startswith("hotline-cb-")
    s.click('input[value="unsatisfied"]')
    s.keys("#comment", "还是没有水")
    s.shot("callbacks")
    s.keys("#comment", Keys.ALT, "s")
    assert "重办" in s.said(ticket)
    s.text("[data-today=callbacks] dd", "1")

    # Department: the order is back; done again, the next callback is the second round.
    s.login("water", "department.html")
    s.click(f'tr[data-ticket="{ticket}"]')
    s.click("#sign")
    s.said("已签收")
    s.keys("#reply-text", "更换了整段水管")
    s.click("#reply-form button")
    s.said("已反馈")
    s.keys("#result", "整段更换，已恢复供水")
    s.click("#complete-form button")
    s.said("已办结")
    ctx.clock.advance(hours=ctx.config.notices.satisfaction.reply_window_hours)
    s.login("callback", "callbacks.html")
    s.click(f'#due tr[data-ticket="{ticket}"]')
    s.text("#ticket", "第 2 轮 · 第 1 次")
    assert "还是没有水" in s.el("#story").text  # the redo's words

    s.login("supervisor", "supervisor.html")
    s.text('[data-count="unsatisfied"]', "1")
    assert s.el('[data-count="dispatched"] b').text == "2"
    s.text('[data-call="answered"] b', "1")
    s.shot("supervisor")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_a_strict_csp_no_console_errors_and_no_serious_axe_violations(served, people, browser, page):  # noqa: F811
    ctx, base, listener = served
    r = httpx.get(f"{base}/console/{page}")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "unsafe-inline" not in r.headers["content-security-policy"] and "<script>" not in r.text
    s = Screen(browser, base)
    user = {"index.html": None, "operator.html": "operator", "callbacks.html": "callback",
            "department.html": "water", "supervisor.html": "supervisor", "wall.html": "supervisor",
            "report.html": "supervisor"}[page]
    if user:
        s.login(user, "supervisor.html" if user == "supervisor" else page)
        browser.get(f"{base}/console/{page}")
    else:
        browser.get(f"{base}/console/")
        s.el("#username")
    browser.get_log("browser")
    browser.refresh()
    s.wait(lambda b: b.execute_script("return document.readyState") == "complete")
    if user:
        s.wait(lambda b: b.find_element(By.ID, "who").text)
    assert s.axe() == []
    assert s.fits() or page in ("department.html", "supervisor.html", "report.html")  # desks never scroll at 1366×768
    assert s.console_errors() == []


def test_api_docs_work_from_local_files(served, browser):  # noqa: F811
    ctx, base, listener = served
    s = Screen(browser, base)
    browser.get(f"{base}/docs")
    s.text(".swagger-ui .info .title", "hotline")
    s.el(".opblock-tag")  # a tag's heading (past ~100 operations Swagger UI lays them out as a virtual list)
    s.el(".opblock-summary-path")
    assert s.console_errors() == []


def test_consoles_refuse_a_forged_token_and_send_people_to_their_own_screen(served, people, browser):  # noqa: F811
    ctx, base, listener = served
    s = Screen(browser, base)
    browser.get(f"{base}/console/operator.html")
    browser.execute_script("sessionStorage.setItem('access', 'forged.token.value')")
    browser.get(f"{base}/console/operator.html")
    s.wait(lambda b: b.current_url.endswith("index.html"))
    s.login("water", "department.html")
    browser.get(f"{base}/console/supervisor.html")
    s.wait(lambda b: "department.html" in b.current_url)
    s.login("operator", "operator.html")
    browser.find_element(By.ID, "logout").click()
    s.wait(lambda b: b.current_url.endswith("index.html"))
    s.keys("#username", "operator")
    s.keys("#password", "wrong password", Keys.ENTER)
    s.text("#message", "用户名或密码错误")
    assert "error" in browser.find_element(By.ID, "message").get_attribute("class")
