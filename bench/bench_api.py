"""API throughput and p99 latency with two uvicorn workers on PostgreSQL, against a bare FastAPI app
doing the same single INSERT / SELECT, measured in the same run with wrk from a separate process.

    python bench/bench_api.py [--seconds 10] [--connections 32] [--postgres URL]
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
sys.path.insert(0, str(ROOT))

from hotline.core import security  # noqa: E402
from hotline.core.actor import Actor  # noqa: E402
from hotline.core.db import make_engine, make_session_factory, session_scope  # noqa: E402
from hotline.core.enums import Role  # noqa: E402
from hotline.core.migrate import upgrade_database  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.dispatch.departments import sync_departments  # noqa: E402
from hotline.dispatch.schemas import WorkOrderDraft  # noqa: E402
from hotline.dispatch.service import WorkOrderService  # noqa: E402
from hotline.models import User  # noqa: E402
from hotline.runtime.context import build_context  # noqa: E402
from tests.conftest import recreate_postgres_database  # noqa: E402

BODY = {"title": "小区停水", "content": "我家小区停水了，已经两天了，请尽快派人处理。", "category_code": "water.outage",
        "place": "东昌府区古楼街道东关社区", "citizen_phone": "13800138000"}
SECRET = "bench-secret-0123456789abcdef0123456789"


def seed(url: str, orders: int) -> dict[str, str]:
    """Schema, departments, an operator and a water-company clerk, and orders dispatched to the water company."""
    recreate_postgres_database(url)
    upgrade_database(url)
    engine = make_engine(url)
    settings = Settings(database_url=url, config_dir=ROOT / "config", secret_key=SECRET)
    ctx = build_context(settings)
    factory = make_session_factory(engine)
    tokens = {}
    with session_scope(factory) as s:
        sync_departments(s, ctx.config.departments.departments)
        water = s.execute(__import__("sqlalchemy").text("SELECT id FROM departments WHERE code='371500-WATER'")).scalar()
        for name, role, dept in (("operator", Role.OPERATOR, None), ("water", Role.DEPARTMENT_STAFF, water)):
            user = User(username=name, display_name=name, role=role, department_id=dept, password_hash="x",
                        active=True, created_at=ctx.clock.now())
            s.add(user)
            s.flush()
            # Long-lived for the benchmark only: tokens are verified per request all the same.
            token, _ = security.issue(ctx.secret, user.id, "access", ctx.clock.now() + dt.timedelta(minutes=14))
            tokens[name] = token
    operator = Actor(Role.OPERATOR)
    for _ in range(orders):
        with session_scope(factory) as s:
            service = WorkOrderService(s, ctx)
            order = service.create(WorkOrderDraft(**BODY), operator).order
            service.accept(order.id, operator)
            service.dispatch(order.id, operator)
    engine.dispose()
    return tokens


def serve(args: list[str], env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        token: str | None = None) -> tuple[float, float]:
    """(requests/s, p99 ms) with wrk; non-2xx responses make the run invalid."""
    lua = [f'wrk.method = "{method}"', 'wrk.headers["Content-Type"] = "application/json"']
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
    if "Non-2xx" in out:
        raise RuntimeError(f"errors during the run:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return rps, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench")
    args = parser.parse_args()
    tokens = seed(args.postgres, args.orders)
    env = {**os.environ, "HOTLINE_DATABASE_URL": args.postgres, "HOTLINE_SECRET_KEY": SECRET,
           "HOTLINE_CONFIG_DIR": str(ROOT / "config"), "HOTLINE_LOG_LEVEL": "WARNING", "HOTLINE_REDIS_URL": "",
           "PYTHONPATH": str(ROOT)}
    py = sys.executable
    hotline = serve([py, "-m", "hotline.cli", "api", "--port", "8801", "--workers", "2"], env, 8801)
    bare = serve([py, "-m", "uvicorn", "bench.bare_app:app", "--port", "8802", "--workers", "2",
                  "--log-level", "warning"], env, 8802)
    try:
        runs = {
            "create (POST)": (wrk("http://127.0.0.1:8801/api/v1/work-orders", args.seconds, args.connections,
                                  "POST", BODY, tokens["operator"]),
                              wrk("http://127.0.0.1:8802/orders", args.seconds, args.connections, "POST", BODY)),
            "department list (GET)": (
                wrk("http://127.0.0.1:8801/api/v1/work-orders?limit=50", args.seconds, args.connections,
                    token=tokens["water"]),
                wrk("http://127.0.0.1:8802/orders", args.seconds, args.connections)),
        }
    finally:
        for proc in (hotline, bare):
            proc.terminate()
            proc.wait(20)
    print(f"{args.connections} connections, {args.seconds} s each, 2 uvicorn workers, PostgreSQL")
    print(f"{'endpoint':<24}{'hotline req/s':>14}{'p99 ms':>9}{'bare req/s':>12}{'p99 ms':>9}{'ratio':>7}")
    for name, ((rps, p99), (b_rps, b_p99)) in runs.items():
        print(f"{name:<24}{rps:>14.0f}{p99:>9.1f}{b_rps:>12.0f}{b_p99:>9.1f}{rps / b_rps:>7.2f}")


if __name__ == "__main__":
    main()
