"""A compressed city day: calls through the simulated PBX, orders through the whole lifecycle, callbacks
and the sweep, at N× real time, against `hotline api` with two uvicorn workers on PostgreSQL.

    python bench/bench_city_day.py [--factors 15 30] [--calls-per-day 6000] [--from 8 --to 12]

Every process reads one scaled clock (local time = start + (wall − epoch) × factor), so deadlines,
lights, the sweep and the callback queue move as in a day. The load process plays each call into a fake
Asterisk manager (a capture of a real Asterisk 22 queue call) watched by the AMI listener, then acts as the
operator (create, accept, dispatch or answer directly), the departments (sign, reply, complete, their
inbox every few minutes), and the callback desk (take, verdict; one in twelve unsatisfied and redone).
An action runs on its own worker thread at its scheduled instant; "late" is how long after that instant
it started (the load falling behind), "p99" how long the request took.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
# What a phone's site photo weighs, as far as the upload goes: JPEG's marker, then 200 KB.
SITE_PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 800
sys.path.insert(0, str(ROOT))

import httpx2 as httpx  # noqa: E402

SECRET = "bench-secret-0123456789abcdef0123456789"
TZ = ZoneInfo("Asia/Shanghai")
# Share of a day's calls in each local hour (a 12345 centre's usual shape: morning and early-afternoon peaks).
HOURLY = [0.4, 0.2, 0.1, 0.1, 0.1, 0.3, 0.8, 2.5, 7.5, 9.5, 9.0, 7.0, 4.5, 5.5, 8.0, 8.5, 7.5, 6.0, 4.0, 3.5,
          3.0, 2.5, 1.8, 1.0]


class ScaledClock:
    """Local time running `factor` times faster than the wall from `epoch` (a wall-clock instant)."""

    def __init__(self, start: dt.datetime, epoch: float, factor: float) -> None:
        self.start, self.epoch, self.factor = start, epoch, factor

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=(time.time() - self.epoch) * self.factor)

    def wall(self, at: dt.datetime) -> float:
        return self.epoch + (at - self.start).total_seconds() / self.factor

    @classmethod
    def from_env(cls) -> ScaledClock:
        start, epoch, factor = os.environ["HOTLINE_BENCH_CLOCK"].split(",")
        return cls(dt.datetime.fromisoformat(start), float(epoch), float(factor))


def app_factory():
    """The API worker's app, on the scaled clock (uvicorn --factory bench.bench_city_day:app_factory)."""
    from hotline.core.settings import get_settings
    from hotline.runtime.api import create_app
    from hotline.runtime.context import build_context

    return create_app(build_context(get_settings(), clock=ScaledClock.from_env()))


def config_dir(into: Path) -> Path:
    """The project's config with a one-hour SMS reply window, so callbacks fall due within the run."""
    shutil.copytree(ROOT / "config", into, dirs_exist_ok=True)
    notices = into / "notices.yaml"
    notices.write_text(re.sub(r"reply_window_hours: \d+", "reply_window_hours: 1", notices.read_text("utf-8")),
                       "utf-8")
    return into


def seed(url: str, clock: ScaledClock, config: Path) -> dict:
    """Schema, departments, an operator, a callback clerk and a clerk in every department; their tokens."""
    import sqlalchemy as sa

    from hotline.core import security
    from hotline.core.db import make_engine, make_session_factory, session_scope
    from hotline.core.enums import Role
    from hotline.core.migrate import upgrade_database
    from hotline.core.settings import Settings
    from hotline.dispatch.departments import sync_departments
    from hotline.models import User
    from hotline.runtime.context import build_context
    from tests.conftest import recreate_postgres_database

    recreate_postgres_database(url)
    upgrade_database(url)
    ctx = build_context(Settings(database_url=url, config_dir=config, secret_key=SECRET), clock=clock)
    engine = make_engine(url)
    tokens: dict[str, str] = {}
    until = clock.now() + dt.timedelta(days=3)
    with session_scope(make_session_factory(engine)) as s:
        sync_departments(s, ctx.config.departments.departments)
        departments = dict(s.execute(sa.text("SELECT code, id FROM departments")).all())
        people = [("operator", Role.OPERATOR, None), ("callback", Role.CALLBACK_STAFF, None)]
        people += [(code, Role.DEPARTMENT_STAFF, departments[code]) for code in
                   {c.department for c in ctx.config.categories.categories if c.department in departments}]
        for name, role, dept in people:
            user = User(username=name.lower(), display_name=name, role=role, department_id=dept, password_hash="x",
                        active=True, created_at=clock.now())
            s.add(user)
            s.flush()
            tokens[name], _ = security.issue(ctx.secret, user.id, "access", until)
    engine.dispose()
    return tokens


@dataclass(order=True)
class Action:
    at: dt.datetime
    seq: int
    kind: str = field(compare=False)
    run: object = field(compare=False)


