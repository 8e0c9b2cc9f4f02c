"""Work-order creation and dispatch through the service layer against a bare INSERT of the same row.

Both run in the same process on the same database, one transaction per order (as one request
would be), so the ratio says what the lifecycle, audit trail, ticket counter and deadlines cost.

    python bench/bench_work_orders.py [--orders 500] [--postgres URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-0123456789abcdef0123456789"  # passes the check every configured secret goes through
sys.path.insert(0, str(ROOT))

from hotline.core.actor import Actor  # noqa: E402
from hotline.core.clock import FixedClock  # noqa: E402
from hotline.core.db import make_engine, make_session_factory, session_scope  # noqa: E402
from hotline.core.enums import Channel, Role, Tier  # noqa: E402
from hotline.core.migrate import upgrade_database  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.dispatch.departments import sync_departments  # noqa: E402
from hotline.dispatch.schemas import WorkOrderDraft  # noqa: E402
from hotline.dispatch.service import WorkOrderService  # noqa: E402
from hotline.models import Base, WorkOrder  # noqa: E402
from hotline.runtime.context import build_context  # noqa: E402

OPERATOR = Actor(Role.OPERATOR, name="bench")
DRAFT = WorkOrderDraft(title="小区停水", content="我家小区停水了，已经两天了，请尽快派人处理。",
                       channel=Channel.PHONE, category_code="water.outage", place="东昌府区建设路社区",
                       citizen_phone="13800138000")
START = dt.datetime(2026, 11, 23, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def bare_insert(factory, n: int, prefix: str) -> float:
    row = dict(extraction_code_hash="0" * 64, state="received", tier="livelihood", category_code="water.outage",
               channel="phone", title=DRAFT.title, content=DRAFT.content, place=DRAFT.place,
               received_at=START, redo_count=0, return_count=0, version=1)
    began = time.perf_counter()
    for i in range(n):
        with session_scope(factory) as s:
            s.execute(insert(WorkOrder).values(ticket_no=f"{prefix}{i:08d}", **row))
    return n / (time.perf_counter() - began)


def through_service(factory, ctx, n: int) -> float:
    began = time.perf_counter()
    for _ in range(n):
        with session_scope(factory) as s:
            service = WorkOrderService(s, ctx)
            order = service.create(DRAFT, OPERATOR).order
            service.accept(order.id, OPERATOR, tier=Tier.LIVELIHOOD)
            service.dispatch(order.id, OPERATOR, "371500-WATER")
    return n / (time.perf_counter() - began)


def run(url: str, n: int) -> tuple[float, float]:
    upgrade_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    settings = Settings(database_url=url, config_dir=ROOT / "config", secret_key=SECRET)
    ctx = build_context(settings, clock=FixedClock(START))
    with session_scope(factory) as s:
        sync_departments(s, ctx.config.departments.departments)
    bare_insert(factory, 20, "W"), through_service(factory, ctx, 20)  # warm caches and connections
    bare = bare_insert(factory, n, "B")
    service = through_service(factory, ctx, n)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return bare, service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench")
    args = parser.parse_args()
    from tests.conftest import recreate_postgres_database

    recreate_postgres_database(args.postgres)
    with tempfile.TemporaryDirectory() as tmp:
        results = {"SQLite": run(f"sqlite:///{tmp}/bench.db", args.orders),
                   "PostgreSQL": run(args.postgres, args.orders)}
    print(f"{args.orders} orders, one transaction each")
    print(f"{'database':<12}{'bare INSERT/s':>15}{'create+accept+dispatch/s':>27}{'ratio':>8}")
    for name, (bare, service) in results.items():
        print(f"{name:<12}{bare:>15.0f}{service:>27.0f}{service / bare:>8.2f}")


if __name__ == "__main__":
    main()
