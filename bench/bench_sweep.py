"""The SLA sweep on PostgreSQL as the order table grows: 100k → 1M → 10M orders, 10 % open, 1 % of open due.

For each size it measures, in the same run:
  find      the sweep's query for due deadlines (partial index holding only unprocessed deadlines)
  baseline  the same query with index scans disabled (what a sweep costs that reads every open row)
  sweep     a whole sweep through the service code: lights, reminders, 督办 records, outbox rows

    python bench/bench_sweep.py [--sizes 100000,1000000,10000000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-0123456789abcdef0123456789"  # passes the check every configured secret goes through
sys.path.insert(0, str(ROOT))

from hotline.core.clock import FixedClock  # noqa: E402
from hotline.core.db import make_engine, make_session_factory, session_scope  # noqa: E402
from hotline.core.migrate import upgrade_database  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.dispatch.departments import sync_departments  # noqa: E402
from hotline.dispatch.sweep import SlaSweep  # noqa: E402
from hotline.runtime.context import build_context  # noqa: E402
from tests.conftest import recreate_postgres_database  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
FIND = ("SELECT id FROM deadlines WHERE status = 'open' AND light <> 'red' AND due_at <= :now "
        "ORDER BY due_at LIMIT 500")

# Orders first..last: every 10th is open (signed); every 100th open one is past due.
GROW = """
INSERT INTO work_orders (id, ticket_no, extraction_code_hash, state, tier, channel, title, content,
                         received_at, redo_count, return_count, version)
SELECT i, 'B' || i, 'x', CASE WHEN i % 10 = 0 THEN 'signed' ELSE 'closed' END, 'general', 'phone',
       '停水', '小区停水', CAST(:now AS timestamptz) - make_interval(mins => (i % 100000)::int), 0, 0, 1
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS i;
INSERT INTO deadlines (work_order_id, department_id, kind, starts_at, warn_at, due_at, provisional,
                       status, light)
SELECT i, :department, 'complete', CAST(:now AS timestamptz) - interval '7 days',
       CASE WHEN i % 1000 = 0 THEN CAST(:now AS timestamptz) - interval '2 days' ELSE CAST(:now AS timestamptz) + make_interval(hours => (1 + i % 500)::int) END,
       CASE WHEN i % 1000 = 0 THEN CAST(:now AS timestamptz) - interval '1 hour' ELSE CAST(:now AS timestamptz) + make_interval(hours => (100 + i % 500)::int) END,
       false, CASE WHEN i % 10 = 0 THEN 'open' ELSE 'met' END, 'green'
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS i;
"""
RESET = """
UPDATE deadlines SET light = 'green' WHERE light <> 'green';
TRUNCATE reminders, supervisions, outbox;
"""


def timed_query(conn, sql: str, repeats: int = 7) -> float:
    """Median server-side execution time in ms, from EXPLAIN ANALYZE."""
    times = []
    for _ in range(repeats):
        plan = conn.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"), {"now": NOW}).scalar_one()
        times.append(plan[0]["Execution Time"])
    return statistics.median(times)


def measure(engine, factory, ctx, size: int) -> dict:
    with engine.connect() as conn:
        find = timed_query(conn, FIND)
        conn.execute(text("SET enable_indexscan = off; SET enable_bitmapscan = off"))
        baseline = timed_query(conn, FIND, repeats=3)
        conn.execute(text("RESET enable_indexscan; RESET enable_bitmapscan"))
        conn.rollback()
    began, due = time.perf_counter(), 0
    while True:
        with session_scope(factory) as s:
            result = SlaSweep(s, ctx).run_batch(NOW)
        due += result.overdue
        if result.overdue < 500:
            break
    sweep = time.perf_counter() - began
    with engine.begin() as conn:
        for statement in RESET.split(";")[:-1]:
            conn.execute(text(statement))
    return {"orders": size, "open": size // 10, "due": due, "find_ms": find, "baseline_ms": baseline,
            "sweep_s": sweep}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench")
    args = parser.parse_args()
    recreate_postgres_database(args.postgres)
    upgrade_database(args.postgres)
    engine = make_engine(args.postgres)
    factory = make_session_factory(engine)
    ctx = build_context(Settings(database_url=args.postgres, config_dir=ROOT / "config", secret_key=SECRET),
                        clock=FixedClock(NOW))
    with session_scope(factory) as s:
        sync_departments(s, ctx.config.departments.departments)
        department = s.execute(text("SELECT id FROM departments WHERE code = '371500-WATER'")).scalar_one()
    print(f"{'orders':>10} {'open':>9} {'due':>7} {'find ms':>9} {'seq-scan ms':>12} {'ratio':>7} {'sweep s':>8} {'due/s':>7}")
    built = 0
    for size in (int(x) for x in args.sizes.split(",")):
        with engine.begin() as conn:
            for statement in GROW.split(";")[:-1]:
                conn.execute(text(statement), {"first": built + 1, "last": size, "now": NOW, "department": department})
        built = size
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE deadlines"))
        r = measure(engine, factory, ctx, size)
        print(f"{r['orders']:>10} {r['open']:>9} {r['due']:>7} {r['find_ms']:>9.2f} {r['baseline_ms']:>12.1f} "
              f"{r['baseline_ms'] / r['find_ms']:>7.0f} {r['sweep_s']:>8.2f} {r['due'] / r['sweep_s']:>7.0f}",
              flush=True)
    engine.dispose()


if __name__ == "__main__":
    main()
