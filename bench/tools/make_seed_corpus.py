"""Build the intake seed corpus (hotline/intake/seed/corpus.jsonl) from hand-written situations.

Each leaf of config/catalogue.yaml has its own situations in bench/tools/seed_corpus/fragments/;
every situation is rendered several times with a different speaker, place, numbers, fillers and
recognition slips. The output is deterministic: one seeded random stream per leaf, so editing
one leaf's situations leaves the other leaves' lines as they were.

    .venv/bin/python bench/tools/make_seed_corpus.py          # writes the corpus and README counts
    .venv/bin/python bench/tools/make_seed_corpus.py --check  # only prints the per-leaf figures
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from seed_corpus.compose import Composer, Leaf, Utterance
from seed_corpus.fragments import LeafFragments, read_fragments
from seed_corpus.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config"
FRAGMENTS = Path(__file__).resolve().parent / "seed_corpus" / "fragments"
SEED_DIR = ROOT / "hotline" / "intake" / "seed"
SEED = 12345
PER_LEAF = 28
PER_EMERGENCY_LEAF = 48
NAME_SHARE = 0.25  # at most this share of a leaf's lines say the leaf's own name
PLACE_KIND_BY_TOP = {"agri": "village", "resource": "village", "housing": "compound"}
MIN_SITUATIONS = 8
# Calls written by people who never read the seed corpus, labelled, used as development data: a new centre's
# router learns from them too (`calls.jsonl`). Named one by one: a later held-out set is never taken in unasked.
CALL_SETS = {"heldout": ROOT / "bench" / "data" / "intake_heldout.jsonl",
             "heldout2": ROOT / "bench" / "data" / "intake_heldout2.jsonl",
             "heldout3": ROOT / "bench" / "data" / "intake_heldout3.jsonl",
             "heldout4": ROOT / "bench" / "data" / "intake_heldout4.jsonl",
             "heldout5": ROOT / "bench" / "data" / "intake_heldout5.jsonl",
             "heldout6": ROOT / "bench" / "data" / "intake_heldout6.jsonl",
             "heldout7": ROOT / "bench" / "data" / "intake_heldout7.jsonl",
             "heldout8": ROOT / "bench" / "data" / "intake_heldout8.jsonl"}


def load_yaml(name: str) -> Any:
    return yaml.safe_load((CONFIG / name).read_text(encoding="utf-8"))


def catalogue_leaves(fragments: dict[str, LeafFragments]) -> list[tuple[str, Leaf, dict[str, Any]]]:
    """(大类 name, leaf, raw entry) for every leaf, in catalogue order."""
    found = []
    for top in load_yaml("catalogue.yaml")["catalogue"]:
        for mid in top["children"]:
            for entry in mid["children"]:
                written = fragments.get(entry["code"])
                place_kind = (written.place_kind if written and written.place_kind
                              else PLACE_KIND_BY_TOP.get(top["code"], "spot"))
                leaf = Leaf(entry["code"], entry["name"], str(entry["department"]), entry["tier"],
                            bool(entry.get("lead_by_place")), place_kind)
                found.append((top["name"], leaf, entry))
    return found


def department_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    stack = list(load_yaml("departments.yaml")["departments"])
    while stack:
        node = stack.pop()
        kinds[str(node["code"])] = node.get("kind", "")
        stack.extend(node.get("children", []))
    return kinds


def leaf_lines(leaf: Leaf, written: LeafFragments, gazetteer: Gazetteer, seen: set[str]) -> list[Utterance]:
    """The leaf's lines: its situations in turn, each rendered afresh, no line said twice anywhere."""
    rng = random.Random(f"{SEED}:{leaf.code}")
    composer = Composer(gazetteer, rng)
    target = PER_EMERGENCY_LEAF if leaf.emergency else PER_LEAF
    situations = list(written.situations)
    rng.shuffle(situations)
    lines: list[Utterance] = []
    naming = 0
    for attempt in range(target * 30):
        if len(lines) >= target:
            break
        utterance = composer.compose(leaf, situations[attempt % len(situations)])
        says_name = leaf.name in utterance.text.replace(" ", "")
        if utterance.text in seen or (says_name and naming + 1 > NAME_SHARE * target):
            continue
        seen.add(utterance.text)
        naming += says_name
        lines.append(utterance)
    return lines


