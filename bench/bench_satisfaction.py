"""A simulated month of callbacks: the share closed by message (SMS reply or rating link) at a given reply rate,
against the agent hours the same month costs when every callback is a phone call.

Each run completes --orders orders (one citizen each) through the service code, lets the callback scheduler
post the 办结 notices, and has a share of citizens answer within the reply window — as citizens write: mostly
"1", some "2", a few "3" with their words, some text that is no rating ("谢谢", "好的") — through the same
handler the provider push endpoint calls; another share rates through the link. What is left goes to the
callback desk when the window closes. Agent time is simulated per callback with the same random draw in both
arms (reached on an attempt with --reach probability, --attempts tries at most, --talk minutes a conversation,
--ring minutes an unanswered try), so the baseline and the message arm differ only in who gave the verdict.
The share closed by message is read back with the production formula (stats `message_share`).

    python bench/bench_satisfaction.py [--orders 1000] [--reply-rates 0.2,0.35,0.5] [--link-rate 0.05]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-0123456789abcdef0123456789"  # passes the check every configured secret goes through
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, select  # noqa: E402

from hotline.callbacks.messages import MessageRatings  # noqa: E402
from hotline.callbacks.service import CallbackService  # noqa: E402
from hotline.core.clock import FixedClock  # noqa: E402
from hotline.core.db import make_engine, make_session_factory, session_scope  # noqa: E402
from hotline.core.enums import State, Verdict  # noqa: E402
from hotline.core.migrate import upgrade_database  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.dispatch.departments import sync_departments  # noqa: E402
from hotline.models import Callback, OutboxMessage  # noqa: E402
from hotline.notifications.providers.base import InboundReply  # noqa: E402
from hotline.runtime.context import build_context  # noqa: E402
from hotline.stats.formulas import Period  # noqa: E402
from hotline.stats.service import StatsService  # noqa: E402
from tests.factories import CALLBACK, order_in  # noqa: E402

START = dt.datetime(2026, 11, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Monday
# What citizens send back, by weight: ratings, ratings with words, and text that is no rating.
REPLIES = [("1", 62), ("1 谢谢", 8), ("2", 14), ("3 水压还是低", 5), ("3", 2), ("谢谢", 6), ("好的", 3)]
PHONE_VERDICTS = [Verdict.SATISFIED, Verdict.BASICALLY_SATISFIED, Verdict.UNSATISFIED]
PHONE_WEIGHTS = [80, 14, 6]


def call_outcomes(seed: int, order_index: int, reach: float, attempts: int) -> list[bool]:
    """Whether each phone try reaches the citizen: the same draw for an order in both arms."""
    rng = random.Random(seed * 100_003 + order_index)
    tries = []
    for _ in range(attempts):
        tries.append(rng.random() < reach)
        if tries[-1]:
            break
    return tries


def minutes_of(tries: list[bool], talk: float, ring: float) -> float:
    return sum(talk if reached else ring for reached in tries)


def fast_sqlite(url: str):
    """A simulation counts outcomes, not time: no fsync per commit."""
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _no_sync(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA synchronous=OFF")

    return make_session_factory(engine)


def month(args: argparse.Namespace, reply_rate: float) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-satisfaction-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    upgrade_database(url)
    clock = FixedClock(START)
    ctx = build_context(Settings(database_url=url, config_dir=ROOT / "config", var_dir=tmp, secret_key=SECRET),
                        clock=clock)
    factory = fast_sqlite(url)
    with session_scope(factory) as s:
        sync_departments(s, ctx.config.departments.departments)
    orders, answers, ms_per_answer = complete_and_answer(factory, ctx, clock, args, reply_rate)
    tries = {order_id: call_outcomes(args.seed, i, args.reach, args.attempts) for i, order_id in enumerate(orders)}
    called = phone_rounds(factory, ctx, clock, tries, args.attempts, random.Random(args.seed + 1))
    with factory() as s:
        rates = StatsService(s, ctx).rates(Period(START.date(), clock.now().date()))
    baseline = sum(minutes_of(t, args.talk, args.ring) for t in tries.values()) / 60
    with_messages = sum(minutes_of(tries[o], args.talk, args.ring) for o in called) / 60
    return {"closed_by_message": args.orders - len(called), "share": 1 - len(called) / args.orders,
            "message_share": rates["rates"]["message_share"], "satisfaction": rates["rates"]["satisfaction_rate"],
            "baseline_h": baseline, "with_messages_h": with_messages, "answers": dict(answers),
            "ms_per_answer": ms_per_answer}


def complete_and_answer(factory, ctx, clock, args: argparse.Namespace,
                        reply_rate: float) -> tuple[list[int], Counter[str], float]:
    """Completions spread over the month's working hours, each followed by the citizen's answer or silence."""
    rng = random.Random(args.seed)
    texts, weights = zip(*REPLIES, strict=True)
    orders: list[int] = []
    answers: Counter[str] = Counter()
    spent = 0.0
    for i in range(args.orders):
        clock.set(START + dt.timedelta(days=(i * 26) // args.orders, minutes=(i * 37) % 480))
        with session_scope(factory) as s:
            orders.append(order_in(State.COMPLETED, s, ctx, citizen_phone=f"139{i:08d}").id)
            CallbackService(s, ctx).schedule()
        draw = rng.random()
        clock.advance(hours=2)  # within the reply window
        with session_scope(factory) as s:
            began = time.perf_counter()
            if draw < reply_rate:
                reply = InboundReply("bench", f"139{i:08d}", rng.choices(texts, weights)[0], "", f"r{i}")
                answers[MessageRatings(s, ctx).reply("bench", reply)] += 1
            elif draw < reply_rate + args.link_rate:
                MessageRatings(s, ctx).rate(_link(s, orders[-1]), "satisfied", "satisfied", None)
                answers["link"] += 1
            spent += time.perf_counter() - began
    return orders, answers, 1000 * spent / max(1, sum(answers.values()))


def phone_rounds(factory, ctx, clock, tries: dict[int, list[bool]], attempts: int, rng: random.Random) -> set[int]:
    """The callback desk works what is left once the windows have passed: one try per working day."""
    clock.set(START + dt.timedelta(days=28, hours=1))
    called: set[int] = set()
    for attempt in range(attempts):
        with factory() as s:
            pending = list(s.scalars(select(Callback.work_order_id).where(Callback.status == "pending")))
        for order_id in pending:
            called.add(order_id)
            reached = attempt < len(tries[order_id]) and tries[order_id][attempt]
            verdict = rng.choices(PHONE_VERDICTS, PHONE_WEIGHTS)[0] if reached else Verdict.UNREACHABLE
            with session_scope(factory) as s:
                CallbackService(s, ctx).record(order_id, CALLBACK, attempt + 1, verdict,
                                               comment="还是没修好" if verdict == Verdict.UNSATISFIED else None)
        clock.advance(days=1 if clock.now().weekday() < 4 else 3)
    return called


def _link(session, order_id: int) -> str:
    body = session.scalars(select(OutboxMessage.body).where(OutboxMessage.work_order_id == order_id,
                                                           OutboxMessage.notice == "completed")).one()
    return re.search(r"/m/r/([A-Za-z0-9_-]+)", body).group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--reply-rates", default="0.2,0.35,0.5")
    parser.add_argument("--link-rate", type=float, default=0.05, help="share who rate through the link instead")
    parser.add_argument("--reach", type=float, default=0.7, help="chance a call is answered")
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--talk", type=float, default=4.0, help="agent minutes of an answered callback")
    parser.add_argument("--ring", type=float, default=1.5, help="agent minutes of an unanswered try")
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()
    print(f"{'reply rate':>10}{'closed by msg':>14}{'share':>7}{'message_share':>14}{'满意率':>7}"
          f"{'agent h, all by phone':>22}{'agent h':>9}{'saved':>7}")
    for reply_rate in (float(x) for x in args.reply_rates.split(",")):
        r = month(args, reply_rate)
        print(f"{reply_rate:>10.2f}{r['closed_by_message']:>14}{r['share']:>7.1%}{r['message_share']:>14.1%}"
              f"{r['satisfaction']:>9.1%}{r['baseline_h']:>22.1f}{r['with_messages_h']:>9.1f}"
              f"{1 - r['with_messages_h'] / r['baseline_h']:>7.1%}", flush=True)
        print(f"{'':>10}answers: {r['answers']}; {r['ms_per_answer']:.1f} ms to handle one", flush=True)

if __name__ == "__main__":
    main()
