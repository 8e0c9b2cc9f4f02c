"""Citizen notices per second through the outbox to a local SMS platform, against the same platform called directly.

A local dysmsapi (Alibaba Cloud SMS) records every SendSms by its OutId. N 受理 notices with a sealed extraction
code are queued in the outbox; 2 worker processes then run the delivery job for each (claim the row, open the
seal, sign and send the request, record the outcome: two transactions and one HTTP round trip per notice).
The baseline is the same 2 processes sending the same messages straight through the adapter, without the
outbox. Both in the same run, against the same stub; the ratio says what the outbox costs.

    python bench/bench_notices.py [--notices 2000] [--workers 2] [--postgres URL | --sqlite]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline.core.clock import FixedClock  # noqa: E402
from hotline.core.db import make_engine, make_session_factory, session_scope  # noqa: E402
from hotline.core.jobs import Runtime  # noqa: E402
from hotline.core.migrate import upgrade_database  # noqa: E402
from hotline.core.security import seal  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.notifications.outbox import SEAL_MARK, Outbox  # noqa: E402
from hotline.notifications.providers.base import OutgoingMessage  # noqa: E402
from hotline.notifications.tasks import deliver  # noqa: E402
from hotline.runtime.context import build_context  # noqa: E402
from tests.conftest import recreate_postgres_database  # noqa: E402
from tests.integration.provider_server import ProviderServer, Received, Reply  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)  # 17:00 in Liaocheng: outside the quiet hours
SECRET = "bench-secret-0123456789abcdef0123456789"
OK = {"Message": "OK", "RequestId": "R", "Code": "OK", "BizId": "900619746936498440^0"}


class Platform:
    """SendSms answered OK; every OutId it accepted is counted (a double would show as a count of 2)."""

    def __init__(self) -> None:
        self.out_ids: Counter[str] = Counter()

    def __call__(self, request: Received) -> Reply:
        form = request.form()
        if form.get("Action") == "SendSms":
            self.out_ids[form["OutId"]] += 1
        return Reply(200, OK)


def settings_for(url: str, var_dir: Path, endpoint: str) -> Settings:
    sms = {"provider": "aliyun_sms", "access_key_id": "LTAI5tBench", "access_key_secret": "bench-key-secret",
           "sign_name": "聊城12345", "endpoint": endpoint, "timeout": 5}
    return Settings(database_url=url, config_dir=ROOT / "config", var_dir=var_dir, secret_key=SECRET,
                    notifications={"sms": sms})


def queue_notices(settings: Settings, n: int) -> list[int]:
    ctx = build_context(settings, clock=FixedClock(NOW))
    factory = make_session_factory(make_engine(settings.database_url))
    body = ("【聊城12345】您的诉求已受理，工单号20261123-{i:04d}，提取码" + SEAL_MARK.format("code") +
            "。可访问https://12345.liaocheng.gov.cn/status或拨打12345按2键查询办理进度。")
    rows = [dict(dedupe_key=f"notice:{i}:accepted:sms", channel="sms", recipient=f"138{i:08d}", subject="受理通知",
                 body=body.format(i=i), payload={"params": {"ticket": f"20261123-{i:04d}", "code": "⟦code⟧"},
                                                 "sealed": {"code": seal(ctx.secret, f"{i % 1000000:06d}")}},
                 status="pending", attempts=0, created_at=NOW, audience="citizen", notice="accepted",
                 not_before=None) for i in range(n)]
    with session_scope(factory) as s:
        ids = Outbox(s, ctx.config.notices.staff).rows.insert(rows)
    return sorted(ids.values())


def worker(settings: Settings, mode: str, ids: mp.Queue, start: mp.Event, done: mp.Queue) -> None:
    """One worker process: its own engine and provider, taking ids until the queue is empty."""
    ctx = build_context(settings, clock=FixedClock(NOW))
    runtime = Runtime(ctx, make_session_factory(make_engine(settings.database_url)))
    sms = ctx.providers["sms"]
    start.wait()
    outcomes: Counter[str] = Counter()
    while (message_id := ids.get()) is not None:
        if mode == "outbox":
            outcomes[deliver(runtime, message_id)] += 1
        else:
            message = OutgoingMessage(f"direct:{message_id}:sms", "sms", f"139{message_id:08d}", "SMS_465800123",
                                      {"ticket": f"20261123-{message_id:04d}", "code": "123456"}, "", "受理通知")
            outcomes[sms.send(message).outcome.value] += 1
    done.put(dict(outcomes))


def run(settings: Settings, mode: str, ids: list[int], workers: int) -> tuple[float, Counter]:
    context = mp.get_context("fork")
    queue, start, done = context.Queue(), context.Event(), context.Queue()
    for message_id in ids:
        queue.put(message_id)
    for _ in range(workers):
        queue.put(None)
    processes = [context.Process(target=worker, args=(settings, mode, queue, start, done)) for _ in range(workers)]
    for p in processes:
        p.start()
    time.sleep(2.0)  # every worker has built its context and waits at the start line
    began = time.perf_counter()
    start.set()
    outcomes: Counter = Counter()
    for _ in processes:
        outcomes.update(done.get())
    elapsed = time.perf_counter() - began
    for p in processes:
        p.join()
    return len(ids) / elapsed, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench_notices")
    parser.add_argument("--sqlite", action="store_true", help="an SQLite file instead of PostgreSQL")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-notices-"))
    url = f"sqlite:///{tmp / 'bench.db'}" if args.sqlite else args.postgres
    if not args.sqlite:
        recreate_postgres_database(url)
    upgrade_database(url)
    platform = Platform()
    server = ProviderServer(platform)
    server.start()
    settings = settings_for(url, tmp, server.url + "/")
    ids = queue_notices(settings, args.notices)
    direct, direct_outcomes = run(settings, "direct", ids, args.workers)
    outbox, outbox_outcomes = run(settings, "outbox", ids, args.workers)
    server.stop()
    doubled = sum(1 for key, count in platform.out_ids.items() if key.startswith("notice:") and count > 1)
    print(f"{'database':<11}{'notices':>8}{'workers':>8}{'direct/s':>10}{'outbox/s':>10}{'ratio':>7}{'doubled':>9}")
    print(f"{'SQLite' if args.sqlite else 'PostgreSQL':<11}{len(ids):>8}{args.workers:>8}{direct:>10.0f}"
          f"{outbox:>10.0f}{outbox / direct:>7.2f}{doubled:>9}")
    print(f"outcomes: direct {dict(direct_outcomes)}, outbox {dict(outbox_outcomes)}")


if __name__ == "__main__":
    main()
