"""Departments — staff and admins alike — never read a citizen's number or name, wherever the text leaves
for them: the order, its trail, its story, the list, hotspots and the notices they are sent."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from hotline.callbacks.service import CallbackService
from hotline.core.db import session_scope
from hotline.core.enums import State, Verdict
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.service import WorkOrderService
from hotline.models import OutboxMessage
from tests.factories import CALLBACK, OPERATOR, WATER, draft, staff_of

NAME = "王建国"
PHONE = "13912345678"
ID_NUMBER = "37150219900101123X"
LANDLINE = "06358123456"
# The same numbers as people write them.
SPOKEN = f"王先生说他叫{NAME}，手机 139 1234 5678，也可打+86-139-1234-5678或１３９１２３４５６７８，座机0635-8123456，身份证{ID_NUMBER}"
SECRETS = (PHONE, ID_NUMBER, LANDLINE, "8123456", NAME, "建国")


def leaks(payload: object) -> list[str]:
    """Which secrets can be read in `payload`, once full-width digits and separators are undone."""
    text = unicodedata.normalize("NFKC", json.dumps(payload, ensure_ascii=False, default=str))
    digits = re.sub(r"(?<=\d)[\s\-()+]+(?=\d)", "", text)
    return [s for s in SECRETS if s in text or s in digits]


@pytest.fixture
def redone(session_factory, ctx):
    """An order full of the citizen's number and name in every field a department reads, redone once."""
    with session_scope(session_factory) as s:
        orders, dept, water = WorkOrderService(s, ctx), DepartmentService(s, ctx), staff_of(s, WATER)
        order = orders.create(draft(title=f"{NAME}反映停水 {PHONE}", content=SPOKEN, citizen_phone=PHONE,
                                    citizen_name=NAME), OPERATOR).order
        orders.accept(order.id, OPERATOR, note=f"已与{NAME}核实，回拨{PHONE}")
        orders.dispatch(order.id, OPERATOR, reason=f"请联系{NAME} 139-1234-5678")
        dept.sign(order.id, water)
        dept.reply(order.id, water, f"已联系{NAME}（{PHONE}）")
        dept.complete(order.id, water, f"已修复，{NAME}确认，电话0635 8123456")
        callbacks = CallbackService(s, ctx)
        callbacks.start(order.id)
        callbacks.record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment=f"{NAME}说还是没水，回电{PHONE}")
        assert order.state == State.DISPATCHED
        return order.ticket_no


@pytest.mark.parametrize("who", ["water", "water_admin"])
def test_a_department_reads_no_number_and_no_name_anywhere(api, people, redone, who):
    headers = people[who].headers
    reads = {path: api.get(f"/api/v1/work-orders/{redone}{path}", headers=headers) for path in
             ("", "/events", "/story")}
    reads["list"] = api.get("/api/v1/work-orders", headers=headers)
    for path, r in reads.items():
        assert r.status_code == 200, (path, r.text)
        assert leaks(r.json()) == [], path
    detail = reads[""].json()
    assert detail["citizen"] == {"phone": "139****5678", "name": None}
    assert "139****5678" in detail["content"] and "王**" in detail["content"]
    notes = [e["note"] for e in reads["/events"].json() if e["note"]]
    assert any("还是没水" in n for n in notes) and any("核实" in n for n in notes)
    if who == "water_admin":
        hotspots = api.get("/api/v1/stats/hotspots?as_of=2026-11-23", headers=headers)
        assert hotspots.status_code == 200 and leaks(hotspots.json()) == []


def test_the_centre_still_reads_everything(api, people, redone):
    detail = api.get(f"/api/v1/work-orders/{redone}", headers=people["operator"].headers).json()
    assert detail["citizen"] == {"phone": PHONE, "name": NAME}
    assert set(leaks(detail)) >= {PHONE, NAME, ID_NUMBER}


def test_the_dispatch_notice_to_a_department_names_no_number(session_factory, redone):
    with session_scope(session_factory) as s:
        bodies = [m.body for m in s.query(OutboxMessage).filter(OutboxMessage.dedupe_key.like("dispatch:%"))]
    assert bodies and all(leaks(b) == [] for b in bodies)