def figures(leaf: Leaf, entry: dict[str, Any], lines: list[Utterance]) -> dict[str, float]:
    joined = [line.text.replace(" ", "") for line in lines]
    keywords = entry.get("keywords", [])
    return {
        "lines": len(lines),
        "name": sum(leaf.name in text for text in joined) / len(lines),
        "keyword": sum(any(word in text for word in keywords) for text in joined) / len(lines),
        "slip": sum(line.slip for line in lines) / len(lines),
        "place": sum(line.place is not None for line in lines) / len(lines),
    }


def build() -> tuple[list[Utterance], Counter, list[str]]:
    fragments = read_fragments(FRAGMENTS)
    leaves = catalogue_leaves(fragments)
    problems = [f"{code}: written but not in the catalogue" for code in fragments
                if code not in {leaf.code for _, leaf, _ in leaves}]
    gazetteer = Gazetteer(load_yaml("places.yaml")["places"], department_kinds())
    seen: set[str] = set()
    corpus: list[Utterance] = []
    per_top: Counter = Counter()
    for top, leaf, entry in leaves:
        written = fragments.get(leaf.code)
        if written is None or len(written.situations) < MIN_SITUATIONS:
            problems.append(f"{leaf.code}: fewer than {MIN_SITUATIONS} situations written")
            continue
        lines = leaf_lines(leaf, written, gazetteer, seen)
        stats = figures(leaf, entry, lines)
        if stats["keyword"] > 0.5 or stats["lines"] < 24:
            problems.append(f"{leaf.code}: {stats['lines']} lines, keyword share {stats['keyword']:.0%}")
        corpus += lines
        per_top[top] += len(lines)
    return corpus, per_top, problems + stray_places(corpus)


def stray_places(corpus: list[Utterance]) -> list[str]:
    """Lines recorded as naming no place that still say a gazetteer name (a template wrote one literally)."""
    names = sorted({name for entry in load_yaml("places.yaml")["places"]
                    for name in (entry["name"], *entry.get("aliases", [])) if len(name) >= 3})
    return [f"{line.category}: names a place but records none: {line.text}" for line in corpus
            if line.place is None and any(name in line.text.replace(" ", "") for name in names)]


def counts_block(corpus: list[Utterance], per_top: Counter) -> str:
    total = len(corpus)
    rows = [f"| {top} | {count} |" for top, count in per_top.items()]
    share = {
        "slips": sum(line.slip for line in corpus) / total,
        "a named place": sum(line.place is not None for line in corpus) / total,
        "emergencies": sum(line.emergency for line in corpus) / total,
    }
    kinds = Counter(line.kind for line in corpus)
    return "\n".join([
        "| 大类 | utterances |", "|---|---:|", *rows, f"| **total** | **{total}** |", "",
        "Lines with " + ", ".join(f"{name}: {value:.0%}" for name, value in share.items()) + ".",
        "Request kinds: " + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()) + ".",
    ])


def write(corpus: list[Utterance], per_top: Counter) -> None:
    with (SEED_DIR / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for line in corpus:
            out.write(json.dumps(line.__dict__, ensure_ascii=False) + "\n")
    readme = SEED_DIR / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- counts -->", "<!-- /counts -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    readme.write_text(f"{head}{start}\n{counts_block(corpus, per_top)}\n{end}{tail}", encoding="utf-8")


def written_calls(known: set[str]) -> list[dict[str, Any]]:
    """The development sets' calls with their labels (leaf, lead department, place) and the set they come from."""
    out = []
    for name, path in CALL_SETS.items():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["category"] in known:
                    out.append({"text": row["text"], "category": row["category"], "department": row["department"],
                                "tier": row["tier"], "place": row.get("place"), "set": name})
    return out


def write_calls(calls: list[dict[str, Any]]) -> None:
    with (SEED_DIR / "calls.jsonl").open("w", encoding="utf-8") as out:
        for row in calls:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print figures, write nothing")
    args = parser.parse_args()
    corpus, per_top, problems = build()
    print(counts_block(corpus, per_top))
    for problem in problems:
        print("  !", problem, file=sys.stderr)
    calls = written_calls({line.category for line in corpus})
    print(f"calls from the development sets: {len(calls)} ({', '.join(CALL_SETS)})")
    if not args.check:
        write(corpus, per_top)
        write_calls(calls)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
