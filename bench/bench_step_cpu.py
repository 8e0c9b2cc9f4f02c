"""CPU per API request for create, the lifecycle steps and the department list, this tree against an earlier
revision, alternating, in one command: the measure that decides throughput once the API is CPU-bound, and one
that a loaded machine does not blur as it blurs requests per second.

    python bench/bench_step_cpu.py [--before REV] [--orders 150] [--rounds 3] [--postgres URL]

Each tree runs in its own interpreter (`--probe`), with its own `hotline` first on the path, on a freshly migrated
PostgreSQL database, one request at a time through the app in-process: `orders` orders are created, then accepted,
dispatched to the water company, signed and replied to, and the clerk's list is read as many times; each phase's
process CPU (`time.process_time`) divided by its requests. Jobs the requests send are held, not run (they run in
the worker). The test client's own work is in every figure alike.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("create", "accept", "dispatch", "sign", "reply", "department list")


def _roundtrips():
    """bench_roundtrips from this file's tree (its seeding and probe runner), whatever revision's `hotline` is
    being measured."""
    spec = importlib.util.spec_from_file_location("roundtrips", Path(__file__).with_name("bench_roundtrips.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def probe(url: str, orders: int) -> dict[str, float]:
    """Runs inside the tree measured: seed like bench_roundtrips, then time each phase."""
    from fastapi.testclient import TestClient

    roundtrips = _roundtrips()
    BODY, Held = roundtrips.BODY, roundtrips.Held

    try:
        from hotline.runtime.api import create_app
    except ImportError:  # before the runtime package
        from hotline.api.app import create_app  # type: ignore[no-redef]

    ctx, tokens = roundtrips.seeded_context(url)
    op = {"Authorization": f"Bearer {tokens['operator']}"}
    clerk = {"Authorization": f"Bearer {tokens['water']}"}
    steps = {"accept": ({}, op), "dispatch": ({"lead": "371500-WATER"}, op), "sign": (None, clerk),
             "reply": ({"text": "已安排人员上门"}, clerk)}
    cpu: dict[str, float] = {}
    with TestClient(create_app(ctx, queue=Held())) as client:
        def timed(name: str, calls) -> list:
            start = time.process_time()
            out = [call() for call in calls]
            cpu[name] = (time.process_time() - start) / len(out) * 1000
            bad = [r for r in out if r.status_code >= 300]
            if bad:
                raise RuntimeError(f"{name}: {bad[0].status_code} {bad[0].text}")
            return out

        warm = client.post("/api/v1/work-orders", json={**BODY, "citizen_phone": "13900000001"}, headers=op)
        for path, (body, who) in steps.items():  # a first, unmeasured round warms pools, caches and statements
            client.post(f"/api/v1/work-orders/{warm.json()['ticket_no']}/{path}", json=body, headers=who)
        created = timed("create", [
            (lambda i=i: client.post("/api/v1/work-orders", json={**BODY, "citizen_phone": f"139{i:08d}"}, headers=op))
            for i in range(10, 10 + orders)])
        tickets = [r.json()["ticket_no"] for r in created]
        for path, (body, who) in steps.items():
            timed(path, [(lambda t=t, p=path, b=body, w=who: client.post(f"/api/v1/work-orders/{t}/{p}", json=b,
                                                                          headers=w)) for t in tickets])
        timed("department list", [lambda: client.get("/api/v1/work-orders?limit=50", headers=clerk)] * orders)
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="2cc7c85", help="the revision to compare with")
    parser.add_argument("--orders", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench_cpu")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(probe(args.postgres, args.orders)))
        return
    run_tree = _roundtrips().run_tree
    runs: dict[str, list[dict[str, float]]] = {"before": [], "now": []}
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before), args.before],
                       check=True, capture_output=True)
        try:
            for _ in range(args.rounds):  # alternated: the machine's drift falls on both alike
                for name, tree in (("before", before), ("now", ROOT)):
                    runs[name].append(run_tree(tree, args.postgres, Path(__file__), "--orders", str(args.orders)))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=True)
    print(f"CPU ms per request, {args.before} → this tree, {args.orders} requests a phase, {args.rounds} rounds "
          "(median; rounds in brackets)")
    for name in PHASES:
        old = [r[name] for r in runs["before"]]
        new = [r[name] for r in runs["now"]]
        print(f"{name:<17}{statistics.median(old):>7.2f} → {statistics.median(new):<7.2f}"
              f"{statistics.median(new) / statistics.median(old):>6.2f}×   "
              f"[{' '.join(f'{v:.2f}' for v in old)}] → [{' '.join(f'{v:.2f}' for v in new)}]")


if __name__ == "__main__":
    main()
