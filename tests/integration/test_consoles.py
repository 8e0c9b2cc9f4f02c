"""The four consoles end to end in headless Chromium (Debian's, driven by Selenium) against the API on a
real port, with the simulated PBX and the real AMI listener behind it: an operator takes a call and
dispatches it, the department completes it, the callback desk records 不满意, the order comes back
to the department, and the supervisor sees the numbers move.

HOTLINE_SCREENSHOTS=docs/screenshots writes a PNG of every screen there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from tests.integration.conftest import PASSWORD
from tests.integration.test_api_telephony import ANSWERED, served  # noqa: F401 (the fixture)

SHOTS = os.environ.get("HOTLINE_SCREENSHOTS")
INTERFACE = "Local/1001@agent-sim/n"  # the member that answers in the captured call


@pytest.fixture
def config(config):
    """A one-hour window for rating by SMS, so the callback desk's turn comes on the day of the call."""
    satisfaction = config.notices.satisfaction.model_copy(update={"reply_window_hours": 1})
    return config.model_copy(update={"notices": config.notices.model_copy(update={"satisfaction": satisfaction})})


@pytest.fixture
def browser():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "Debian's chromium and chromium-driver are needed (`make test` installs them)"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100", "--lang=zh-CN"):
        options.add_argument(arg)
    b = webdriver.Chrome(service=Service(driver), options=options)
    b.implicitly_wait(0)
    yield b
    b.quit()


class Screen:
    def __init__(self, browser, base: str):
        self.b, self.base = browser, base

    def wait(self, condition, seconds: float = 15):
        return WebDriverWait(self.b, seconds).until(condition)

    def login(self, username: str, page: str) -> None:
        self.b.get(f"{self.base}/console/")
        self.b.execute_script("sessionStorage.clear()")
        self.b.get(f"{self.base}/console/")
        self.b.find_element(By.ID, "username").send_keys(username)
        self.b.find_element(By.ID, "password").send_keys(PASSWORD)
        self.b.find_element(By.CSS_SELECTOR, "#login button").click()
        self.wait(EC.url_contains(page))
        self.wait(lambda b: b.find_element(By.ID, "who").text)

    def el(self, css: str):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def click(self, css: str) -> None:
        self.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, css))).click()

    def said(self, text: str) -> str:
        try:
            self.wait(EC.text_to_be_present_in_element((By.ID, "message"), text))
        except TimeoutException:
            raise AssertionError(f"expected 「{text}」, the page says 「{self.b.find_element(By.ID, 'message').text}」") from None
        return self.b.find_element(By.ID, "message").text

    def shot(self, name: str) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.b.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


def test_a_call_goes_round_the_whole_centre(served, people, pbx, browser, tmp_path):  # noqa: F811
    ctx, base, listener = served
    s = Screen(browser, base)

    # Operator: joins the queue, the call pops, intake fills the draft, dispatch in a few keys.
    s.login("operator", "operator.html")
    s.el("#interface").clear()
    s.el("#interface").send_keys(INTERFACE)
    s.click("#join")
    s.wait(EC.text_to_be_present_in_element((By.ID, "agent-state"), "空闲"))
    s.wait(lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-live") == "on")
    pbx.play(ANSWERED, at=ctx.clock.now())
    s.wait(EC.text_to_be_present_in_element((By.ID, "pop-body"), "排队"))
    s.el("#content").send_keys("东关社区停水了，已经两天了，请尽快派人处理")
    s.click("#analyze")
    s.wait(lambda b: Select(b.find_element(By.ID, "category")).first_selected_option.get_attribute("value") == "water.outage")
    assert Select(browser.find_element(By.ID, "department")).first_selected_option.get_attribute("value") == "371500-WATER"
    assert "停水" in s.el("#reasons").text
    s.shot("operator")
    s.click("#dispatch")
    ticket = s.said("已派单").split()[1]

    # Department: the order is in the inbox; sign, reply, complete with evidence.
    s.login("water", "department.html")
    s.click(f'tr[data-ticket="{ticket}"]')
    s.click("#sign")
    s.said("已签收")
    s.el("#reply-text").send_keys("已安排维修人员上门")
    s.click("#reply-form button")
    s.said("已反馈")
    s.el("#result").send_keys("管道已修复，恢复供水")
    evidence = tmp_path / "photo.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    s.el("#files").send_keys(str(evidence))
    s.shot("department")
    s.click("#complete-form button")
    s.said("已办结")

    # Callback desk: no rating came by SMS within the reply window, so the next callback is this order;
    # the citizen is not satisfied.
    ctx.clock.advance(hours=ctx.config.notices.satisfaction.reply_window_hours)
    s.login("callback", "callbacks.html")
    s.click("#next")
    s.wait(EC.text_to_be_present_in_element((By.ID, "ticket"), ticket))
    assert "办结" in s.el("#story").text
    s.click('input[value="unsatisfied"]')
    s.el("#comment").send_keys("还是没有水")
    s.shot("callbacks")
    s.click("#verdict button")
    assert "重办" in s.said(ticket)

    # Department: the order is back, to be handled again.
    s.login("water", "department.html")
    s.wait(EC.presence_of_element_located((By.CSS_SELECTOR, f'tr[data-ticket="{ticket}"]')))
    assert "已派单" in browser.find_element(By.CSS_SELECTOR, f'tr[data-ticket="{ticket}"]').text

    # Supervisor: the month's numbers include this round trip; the call is counted.
    s.login("supervisor", "supervisor.html")
    s.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, '[data-count="unsatisfied"]'), "1"))
    assert s.el('[data-count="dispatched"] b').text == "2"  # the dispatch and the redo
    assert s.el('[data-rate="redo_rate"] b').text == "100.0%"
    s.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, '[data-call="answered"] b'), "1"))
    s.shot("supervisor")


def test_consoles_refuse_a_forged_token_and_send_people_to_their_own_screen(served, people, browser):  # noqa: F811
    ctx, base, listener = served
    s = Screen(browser, base)
    browser.get(f"{base}/console/operator.html")
    browser.execute_script("sessionStorage.setItem('access', 'forged.token.value')")
    browser.get(f"{base}/console/operator.html")
    s.wait(EC.url_contains("index.html"))  # back to the login page
    s.login("water", "department.html")
    browser.get(f"{base}/console/supervisor.html")
    s.wait(EC.url_contains("department.html"))  # a department cannot open the supervisor's screen
    s.login("operator", "operator.html")
    browser.find_element(By.ID, "logout").click()
    s.wait(EC.url_contains("index.html"))
    browser.find_element(By.ID, "username").send_keys("operator")
    browser.find_element(By.ID, "password").send_keys("wrong password")
    browser.find_element(By.CSS_SELECTOR, "#login button").click()
    s.wait(lambda b: b.find_element(By.ID, "message").text)
    assert "error" in browser.find_element(By.ID, "message").get_attribute("class")
    assert browser.current_url.endswith(("/console/", "index.html"))  # still on the login page
