"""Statements and database round trips per API request, counted by SQLAlchemy events, for this tree and
an earlier revision side by side.

    python bench/bench_roundtrips.py [--before REV] [--postgres URL]

Each tree runs in its own interpreter (`--probe`), with its own `hotline` package first on the path, against
a freshly migrated PostgreSQL database: an operator creates, accepts and dispatches an order to the water
company, whose clerk signs it, replies and lists the inbox. Counted per request: statements sent by
SQLAlchemy, transactions that reached the server (BEGIN and COMMIT/ROLLBACK each a round trip with psycopg),
connection pings, and the sum. Counts do not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("create", "accept", "dispatch", "sign", "reply", "department list")
BODY = {"title": "小区停水", "content": "我家小区停水了，已经两天了，请尽快派人处理。", "category_code": "water.outage",
        "place": "东昌府区古楼街道东关社区", "citizen_phone": "13800138000"}
SECRET = "bench-secret-0123456789abcdef0123456789"


class Held:
    """A job queue that keeps what the requests send: jobs (notices, live events) run elsewhere and would blur
    the request's own counts."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, tuple]] = []

    def send(self, name: str, args: tuple) -> None:
        self.sent.append((name, args))


class Counter:
    """Statements, server transactions and pings seen on every engine of the process."""

    def __init__(self) -> None:
        self.statements = self.transactions = self.pings = 0
        self._open: set[int] = set()

    def install(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
        from sqlalchemy.engine import Engine

        @event.listens_for(Engine, "before_cursor_execute")
        def _statement(conn, cursor, statement, parameters, context, executemany):
            self.statements += 1
            self._open.add(id(conn.connection.dbapi_connection))

        @event.listens_for(Engine, "commit")
        def _commit(conn):
            self._end(conn)

        @event.listens_for(Engine, "rollback")
        def _rollback(conn):
            self._end(conn)

        ping = PGDialect_psycopg.do_ping

        def counted_ping(dialect, dbapi_connection):
            self.pings += 1
            return ping(dialect, dbapi_connection)

        PGDialect_psycopg.do_ping = counted_ping  # type: ignore[method-assign]

    def _end(self, conn) -> None:
        key = id(conn.connection.dbapi_connection)
        if key in self._open:  # BEGIN went out with the first statement, COMMIT/ROLLBACK now
            self._open.discard(key)
            self.transactions += 1

    def take(self) -> dict[str, int]:
        out = {"statements": self.statements, "transactions": self.transactions, "pings": self.pings,
               "round trips": self.statements + 2 * self.transactions + self.pings}
        self.statements = self.transactions = self.pings = 0
        return out


def seeded_context(url: str):
    """A freshly migrated database with the departments, an operator and a water-company clerk: the context and
    their access tokens. Runs inside the tree being measured (its `hotline` first on the path)."""
    import sqlalchemy as sa

    from hotline.core import security
    from hotline.core.db import make_engine, make_session_factory, session_scope
    from hotline.core.enums import Role
    from hotline.core.migrate import upgrade_database
    from hotline.core.settings import Settings
    from hotline.dispatch.departments import sync_departments
    from hotline.models import User
    from tests.conftest import recreate_postgres_database

    try:
        from hotline.runtime.context import build_context
    except ImportError:  # before the runtime package
        from hotline.context import build_context  # type: ignore[no-redef]

    recreate_postgres_database(url)
    upgrade_database(url)
    settings = Settings(database_url=url, config_dir=Path.cwd() / "config", secret_key=SECRET, redis_url=None)
    ctx = build_context(settings)
    engine = make_engine(url)
    tokens = {}
    with session_scope(make_session_factory(engine)) as s:
        sync_departments(s, ctx.config.departments.departments)
        water = s.execute(sa.text("SELECT id FROM departments WHERE code='371500-WATER'")).scalar()
        for name, role, dept in (("operator", Role.OPERATOR, None), ("water", Role.DEPARTMENT_STAFF, water)):
            user = User(username=name, display_name=name, role=role, department_id=dept, password_hash="x",
                        active=True, created_at=ctx.clock.now())
            s.add(user)
            s.flush()
            tokens[name], _ = security.issue(ctx.secret, user.id, "access", ctx.clock.now() + dt.timedelta(minutes=14))
    engine.dispose()
    return ctx, tokens


def probe(url: str) -> dict[str, dict[str, int]]:
    """Runs inside the tree being measured: seed, serve in-process, count each step."""
    from fastapi.testclient import TestClient

    try:
        from hotline.runtime.api import create_app
    except ImportError:  # before the runtime package
        from hotline.api.app import create_app  # type: ignore[no-redef]

    ctx, tokens = seeded_context(url)

    counter = Counter()
    counter.install()
    results: dict[str, dict[str, int]] = {}
    with TestClient(create_app(ctx, queue=Held())) as client:
        op = {"Authorization": f"Bearer {tokens['operator']}"}
        clerk = {"Authorization": f"Bearer {tokens['water']}"}
        # A first, unmeasured round warms pools, caches and the day's ticket counter.
        r = client.post("/api/v1/work-orders", json={**BODY, "citizen_phone": "13900001000"}, headers=op)
        warm = r.json()["ticket_no"]
        for path, body, who in (("accept", {}, op), ("dispatch", {"lead": "371500-WATER"}, op), ("sign", None, clerk),
                                ("reply", {"text": "已安排人员上门"}, clerk)):
            r = client.post(f"/api/v1/work-orders/{warm}/{path}", json=body, headers=who)
            if r.status_code >= 300:
                raise RuntimeError(f"{path}: {r.status_code} {r.text}")
        # Measured pass: one request at a time, counter read after each.
        r_create = None
        for name in STEPS:
            counter.take()
            if name == "create":
                r_create = client.post("/api/v1/work-orders", json={**BODY, "citizen_phone": "13900002000"}, headers=op)
                response = r_create
            elif name == "department list":
                response = client.get("/api/v1/work-orders?limit=50", headers=clerk)
            else:
                assert r_create is not None
                path, body, who = {"accept": ("accept", {}, op), "dispatch": ("dispatch", {"lead": "371500-WATER"}, op),
                                   "sign": ("sign", None, clerk),
                                   "reply": ("reply", {"text": "已安排人员上门"}, clerk)}[name]
                response = client.post(f"/api/v1/work-orders/{r_create.json()['ticket_no']}/{path}", json=body,
                                       headers=who)
            if response.status_code >= 300:
                raise RuntimeError(f"{name}: {response.status_code} {response.text}")
            results[name] = counter.take()
    return results


def run_tree(tree: Path, url: str, script: Path = Path(__file__), *extra: str):
    """`script --probe` in its own interpreter with `tree`'s `hotline` first on the path; its last line's JSON."""
    env = {**os.environ, "PYTHONPATH": str(tree), "HOTLINE_LOG_LEVEL": "WARNING", "HOTLINE_REDIS_URL": ""}
    out = subprocess.run([sys.executable, str(script.resolve()), "--probe", "--postgres", url, *extra],
                         cwd=tree, env=env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"probe in {tree} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="731644e", help="the revision to compare with")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(probe(args.postgres)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before), args.before],
                       check=True, capture_output=True)
        try:
            old = run_tree(before, args.postgres)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=True)
    new = run_tree(ROOT, args.postgres)
    print(f"per request, {args.before} → this tree (statements / round trips incl. BEGIN, COMMIT, pings)")
    print(f"{'request':<18}{'statements':>14}{'round trips':>16}{'pings':>10}")
    for name in STEPS:
        o, n = old[name], new[name]
        print(f"{name:<18}{o['statements']:>6} → {n['statements']:<5}{o['round trips']:>8} → {n['round trips']:<5}"
              f"{o['pings']:>4} → {n['pings']:<3}")


if __name__ == "__main__":
    main()
