"""AMI events per second, from TCP bytes to handlers and to stored call records, against a minimal parser.

In one run, on the same bytes (the three Asterisk 22 captures replayed with fresh ids, N calls):
  minimal   split on blank lines and ':' — the least any AMI reader must do (baseline)
  parse     hotline's PacketReader + asterisk-ami's Event parsing (what the reader thread does)
  track     parse + the call tracker (handlers)
  tcp→db    the simulated PBX sends the stream over TCP to the real listener, which tracks and stores
            the calls in the database (PostgreSQL if --postgres, else SQLite); lag p99 from bytes read
            to handler is sampled by the listener
It also counts events per call with and without the server-side event filter of config/asterisk.

    python bench/bench_ami.py [--calls 3000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-0123456789abcdef0123456789"  # passes the check every configured secret goes through
sys.path.insert(0, str(ROOT))

from hotline.core.db import make_engine, make_session_factory  # noqa: E402
from hotline.core.jobs import Runtime  # noqa: E402
from hotline.core.migrate import upgrade_database  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.runtime.context import build_context  # noqa: E402
from hotline.simulator.fake import CAPTURES, Capture, FakeAsterisk  # noqa: E402
from hotline.telephony.ami import PacketReader, parse  # noqa: E402
from hotline.telephony.listener import AmiListener  # noqa: E402
from hotline.telephony.service import DatabaseSinks  # noqa: E402
from hotline.telephony.tracker import CallTracker  # noqa: E402

NAMES = ("queue-answered", "queue-abandon", "ivr-agi")


def stream(fake: FakeAsterisk, calls: int) -> bytes:
    captures = [Capture.load(CAPTURES / f"{n}.ami") for n in NAMES]
    start = captures[0].first_time()
    chunks = [b"Asterisk Call Manager/11.0.0\r\n"]
    for i in range(calls):
        chunks += [p + b"\r\n\r\n" for p in fake.freshen(captures[i % 3], start)]
    return b"".join(chunks)


def minimal(data: bytes) -> int:
    n = 0
    for packet in data.split(b"\r\n\r\n"):
        headers = {}
        for line in packet.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(": ")
            headers[key] = value
        n += "Event" in headers
    return n


def hotline_parse(data: bytes, tracker: CallTracker | None = None) -> int:
    reader, n = PacketReader(), 0
    for i in range(0, len(data), 65536):
        for packet in reader.feed(data[i:i + 65536]):
            event = parse(packet)
            if event and "Event" in event:
                n += 1
                if tracker is not None:
                    tracker.feed(event)
    return n


def best(fn, repeats=3) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    fake = FakeAsterisk()
    fake._base = 1_800_000_000  # the flood's ids; the paced calls below get the server's own
    data = stream(fake, args.calls)

    t_min, events = best(lambda: minimal(data))
    t_parse, n1 = best(lambda: hotline_parse(data))
    t_track, n2 = best(lambda: hotline_parse(data, CallTracker()))
    assert n1 == n2 == events
    print(f"{args.calls} calls, {events:,} events, {len(data) / 1e6:.1f} MB")
    print(f"minimal parser         {events / t_min:10,.0f} events/s  (1.00)")
    print(f"reader + asterisk-ami  {events / t_parse:10,.0f} events/s  ({t_min / t_parse:.2f} of minimal)")
    print(f"  + call tracker       {events / t_track:10,.0f} events/s  ({t_min / t_track:.2f} of minimal)")

    filtered = set(re.findall(r"^eventfilter = Event: (\w+)", (ROOT / "config/asterisk/manager.conf").read_text(), re.M))
    for name in NAMES:
        packets = [parse(p) for p in PacketReader().feed((CAPTURES / f"{name}.ami").read_bytes())]
        every = [p for p in packets if p and "Event" in p and p["Event"] not in ("FullyBooted", "SuccessfulAuth")]
        kept = [p for p in every if p["Event"] in filtered]
        print(f"events per call, {name:15s} all classes {len(every):4d}   with the event filter {len(kept):4d}")

    with tempfile.TemporaryDirectory() as tmp:
        url = args.postgres or f"sqlite:///{tmp}/ami.db"
        if args.postgres:
            from tests.conftest import recreate_postgres_database
            recreate_postgres_database(url)
        upgrade_database(url)
        ctx = build_context(Settings(database_url=url, var_dir=Path(tmp), secret_key=SECRET))
        runtime = Runtime(ctx, make_session_factory(make_engine(url)))
        pbx = FakeAsterisk().start()
        listener = AmiListener("127.0.0.1", pbx.port, pbx.username, pbx.secret,
                               DatabaseSinks(runtime.ctx, runtime.session_factory), batch=2000).start()
        listener.connected.wait(10)
        listener.idle()
        body = data[len(b"Asterisk Call Manager/11.0.0\r\n"):]
        t = time.perf_counter()
        pbx.send_raw(body)
        listener.idle(600, quiet=0.05)
        elapsed = time.perf_counter() - t
        stats = listener.stats
        flood = (stats.events / elapsed, stats.lag_p99_ms())
        # A busy hour's peak, paced: 20 calls a second (~3,500 events/s) for 10 s.
        stats.lags.clear()
        captures = [Capture.load(CAPTURES / f"{n}.ami") for n in NAMES]
        start = time.perf_counter()
        for i in range(200):
            pbx.play(captures[i % 3])
            time.sleep(max(0.0, start + (i + 1) / 20 - time.perf_counter()))
        listener.idle(60)
        paced = stats.lag_p99_ms()
        listener.stop()
        pbx.stop()
        with runtime.session_factory() as s:
            from sqlalchemy import func, select

            from hotline.models import Call
            stored = s.scalar(select(func.count()).select_from(Call))
        assert stored == args.calls + 200
        store = "PostgreSQL" if args.postgres else "SQLite"
        print(f"TCP → tracker → {store}: flood of {args.calls} calls {flood[0]:,.0f} events/s "
              f"(lag p99 {flood[1]:,.0f} ms: the queue absorbs the flood, the reader never waits)")
        print(f"TCP → tracker → {store}: 20 calls/s paced, lag p99 {paced:.1f} ms; {stored:,} calls stored")


if __name__ == "__main__":
    main()
