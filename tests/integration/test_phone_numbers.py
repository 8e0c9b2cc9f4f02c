"""One citizen however their number arrives: typed by an operator, sent by a channel, looked up for a screen pop
or a repeat-caller check."""

from __future__ import annotations

from sqlalchemy import select

from hotline.core.db import session_scope
from hotline.dispatch.service import WorkOrderService
from hotline.intake.service import IntakeService
from hotline.models import Citizen
from hotline.telephony.screenpop import caller_history
from tests.factories import OPERATOR, draft
from tests.integration.conftest import new_order


def test_orders_typed_with_any_format_belong_to_one_citizen(api, people, session_factory):
    for typed in ("+8613800138077", "008613800138077", "138 0013 8077", "１３８００１３８０７７"):
        new_order(api, people["operator"], citizen_phone=typed)
    with session_factory() as s:
        assert s.scalars(select(Citizen.phone)).all() == ["13800138077"]


def test_a_number_that_is_none_is_refused_with_the_reason(api, people):
    r = api.post("/api/v1/work-orders", headers=people["operator"].headers,
                 json={"title": "停水", "content": "停水两天", "citizen_phone": "138-abc"})
    assert r.status_code == 422 and "not a phone number" in r.text


def test_screen_pop_and_repeat_check_find_the_citizen_behind_an_e164_caller_id(session_factory, ctx):
    with session_scope(session_factory) as s:
        WorkOrderService(s, ctx).create(draft(citizen_phone="13800138077", place="东昌府区古楼街道东关社区"), OPERATOR)
    with session_factory() as s:
        history = caller_history(s, ctx.sla, "+8613800138077")
        repeat = IntakeService(s, ctx).analyze("东关社区又停水了", "0086 138 0013 8077")
    assert history["known"] and history["caller"] == "13800138077" and len(history["open"]) == 1
    assert repeat.repeat is not None and len(repeat.repeat["tickets"]) == 1
