"""保持 on the operator's desk in headless Chromium: during a call the operator presses 保持, the simulated
Asterisk gets the dual Redirect, the desk shows 保持中 with its own timer while the call's timer goes on,
and Alt+H takes the citizen back (AMI Bridge); the hold counts in the operator's day."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.integration.browser import Screen
from tests.integration.on_call import citizen_on_the_line
from tests.integration.test_api_telephony import served  # noqa: F401 (the fixture)
from tests.integration.test_consoles import bind, browser  # noqa: F401 (the fixture)

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases


def test_operator_puts_the_caller_on_hold_and_takes_them_back_by_key(served, people, pbx, browser):  # noqa: F811
    ctx, base, listener = served
    bind(base, people["operator"], "PJSIP/1001")
    s = Screen(browser, base)
    s.login("operator", "operator.html")
    assert not s.all("#hold")[0].is_displayed()  # no call, no hold
    s.click("#join")
    s.text("#agent-state", "空闲")
    s.live()
    hang_up = citizen_on_the_line(pbx, ctx.clock.now())
    s.text("#agent-state", "通话中")
    s.text("#call-timer", "通话 00:0")
    s.click("#hold")
    s.text("#agent-state", "保持中")
    [redirect] = [a for a in pbx.actions if a.get("Action") == "Redirect"]
    assert (redirect["Context"], redirect["ExtraContext"]) == ("hotline-hold", "hotline-holding")
    assert s.el("#take-back").is_displayed() and not s.all("#hold")[0].is_displayed()
    s.wait(lambda b: b.find_element(By.ID, "agent-timer").text not in ("", "00:00"), 5)  # the hold's own timer
    assert s.el('[data-target="110"]').get_attribute("disabled") is not None  # no transfer of a held citizen
    s.shot("operator-hold")
    call_timer = s.el("#call-timer").text
    ctx.clock.advance(seconds=20)
    ActionChains(browser).key_down(Keys.ALT).send_keys("h").key_up(Keys.ALT).perform()
    s.text("#agent-state", "通话中")
    [bridge] = [a for a in pbx.actions if a.get("Action") == "Bridge"]
    assert bridge["Channel2"].startswith("Local/play@citizen-sim")
    s.said("已取回")
    s.wait(lambda b: b.find_element(By.CSS_SELECTOR, '[data-target="110"]').is_enabled())
    assert s.el("#call-timer").text >= call_timer  # the call's timer went on through the hold
    pbx.send_raw(hang_up)  # the citizen hangs up
    s.text("#agent-state", "话后处理")
    s.text("#today", "保持时长")
    assert s.axe() == [] and s.console_errors() == []
