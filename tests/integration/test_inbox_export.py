"""导出 of an inbox view: CSV with a BOM for Excel, the same view, filters, order and scope as the inbox,
streamed; refused above the cap with nothing exported; no cell Excel would run as a formula."""

from __future__ import annotations

import csv
import io

from hotline.api.routers import inbox_export
from tests.integration.conftest import new_order, step
from tests.integration.test_department_steps import ZH, dispatched
from tests.integration.test_inbox import EXPECTED, inbox, volume  # noqa: F401 (fixture)


def export(api, person, expect: int = 200, **params) -> list[list[str]]:
    r = api.get("/api/v1/inbox/export.csv", params=params, headers=person.headers | ZH)
    assert r.status_code == expect, r.text
    if expect != 200:
        return [[r.json()["error_id"], r.json()["message"]]]
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"].startswith("attachment;") and "filename*=utf-8''" in r.headers[
        "content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))


def test_the_export_holds_the_views_orders_in_the_inboxs_order(api, people, volume):  # noqa: F811
    water = people["water"]
    rows = export(api, water, view="open")
    assert rows[0][:3] == ["工单号", "标题", "紧急程度"] and len(rows) - 1 == EXPECTED["open"]
    listed = [o["ticket_no"] for offset in range(0, 400, 200)
              for o in inbox(api, water, view="open", limit=200, offset=offset)["items"]]
    assert [r[0] for r in rows[1:401]] == listed  # emergencies first, then by the nearest deadline
    assert rows[1][2] == "紧急" and rows[1][1].startswith("燃气泄漏")
    overdue = export(api, water, view="overdue")
    assert len(overdue) - 1 == EXPECTED["overdue"] and all(r[13] == "红灯" for r in overdue[1:])
    emergencies = export(api, water, view="open", tier="emergency")
    assert len(emergencies) - 1 == 3
    assert len(export(api, people["housing"], view="open")) - 1 == 50  # its own orders only
    assert not {r[0] for r in export(api, people["housing"], view="open")[1:]} & set(listed)


def test_others_get_nothing_and_a_too_large_export_is_refused(api, people, monkeypatch):
    ticket = dispatched(api, people, title="=HYPERLINK(\"http://x\",\"点我\") 电话13800138000")
    dispatched(api, people)
    dispatched(api, people)
    rows = export(api, people["water"], view="to_sign")
    [mine] = [r for r in rows if r[0] == ticket]
    assert mine[1].startswith("'=HYPERLINK") and "138****8000" in mine[1] and "13800138000" not in mine[1]
    assert mine[5] == "待签收" and mine[6] == "主办" and mine[7] == "聊城市水务集团有限公司"
    for person in ("operator", "liaison", "callback"):
        assert api.get("/api/v1/inbox/export.csv", headers=people[person].headers).status_code == 403
    r = api.get("/api/v1/inbox/export.csv", params={"unit": "371500-ZJJ"}, headers=people["water"].headers)
    assert r.status_code == 404 and r.json()["error_id"] == "unit_not_found"
    assert len(export(api, people["street"], view="to_sign")) == 1  # the header only
    monkeypatch.setattr(inbox_export, "CAP", 2)
    [[error, message]] = export(api, people["water"], expect=422, view="to_sign")
    assert error == "export_too_large" and "缩小筛选范围" in message
    audits = api.get("/api/v1/audit", params={"action": "inbox.export", "user": "water"}, headers=people["admin"].headers)
    assert [(a["object_id"], a["details"]["rows"]) for a in audits.json()][:1] == [("to_sign", 3)]  # refused: none


def test_a_supervisor_exports_the_orders_of_its_district_only(api, people):
    ticket = new_order(api, people["operator"], category_code="city.sanitation", title="垃圾未清运",
                       place="东昌府区古楼街道米市街社区")
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": "371502001", "reason": "属地"})
    water = dispatched(api, people)
    tickets = {r[0] for r in export(api, people["district_supervisor"], view="open")[1:]}
    assert ticket in tickets and water not in tickets
