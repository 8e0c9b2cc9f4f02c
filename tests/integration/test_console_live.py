"""The live transcript on the operator's desk in Chromium, against the API on a real port with the
simulated PBX and the real AMI listener: a call pops, the console follows it, the citizen's words appear
as `hotline listen` publishes them, the draft follows them, a danger raises the red banner, and a dropped
live stream is said to be one while the call goes on."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from hotline.listen.events import LiveEnded, LiveFinal, LivePartial
from hotline.simulator.fake import SEP
from tests.integration.browser import Screen, chromium
from tests.integration.test_api_telephony import ANSWERED, served  # noqa: F401 (the fixture)

pytestmark = pytest.mark.one_backend  # a page or speech test: the API beneath is tested on both databases

CALLER = "13800138000"


@pytest.fixture(scope="module")
def browser():
    b = chromium()
    yield b
    b.quit()


def still_talking(pbx, at) -> None:
    """The captured answered call up to the moment the operator is talking (its hang-up not yet sent)."""
    events = pbx.freshen(ANSWERED, at)
    connect = next(i for i, p in enumerate(events) if p.startswith(b"Event: AgentConnect"))
    pbx.send_raw(b"".join(p + SEP for p in pbx.answered_by_members(events[:connect + 1])))


def say(ctx, linkedid: str, event) -> None:
    ctx.live.bus.publish(f"call:{linkedid}", event.body())


def test_the_operator_sees_the_call_transcribed_live_with_the_draft_and_a_danger_at_once(
        served, people, pbx, browser):  # noqa: F811
    ctx, base, listener = served
    s = Screen(browser, base)
    s.login("operator", "operator.html")
    s.click("#join")
    s.el("dialog input[name=extension]").clear()
    s.keys("dialog input[name=extension]", "PJSIP/1001", Keys.ENTER)
    s.text("#agent-state", "空闲")
    s.live()
    still_talking(pbx, ctx.clock.now())
    s.text("#pop-body", CALLER)
    s.text("#agent-state", "通话中")
    with httpx.Client(base_url=base, headers=people["operator"].headers, timeout=10) as c:
        linkedid = c.get("/api/v1/agents/me").json()["linkedid"]
    s.wait(lambda b: b.find_element(By.ID, "live").is_displayed())
    common = {"linkedid": linkedid, "stream": "s-citizen", "direction": "citizen"}

    def partial_shown(b) -> bool:  # said until the console's stream is subscribed (a partial replaces itself)
        say(ctx, linkedid, LivePartial(**common, seq=1, text="我家小区", raw="我 家 小区", audio_s=1.0))
        return "我家小区" in b.find_element(By.ID, "live-partial").text

    s.wait(partial_shown)
    s.text("#live-state", "转写中")  # its stream started before the page subscribed: the words say so
    say(ctx, linkedid, LiveFinal(**common, seq=2, text="我家小区停水了已经两天了", raw="", audio_s=3.0))
    s.text("#live-lines", "我家小区停水了已经两天了")
    s.wait(lambda b: b.find_element(By.ID, "category").get_attribute("value") == "utility.water.outage")
    assert s.el("#content").get_attribute("value") == "我家小区停水了已经两天了"
    assert not browser.find_element(By.ID, "danger").is_displayed()
    say(ctx, linkedid, LiveFinal(linkedid=linkedid, stream="s-operator", direction="operator", seq=1,
                                 text="请问您的地址", raw="", audio_s=4.0))
    say(ctx, linkedid, LiveFinal(**common, seq=3, text="楼下着火了，有人被困", raw="", audio_s=6.0))
    s.text("#danger", "危及生命财产安全")
    assert "请问您的地址" in s.el("#live-lines").text and "请问您的地址" not in s.el("#content").get_attribute("value")
    s.shot("operator-live-transcript")
    say(ctx, linkedid, LiveEnded(**common, seq=4, reason="overloaded"))
    s.text("#live-state", "实时转写中断")
    s.text("#agent-state", "通话中")  # the call goes on
    assert not s.console_errors()
