"""The shipped catalogue and gazetteer hold together: codes, departments, tiers, services, old codes, places."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CONFIG = Path(__file__).resolve().parents[2] / "config"
TIERS = {"emergency", "livelihood", "general", "complex"}
SERVICES = {"110", "119", "120", "gas", "power", "water"}
KINDS = {"咨询", "求助", "投诉", "举报", "建议", "表扬"}
LEAF_KEYS = {"code", "name", "department", "tier", "service", "lead_by_place", "evidence_required", "keywords", "note"}
PLACE_KINDS = {"road", "compound", "village", "landmark", "area"}
PLACE_KEYS = {"name", "kind", "department", "aliases", "ambiguous"}
PLACE_OWNERS = {"street", "township", "district", "county"}
SEGMENT = "[a-z][a-z0-9_]*"
HAN = re.compile(r"[\u4e00-\u9fff]")

Node = dict[str, Any]


@cache
def load(name: str) -> Any:
    return yaml.safe_load((CONFIG / name).read_text(encoding="utf-8"))


def departments() -> dict[str, Node]:
    """Every node of the department tree by code, each with the code of its parent."""
    found: dict[str, Node] = {}
    stack: list[tuple[Node, str | None]] = [(n, None) for n in load("departments.yaml")["departments"]]
    while stack:
        node, parent = stack.pop()
        found[node["code"]] = {**node, "parent": parent}
        stack.extend((child, node["code"]) for child in node.get("children", []))
    return found


def catalogue() -> Node:
    return load("catalogue.yaml")


def groups() -> list[Node]:
    return [mid for top in catalogue()["catalogue"] for mid in top["children"]]


def leaves() -> list[Node]:
    return [leaf for mid in groups() for leaf in mid["children"]]


def leaf(name: str) -> Node:
    [found] = [item for item in leaves() if item["name"] == name]
    return found


def places() -> list[Node]:
    return load("places.yaml")["places"]


def test_catalogue_has_three_levels_and_at_least_150_leaves():
    tops = catalogue()["catalogue"]
    assert all(top["children"] for top in tops)
    assert all(mid["children"] for mid in groups())
    assert all("children" not in item for item in leaves())
    assert len(leaves()) >= 150


def test_codes_are_unique_lowercase_dotted_paths_that_nest():
    codes: list[str] = []
    for top in catalogue()["catalogue"]:
        assert re.fullmatch(SEGMENT, top["code"]), top["code"]
        for mid in top["children"]:
            assert re.fullmatch(rf"{re.escape(top['code'])}\.{SEGMENT}", mid["code"]), mid["code"]
            for item in mid["children"]:
                assert re.fullmatch(rf"{re.escape(mid['code'])}\.{SEGMENT}", item["code"]), item["code"]
                assert len(item["code"]) <= 32, item["code"]
            codes += [item["code"] for item in mid["children"]] + [mid["code"]]
        codes.append(top["code"])
    assert len(codes) == len(set(codes))


def test_every_node_has_a_chinese_name_and_leaf_names_are_unique():
    nodes = catalogue()["catalogue"] + groups() + leaves()
    assert all(HAN.search(node["name"]) for node in nodes)
    names = [item["name"] for item in leaves()]
    assert len(names) == len(set(names))


def test_top_level_follows_the_national_practice():
    tops = {top["name"] for top in catalogue()["catalogue"]}
    expected = {"城乡建设", "住房", "水电气暖", "交通运输", "市场监管", "劳动保障", "教育", "卫生健康", "民政", "公安",
                "生态环境", "农业农村", "自然资源", "应急安全", "政务服务", "文化旅游", "医疗保障"}
    assert expected <= tops
    utility = next(top for top in catalogue()["catalogue"] if top["name"] == "水电气暖")
    assert {mid["name"] for mid in utility["children"]} == {"供水", "供电", "供气", "供暖"}


def test_every_department_named_exists_in_the_department_tree():
    known = departments()
    named = [item["department"] for item in leaves()]
    named += [service["department"] for service in catalogue()["emergency_services"].values()]
    assert [code for code in named if code not in known] == []


def test_leaves_carry_only_known_fields_of_the_right_shape():
    for item in leaves():
        assert set(item) <= LEAF_KEYS and {"code", "name", "department", "tier"} <= set(item), item["code"]
        assert item["tier"] in TIERS, item["code"]
        assert item.get("lead_by_place", False) in (True, False)
        assert item.get("evidence_required", False) in (True, False)
        keywords = item.get("keywords", [])
        assert all(isinstance(word, str) and HAN.search(word) for word in keywords), item["code"]
        assert len(keywords) == len(set(keywords)), item["code"]


def test_emergency_leaves_and_only_they_name_a_known_service():
    for item in leaves():
        if item["tier"] == "emergency":
            assert item.get("service") in SERVICES, item["code"]
        else:
            assert "service" not in item, item["code"]


def test_every_emergency_service_is_described_and_some_leaf_hands_over_to_it():
    services = catalogue()["emergency_services"]
    assert set(services) == SERVICES
    assert all(HAN.search(service["name"]) and {"phone", "transfer"} <= set(service) for service in services.values())
    assert {item["service"] for item in leaves() if "service" in item} == SERVICES


def test_danger_to_life_goes_to_the_service_that_handles_it():
    expected = {"火灾": "119", "燃气泄漏": "gas", "人员受伤急病": "120", "人员落水": "119", "人员被困": "119",
                "触电": "120", "中毒": "120", "建筑塌方险情": "119", "人员走失": "110", "轻生": "110",
                "打架斗殴": "110", "管道爆裂": "water", "电线断落": "power", "电梯困人": "119"}
    assert {name: leaf(name)["service"] for name in expected} == expected


def test_outages_of_water_power_gas_and_heating_are_livelihood():
    outages = ["停水", "水压低", "停电", "电压不稳", "停气", "暖气不热", "停暖"]
    assert {leaf(name)["tier"] for name in outages} == {"livelihood"}


def test_request_kinds_are_a_field_of_their_own_not_categories():
    kinds = {kind["name"] for kind in catalogue()["kinds"]}
    assert kinds == KINDS
    assert all(item["name"] not in kinds for item in leaves())


def test_every_old_category_code_maps_to_an_existing_leaf():
    old = {category["code"] for category in load("categories.yaml")["categories"]}
    legacy = catalogue()["legacy"]
    codes = {item["code"] for item in leaves()}
    assert set(legacy) == old
    assert {target for target in legacy.values() if target not in codes} == set()


def test_old_tiers_survive_the_mapping():
    legacy = catalogue()["legacy"]
    by_code = {item["code"]: item for item in leaves()}
    changed = {c["code"]: c.get("tier", "general") for c in load("categories.yaml")["categories"]
               if by_code[legacy[c["code"]]]["tier"] != c.get("tier", "general")}
    assert changed == {}


def test_gazetteer_has_at_least_400_well_formed_places():
    assert len(places()) >= 400
    for place in places():
        assert set(place) <= PLACE_KEYS and {"name", "kind", "department", "aliases"} <= set(place), place
        assert place["kind"] in PLACE_KINDS, place
        assert HAN.search(place["name"]), place
        assert all(isinstance(alias, str) and alias != place["name"] for alias in place["aliases"]), place
        assert place.get("ambiguous", False) in (True, False), place
    entries = [(place["name"], place["department"]) for place in places()]
    assert len(entries) == len(set(entries))


def test_every_place_belongs_to_a_street_township_or_district():
    known = departments()
    wrong = [p["name"] for p in places() if known.get(p["department"], {}).get("kind") not in PLACE_OWNERS]
    assert wrong == []


def test_every_street_office_and_township_has_its_own_places():
    counts: dict[str, int] = defaultdict(int)
    for place in places():
        counts[place["department"]] += 1
    local = [code for code, node in departments().items() if node["kind"] in {"street", "township"}]
    assert {code: counts[code] for code in local if counts[code] < 5} == {}


def test_villages_and_communities_of_the_tree_are_places_of_their_street_or_township():
    listed = {(p["name"], p["department"]) for p in places()}
    tree = departments()
    missing = [node["name"] for node in tree.values()
               if node["kind"] in {"village", "community"} and (node["name"], node["parent"]) not in listed]
    assert missing == []


def test_a_name_or_alias_names_one_department_unless_every_use_is_marked_ambiguous():
    owners: dict[str, set[str]] = defaultdict(set)
    unmarked: dict[str, set[str]] = defaultdict(set)
    for place in places():
        for form in [place["name"], *place["aliases"]]:
            owners[form].add(place["department"])
            if not place.get("ambiguous", False):
                unmarked[form].add(place["department"])
    clashes = {form for form, codes in owners.items() if len(codes) > 1 and unmarked[form]}
    assert clashes == set()


def test_ambiguous_marks_a_real_clash():
    owners: dict[str, set[str]] = defaultdict(set)
    for place in places():
        for form in [place["name"], *place["aliases"]]:
            owners[form].add(place["department"])
    needless = [p["name"] for p in places()
                if p.get("ambiguous") and all(len(owners[form]) < 2 for form in [p["name"], *p["aliases"]])]
    assert needless == []
