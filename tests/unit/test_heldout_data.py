"""The held-out intake sets are well formed and labelled only with codes the shipped config knows."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"
# Each held-out set with the letter its ids start with.
HELDOUT_SETS = {
    "intake_heldout.jsonl": "H", "intake_heldout2.jsonl": "N", "intake_heldout3.jsonl": "T", "intake_heldout4.jsonl": "F",
    "intake_heldout5.jsonl": "V", "intake_heldout6.jsonl": "W", "intake_heldout7.jsonl": "X",
    "intake_heldout8.jsonl": "Y", "intake_heldout9.jsonl": "Z",
}
CONFIG = ROOT / "config"
FIELDS = {
    "id", "text", "emergency", "service", "tier", "category", "department", "place", "place_department",
    "kind", "numbers", "slip", "hard_negative",
}
OPTIONAL = {"note"}
TIERS = {"emergency", "livelihood", "general", "complex"}
KINDS = {"咨询", "求助", "投诉", "举报", "建议", "表扬"}
NUMBER_FIELDS = {"phones", "tickets", "house", "id_numbers"}
PUNCTUATION = re.compile(r"[，。？！、：；“”‘’,.?!:;\"']")

Row = dict[str, Any]


@cache
def config(name: str) -> Any:
    return yaml.safe_load((CONFIG / name).read_text(encoding="utf-8"))


@cache
def rows(name: str) -> list[Row]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(params=sorted(HELDOUT_SETS))
def heldout(request: pytest.FixtureRequest) -> str:
    """The file name of one held-out set; every check below runs over each set."""
    return str(request.param)


@cache
def leaves() -> dict[str, Row]:
    return {leaf["code"]: leaf for top in config("catalogue.yaml")["catalogue"]
            for mid in top["children"] for leaf in mid["children"]}


@cache
def departments() -> frozenset[str]:
    codes: set[str] = set()
    stack = list(config("departments.yaml")["departments"])
    while stack:
        node = stack.pop()
        codes.add(node["code"])
        stack.extend(node.get("children", []))
    return frozenset(codes)


@cache
def gazetteer() -> dict[str, set[str]]:
    """Every gazetteer name with the street offices / townships it is filed under."""
    found: dict[str, set[str]] = defaultdict(set)
    for place in config("places.yaml")["places"]:
        found[place["name"]].add(place["department"])
    return found


def test_every_line_is_a_json_object_with_the_label_fields(heldout: str) -> None:
    for line in (DATA / heldout).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert FIELDS <= row.keys() <= FIELDS | OPTIONAL, row.get("id")


def test_ids_are_unique_and_numbered_in_order(heldout: str) -> None:
    ids = [row["id"] for row in rows(heldout)]
    assert ids == [f"{HELDOUT_SETS[heldout]}{n:04d}" for n in range(1, len(ids) + 1)]


def test_no_text_appears_twice(heldout: str) -> None:
    repeated = [text for text, n in Counter(row["text"] for row in rows(heldout)).items() if n > 1]
    assert repeated == []


def test_texts_look_like_recogniser_output(heldout: str) -> None:
    for row in rows(heldout):
        tokens = row["text"].split(" ")
        assert all(tokens), row["id"]
        assert 5 <= len(tokens) <= 80, row["id"]
        assert not PUNCTUATION.search(row["text"]), row["id"]


def test_categories_departments_and_places_exist_in_config(heldout: str) -> None:
    for row in rows(heldout):
        assert row["category"] in leaves(), row["id"]
        assert row["department"] in departments(), row["id"]
        assert row["place_department"] is None or row["place_department"] in departments(), row["id"]
        assert row["kind"] in KINDS and row["tier"] in TIERS, row["id"]


def test_emergencies_carry_the_service_and_tier_of_an_emergency_leaf(heldout: str) -> None:
    for row in rows(heldout):
        leaf = leaves()[row["category"]]
        assert row["emergency"] == ("service" in leaf), row["id"]
        assert row["service"] == leaf.get("service"), row["id"]
        assert (row["tier"] == "emergency") == row["emergency"], row["id"]


def test_hard_negatives_are_not_emergencies(heldout: str) -> None:
    assert not [row["id"] for row in rows(heldout) if row["hard_negative"] and row["emergency"]]


def test_department_is_the_leaf_default_or_the_place_for_place_led_leaves(heldout: str) -> None:
    for row in rows(heldout):
        leaf = leaves()[row["category"]]
        led_by_place = leaf.get("lead_by_place") and not row["emergency"] and row["place_department"]
        expected = row["place_department"] if led_by_place else leaf["department"]
        assert row["department"] == expected, row["id"]


def test_gazetteer_places_map_to_one_of_their_street_offices(heldout: str) -> None:
    for row in rows(heldout):
        filed_under = gazetteer().get(row["place"] or "")
        if filed_under is None:
            assert row["place_department"] is None, row["id"]
        elif row["place_department"] is None:
            assert len(filed_under) > 1, f"{row['id']}: unambiguous place without its street office"
        else:
            assert row["place_department"] in filed_under, row["id"]


def test_numbers_are_digit_strings(heldout: str) -> None:
    for row in rows(heldout):
        numbers = row["numbers"]
        assert numbers.keys() == NUMBER_FIELDS, row["id"]
        for field in ("phones", "tickets", "id_numbers"):
            assert all(re.fullmatch(r"\d+X?", value) for value in numbers[field]), row["id"]
        assert all(len(value) == 18 for value in numbers["id_numbers"]), row["id"]
        assert numbers["house"] is None or re.search(r"\d", numbers["house"]), row["id"]


def test_the_set_is_large_and_varied_enough_to_measure_with(heldout: str) -> None:
    data = rows(heldout)
    emergencies = [row for row in data if row["emergency"]]
    assert len(data) >= 500
    assert len(emergencies) >= 130
    assert {row["service"] for row in emergencies} == {"110", "119", "120", "gas", "power", "water"}
    assert sum(row["hard_negative"] for row in data) >= 60
    assert len({row["category"] for row in data}) >= 120
    assert sum(row["slip"] for row in data) >= len(data) * 0.3
    assert sum(row["place"] in gazetteer() for row in data) >= len(data) * 0.7


def test_the_sets_share_no_utterance() -> None:
    texts = {name: {row["text"] for row in rows(name)} for name in sorted(HELDOUT_SETS)}
    shared = {(a, b): texts[a] & texts[b] for a, b in combinations(sorted(texts), 2)}
    assert {pair: both for pair, both in shared.items() if both} == {}


@pytest.mark.parametrize("name", ["intake_heldout7.jsonl", "intake_heldout8.jsonl", "intake_heldout9.jsonl"])
def test_the_seventh_and_later_sets_have_slips_and_word_level_tokens(name: str) -> None:
    data = rows(name)
    assert sum(row["slip"] for row in data) >= len(data) * 0.3
    chinese = [token for row in data for token in row["text"].split(" ") if re.search(r"[\u4e00-\u9fff]", token)]
    assert sum(len(token) > 1 for token in chinese) >= len(chinese) * 0.4
