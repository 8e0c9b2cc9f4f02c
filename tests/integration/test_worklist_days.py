"""我的工单 by day in a centre that is not at +08:00: the day a person picks is the centre's own day
(settings.timezone), read by the server from a plain date — not a fixed offset in the browser."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.keys import Keys

from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from tests.conftest import CONFIG_DIR, TEST_SECRET
from tests.integration.browser import Screen
from tests.integration.conftest import new_order
from tests.integration.test_api_telephony import served  # noqa: F401 (the fixture)
from tests.integration.test_consoles import browser  # noqa: F401 (the fixture)

LA = ZoneInfo("America/Los_Angeles")  # UTC−8 in November: a day there is not a day in Shanghai
LATE = dt.datetime(2026, 11, 23, 23, 55, tzinfo=LA)  # 24 Nov 15:55 in Shanghai
EARLY = dt.datetime(2026, 11, 24, 0, 5, tzinfo=LA)  # ten minutes later: the next local day


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(LATE)  # sign-ins are issued now, and last past midnight


@pytest.fixture
def settings(tmp_path, db_url) -> Settings:
    return Settings(database_url=db_url, config_dir=CONFIG_DIR, var_dir=tmp_path / "var", secret_key=TEST_SECRET,
                    timezone="America/Los_Angeles")


def orders_on_both_sides_of_midnight(register, clock) -> tuple[str, str]:
    clock.set(LATE)
    late = register()
    clock.set(EARLY)
    return late, register()


def test_a_day_is_the_centres_own_day(api, people, clock):
    op = people["operator"]
    late, early = orders_on_both_sides_of_midnight(lambda: new_order(api, op), clock)

    def day(value: str, **more) -> list[str]:
        r = api.get("/api/v1/work-orders", params={"received_on": value, **more}, headers=op.headers)
        assert r.status_code == 200, r.text
        return [o["ticket_no"] for o in r.json()["items"]]

    assert day("2026-11-23") == [late]
    assert day("2026-11-24") == [early]
    assert day("2026-11-22") == []
    # within the day, an explicit instant narrows it further (never widens it)
    assert day("2026-11-24", received_from="2026-11-23T00:00:00+00:00") == [early]
    assert day("2026-11-23", received_from="2026-11-24T07:58:00+00:00") == []
    bad = api.get("/api/v1/work-orders", params={"received_on": "2026-13-01"},
                  headers={**op.headers, "Accept-Language": "zh-CN"})
    assert bad.status_code == 422 and "受理日期" in bad.text


@pytest.mark.one_backend  # a page test: the API beneath is tested on both databases above
def test_the_desk_searches_my_orders_by_the_centres_day(served, people, browser, clock):  # noqa: F811
    from tests.integration.test_desks import register
    ctx, base, listener = served
    late, early = orders_on_both_sides_of_midnight(lambda: register(base, people["operator"]), clock)
    s = Screen(browser, base)
    s.login("operator", "operator.html")
    s.keys("#content", Keys.ALT, "3")  # 我的工单
    s.text("#list", early)
    browser.execute_script("document.getElementById('search-day').value = '2026-11-23'")
    s.keys("#search-q", Keys.ENTER)
    s.wait(lambda b: early not in s.el("#list").text)
    assert late in s.el("#list").text
    browser.execute_script("document.getElementById('search-day').value = '2026-11-24'")
    s.keys("#search-q", Keys.ENTER)
    s.wait(lambda b: late not in s.el("#list").text)
    assert early in s.el("#list").text
