"""The command centre's figures over HTTP: trends by day and week (JSON and CSV), the map of orders by
street office with the inbox listing the same orders, the monthly report for the 通报, and who may ask."""

from __future__ import annotations

import csv
import datetime as dt
import io

from tests.integration.conftest import new_order, step
from tests.integration.test_api_callbacks_stats import signed_in_again, worked_order

ZH = {"Accept-Language": "zh-CN"}
GULOU, LIUYUAN = "371502001", "371502002"  # 古楼街道, 柳园街道 (东昌府区)


def at_street(api, people, street: str = GULOU) -> str:
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept", {"tier": "general"})
    step(api, people["operator"], ticket, "dispatch", {"lead": street, "reason": "属地办理"})
    return ticket


def test_trends_by_day_and_by_week_count_each_point_apart(api, people, ctx, clock):
    worked_order(api, people)  # Monday 23 November: dispatched and completed by the water company
    clock.set(clock.now() + dt.timedelta(days=1))
    signed_in_again(ctx, people)
    at_street(api, people)  # Tuesday: one more dispatch, nothing completed
    boss = people["supervisor"].headers
    r = api.get("/api/v1/stats/trends?from=2026-11-22&to=2026-11-24&by=day", headers=boss)
    assert r.status_code == 200, r.text
    trend = r.json()
    assert [p["label"] for p in trend["points"]] == ["11月22日", "11月23日", "11月24日"]
    assert [p["counts"]["dispatched"] for p in trend["points"]] == [0, 1, 1]
    assert [p["rates"]["completion_rate"] for p in trend["points"]] == [None, 1.0, 0.0]
    assert {s["rate"]: s["label"] for s in trend["series"]}["satisfaction_rate"] == "满意率"
    week = api.get("/api/v1/stats/trends?from=2026-11-16&to=2026-11-24&by=week", headers=boss).json()
    assert [(p["from"], p["to"], p["label"]) for p in week["points"]] == [
        ("2026-11-16", "2026-11-22", "11月16日–22日"), ("2026-11-23", "2026-11-24", "11月23日–24日")]
    assert [p["counts"]["dispatched"] for p in week["points"]] == [0, 2]
    assert week["points"][1]["rates"]["completion_rate"] == 0.5


def test_trends_are_scoped_and_refuse_a_period_too_long(api, people):
    at_street(api, people, LIUYUAN)
    district = api.get("/api/v1/stats/trends?from=2026-11-23&to=2026-11-23", headers=people["district_supervisor"].headers)
    assert district.json()["department"]["code"] == "371502"
    assert district.json()["points"][0]["counts"]["dispatched"] == 1
    water = api.get("/api/v1/stats/trends?from=2026-11-23&to=2026-11-23", headers=people["water_admin"].headers)
    assert water.json()["points"][0]["counts"]["dispatched"] == 0  # not theirs
    r = api.get("/api/v1/stats/trends?department=371502", headers=people["water_admin"].headers | ZH)
    assert r.status_code == 403 and r.json()["error_id"] == "department_out_of_scope"
    r = api.get("/api/v1/stats/trends?from=2026-01-01&to=2026-11-23&by=day", headers=people["supervisor"].headers | ZH)
    assert r.status_code == 422 and r.json()["error_id"] == "trend_too_long" and "92" in r.json()["message"]
    assert api.get("/api/v1/stats/trends?by=month", headers=people["supervisor"].headers).status_code == 422
    for bad in ("to=0001-01-01", "from=2026-11-23&to=2026-11-01", "to=9999-12-31"):  # refused, never a 500
        r = api.get(f"/api/v1/stats/trends.csv?{bad}", headers=people["supervisor"].headers)
        assert r.status_code == 422 and r.json()["error_id"] == "invalid_period", bad
        assert api.get(f"/api/v1/stats/areas?{bad}", headers=people["supervisor"].headers).status_code == 422
    assert api.get("/api/v1/stats/trends", headers=people["operator"].headers).status_code == 403


