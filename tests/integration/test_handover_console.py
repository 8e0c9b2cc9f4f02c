"""The hand-over panel in headless Chromium: during a call the operator presses 110, Asterisk (simulated)
gets a BlindTransfer, its events show on the screen, and the emergency order is made in one key from the
words on the screen."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from selenium.webdriver.common.by import By

from hotline.simulator.transfers import packet
from tests.integration.browser import Screen
from tests.integration.on_call import citizen_on_the_line
from tests.integration.test_api_telephony import served  # noqa: F401 (the fixture)
from tests.integration.test_consoles import bind, browser  # noqa: F401 (the fixture)

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases


def test_operator_hands_the_caller_to_110_and_makes_the_emergency_order(served, people, pbx, browser):  # noqa: F811
    ctx, base, listener = served
    bind(base, people["operator"], "PJSIP/1001")
    s = Screen(browser, base)
    s.login("operator", "operator.html")
    assert s.el('[data-target="110"]').get_attribute("disabled") is not None  # no call yet
    assert s.el('[data-target="gas"]').get_attribute("title") == "未配置号码"
    s.click("#join")
    s.text("#agent-state", "空闲")
    s.live()
    citizen_on_the_line(pbx, ctx.clock.now())
    s.text("#pop-body", "13800138000")
    s.wait(lambda b: b.find_element(By.CSS_SELECTOR, '[data-target="110"]').is_enabled())
    s.click('[data-target="110"]')
    s.text("#handover-status", "公安报警")
    [sent] = [a for a in pbx.actions if a.get("Action") == "BlindTransfer"]
    assert (sent["Context"], sent["Exten"]) == ("hotline-handover", "110")
    with httpx.Client(base_url=base, headers=people["operator"].headers, timeout=10) as http:
        linkedid = http.get("/api/v1/agents/me").json()["linkedid"]
    pbx.send_raw(packet(*pbx.switchboard.dialled(linkedid, "110", "ANSWER")))
    s.text("#handover-status", "对方已接通，转接完成")
    s.keys("#content", "有人持刀闯进我家，在东关社区3号楼")
    s.click("#emergency-order")
    ticket = s.said("紧急工单").split()[1]
    s.text("#code", ticket)
    assert s.el("#content").get_attribute("value") == ""
    with httpx.Client(base_url=base, headers=people["operator"].headers, timeout=10) as http:
        order = http.get(f"/api/v1/work-orders/{ticket}").json()
    assert order["tier"] == "emergency" and order["call_linkedid"] == linkedid and "持刀" in order["content"]
    assert order["assignments"][0]["department_code"] == "371500-GAJ"
