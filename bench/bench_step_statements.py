"""CPU per statement for the UPDATEs every lifecycle step sends, in one process on PostgreSQL: the repository's
statements (built once, on the table) against the ORM's bulk UPDATE built per call (as they were before) and a
`SELECT 1` (the floor of any statement through the session).

    python bench/bench_step_statements.py [--postgres URL] [--orders 400] [--rounds 3]

Runs inside one transaction on orders of a freshly seeded database and rolls it back: nothing changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import update  # noqa: E402

from hotline.core.db import make_engine, make_session_factory, session_scope  # noqa: E402
from hotline.core.enums import DeadlineKind, DeadlineStatus  # noqa: E402
from hotline.core.migrate import upgrade_database  # noqa: E402
from hotline.dispatch.deadline_repository import DeadlineRepository  # noqa: E402
from hotline.models import Deadline, OutboxMessage  # noqa: E402
from hotline.notifications.repository import OutboxRepository  # noqa: E402
from tests.conftest import recreate_postgres_database  # noqa: E402


def orm_close(s, order_id: int, now: dt.datetime) -> None:
    s.execute(update(Deadline).where(Deadline.work_order_id == order_id, Deadline.kind.in_([DeadlineKind.SIGN]),
                                     Deadline.status == DeadlineStatus.OPEN)
              .values(status=DeadlineStatus.MET, met_at=now))


def orm_release(s, order_id: int, now: dt.datetime) -> None:
    s.scalars(update(OutboxMessage).where(OutboxMessage.work_order_id == order_id, OutboxMessage.notice == "accepted",
                                          OutboxMessage.status == "held")
              .values(status="pending", not_before=None).returning(OutboxMessage.id)).all()


CASES = {
    "close clocks: ORM bulk UPDATE per call": orm_close,
    "close clocks: repository (table, built once)":
        lambda s, i, now: DeadlineRepository(s).close_open(i, [DeadlineKind.SIGN], DeadlineStatus.MET, now),
    "release notice: ORM bulk UPDATE per call": orm_release,
    "release notice: repository (table, built once)":
        lambda s, i, now: OutboxRepository(s).release_held(i, "accepted", None),
    "SELECT 1 (the floor)": lambda s, i, now: s.execute(sa.text("SELECT 1")),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench_steps")
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    recreate_postgres_database(args.postgres)
    upgrade_database(args.postgres)
    factory = make_session_factory(make_engine(args.postgres))
    now = dt.datetime.now(dt.UTC)
    with session_scope(factory) as s:  # bare rows: the statements' cost does not depend on what else an order has
        s.execute(sa.text("INSERT INTO work_orders (ticket_no, extraction_code_hash, state, tier, channel, title, "
                          "content, received_at, redo_count, return_count, version) SELECT 'B' || g, 'x', "
                          "'dispatched', 'general', 'phone', 't', 'c', now(), 0, 0, 1 "
                          "FROM generate_series(1, :n) g"), {"n": args.orders})
        ids = list(s.scalars(sa.text("SELECT id FROM work_orders ORDER BY id")))
    results: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.rounds):
        for name, case in CASES.items():  # alternated, each round in its own rolled-back transaction
            with factory() as s:
                for i in ids[:50]:
                    case(s, i, now)
                start = time.process_time()
                for i in ids:
                    case(s, i, now)
                results[name].append((time.process_time() - start) / len(ids) * 1000)
                s.rollback()
    floor = min(results["SELECT 1 (the floor)"])
    print(f"{'statement':<50}{'CPU ms per call (rounds)':>32}{'÷ floor':>9}")
    for name, values in results.items():
        print(f"{name:<50}{' / '.join(f'{v:.3f}' for v in values):>32}{min(values) / floor:>9.2f}")


if __name__ == "__main__":
    main()
