"""The danger detector alone on the development data: recall and false alarms per set, misses on request.

    python bench/tools/danger_dev.py [--misses SETNAME]

Development data only: the seed corpus, tests/data/intake_danger_dev.jsonl and the first held-out set
(bench/data/intake_heldout.jsonl, read and tuned on since 2026-11-30, so development data now).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from hotline.core.config import load_config  # noqa: E402
from hotline.intake.danger import DangerDetector  # noqa: E402

SETS = {
    "seed": ROOT / "hotline" / "intake" / "seed" / "corpus.jsonl",
    "dev": ROOT / "tests" / "data" / "intake_danger_dev.jsonl",
    "old": ROOT / "bench" / "data" / "intake_heldout.jsonl",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", default="", help="comma-separated set names whose misses to print")
    args = parser.parse_args()
    config = load_config(ROOT / "config")
    detector = DangerDetector(config.catalogue)
    services = {leaf.code: leaf.service for leaf in config.catalogue.leaves()}
    show = set(args.misses.split(",")) if args.misses else set()
    for name, path in SETS.items():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        tp = fn = fp = tn = right = 0
        for row in rows:
            got = detector.detect(row["text"])
            said = got is not None and got.level == "emergency"
            service, leaf = (got.service, got.category) if got is not None and said else (None, "")
            want = row.get("service") or services.get(row.get("category", ""))
            if row["emergency"]:
                tp, fn = tp + said, fn + (not said)
                right += said and service == want
            else:
                fp, tn = fp + said, tn + (not said)
            if name in show and (said != row["emergency"] or (said and service != want)):
                print(f"  {name} want {want if row['emergency'] else None} got "
                      f"{service} {leaf}: {row['text']}")
        print(f"{name}: recall {tp / max(tp + fn, 1):.1%} ({tp}/{tp + fn}), false alarms {fp / max(fp + tn, 1):.1%} "
              f"({fp}/{fp + tn}), service right {right / max(tp, 1):.1%}")


if __name__ == "__main__":
    main()
