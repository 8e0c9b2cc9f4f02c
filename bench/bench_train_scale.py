"""`hotline intake train` end to end on N imported orders in PostgreSQL: wall time, CPU time and peak memory.

    python bench/bench_train_scale.py [N] [DATABASE]   # default 1,000,000 orders, database hotline_bench_train

The database (dropped and made anew, on 127.0.0.1:5432 as postgres) is filled with N simulated orders
(bench_learned_routing.simulated_history: the seed's nine tenths with slips and 3 % wrong labels, one
order every 30 s back from 2026-11-29); the training then runs in a process of its own, as a centre
runs it, reading the orders from the database. The accuracy it prints is on the newest simulated
orders, which say the same situations as the rest: it measures nothing about real calls.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_learned_routing import dev_split, simulated_history  # noqa: E402

from hotline.core.config import load_config  # noqa: E402

SERVER = "postgresql://postgres@127.0.0.1:5432"


def fill(database: str, n: int) -> None:
    import psycopg

    from hotline.core.migrate import upgrade_database

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')
    upgrade_database(f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}")
    train, _ = dev_split(load_config(ROOT / "config"))
    start = dt.datetime(2026, 11, 29)
    with psycopg.connect(f"{SERVER}/{database}") as conn, conn.cursor().copy(
            "COPY intake_history (ticket_no, text, category_code, department_code, place, received_at, source, "
            "imported_at) FROM STDIN") as copy:
        for i, e in enumerate(simulated_history(train, n)):
            copy.write_row((e.ticket, e.text, e.leaf, e.department, e.place, start - dt.timedelta(seconds=30 * i),
                            "bench", start))


def main(n: int, database: str) -> None:
    fill(database, n)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "HOTLINE_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}",
               "HOTLINE_INTAKE_MODEL_DIR": tmp, "HOTLINE_VAR_DIR": tmp, "HOTLINE_LOG_LEVEL": "WARNING",
               "HOTLINE_SECRET_KEY": os.urandom(32).hex(), "PYTHONPATH": str(ROOT)}
        load = os.getloadavg()[0]
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "hotline.cli", "intake", "train"], env=env, cwd=ROOT,
                              capture_output=True, text=True, check=True)
        wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(done.stdout.strip())
    print(json.dumps({"orders": n, "wall_s": round(wall, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
                      "peak_mb": round(usage.ru_maxrss / 1024), "load": [round(load, 1), round(os.getloadavg()[0], 1)]}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, sys.argv[2] if len(sys.argv) > 2 else "hotline_bench_train")
