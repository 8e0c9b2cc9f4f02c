"""Driving the consoles in Debian's headless Chromium (Selenium): one browser per test module, short
polling waits, axe-core (vendored from its npm package) for accessibility, screenshots on request.

HOTLINE_SCREENSHOTS=docs/screenshots writes PNGs of the screens there at 1366×768 and 1920×1080.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.integration.conftest import PASSWORD

SHOTS = os.environ.get("HOTLINE_SCREENSHOTS")
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}


def chromium() -> webdriver.Chrome:
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert binary and driver, "Debian's chromium and chromium-driver are needed (`make test` installs them)"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN",
                "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    b = webdriver.Chrome(service=Service(driver), options=options)
    b.implicitly_wait(0)
    b.set_window_size(1366, 768)
    return b


def viewport(browser, width: int, height: int) -> None:
    """Make the page's viewport (not the window) exactly this size, as a 1366×768 screen shows it."""
    browser.set_window_size(width, height)
    inner = browser.execute_script("return [window.innerWidth, window.innerHeight]")
    browser.set_window_size(width + (width - inner[0]), height + (height - inner[1]))


class Screen:
    def __init__(self, browser, base: str):
        self.b, self.base = browser, base
        self.b.get_log("browser")  # what an earlier test's page logged (a poll after its server stopped) is not ours

    def wait(self, condition, seconds: float = 10):
        return WebDriverWait(self.b, seconds, poll_frequency=0.05).until(condition)

    def login(self, username: str, page: str) -> None:
        self.b.get(f"{self.base}/console/")
        self.b.execute_script("sessionStorage.clear()")
        self.b.get(f"{self.base}/console/")
        self.el("#username").send_keys(username)
        self.el("#password").send_keys(PASSWORD)
        self.click("#login button")
        self.wait(EC.url_contains(page))
        self.wait(lambda b: b.find_element(By.ID, "who").text)
        # Buttons are wired once the page says it is ready; a click before that would go nowhere.
        self.wait(lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "on", 20)

    def el(self, css: str):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def all(self, css: str):
        return self.b.find_elements(By.CSS_SELECTOR, css)

    def click(self, css: str) -> None:
        """Click once it can be clicked; a list re-rendered by a live update in between is found again."""
        for _ in range(5):
            try:
                self.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, css))).click()
                return
            except StaleElementReferenceException:
                continue
        raise AssertionError(f"{css} kept being replaced before it could be clicked")

    def text(self, css: str, expected: str, seconds: float = 10) -> str:
        try:
            self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), expected), seconds)
        except TimeoutException:
            found = self.b.find_element(By.CSS_SELECTOR, css).text
            said = self.b.find_element(By.ID, "message").text if self.all("#message") else ""
            raise AssertionError(f"{css}: expected 「{expected}」, the page shows 「{found}」 (message 「{said}」, "
                                 f"console {self.console_errors()})") from None
        return self.b.find_element(By.CSS_SELECTOR, css).text

    def said(self, text: str) -> str:
        return self.text("#message", text)

    def keys(self, css: str, *keys: str) -> None:
        self.el(css).send_keys(*keys)

    def live(self) -> None:
        self.wait(lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-live") == "on")

    def axe(self) -> list[dict]:
        """Serious and critical accessibility violations axe-core finds on the page as it is now."""
        self.b.execute_script(AXE)
        result = self.b.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then((r) => done(r.violations.map("
            "(v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' '))}))));")
        return [v for v in result if v["impact"] in ("serious", "critical")]

    def console_errors(self) -> list[str]:
        return [e["message"] for e in self.b.get_log("browser") if e["level"] == "SEVERE"]

    def fits(self) -> bool:
        """Nothing to scroll: the page is no taller or wider than the viewport."""
        return self.b.execute_script(
            "const e = document.scrollingElement; return e.scrollHeight <= innerHeight + 1 && e.scrollWidth <= innerWidth + 1")

    def visible_in_viewport(self, css: str) -> bool:
        return self.b.execute_script(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
            "return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth", css)

    def shot(self, name: str) -> None:
        if not SHOTS:
            return
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for size, (w, h) in SIZES.items():
            viewport(self.b, w, h)
            self.b.save_screenshot(str(Path(SHOTS) / f"{name}-{size}.png"))
        viewport(self.b, 1366, 768)
