"""Routing rules: category and place → lead department and co-handlers, with reasons."""

from __future__ import annotations

import pytest

from hotline.dispatch.routing import Router
from tests.shipped import shipped_config

ROUTER = Router(shipped_config())


def test_gas_leak_goes_to_the_gas_company_with_emergency_management_and_the_street_office():
    route = ROUTER.route("gas.leak", "东昌府区古楼街道东关社区3号楼")
    assert route.lead == "371500-GAS"
    assert route.co == ("371500-YJJ", "371502001")
    assert any("古楼街道" in r for r in route.reasons)


def test_place_rule_sends_sanitation_to_the_township_the_village_lies_in():
    route = ROUTER.route("city.sanitation", "冠县贾镇贾镇村村口垃圾堆")
    assert route.lead == "371525101"
    assert "地点“贾镇村”属贾镇（冠县）" in route.reasons[-1]


def test_place_rule_falls_back_when_the_place_names_no_office():
    route = ROUTER.route("city.vendors", "人民广场东门")
    assert route.lead == "371500-CGJ" and "由聊城市城市管理局主办" in route.reasons[-1]


def test_county_named_in_the_place_decides_between_same_named_units():
    # 振兴社区 exists only in 茌平区; naming the district keeps the match honest.
    assert ROUTER.route("dispute.complex", "茌平区振兴社区").lead == "371503001"


def test_category_without_a_rule_uses_its_own_department():
    route = ROUTER.route("heating", "古楼街道")
    assert route.lead == "371500-HEAT" and route.co == ()


@pytest.mark.parametrize("category", ["consult.policy", None])
def test_no_department_means_the_operator_chooses(category):
    route = ROUTER.route(category, None)
    assert route.lead is None and route.reasons
