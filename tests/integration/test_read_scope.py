"""Reads scoped to the reader: an order a department returned is gone from its view, and the audit log
shows a district supervisor only rows about orders it may read, whoever wrote them."""

from __future__ import annotations

from tests.integration.conftest import new_order, step

STREET_ORDER = {"title": "垃圾未清运", "category_code": "city.sanitation", "place": "东昌府区古楼街道米市街社区"}


def audited_tickets(api, person) -> set[str]:
    r = api.get("/api/v1/audit", params={"limit": 500}, headers=person.headers)
    assert r.status_code == 200, r.text
    return {row["object_id"] for row in r.json() if row["object_type"] == "work_order"}


def test_a_department_that_returned_an_order_no_longer_sees_it(api, people):
    ticket = new_order(api, people["operator"], **STREET_ORDER)
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")
    for who in ("street", "district"):
        assert api.get(f"/api/v1/work-orders/{ticket}", headers=people[who].headers).status_code == 200
    step(api, people["street"], ticket, "return", {"text": "不属于本街道职责"})
    for who in ("street", "district"):
        headers = people[who].headers
        for path in ("", "/events", "/story"):
            assert api.get(f"/api/v1/work-orders/{ticket}{path}", headers=headers).status_code == 404, (who, path)
        listed = api.get("/api/v1/work-orders", headers=headers).json()
        assert ticket not in {i["ticket_no"] for i in listed["items"]} and listed["total"] == 0
        assert step(api, people[who], ticket, "sign", expect=404)["error_id"] == "order_not_found"
    assert api.get(f"/api/v1/work-orders/{ticket}", headers=people["operator"].headers).json()["state"] == "returned"


def test_a_district_supervisor_reads_audit_rows_of_its_district_only(api, people):
    city = new_order(api, people["operator"])  # the city's water company
    street = new_order(api, people["operator"], **STREET_ORDER)
    for ticket in (city, street):
        step(api, people["operator"], ticket, "accept")
        step(api, people["operator"], ticket, "dispatch")
    step(api, people["water"], city, "sign")
    step(api, people["street"], street, "sign")
    assert audited_tickets(api, people["district_supervisor"]) == {street}
    assert audited_tickets(api, people["supervisor"]) == {city, street}
    step(api, people["street"], street, "return", {"text": "不属于本街道职责"})
    # The street's own staff wrote the sign and return rows; the order is no longer the district's.
    assert audited_tickets(api, people["district_supervisor"]) == set()
    assert audited_tickets(api, people["supervisor"]) == {city, street}
