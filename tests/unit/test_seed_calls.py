"""The development calls shipped beside the seed corpus (seed/calls.jsonl): labelled as the catalogue and the
gazetteer say, taken from the named development sets only, and left out set by set when asked."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from hotline.core.config import load_config
from hotline.intake.learning import seed_examples

ROOT = Path(__file__).resolve().parents[2]
SETS = {"heldout": "intake_heldout.jsonl", "heldout2": "intake_heldout2.jsonl", "heldout3": "intake_heldout3.jsonl",
        "heldout4": "intake_heldout4.jsonl", "heldout5": "intake_heldout5.jsonl", "heldout6": "intake_heldout6.jsonl",
        "heldout7": "intake_heldout7.jsonl", "heldout8": "intake_heldout8.jsonl"}


@cache
def calls() -> tuple[dict, ...]:
    text = files("hotline.intake").joinpath("seed/calls.jsonl").read_text(encoding="utf-8")
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


def _leaves() -> dict[str, dict]:
    catalogue = yaml.safe_load((ROOT / "config" / "catalogue.yaml").read_text(encoding="utf-8"))["catalogue"]
    return {leaf["code"]: leaf for top in catalogue for mid in top["children"] for leaf in mid["children"]}


def test_calls_come_from_the_named_development_sets_only_and_all_of_them():
    by_set: dict[str, int] = {}
    for row in calls():
        by_set[row["set"]] = by_set.get(row["set"], 0) + 1
    assert set(by_set) == set(SETS)
    for name, file in SETS.items():
        lines = [json.loads(line) for line in (ROOT / "bench" / "data" / file).read_text(encoding="utf-8")
                 .splitlines() if line.strip()]
        assert by_set[name] == len(lines)
        assert {r["text"] for r in calls() if r["set"] == name} == {r["text"] for r in lines}


def test_the_held_out_set_is_not_among_them():
    held = {json.loads(line)["text"] for line in (ROOT / "bench" / "data" / "intake_heldout9.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()}
    assert held and not held & {r["text"] for r in calls()}


def test_every_call_names_a_leaf_and_its_leafs_tier():
    leaves = _leaves()
    for row in calls():
        assert row["category"] in leaves, row
        assert row["tier"] == leaves[row["category"]]["tier"], row
        assert row["department"], row


def test_leaving_a_set_out_drops_exactly_its_calls():
    config = load_config(ROOT / "config")
    everything = seed_examples(config)
    without = seed_examples(config, frozenset({"heldout3"}))
    corpus_only = seed_examples(config, frozenset(SETS))
    n3 = sum(r["set"] == "heldout3" for r in calls())
    assert len(everything) - len(without) == n3
    assert len(everything) - len(corpus_only) == len(calls())
    assert {e.text for e in everything} - {e.text for e in without} <= {r["text"] for r in calls()}
    assert all(e.source == "seed" for e in everything)