@dataclass
class Day:
    """The scheduled actions, what each request took and how late each action started."""

    clock: ScaledClock
    base: str
    tokens: dict[str, str]
    categories: list[tuple[str, str]]
    pbx: object
    capture: object
    photo_needed: set[str]  # categories completed with a site photo (the catalogue's evidence_required)
    rng: random.Random = field(default_factory=lambda: random.Random(12345))
    queue: list[Action] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    took: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    late: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seq: int = 0
    photo: dict[str, bool] = field(default_factory=dict)
    local: threading.local = field(default_factory=threading.local)

    def at(self, when: dt.datetime, kind: str, run) -> None:
        with self.lock:
            self.seq += 1
            heapq.heappush(self.queue, Action(when, self.seq, kind, run))

    def after(self, minutes: tuple[float, float], kind: str, run) -> None:
        self.at(self.clock.now() + dt.timedelta(minutes=self.rng.uniform(*minutes)), kind, run)

    def http(self) -> httpx.Client:
        if not hasattr(self.local, "client"):
            self.local.client = httpx.Client(base_url=self.base, timeout=60, limits=httpx.Limits(keepalive_expiry=2))
        return self.local.client

    def call(self, kind: str, who: str, method: str, path: str, **kw) -> dict:
        started = time.perf_counter()
        r = self.http().request(method, path, headers={"Authorization": f"Bearer {self.tokens[who]}"}, **kw)
        self.took[kind].append(time.perf_counter() - started)
        if r.status_code >= 300:
            self.errors.append(f"{kind} {r.status_code} {r.text[:200]}")
            raise RuntimeError(kind)
        return r.json()

    # The citizen calls; an operator takes the call and registers the order.
    def citizen_calls(self) -> None:
        self.pbx.play(self.capture, at=self.clock.now())
        category, department = self.rng.choice(self.categories)
        phone = f"13{self.rng.randrange(10**9):09d}"
        order = self.call("create", "operator", "POST", "/api/v1/work-orders", json={
            "title": "市民来电", "content": "市民来电反映问题，请尽快处理。", "category_code": category,
            "place": "东昌府区古楼街道东关社区", "citizen_phone": phone})
        ticket = order["ticket_no"]
        self.call("accept", "operator", "POST", f"/api/v1/work-orders/{ticket}/accept", json={})
        if self.rng.random() < 0.15:
            self.call("answer", "operator", "POST", f"/api/v1/work-orders/{ticket}/answer",
                      json={"text": "已按政策解答，市民表示清楚。"})
            return
        self.call("dispatch", "operator", "POST", f"/api/v1/work-orders/{ticket}/dispatch",
                  json={"lead": department, "reason": "按职责转办"})
        self.photo[ticket] = category in self.photo_needed
        self.after((5, 40), "sign", lambda: self.department_works(ticket, department))

    def department_works(self, ticket: str, department: str) -> None:
        self.call("sign", department, "POST", f"/api/v1/work-orders/{ticket}/sign")
        self.after((15, 60), "reply", lambda: self.department_replies(ticket, department))

    def department_replies(self, ticket: str, department: str) -> None:
        self.call("reply", department, "POST", f"/api/v1/work-orders/{ticket}/reply",
                  json={"text": "已安排人员到现场处理。"})
        self.after((20, 120), "complete", lambda: self.department_completes(ticket, department))

    def department_completes(self, ticket: str, department: str) -> None:
        files = {"files": ("现场照片.jpg", SITE_PHOTO, "image/jpeg")} if self.photo.get(ticket) else None
        self.call("complete", department, "POST", f"/api/v1/work-orders/{ticket}/complete",
                  data={"result": "已处理完毕，市民诉求已解决。"}, files=files)
        # No rating came back by SMS within the (shortened) reply window: the callback desk calls.
        self.after((65, 150), "callback", lambda: self.callback(ticket, department))

    def callback(self, ticket: str, department: str) -> None:
        taken = self.call("callback", "callback", "POST", f"/api/v1/callbacks/{ticket}/take")["callback"]
        unsatisfied = self.rng.random() < 1 / 12
        self.call("callback", "callback", "POST", f"/api/v1/callbacks/{ticket}/attempts", json={
            "attempt": taken["next_attempt"], "verdict": "unsatisfied" if unsatisfied else "satisfied",
            "comment": "问题没有解决" if unsatisfied else None})
        if unsatisfied:
            self.after((5, 40), "sign", lambda: self.department_works(ticket, department))

    def inbox(self, department: str, every: float) -> None:
        self.call("department list", department, "GET", "/api/v1/work-orders?limit=50")
        self.after((every, every), "department list", lambda: self.inbox(department, every))


