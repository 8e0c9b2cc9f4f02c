"""The shipped intake seed corpus covers the catalogue in the caller's words and agrees with the config."""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter, defaultdict
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config"
FIELDS = {"text", "category", "department", "tier", "emergency", "kind", "place", "slip"}
KINDS = {"咨询", "求助", "投诉", "举报", "建议", "表扬"}
PER_LEAF = 24
NAME_SHARE = 0.30
SLIP_SHARE = 0.25
# Anything a recogniser never writes: punctuation (Chinese and ASCII) and digits.
NOT_SPOKEN = re.compile(r"[，。！？、；：“”‘’（）《》…,.!?;:\"'()\[\]0-9]")
NEAR_MISS = ("担心", "万一", "隐患")

Node = dict[str, Any]


@cache
def load(name: str) -> Any:
    return yaml.safe_load((CONFIG / name).read_text(encoding="utf-8"))


@cache
def corpus() -> tuple[Node, ...]:
    text = files("hotline.intake").joinpath("seed/corpus.jsonl").read_text(encoding="utf-8")
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


@cache
def leaves() -> dict[str, Node]:
    return {leaf["code"]: leaf for top in load("catalogue.yaml")["catalogue"]
            for mid in top["children"] for leaf in mid["children"]}


@cache
def departments() -> dict[str, str]:
    """Department code → kind, over the whole tree."""
    found: dict[str, str] = {}
    stack = list(load("departments.yaml")["departments"])
    while stack:
        node = stack.pop()
        found[str(node["code"])] = node.get("kind", "")
        stack.extend(node.get("children", []))
    return found


@cache
def places() -> dict[str, list[Node]]:
    """Gazetteer name → its entries (an ambiguous name has several)."""
    found: dict[str, list[Node]] = defaultdict(list)
    for entry in load("places.yaml")["places"]:
        found[entry["name"]].append(entry)
    return found


def joined(line: Node) -> str:
    return line["text"].replace(" ", "")


def by_leaf() -> dict[str, list[Node]]:
    grouped: dict[str, list[Node]] = defaultdict(list)
    for line in corpus():
        grouped[line["category"]].append(line)
    return grouped


def test_every_line_has_exactly_the_corpus_fields_with_their_types():
    for line in corpus():
        assert set(line) == FIELDS, line
        assert isinstance(line["text"], str) and isinstance(line["emergency"], bool), line
        assert isinstance(line["slip"], bool) and line["kind"] in KINDS, line
        assert line["place"] is None or isinstance(line["place"], str), line


def test_every_leaf_of_the_catalogue_has_at_least_24_utterances_and_no_line_names_another_code():
    counts = Counter(line["category"] for line in corpus())
    assert set(counts) <= set(leaves()), set(counts) - set(leaves())
    thin = {code: counts[code] for code in leaves() if counts[code] < PER_LEAF}
    assert not thin, thin


def test_tier_and_emergency_flag_are_the_leafs():
    for line in corpus():
        leaf = leaves()[line["category"]]
        assert line["tier"] == leaf["tier"], line
        assert line["emergency"] == (leaf["tier"] == "emergency"), line


def test_department_is_the_leaf_default_or_the_street_office_of_the_place_for_leaves_led_by_place():
    for line in corpus():
        leaf = leaves()[line["category"]]
        assert line["department"] in departments(), line
        if leaf.get("lead_by_place") and line["place"] is not None:
            [entry] = places()[line["place"]]  # a place that decides routing is not ambiguous
            assert line["department"] == str(entry["department"]), line
            assert departments()[line["department"]] in {"street", "township"}, line
        else:
            assert line["department"] == str(leaf["department"]), line


def test_a_recorded_place_is_in_the_gazetteer_and_the_caller_says_it_or_an_alias():
    for line in corpus():
        if line["place"] is None:
            continue
        assert line["place"] in places(), line
        spoken = {name for entry in places()[line["place"]] for name in (entry["name"], *entry.get("aliases", []))}
        assert any(name in joined(line) for name in spoken), line


def test_about_half_of_the_lines_name_a_place():
    share = sum(line["place"] is not None for line in corpus()) / len(corpus())
    assert 0.3 <= share <= 0.7, share


def test_no_utterance_appears_twice():
    duplicates = [text for text, count in Counter(line["text"] for line in corpus()).items() if count > 1]
    assert not duplicates, duplicates[:5]


def test_text_is_recogniser_output_space_separated_tokens_without_punctuation_or_digits():
    for line in corpus():
        tokens = line["text"].split(" ")
        assert all(tokens) and 5 <= len(tokens) <= 60, line["text"]
        assert not NOT_SPOKEN.search(line["text"]), line["text"]


def test_at_least_a_quarter_of_the_lines_carry_a_recognition_slip():
    share = sum(line["slip"] for line in corpus()) / len(corpus())
    assert share >= SLIP_SHARE, share


def test_few_of_a_leafs_lines_say_the_leafs_own_name():
    for code, lines in by_leaf().items():
        name = leaves()[code]["name"]
        share = sum(name in joined(line) for line in lines) / len(lines)
        assert share <= NAME_SHARE, (code, name, share)


def test_hazard_words_also_appear_in_lines_that_are_not_emergencies():
    near_misses = [line for line in corpus()
                   if not line["emergency"] and any(word in joined(line) for word in NEAR_MISS)]
    assert len(near_misses) >= 50, len(near_misses)
    assert len({line["category"] for line in near_misses}) >= 10


def test_the_corpus_ships_as_package_data():
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "intake/seed/*" in setup["package-data"]["hotline"]
