"""Start-up of `hotline intake analyze` against `python -c pass`, measured in the same run.

    python bench/bench_intake_cli.py [--models DIR] [--rounds 5]

`--models` points at a directory with a live model (as `hotline intake train` leaves in var/intake/models);
without it the analyser runs on rules alone. Prints the median of each and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A call as the recogniser writes it, with numerals before measure words (两 天, 八 号楼) as most calls have.
SAID = "喂 俺 家 湖西 小区 停水 两 天 了 八 号楼 两 单元 一百 多 户 都 没 水"


def timed(argv: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "HOTLINE_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    if args.models:
        env["HOTLINE_INTAKE_MODEL_DIR"] = str(args.models)
    runs = {"python -c pass": [sys.executable, "-c", "pass"],
            "hotline intake analyze": [sys.executable, "-m", "hotline.cli", "intake", "analyze", SAID]}
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):  # interleaved, so a busy moment of the machine weighs on both
        for name, argv in runs.items():
            times[name].append(timed(argv, env))
    base, cli = (statistics.median(times[name]) for name in runs)
    print(f"python -c pass {base:.3f} s, hotline intake analyze {cli:.3f} s (x{cli / base:.1f}), "
          f"median of {args.rounds}; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
