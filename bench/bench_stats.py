"""Monthly rates and ranking over millions of orders on PostgreSQL, with and without daily roll-ups.

Builds N orders (default 5,000,000) spread over 300 days before 2026-11-23, each with what the
counters read: the lead assignment, reply and completion deadlines, a callback and its attempt,
returns and direct answers as events. Then, in the same run:
  live     rates + ranking for October 2026 counted from the operational tables
  rollup   building October's 31 daily roll-ups (the nightly job does ~16 days)
  rolled   the same rates + ranking read from roll-ups
  bare     SELECT count(*) of October's orders — the floor for touching a month of rows

    python bench/bench_stats.py [--orders 5000000] [--postgres URL] [--keep]
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
from hotline.runtime.context import build_context  # noqa: E402
from hotline.stats.formulas import Period  # noqa: E402
from hotline.stats.service import StatsService  # noqa: E402
from tests.conftest import recreate_postgres_database  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
MONTH = Period.month("2026-10")

# Order i is received (i % 300) days and (i % 600) minutes before NOW; dispatched 20 min later to one of
# the leaf departments; 90 % completed after 1–72 h; deadlines met on time for 80 %; 85 % called back.
BUILD = [
    """INSERT INTO work_orders (id, ticket_no, extraction_code_hash, state, tier, channel, title, content, place,
                                category_code, received_at, accepted_at, dispatched_at, completed_at,
                                redo_count, return_count, version)
       SELECT i, 'B' || i, 'x', CASE WHEN i % 10 = 0 THEN 'signed' ELSE 'closed' END, 'general', 'phone',
              '停水', '小区停水', '建设路' || (i % 500), 'water.outage',
              r, r + interval '5 minutes', r + interval '20 minutes',
              CASE WHEN i % 10 <> 0 THEN r + make_interval(hours => 1 + (i % 72)::int) END, 0, 0, 1
       FROM (SELECT i, CAST(:now AS timestamptz) - make_interval(days => (i % 300)::int, mins => (i % 600)::int) AS r
             FROM generate_series(1, CAST(:n AS bigint)) AS i) s""",
    """INSERT INTO assignments (work_order_id, department_id, role, status, active, dispatched_at, completed_at)
       SELECT id, (SELECT ids[1 + id % array_length(ids, 1)] FROM (SELECT array_agg(id) AS ids FROM departments) d),
              'lead', CASE WHEN completed_at IS NULL THEN 'signed' ELSE 'completed' END, true,
              dispatched_at, completed_at
       FROM work_orders""",
    """INSERT INTO deadlines (work_order_id, department_id, kind, starts_at, warn_at, due_at, provisional, status,
                             light, met_at)
       SELECT a.work_order_id, a.department_id, k.kind, a.dispatched_at, a.dispatched_at + interval '19 hours',
              a.dispatched_at + k.span, false,
              CASE WHEN a.completed_at IS NULL THEN 'open' ELSE 'met' END, 'green',
              CASE WHEN a.completed_at IS NULL THEN NULL
                   WHEN a.work_order_id % 5 = 0 THEN a.dispatched_at + k.span + interval '1 hour'
                   ELSE a.dispatched_at + interval '1 hour' END
       FROM assignments a CROSS JOIN (VALUES ('reply', interval '24 hours'), ('complete', interval '5 days')) AS k(kind, span)""",
    """INSERT INTO callbacks (work_order_id, round, kind, department_id, status, due_at, next_attempt_at, attempts,
                             max_attempts, created_at, finished_at, outcome)
       SELECT work_order_id, 0, 'full', department_id, 'done', completed_at + interval '1 day',
              completed_at, 1, 3, completed_at, completed_at + interval '3 hours', 'satisfied'
       FROM assignments WHERE completed_at IS NOT NULL AND work_order_id % 20 <> 0""",
    """INSERT INTO callback_attempts (callback_id, attempt_no, mode, started_at, finished_at, verdict, process_verdict)
       SELECT id, 1, 'staff', finished_at, finished_at,
              (ARRAY['satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'unsatisfied', 'unreachable'])
                  [1 + work_order_id % 6],
              (ARRAY['satisfied', 'basically_satisfied', 'unsatisfied', NULL])[1 + work_order_id % 4]
       FROM callbacks""",
    """INSERT INTO work_order_events (work_order_id, action, from_state, to_state, actor_role, actor_department_id,
                                     occurred_at)
       SELECT work_order_id, 'return', 'signed', 'returned', 'department_staff', department_id,
              dispatched_at + interval '2 hours'
       FROM assignments WHERE work_order_id % 50 = 0""",
    "ANALYZE",
]


def timed(fn, repeats: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=5_000_000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    recreate_postgres_database(args.postgres)
    upgrade_database(args.postgres)
    engine = make_engine(args.postgres)
    settings = Settings(database_url=args.postgres, var_dir=ROOT / "var" / "bench", secret_key=SECRET)
    ctx = build_context(settings, clock=FixedClock(NOW))
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        sync_departments(s, ctx.config.departments.departments)
    start = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # skip FK checks while loading
        for statement in BUILD:
            conn.execute(text(statement), {"now": NOW, "n": args.orders})
    print(f"built {args.orders:,} orders in {time.perf_counter() - start:.0f} s", flush=True)

    with engine.connect() as conn:
        sizes = conn.execute(text(
            "SELECT (SELECT count(*) FROM work_orders), (SELECT count(*) FROM deadlines), "
            "(SELECT count(*) FROM callback_attempts), pg_size_pretty(pg_database_size(current_database()))")).one()
        print(f"rows: {sizes[0]:,} orders, {sizes[1]:,} deadlines, {sizes[2]:,} callback attempts; {sizes[3]}")
        lo = dt.datetime.combine(MONTH.start, dt.time(), tzinfo=NOW.tzinfo)
        hi = dt.datetime.combine(MONTH.end + dt.timedelta(days=1), dt.time(), tzinfo=NOW.tzinfo)
        bare, month_orders = timed(lambda: conn.execute(text(
            "SELECT count(*) FROM work_orders WHERE received_at >= :lo AND received_at < :hi"),
            {"lo": lo, "hi": hi}).scalar(), args.repeats)

    def report(use_rollups: bool):
        with factory() as s:
            stats = StatsService(s, ctx)
            return (stats.rates(MONTH, use_rollups=use_rollups), stats.ranking(MONTH, use_rollups=use_rollups))

    live, (live_rates, live_ranking) = timed(lambda: report(False), args.repeats)
    build_start = time.perf_counter()
    with session_scope(factory) as s:
        counters = StatsService(s, ctx).rollup(MONTH.start, MONTH.end)
    build = time.perf_counter() - build_start
    rolled, (rolled_rates, rolled_ranking) = timed(lambda: report(True), args.repeats)
    assert rolled_rates["counts"] == live_rates["counts"], "roll-ups disagree with live counting"
    assert [r["score"] for r in rolled_ranking["rows"]] == [r["score"] for r in live_ranking["rows"]]

    print(f"October 2026: {month_orders:,} orders received; {live_rates['counts']['dispatched']:,} dispatched; "
          f"满意率 {live_rates['rates']['satisfaction_rate']}")
    print(f"bare count of the month's orders   {bare * 1000:9.1f} ms")
    print(f"rates + ranking, live              {live * 1000:9.1f} ms  ({live / bare:.1f}× bare)")
    print(f"roll-up build, 31 days             {build * 1000:9.1f} ms  ({counters:,} counters)")
    print(f"rates + ranking, from roll-ups     {rolled * 1000:9.1f} ms  ({rolled / bare:.2f}× bare, "
          f"{live / rolled:.0f}× faster than live)")
    engine.dispose()


if __name__ == "__main__":
    main()
