"""The department inbox at volume: one page of a view with every view's counts, against the list the
console used before (the 200 newest orders of the department, sorted in the browser) in the same run.

    python bench/bench_inbox.py [--orders 1000 10000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from hotline.core.config import load_config  # noqa: E402
from hotline.core.db import make_engine, make_session_factory, session_scope  # noqa: E402
from hotline.core.migrate import upgrade_database  # noqa: E402
from hotline.dispatch.departments import sync_departments  # noqa: E402
from hotline.dispatch.filters import OrderFilter  # noqa: E402
from hotline.dispatch.inbox import InboxQuery, InboxRepository  # noqa: E402
from hotline.dispatch.repository import WorkOrderRepository  # noqa: E402
from tests.bulk import Spec, insert_orders  # noqa: E402
from tests.conftest import recreate_postgres_database  # noqa: E402
from tests.factories import WATER, staff_of  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
H = dt.timedelta(hours=1)


def specs(n: int) -> list[Spec]:
    """Of every 20 orders: 10 to sign, 6 in progress, 1 yellow, 1 red, 2 done; one emergency in 100."""
    out = []
    for i in range(n):
        k = i % 20
        status = "dispatched" if k < 10 else "signed" if k < 18 else "completed"
        due = 6 * H if k == 16 else -2 * H if k == 17 else 3 * 24 * H
        out.append(Spec(WATER, status=status, due_in=due, tier="emergency" if i % 100 == 0 else "general",
                        extension=k == 15, supervision="overdue" if k == 17 and i % 40 == 17 else None))
    return out


def timed(fn, repeat: int = 15) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def measure(url: str, n: int) -> tuple[float, float]:
    upgrade_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        sync_departments(s, load_config(ROOT / "config").departments.departments)
        insert_orders(s, specs(n), NOW)
    with engine.begin() as conn:  # fresh tables have no statistics yet; a live database's autovacuum has them
        conn.execute(text("ANALYZE"))
    with factory() as s:
        water = staff_of(s, WATER)
        old = OrderFilter(states=["dispatched", "signed", "replied"])
        baseline = timed(lambda: WorkOrderRepository(s).page(water, old, limit=200))
        inbox = timed(lambda: InboxRepository(s, water, NOW).page(InboxQuery(view="to_sign", limit=20)))
    engine.dispose()
    return baseline, inbox


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--postgres")
    args = parser.parse_args()
    print("| database | orders | old list (200 rows) ms | inbox page + 8 counts ms | ratio |")
    print("|---|---:|---:|---:|---:|")
    for n in args.orders:
        with tempfile.TemporaryDirectory() as tmp:
            targets = [("SQLite", f"sqlite:///{tmp}/bench.db")]
            if args.postgres:
                recreate_postgres_database(args.postgres)
                targets.append(("PostgreSQL", args.postgres))
            for name, url in targets:
                baseline, inbox = measure(url, n)
                print(f"| {name} | {n} | {baseline:.1f} | {inbox:.1f} | {inbox / baseline:.2f} |")


if __name__ == "__main__":
    main()
