"""API throughput and p99 latency with two uvicorn workers on PostgreSQL, against a bare FastAPI app
doing the same single INSERT / UPDATE / SELECT and against an earlier revision of hotline, all measured
in the same run with wrk from a separate process.

    python bench/bench_api.py [--seconds 8] [--connections 8 32] [--before REV] [--postgres URL]

Each tree is seeded and served by its own interpreter (its own `hotline` first on the path) on its own
database; the steps (accept, dispatch, sign) walk lists of orders seeded in the state each step needs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parents[1]
# The floor: hotline's lightest authenticated read (the token, the cached account, one row of one user through
# the middleware, the unit of work and the response model) against the same bare SELECT of 50 rows as the list.
READS = ("department list", "me (floor)")
STEPS = {"accept": ({}, "operator"), "dispatch": ({"lead": "371500-WATER"}, "operator"), "sign": (None, "water")}


BODY = {"title": "小区停水", "content": "我家小区停水了，已经两天了，请尽快派人处理。", "category_code": "water.outage",
        "place": "东昌府区古楼街道东关社区", "citizen_phone": "13800138000"}
SECRET = "bench-secret-0123456789abcdef0123456789"


def seed(url: str, orders: int, steps: int) -> dict:
    """Schema, departments, an operator and a water-company clerk; `orders` dispatched to the water company
    for the list, and `steps` orders in each state a step starts from. Runs inside the tree measured."""
    sys.path.insert(0, os.getcwd())
    import sqlalchemy as sa

    from hotline.core import security
    from hotline.core.actor import Actor
    from hotline.core.db import make_engine, make_session_factory, session_scope
    from hotline.core.enums import Role
    from hotline.core.migrate import upgrade_database
    from hotline.core.settings import Settings
    from hotline.dispatch.departments import sync_departments
    from hotline.dispatch.schemas import WorkOrderDraft
    from hotline.dispatch.service import WorkOrderService
    from hotline.models import User
    from tests.conftest import recreate_postgres_database
    try:
        from hotline.runtime.context import build_context
    except ImportError:  # before the runtime package
        from hotline.context import build_context  # type: ignore[no-redef]

    recreate_postgres_database(url)
    upgrade_database(url)
    engine = make_engine(url)
    settings = Settings(database_url=url, config_dir=Path.cwd() / "config", secret_key=SECRET)
    ctx = build_context(settings)
    factory = make_session_factory(engine)
    tokens = {}
    with session_scope(factory) as s:
        sync_departments(s, ctx.config.departments.departments)
        water = s.execute(sa.text("SELECT id FROM departments WHERE code='371500-WATER'")).scalar()
        for name, role, dept in (("operator", Role.OPERATOR, None), ("water", Role.DEPARTMENT_STAFF, water)):
            user = User(username=name, display_name=name, role=role, department_id=dept, password_hash="x",
                        active=True, created_at=ctx.clock.now())
            s.add(user)
            s.flush()
            # Long-lived for the benchmark only: tokens are verified per request all the same.
            token, _ = security.issue(ctx.secret, user.id, "access", ctx.clock.now() + dt.timedelta(hours=2))
            tokens[name] = token
    operator = Actor(Role.OPERATOR)
    tickets: dict[str, list[str]] = {step: [] for step in STEPS}
    plan = [("list", orders)] + [(step, steps) for step in STEPS]
    for kind, count in plan:
        for i in range(count):
            with session_scope(factory) as s:
                service = WorkOrderService(s, ctx)
                body = {**BODY, "citizen_phone": f"13{plan.index((kind, count))}{i:08d}"}
                order = service.create(WorkOrderDraft(**body), operator).order
                if kind in ("list", "dispatch", "sign"):
                    service.accept(order.id, operator)
                if kind in ("list", "sign"):
                    service.dispatch(order.id, operator)
                if kind in tickets:
                    tickets[kind].append(order.ticket_no)
    # A live database has statistics (autovacuum keeps them); a table filled a moment ago has none yet, and the
    # planner guesses three rows where the clerk's subtree holds thousands.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    return {"tokens": tokens, "tickets": tickets}


def serve(args: list[str], env: dict, port: int, cwd: Path = ROOT) -> subprocess.Popen:
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx2.get(f"http://127.0.0.1:{port}/docs", timeout=1)
            return proc
        except httpx2.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server on {port} did not start")


def wrk(url: str, seconds: int, connections: int, method: str = "GET", body: dict | None = None,
        token: str | None = None, tickets: list[str] | None = None, strict: bool = True) -> tuple[float, float]:
    """(requests/s, p99 ms) with wrk; non-2xx responses make the run invalid (`strict`; for the baselines, whose
    connections a loaded machine sometimes resets, they are printed instead). With `tickets`, each request
    goes to the next ticket's URL (`{ticket}` in `url`), each of wrk's two threads taking every other one."""
    lua = [f'wrk.method = "{method}"', 'wrk.headers["Content-Type"] = "application/json"']
    if tickets is not None:
        path = url.split("127.0.0.1", 1)[1].split("/", 1)[1]
        lua += ["local n = 0", "function setup(thread) thread:set('offset', n); n = n + 1 end",
                f"local tickets = {{{', '.join(json.dumps(t) for t in tickets)}}}", "local i = 0",
                f"local body = {json.dumps(json.dumps(body) if body is not None else '{}')}",
                "request = function() local t = tickets[(2 * i + offset) % #tickets + 1]; i = i + 1; "
                f"return wrk.format(nil, '/' .. string.gsub({json.dumps(path)}, '{{ticket}}', t), nil, body) end"]
        url = url.split("{ticket}")[0]
        body = None
    if body is not None:
        # A different caller each time, as at a real peak (one caller's orders share a citizen row).
        template = json.dumps(body, ensure_ascii=False).replace(body["citizen_phone"], "PHONE")
        lua.append(f"local template = {json.dumps(template, ensure_ascii=False)}")
        lua.append('request = function() return wrk.format(nil, nil, nil, '
                   'template:gsub("PHONE", "139" .. math.random(10000000, 99999999))) end')
    if token:
        lua.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as script:
        script.write("\n".join(lua) + "\n")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if failed and int(failed.group(1)) > total // 100:  # a stray refusal at the run's edge is noise; more is not
        if strict:
            raise RuntimeError(f"errors during the run:\n{out}")
        print(f"  {url}: {failed.group(1)} of {total} requests failed", flush=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return rps, p99


def seeded(tree: Path, url: str, orders: int, steps: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "HOTLINE_LOG_LEVEL": "WARNING", "HOTLINE_REDIS_URL": ""}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--seed", url, "--orders", str(orders),
                          "--steps", str(steps)], cwd=tree, env=env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"seeding in {tree} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(servers: dict[str, tuple[int, dict]], seconds: int, connections: int) -> dict[str, dict]:
    """Every endpoint on every server, one after the other, in this run. `servers`: name → (port, seed)."""
    rows: dict[str, dict] = {}
    for endpoint in ("create", *STEPS, "department list", "me (floor)"):
        rows[endpoint] = {}
        for name, (port, data) in servers.items():
            base = f"http://127.0.0.1:{port}"
            strict = name == "hotline"
            if name == "bare":
                rows[endpoint][name] = (
                    wrk(f"{base}/orders", seconds, connections, "POST", BODY, strict=False) if endpoint == "create"
                    else wrk(f"{base}/orders", seconds, connections, strict=False) if endpoint in READS
                    else wrk(f"{base}/orders/{{ticket}}/{endpoint}", seconds, connections, "POST", {},
                             tickets=data["tickets"][endpoint], strict=False))
                continue
            tokens = data["tokens"]
            if endpoint == "create":
                rows[endpoint][name] = wrk(f"{base}/api/v1/work-orders", seconds, connections, "POST", BODY,
                                           tokens["operator"], strict=strict)
            elif endpoint == "department list":
                rows[endpoint][name] = wrk(f"{base}/api/v1/work-orders?limit=50", seconds, connections,
                                           token=tokens["water"], strict=strict)
            elif endpoint == "me (floor)":
                rows[endpoint][name] = wrk(f"{base}/api/v1/auth/me", seconds, connections, token=tokens["water"],
                                           strict=strict)
            else:
                body, who = STEPS[endpoint]
                rows[endpoint][name] = wrk(f"{base}/api/v1/work-orders/{{ticket}}/{endpoint}", seconds, connections,
                                           "POST", body, tokens[who], tickets=data["tickets"][endpoint].copy(),
                                           strict=strict)
        print(connections, endpoint, {k: (round(r), round(p)) for k, (r, p) in rows[endpoint].items()}, flush=True)
    return rows


def enough_connections(url: str, connections: int) -> None:
    """Three servers of two workers each keep pooled what their busiest run had in flight (half the connections
    per worker): with PostgreSQL's default max_connections of 100 the third server's run at 32 connections meets
    "too many clients" and its requests fail for a reason that is not theirs. Refuse to start instead."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(url).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        have = int(conn.execute("SHOW max_connections").fetchone()[0])
    need = 3 * connections + 40  # what the three servers hold, and room for the seeding and the machine's other work
    if have < need:
        sys.exit(f"PostgreSQL allows {have} connections; this run needs about {need}: "
                 f"ALTER SYSTEM SET max_connections = {need} and restart the server")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--orders", type=int, default=300, help="orders in the clerk's list")
    parser.add_argument("--steps", type=int, default=2500, help="orders seeded for each step, per tree")
    parser.add_argument("--before", default="731644e", help="the earlier revision measured beside this tree")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench")
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        print(json.dumps(seed(args.seed, args.orders, args.steps)))
        return
    enough_connections(args.postgres, max(args.connections))
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before), args.before],
                       check=True, capture_output=True)
        procs: list[subprocess.Popen] = []
        try:
            servers: dict[str, tuple[int, dict]] = {}
            for name, tree, port, url in (("hotline", ROOT, 8801, args.postgres),
                                          ("before", before, 8803, args.postgres + "_before")):
                data = seeded(tree, url, args.orders, args.steps * len(args.connections))
                env = {**os.environ, "HOTLINE_DATABASE_URL": url, "HOTLINE_SECRET_KEY": SECRET,
                       "HOTLINE_CONFIG_DIR": str(tree / "config"), "HOTLINE_LOG_LEVEL": "WARNING",
                       "HOTLINE_REDIS_URL": "", "PYTHONPATH": str(tree)}
                procs.append(serve([py, "-m", "hotline.cli", "api", "--port", str(port), "--workers", "2"], env,
                                   port, cwd=tree))
                servers[name] = (port, data)
                if name == "hotline":
                    procs.append(serve([py, "-m", "uvicorn", "bench.bare_app:app", "--port", "8802", "--workers",
                                        "2", "--log-level", "warning"], env, 8802))
                    servers["bare"] = (8802, data)
            results = {}
            for n, c in enumerate(args.connections):
                # Each connection count walks its own slice of the seeded orders.
                part = slice(n * args.steps, (n + 1) * args.steps)
                sliced = {name: (port, {**data, "tickets": {k: v[part] for k, v in data["tickets"].items()}})
                          for name, (port, data) in servers.items()}
                results[c] = measure(sliced, args.seconds, c)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(20)
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=True)
    print(f"{args.seconds} s each, 2 uvicorn workers per server, PostgreSQL; before = {args.before}")
    print(f"{'conn':>4} {'endpoint':<16}{'hotline r/s':>12}{'p99':>7}{'before r/s':>11}{'p99':>7}{'bare r/s':>9}"
          f"{'p99':>7}{'×before':>8}{'÷bare':>7}")
    for c, rows in results.items():
        for endpoint, by in rows.items():
            (h, hp), (b, bp), (x, xp) = by["hotline"], by["before"], by["bare"]
            print(f"{c:>4} {endpoint:<16}{h:>12.0f}{hp:>7.0f}{b:>11.0f}{bp:>7.0f}{x:>9.0f}{xp:>7.0f}"
                  f"{h / b:>8.2f}{h / x:>7.2f}")


if __name__ == "__main__":
    main()
