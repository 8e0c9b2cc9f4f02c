"""The supervisor's screen opens the orders behind a rate and a hotspot, and puts a department on the 约谈 list
from a 督办 and takes it off with the interview's result."""

from __future__ import annotations

import pytest

from tests.integration.browser import Screen, viewport
from tests.integration.conftest import new_order, step
from tests.integration.test_workbench import base, browser  # noqa: F401 (fixtures)

pytestmark = pytest.mark.one_backend  # a page test: the API beneath is tested on both databases


def test_the_supervisor_drills_into_a_rate_and_a_hotspot_and_calls_a_department_in(base, api, people, ctx,  # noqa: F811
                                                                                    browser):  # noqa: F811
    for _ in range(5):  # a week of 停水 where there was none before: a hotspot
        new_order(api, people["operator"])
    burst = new_order(api, people["operator"], category_code="utility.water.burst", title="主管道爆裂")
    step(api, people["operator"], burst, "accept")
    step(api, people["operator"], burst, "dispatch", {"lead": "371500-WATER", "reason": "按职责"})
    ctx.clock.advance(hours=1)  # the emergency's 30-minute sign deadline has passed, unsigned

    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    s.login("supervisor", "supervisor.html")
    s.click('#rates button[data-rate="sign_on_time_rate"]')
    s.text("#drill-title", "按时签收率 · 分母减分子 · 共 1 件")
    assert s.all("#drill-orders tr[data-ticket]")[0].get_attribute("data-ticket") == burst
    s.click('#drill-actions [data-part="numerator"]')
    s.text("#drill-title", "按时签收率 · 分子 · 共 0 件")
    s.click('#hotspot-links [data-hot-kind="category"]')
    s.text("#drill-title", "共 5 件")

    s.click(f'#supervisions tr[data-supervision] [data-interview-from][data-ticket-no="{burst}"]')
    s.click('dialog.ask button[value="ok"]')  # the reason is the 督办's own note, prefilled
    s.said("已列入约谈名单")
    s.text("#interviews", "聊城市水务集团有限公司")
    s.shot("supervisor-interviews")
    s.click("#interviews [data-interview-done]")
    s.keys("dialog.ask textarea", "已约谈分管负责人，限期整改")
    s.click('dialog.ask button[value="ok"]')
    s.said("约谈已办结")
    s.text("#interviews", "约谈名单为空")