def test_trends_csv_has_a_bom_and_chinese_headers(api, people):
    worked_order(api, people)
    r = api.get("/api/v1/stats/trends.csv?from=2026-11-22&to=2026-11-23", headers=people["supervisor"].headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode()) and "trends-day-2026-11-22-2026-11-23.csv" in r.headers[
        "content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["时段", "开始", "结束", "按时签收率"] and "交办量（主办）" in rows[0]
    assert rows[1][0] == "11月22日" and rows[2][0] == "11月23日"
    assert rows[2][rows[0].index("办结率")] == "100.0%" and rows[1][rows[0].index("办结率")] == ""


def test_the_map_counts_orders_by_street_and_each_area_lists_the_same_orders(api, people):
    for _ in range(3):
        at_street(api, people, GULOU)
    for _ in range(2):
        at_street(api, people, LIUYUAN)
    worked_order(api, people)  # the water company is no street: not on the map
    boss = people["supervisor"].headers
    r = api.get("/api/v1/stats/areas", headers=boss)
    assert r.status_code == 200, r.text
    m = r.json()
    areas = {a["code"]: a for g in m["groups"] for a in g["areas"]}
    assert areas[GULOU]["count"] == 3 and areas[GULOU]["level"] == 4
    assert areas[LIUYUAN]["count"] == 2 and areas[LIUYUAN]["level"] == 3
    assert m["total"] == 5 and m["max"] == 3
    dongchang = next(g for g in m["groups"] if g["code"] == "371502")
    assert dongchang["name"] == "东昌府区" and dongchang["total"] == 5
    assert all(a["count"] == 0 and a["level"] == 0 for g in m["groups"] if g["code"] != "371502" for a in g["areas"])
    for code in (GULOU, LIUYUAN):  # the tile opens the inbox narrowed the same way: the same number of orders
        inbox = api.get("/api/v1/inbox", params={**areas[code]["drill"], "limit": 1}, headers=boss).json()
        assert inbox["total"] == areas[code]["count"]


def test_the_map_shows_a_district_supervisor_only_the_district(api, people):
    at_street(api, people, GULOU)
    m = api.get("/api/v1/stats/areas", headers=people["district_supervisor"].headers).json()
    assert [g["code"] for g in m["groups"]] == ["371502"] and m["total"] == 1
    assert api.get("/api/v1/stats/areas", headers=people["water_admin"].headers).json()["groups"] == []
    assert api.get("/api/v1/stats/areas", headers=people["water"].headers).status_code == 403


def test_the_map_narrows_to_orders_received_in_a_period(api, people, clock, ctx):
    at_street(api, people, GULOU)
    clock.set(clock.now() + dt.timedelta(days=2))
    signed_in_again(ctx, people)
    at_street(api, people, GULOU)
    boss = people["supervisor"].headers
    m = api.get("/api/v1/stats/areas?from=2026-11-25&to=2026-11-25", headers=boss).json()
    gulou = next(a for g in m["groups"] for a in g["areas"] if a["code"] == GULOU)
    assert gulou["count"] == 1 and gulou["drill"] == {"view": "open", "unit": GULOU, "from": "2026-11-25",
                                                      "to": "2026-11-25"}
    assert api.get("/api/v1/inbox", params=gulou["drill"], headers=boss).json()["total"] == 1


def test_the_monthly_report_has_the_months_figures_against_last_month(api, people):
    worked_order(api, people)
    r = api.get("/api/v1/stats/monthly?month=2026-11", headers=people["supervisor"].headers)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["title"] == "2026年11月 12345热线办理情况通报" and report["scope"] == "全市"
    assert report["period"] == {"from": "2026-11-01", "to": "2026-11-23"} and report["complete"] is False
    counts = {c["name"]: c for c in report["counts"]}
    assert counts["dispatched"]["value"] == 1 and counts["dispatched"]["previous"] == 0
    assert counts["dispatched"]["label"] == "交办量（主办）"
    rates = {x["rate"]: x for x in report["rates"]}
    assert rates["completion_rate"]["value"] == 1.0 and rates["completion_rate"]["previous"] is None
    assert report["ranking"]["rows"] == []  # one order is under the minimum volume of 10
    assert next(u["department"]["code"] for u in report["ranking"]["unranked"]) == "371500-WATER"
    assert report["trend"]["by"] == "week" and report["trend"]["points"][-1]["counts"]["dispatched"] == 1
    assert report["calls"]["calls"] == 0 and report["calls"]["service_level_seconds"] == 20
    mine = api.get("/api/v1/stats/monthly?month=2026-11", headers=people["water_admin"].headers).json()
    assert mine["scope"] == "聊城市水务集团有限公司" and mine["calls"] == {}  # the centre's calls are not theirs
    bad = api.get("/api/v1/stats/monthly?month=2026-13", headers=people["supervisor"].headers | ZH)
    assert bad.status_code == 422 and bad.json()["error_id"] == "invalid_period"
    assert api.get("/api/v1/stats/monthly?month=2026-11", headers=people["operator"].headers).status_code == 403


def test_the_screens_read_how_often_to_refresh_and_rotate_from_the_configuration(api, people):
    r = api.get("/api/v1/stats/display", headers=people["supervisor"].headers)
    assert r.json() == {"service_level_seconds": 20, "refresh_seconds": 5, "wall_rotate_seconds": 15}
    assert api.get("/api/v1/stats/display", headers=people["operator"].headers).status_code == 403
