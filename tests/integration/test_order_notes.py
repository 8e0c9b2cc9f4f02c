"""内部沟通 on an order: the departments holding it and the hotline write and read notes; a department reads
numbers masked; another department, a liaison and Open311 never see them; the other side hears of a note live."""

from __future__ import annotations

import httpx2 as httpx

from tests.integration.conftest import step
from tests.integration.test_department_steps import ZH, dispatched
from tests.integration.test_live_scope import open_stream, read_events, served, ticket_for  # noqa: F401

WORDS = "市民又来电，手机13800138000，身份证370102199001011234，请今天上门"


def test_the_hotline_and_the_department_write_and_read_notes(api, people):
    ticket = dispatched(api, people)
    r = api.post(f"/api/v1/work-orders/{ticket}/notes", json={"text": WORDS}, headers=people["operator"].headers)
    assert r.status_code == 201, r.text
    assert r.json()["text"] == WORDS and r.json()["side"] == "12345热线" and r.json()["mine"] is True
    r = api.post(f"/api/v1/work-orders/{ticket}/notes", json={"text": "已联系，明早上门\n需要物业配合"},
                 headers=people["water"].headers)
    assert r.status_code == 201 and r.json()["side"] == "聊城市水务集团有限公司", r.text
    water_side = r.json()["side"]
    seen = api.get(f"/api/v1/work-orders/{ticket}/notes", headers=people["water"].headers).json()
    assert [n["side"] for n in seen] == ["12345热线", water_side] and water_side != "12345热线"
    assert "13800138000" not in seen[0]["text"] and "138****8000" in seen[0]["text"]
    assert "370102199001011234" not in seen[0]["text"] and "370***********1234" in seen[0]["text"]
    assert seen[1]["text"] == "已联系，明早上门\n需要物业配合" and seen[1]["mine"] and not seen[0]["mine"]
    full = api.get(f"/api/v1/work-orders/{ticket}/notes", headers=people["operator"].headers).json()
    assert full[0]["text"] == WORDS  # the centre reads what was written
    assert api.get(f"/api/v1/work-orders/{ticket}/notes", headers=people["supervisor"].headers).status_code == 200


def test_no_one_outside_the_order_reads_or_writes_its_notes(api, people):
    ticket = dispatched(api, people)
    step(api, people["water"], ticket, "sign")
    api.post(f"/api/v1/work-orders/{ticket}/notes", json={"text": "内部：管线图在档案室"}, headers=people["water"].headers)
    for reader in ("housing", "street", "district"):
        assert api.get(f"/api/v1/work-orders/{ticket}/notes", headers=people[reader].headers).status_code == 404
        r = api.post(f"/api/v1/work-orders/{ticket}/notes", json={"text": "看看"}, headers=people[reader].headers)
        assert r.status_code == 404 and r.json()["error_id"] == "order_not_found"
    assert api.get(f"/api/v1/work-orders/{ticket}/notes", headers=people["liaison"].headers).status_code == 403
    for path in (f"/api/v1/work-orders/{ticket}", f"/api/v1/work-orders/{ticket}/story"):
        assert "管线图" not in api.get(path, headers=people["operator"].headers).text  # notes live apart
    assert len(api.get(f"/api/v1/work-orders/{ticket}/notes", headers=people["water"].headers).json()) == 1


def test_an_empty_or_overlong_note_is_refused_and_nothing_is_written(api, people):
    ticket = dispatched(api, people)
    r = api.post(f"/api/v1/work-orders/{ticket}/notes", json={"text": "  \n "}, headers=people["water"].headers | ZH)
    assert r.status_code == 422 and r.json()["error_id"] == "note_empty" and "沟通内容" in r.json()["message"]
    r = api.post(f"/api/v1/work-orders/{ticket}/notes", json={"text": "长" * 2001}, headers=people["water"].headers)
    assert r.status_code == 422
    assert api.get(f"/api/v1/work-orders/{ticket}/notes", headers=people["water"].headers).json() == []


def test_the_department_hears_of_a_hotline_note_live_and_another_department_does_not(served, people):  # noqa: F811
    with httpx.Client(base_url=served) as c:
        r = c.post("/api/v1/work-orders", headers=people["operator"].headers, json={
            "title": "小区停水", "content": "停水了", "category_code": "water.outage", "place": "东昌府区古楼街道东关社区",
            "citizen_phone": "13800138000"})
        ticket = r.json()["ticket_no"]
        for action in ("accept", "dispatch"):
            assert c.post(f"/api/v1/work-orders/{ticket}/{action}", headers=people["operator"].headers).status_code == 200
        water = open_stream(served, f"?ticket={ticket_for(served, people['water'])}")
        housing = open_stream(served, f"?ticket={ticket_for(served, people['housing'])}", timeout=3)

        def note_when_connected(events):
            if events == [("connected", {})]:
                c.post(f"/api/v1/work-orders/{ticket}/notes", json={"text": "请今天回电 13800138000"},
                       headers=people["operator"].headers)
            return len(events) >= 2

        _, events = read_events(water, note_when_connected)
        assert events[1] == ("note", {"type": "note", "ticket": ticket, "note_id": events[1][1]["note_id"],
                                      "from_hotline": True})  # no words on the stream: the page fetches them
        try:
            _, other = read_events(housing, lambda e: len(e) >= 2)
        except TimeoutError:
            other = []
        assert not [e for e in other if e[0] == "note"]