def load(day: Day, until: dt.datetime, threads: int) -> None:
    """Runs each action at its instant on a pool of threads, until the simulated `until`."""
    with ThreadPoolExecutor(threads) as pool:
        while True:
            with day.lock:
                head = day.queue[0] if day.queue else None
            if head is None or head.at > until:
                break
            wait = day.clock.wall(head.at) - time.time()
            if wait > 0:
                time.sleep(min(wait, 0.05))
                continue
            with day.lock:
                action = heapq.heappop(day.queue)
            day.late.append(-wait)

            def run(action: Action = action) -> None:
                try:
                    action.run()  # type: ignore[operator]
                except Exception as exc:
                    if not isinstance(exc, RuntimeError):
                        day.errors.append(f"{action.kind}: {exc!r}")

            pool.submit(run)


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def run_day(args: argparse.Namespace, factor: float) -> dict:
    from hotline.core.settings import Settings
    from hotline.runtime.boot import open_runtime
    from hotline.runtime.context import build_context
    from hotline.runtime.processes import ami_listener
    from hotline.simulator.capture import Capture
    from hotline.simulator.fake import FakeAsterisk

    day0 = dt.datetime(2026, 12, 2, args.start, 0, tzinfo=TZ)  # a Wednesday
    epoch = time.time() + 40  # seeding and start-up happen before the first simulated instant
    clock = ScaledClock(day0, epoch, factor)
    config = config_dir(Path(tempfile.mkdtemp()) / "config")
    tokens = seed(args.postgres, clock, config)
    pbx = FakeAsterisk().start()
    env = {**os.environ, "HOTLINE_DATABASE_URL": args.postgres, "HOTLINE_SECRET_KEY": SECRET,
           "HOTLINE_CONFIG_DIR": str(config), "HOTLINE_LOG_LEVEL": "WARNING", "HOTLINE_REDIS_URL": "",
           "HOTLINE_BENCH_CLOCK": f"{day0.isoformat()},{epoch},{factor}", "PYTHONPATH": str(ROOT),
           "HOTLINE_SWEEP_INTERVAL_SECONDS": str(max(1, round(60 / factor))),
           "HOTLINE_AMI_HOST": "127.0.0.1", "HOTLINE_AMI_PORT": str(pbx.port)}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "bench.bench_city_day:app_factory",
                               "--port", "8811", "--workers", "2", "--log-level", "warning"], env=env, cwd=ROOT)
    ctx = build_context(Settings(database_url=args.postgres, config_dir=config, secret_key=SECRET,
                                 ami_host="127.0.0.1", ami_port=pbx.port), clock=clock)
    listener = ami_listener(open_runtime(ctx), "127.0.0.1", pbx.port).start()
    try:
        for _ in range(200):
            try:
                httpx.get("http://127.0.0.1:8811/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        catalogue = ctx.config.catalogue
        categories = [(c.code, c.department) for c in ctx.config.categories.categories if c.department in tokens
                      and c.tier.value != "emergency"]
        photo_needed = {code for code, _ in categories
                        if (leaf := catalogue.leaf(code) or catalogue.leaf(catalogue.legacy.get(code, "")))
                        and leaf.evidence_required}
        capture = Capture.load(ROOT / "hotline/simulator/captures/queue-answered.ami")
        day = Day(clock, "http://127.0.0.1:8811", tokens, categories, pbx, capture, photo_needed)
        rng = random.Random(6000)
        for hour in range(args.start, args.end):
            calls = round(args.calls_per_day * HOURLY[hour] / sum(HOURLY))
            for _ in range(calls):
                day.at(day0.replace(hour=hour) + dt.timedelta(seconds=rng.uniform(0, 3600)), "call",
                       day.citizen_calls)
        for code in {d for _, d in categories}:
            day.at(day0 + dt.timedelta(minutes=rng.uniform(0, 5)), "department list",
                   lambda code=code: day.inbox(code, 5))
        if time.time() < epoch:
            time.sleep(epoch - time.time())
        started = time.time()
        load(day, day0.replace(hour=args.end), args.threads)
        wall = time.time() - started
    finally:
        listener.stop()
        server.terminate()
        server.wait(30)
        pbx.stop()
    every = [t for ts in day.took.values() for t in ts]
    calls_seen = len(day.took["create"])
    return {"factor": factor, "simulated_h": args.end - args.start, "wall_s": round(wall, 1),
            "achieved": round((args.end - args.start) * 3600 / wall, 1), "calls": calls_seen,
            "requests": len(every), "req_per_s": round(len(every) / wall, 1),
            "p50_ms": round(pct(every, 0.5) * 1000), "p99_ms": round(pct(every, 0.99) * 1000),
            "late_p99_ms": round(pct(day.late, 0.99) * 1000), "errors": len(day.errors),
            "first_errors": day.errors[:3],
            "p99_by_kind_ms": {k: round(pct(v, 0.99) * 1000) for k, v in sorted(day.took.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=float, nargs="+", default=[15, 30])
    parser.add_argument("--calls-per-day", type=int, default=6000)
    parser.add_argument("--from", dest="start", type=int, default=8, help="first local hour simulated")
    parser.add_argument("--to", dest="end", type=int, default=12, help="local hour the run ends")
    parser.add_argument("--threads", type=int, default=48, help="actions that may be under way at once")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench_city")
    args = parser.parse_args()
    for factor in args.factors:
        print(json.dumps(run_day(args, factor), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
