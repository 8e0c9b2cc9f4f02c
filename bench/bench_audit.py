"""What the audit hash chain costs concurrent writers on PostgreSQL, in one run: audited transactions per
second writing the audit row with no chain at all (the floor), with the chain appended inside each writer's
transaction (the one-row head locked until commit — how the chain was first built, reproduced here), and as the
application writes it now (rows inserted, a sealer thread chaining them every second).

    python bench/bench_audit.py [--threads 1 8 32] [--seconds 5] [--postgres URL]

Each thread runs transactions shaped like a lifecycle step: lock its own order row, append an event, write the
audit row, commit. Threads never share an order, so the only thing they can wait for is the chain head.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from hotline.audit import chain  # noqa: E402
from hotline.audit.repository import AuditRepository  # noqa: E402
from hotline.core.actor import Actor  # noqa: E402
from hotline.core.db import make_engine, make_session_factory  # noqa: E402
from hotline.core.enums import Role  # noqa: E402
from hotline.core.migrate import upgrade_database  # noqa: E402
from hotline.models import AuditRecord  # noqa: E402
from tests.conftest import recreate_postgres_database  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench_audit"
ACTOR = Actor(Role.OPERATOR, user_id=None, name="bench")
NOW = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)


def record(order_id: int) -> AuditRecord:
    return AuditRecord(at=NOW, user_id=None, actor="bench", role="operator", action="work_order.accept",
                       object_type="work_order", object_id=str(order_id), ip="127.0.0.1", details={"n": 1})


def unchained(session, order_id: int) -> None:
    session.add(record(order_id))
    session.flush()


def in_transaction(session, order_id: int) -> None:
    """The chain appended by the writer itself: lock the head, hash, insert, move the head; held to commit. (A
    head of its own, so the application's chain stays whole.)"""
    last_hash = session.scalar(text("SELECT last_hash FROM bench_chain_head WHERE id = 1 FOR UPDATE"))
    row = record(order_id)
    row_hash = chain.digest(last_hash, row.at, row.user_id, row.actor, row.role, row.action, row.object_type,
                            row.object_id, row.ip, row.details)
    session.add(row)
    session.flush()
    session.execute(text("UPDATE bench_chain_head SET last_hash = :h, last_id = :i WHERE id = 1"),
                    {"h": row_hash, "i": row.id})


def sealed(session, order_id: int) -> None:
    AuditRepository(session).add(NOW, ACTOR, "work_order.accept", "work_order", order_id, "127.0.0.1", {"n": 1})
    session.flush()


def sealer(factory, stop: threading.Event) -> None:
    while not stop.wait(1.0):
        with factory() as session:
            AuditRepository(session).seal_all()


def run(factory, write, threads: int, seconds: float) -> float:
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        with factory() as session:
            while time.perf_counter() < stop:
                session.execute(text("SELECT id FROM bench_orders WHERE id = :i FOR UPDATE"), {"i": i})
                session.execute(text("INSERT INTO bench_events (order_id, at) VALUES (:i, now())"), {"i": i})
                write(session, i)
                session.commit()
                done[i] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--postgres", default=POSTGRES)
    args = parser.parse_args()
    recreate_postgres_database(args.postgres)
    upgrade_database(args.postgres)
    engine = make_engine(args.postgres, pool_size=max(args.threads) + 1, max_overflow=0)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_orders (id int PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE bench_events (id serial PRIMARY KEY, order_id int, at timestamptz)"))
        conn.execute(text("INSERT INTO bench_orders SELECT generate_series(0, 255)"))
        conn.execute(text("CREATE TABLE bench_chain_head (id int PRIMARY KEY, last_id int, last_hash text)"))
        conn.execute(text("INSERT INTO bench_chain_head VALUES (1, NULL, :g)"), {"g": chain.GENESIS})
    factory = make_session_factory(engine)
    print("threads  no chain/s  head locked by writers/s  sealed after/s  locked ÷ none  sealed ÷ none")
    for threads in args.threads:
        for _ in range(2):  # alternate, so drift in the machine's load hits all three
            bare = run(factory, unchained, threads, args.seconds)
            locked = run(factory, in_transaction, threads, args.seconds)
            stop = threading.Event()
            sealing = threading.Thread(target=sealer, args=(factory, stop))
            sealing.start()
            now = run(factory, sealed, threads, args.seconds)
            stop.set()
            sealing.join()
            print(f"{threads:7}  {bare:10.0f}  {locked:24.0f}  {now:14.0f}  {locked / bare:12.2f}  {now / bare:12.2f}")
    with factory() as session:  # rows written without the app's chain are outside it: only the sealed run's count
        repository = AuditRepository(session)
        repository.seal_all()
        print(repository.verify().describe())


if __name__ == "__main__":
    main()
