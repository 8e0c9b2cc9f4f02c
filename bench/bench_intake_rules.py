"""The rule side of intake on the held-out set: danger, places, numbers, tier, time per utterance.

    python bench/bench_intake_rules.py [--misses] [--set FILE] [--danger-model DIR]

Each figure twice, in one run: the danger patterns alone, and with the danger model (the shipped one, or DIR).

The held-out set (bench/data/intake_heldout.jsonl) is measured, never tuned on. Time per
utterance is the whole analysis against the recogniser-text normalisation alone, in the same run.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline.core.config import load_config  # noqa: E402
from hotline.intake.analyzer import Analyzer  # noqa: E402
from hotline.text.normalize import normalise  # noqa: E402

HELDOUT = ROOT / "bench" / "data" / "intake_heldout9.jsonl"  # the first eight sets are development data now


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def emergency_of(got) -> tuple[bool, str | None]:
    danger = getattr(got, "danger", None)
    if danger is not None:
        return danger.get("level") == "emergency", danger.get("service")
    return got.tier == "emergency", None


def place_of(got) -> tuple[str | None, str | None]:
    detail = getattr(got, "place_detail", None)
    if detail:
        return detail.get("name"), detail.get("department")
    return got.place, None


def _digits(values) -> list[str]:
    return sorted(re.sub(r"\D", "", v) for v in values or [])


def numbers_match(want: dict, got: dict) -> dict[str, bool]:
    masked = [v[:6] + "*" * 8 + v[-4:] for v in want.get("id_numbers", [])]
    return {
        "phones": _digits(want["phones"]) == _digits(got.get("phones")),
        "tickets": _digits(want["tickets"]) == _digits(got.get("tickets")),
        "house": want.get("house") == got.get("house"),
        "id_numbers": sorted(masked) == sorted(got.get("id_numbers") or []),
    }


def evaluate(analyzer: Analyzer, rows: list[dict], misses: bool) -> dict:
    c = {"tp": 0, "fn": 0, "fp": 0, "tn": 0, "hard_fp": 0, "service": 0, "tier": 0, "tier_emergency": 0,
         "place": 0, "place_named": 0, "place_dept": 0, "place_dept_n": 0, "numbers": 0,
         "numbers_named": 0, "numbers_named_ok": 0}
    field_ok = {"phones": 0, "tickets": 0, "house": 0, "id_numbers": 0}
    field_n = dict.fromkeys(field_ok, 0)
    for row in rows:
        got = analyzer.analyze(row["text"])
        emergency, service = emergency_of(got)
        if row["emergency"]:
            c["tp" if emergency else "fn"] += 1
            c["service"] += emergency and service == row["service"]
        else:
            c["fp" if emergency else "tn"] += 1
            c["hard_fp"] += emergency and row["hard_negative"]
        c["tier"] += got.tier == row["tier"]
        c["tier_emergency"] += (got.tier == "emergency") == (row["tier"] == "emergency")
        place, office = place_of(got)
        c["place"] += place == row["place"]
        c["place_named"] += row["place"] is not None and place == row["place"]
        if row["place_department"]:
            c["place_dept_n"] += 1
            c["place_dept"] += office == row["place_department"]
        ok = numbers_match(row["numbers"], got.numbers)
        c["numbers"] += all(ok.values())
        said = [k for k, v in row["numbers"].items() if v]
        for key in said:
            field_n[key] += 1
            field_ok[key] += ok[key]
        if said:
            c["numbers_named"] += 1
            c["numbers_named_ok"] += all(ok.values())
        if misses:
            _print_misses(row, got, emergency, service, place, ok)
    c["field_ok"], c["field_n"] = field_ok, field_n
    return c


def _print_misses(row, got, emergency, service, place, ok) -> None:
    if emergency != row["emergency"] or (emergency and service != row["service"]):
        print(f"  danger {row['id']}: want {row['service']}, got {service if emergency else None}: {row['text']}")
    if place != row["place"]:
        print(f"  place {row['id']}: want {row['place']}, got {place}: {row['text']}")
    if not all(ok.values()):
        print(f"  numbers {row['id']}: want {row['numbers']}, got {got.numbers}: {row['text']}")


def timing(analyzer: Analyzer, texts: list[str], rounds: int) -> tuple[float, float]:
    """Median seconds per utterance for normalisation alone and for the whole analysis."""
    base, full = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            normalise(text)
        base.append((time.perf_counter() - started) / len(texts))
        started = time.perf_counter()
        for text in texts:
            analyzer.analyze(text)
        full.append((time.perf_counter() - started) / len(texts))
    return statistics.median(base), statistics.median(full)


def pct(a: int, b: int) -> str:
    return f"{a / b:.1%} ({a}/{b})" if b else "n/a"


def report(name: str, analyzer: Analyzer, rows: list[dict], args) -> float:
    """Print the figures of one analyser; return its time per utterance."""
    c = evaluate(analyzer, rows, args.misses)
    emergencies, others = c["tp"] + c["fn"], c["fp"] + c["tn"]
    hard = sum(1 for r in rows if r["hard_negative"] and not r["emergency"])
    print(f"{args.set.name}, {name}: {len(rows)} utterances, {emergencies} emergencies")
    print(f"  emergency recall      {pct(c['tp'], emergencies)}")
    print(f"  false alarms          {pct(c['fp'], others)} of non-emergencies; {pct(c['hard_fp'], hard)} of hard negatives")
    print(f"  service (of found)    {pct(c['service'], c['tp'])}")
    print(f"  emergency tier agrees {pct(c['tier_emergency'], len(rows))}")
    print(f"  tier (all four)       {pct(c['tier'], len(rows))}")
    print(f"  place                 {pct(c['place'], len(rows))}; of lines naming one {pct(c['place_named'], sum(1 for r in rows if r['place']))}")
    print(f"  place's street office {pct(c['place_dept'], c['place_dept_n'])}")
    print(f"  numbers, whole line   {pct(c['numbers'], len(rows))}; of lines saying one {pct(c['numbers_named_ok'], c['numbers_named'])}")
    for key, n in c["field_n"].items():
        print(f"    {key:<11} {pct(c['field_ok'][key], n)}")
    base, full = timing(analyzer, [r["text"] for r in rows], args.rounds)
    print(f"  time per utterance    {full * 1000:.2f} ms analysis, {base * 1000:.3f} ms normalisation alone "
          f"(×{full / base:.1f})")
    return full


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="print every miss (never tune rules on them)")
    parser.add_argument("--set", type=Path, default=HELDOUT)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--danger-model", type=Path, default=None,
                        help="a directory with another danger model than the shipped one")
    args = parser.parse_args()
    rows = load(args.set)
    config = load_config(ROOT / "config")
    alone = report("danger patterns alone", Analyzer(config, learned_danger=False), rows, args)
    joined = Analyzer(config, danger_model=args.danger_model)
    status = joined.danger_status()
    print(f"danger model: {status['status']} {status.get('version', status.get('error'))}")
    both = report("danger patterns + danger model", joined, rows, args)
    print(f"time per utterance, patterns + model against patterns alone: ×{both / alone:.2f}")


if __name__ == "__main__":
    main()
