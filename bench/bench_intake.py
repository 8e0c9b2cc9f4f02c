"""Intake analysis on the labelled set in tests/data/: accuracy per field and utterances per second.

    python bench/bench_intake.py [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline.core.config import load_config  # noqa: E402
from hotline.intake.analyzer import Analyzer  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = {"labelled": "intake_utterances.jsonl", "held out": "intake_holdout.jsonl"}


def load(name: str = "intake_utterances.jsonl") -> list[dict]:
    path = DATA / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(analyzer: Analyzer, items: list[dict]) -> tuple[dict, list]:
    hits = {"tier": 0, "category": 0, "department": 0}
    misses = []
    for item in items:
        got = analyzer.analyze(item["text"])
        found = {"tier": got.tier, "category": got.category and got.category["code"],
                 "department": got.department and got.department["code"]}
        leaf = analyzer.config.category(item["category"]) if item["category"] else None
        want = {**item, "category": leaf.code if leaf else item["category"]}  # retired codes name their leaf
        for key in hits:
            if found[key] == want[key]:
                hits[key] += 1
            else:
                misses.append((key, item["text"], item[key], found[key]))
    return {k: v / len(items) for k, v in hits.items()}, misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="print every wrong suggestion")
    args = parser.parse_args()
    analyzer = Analyzer(load_config(ROOT / "config"))
    for title, name in SETS.items():
        items = load(name)
        accuracy, misses = evaluate(analyzer, items)
        asr = [i for i in items if i.get("asr")]
        accuracy_asr, _ = evaluate(analyzer, asr)
        print(f"{title}: {len(items)} utterances ({len(asr)} with recognition errors)")
        for key in accuracy:
            print(f"  {key:<10} {accuracy[key]:.1%} all, {accuracy_asr[key]:.1%} with recognition errors")
        if args.misses:
            for key, text, want, got in misses:
                print(f"  miss {key}: {text} — want {want}, got {got}")
    texts = [i["text"] for name in SETS.values() for i in load(name)]
    analyzer.analyze(texts[0])
    rounds, started = 20, time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            analyzer.analyze(text)
    rate = rounds * len(texts) / (time.perf_counter() - started)
    print(f"speed: {rate:,.0f} utterances/s on one core")


if __name__ == "__main__":
    main()
