"""Learned routing (issue 16): held-out accuracy, a learning curve, training cost, analysis and CLI time.

    python bench/bench_learned_routing.py heldout [FILE] [--corpus-only]
                                        # cold start (the seed corpus and the shipped development calls, less
                                        # FILE's own set: leave-one-set-out), measured on FILE (default
                                        # bench/data/intake_heldout9.jsonl); --corpus-only: the seed corpus alone
    python bench/bench_learned_routing.py curve          # 0 / 1k / 10k / 100k simulated history orders
    python bench/bench_learned_routing.py one N [SHARE]  # one point of the curve (run in its own process);
                                                          # SHARE: seed_min_share for this run
    python bench/bench_learned_routing.py timing         # analysis per utterance on the seed's dev tenth
    python bench/bench_learned_routing.py compare [N]    # exact LinearSVC (the former trainer) against the
                                                          # chunked SGD, same rows, same process

Tuning used only the seed corpus, split by situation: every tenth line (the corpus renders each
situation of a leaf at a fixed stride, so these lines hold situations the rest never says).
Simulated history is drawn from the other nine tenths with noise (slips by same-sound characters,
dropped and inserted words, 3 % of labels wrong as operators sometimes file them).
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from hotline.core.config import load_config  # noqa: E402
from hotline.intake.training import Example  # noqa: E402

HELDOUT = ROOT / "bench" / "data" / "intake_heldout9.jsonl"
FILLERS = ["喂", "那个", "就是", "嗯", "然后", "我跟你说", "这个"]


def simulated_history(train: list[Example], n: int, seed: int = 16) -> list[Example]:
    """n orders said again by other callers: same-sound slips, words lost and added, a few mislabelled."""
    from pypinyin import lazy_pinyin

    rng = random.Random(seed)
    by_sound: dict[str, list[str]] = {}
    for ch in sorted({c for e in train for c in e.text if "\u4e00" <= c <= "\u9fff"}):
        by_sound.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    leaves = sorted({e.leaf for e in train})
    out = []
    for i in range(n):
        base = rng.choice(train)
        words = base.text.split()
        for _ in range(rng.choice((0, 0, 1, 2))):  # a same-sound slip
            w = rng.randrange(len(words))
            chars = list(words[w])
            c = rng.randrange(len(chars))
            mates = by_sound.get(lazy_pinyin(chars[c])[0], [chars[c]])
            chars[c] = rng.choice(mates)
            words[w] = "".join(chars)
        if len(words) > 4 and rng.random() < 0.3:
            del words[rng.randrange(len(words))]
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS))
        leaf = rng.choice(leaves) if rng.random() < 0.03 else base.leaf
        out.append(Example(" ".join(words), leaf, base.department, base.place, f"S{i:07d}", source="history"))
    return out


def dev_split(config, leave_out: frozenset[str] | None = None) -> tuple[list[Example], list[Example]]:
    """Nine tenths to train on and the held tenth; by default the seed corpus alone (the curve and the timings
    are measured on it as before), else the corpus and the development calls less `leave_out`."""
    from hotline.intake.learning import seed_examples

    seed = seed_examples(config, left_out(HELDOUT, corpus_only=True) if leave_out is None else leave_out)
    return [e for i, e in enumerate(seed) if i % 10], seed[::10]


def train_model(config, train: list[Example], directory: Path, dev: list[Example], version: str = "v0001"):
    from hotline.intake.learning import catalogue_examples, row_weights
    from hotline.intake.model import set_live, write_model
    from hotline.intake.training import calibrate, fit

    rows = train + catalogue_examples(config)
    started, cpu = time.perf_counter(), _cpu()
    fitted = fit(rows, row_weights(rows, config.intake_model), config.intake_model,
                 names={leaf.code: leaf.name for leaf in config.catalogue.leaves()})
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    fitted.meta.update(temperature=calibrate(fitted.model, dev), accuracy={})  # as `hotline intake train` does
    write_model(directory, version, fitted.arrays, fitted.meta)
    set_live(directory, version)
    return seconds, cpu


def _cpu() -> float:
    """CPU seconds of this process, all threads (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one(n: int, seed_share: float | None = None) -> None:
    """One point of the learning curve, in a process of its own so its peak memory is its own (`seed_share`:
    another `seed_min_share` than config/intake_model.yaml's)."""
    from hotline.dispatch.routing import Router
    from hotline.intake.learning import department_for
    from hotline.intake.model import load_model
    from hotline.intake.training import evaluate

    config = load_config(ROOT / "config")
    if seed_share is not None:
        config = config.model_copy(update={"intake_model": config.intake_model.model_copy(
            update={"seed_min_share": seed_share})})
    train, dev = dev_split(config)
    history = simulated_history(train, n) if n else []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        seconds, cpu = train_model(config, train + history, Path(tmp), dev)
        model = load_model(Path(tmp), "v0001")
        router = Router(config)
        got = evaluate(model, dev, lambda m, leaf, place: department_for(m, router, leaf, place)[0])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"history": n, "seed_min_share": config.intake_model.seed_min_share,
                      "train_rows": len(train) + n, "seconds": round(seconds, 1),
                      "cpu_seconds": round(cpu, 1), "peak_mb": round(peak_mb),
                      "load": [round(load, 1), round(os.getloadavg()[0], 1)], "dev_category": got["category"],
                      "dev_department": got["department"]}), flush=True)


def compare(n: int) -> None:
    """The former trainer (tf-idf on all rows at once, exact LinearSVC, C = 0.5) against `fit`, on the same rows
    (nine tenths of the seed, the catalogue's phrases and n simulated orders), leaf accuracy on the dev tenth."""
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    from hotline.intake.grams import char_grams, word_tokens
    from hotline.intake.learning import catalogue_examples
    from hotline.intake.training import fit

    config = load_config(ROOT / "config")
    train, dev = dev_split(config)
    rows = train + (simulated_history(train, n) if n else []) + catalogue_examples(config)
    weights = [config.intake_model.phrase_weight if e.source == "catalogue" else 1.0 for e in rows]
    truth = np.asarray([e.leaf for e in dev])
    started, cpu = time.perf_counter(), _cpu()
    parts = [TfidfVectorizer(analyzer=a, sublinear_tf=True, min_df=2, max_features=m, dtype=np.float32)
             for a, m in ((char_grams, 40_000), (word_tokens, 20_000))]
    x = hstack([p.fit_transform([e.text for e in rows]) for p in parts]).tocsr()
    svc = LinearSVC(C=0.5).fit(x, [e.leaf for e in rows], sample_weight=np.asarray(weights))
    old = (time.perf_counter() - started, _cpu() - cpu)
    got = svc.predict(hstack([p.transform([e.text for e in dev]) for p in parts]).tocsr())
    old_acc = float((got == truth).mean())
    started, cpu = time.perf_counter(), _cpu()
    fitted = fit(rows, weights, config.intake_model)
    new = (time.perf_counter() - started, _cpu() - cpu)
    new_acc = sum(fitted.model.suggest(e.text, 1).choices[0].code == e.leaf for e in dev) / len(dev)
    print(json.dumps({"history": n, "rows": len(rows), "load": round(os.getloadavg()[0], 1),
                      "linearsvc": {"leaf": round(old_acc, 4), "seconds": round(old[0], 1), "cpu": round(old[1], 1)},
                      "sgd_chunked": {"leaf": round(new_acc, 4), "seconds": round(new[0], 1), "cpu": round(new[1], 1)},
                      "time_ratio": round(new[0] / old[0], 2)}), flush=True)


def curve(sizes: list[int]) -> None:
    for n in sizes:
        subprocess.run([sys.executable, __file__, "one", str(n)], check=True)


def left_out(path: Path, corpus_only: bool = False) -> frozenset[str]:
    """The sets of the shipped development calls (seed/calls.jsonl) a cold start measured on `path` must not
    learn from: the set `path` is (leave-one-set-out), or all of them for the seed corpus alone."""
    from importlib.resources import files

    text = files("hotline.intake").joinpath("seed/calls.jsonl").read_text(encoding="utf-8")
    shipped = {json.loads(line)["set"] for line in text.splitlines() if line.strip()}
    return frozenset(shipped) if corpus_only else frozenset({path.stem.removeprefix("intake_")} & shipped)


def heldout(path: Path = HELDOUT, corpus_only: bool = False) -> None:
    from hotline.intake.analyzer import Analyzer
    from hotline.intake.slot import ModelSlot

    config = load_config(ROOT / "config")
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    leave_out = left_out(path, corpus_only)
    with tempfile.TemporaryDirectory() as tmp:
        train, dev = dev_split(config, leave_out)  # what `hotline intake train` does without history of its own
        seconds, _ = train_model(config, train, Path(tmp), dev)
        print(f"cold start: trained on the seed corpus and the development calls"
              f"{' except ' + ', '.join(sorted(leave_out)) if leave_out else ''} "
              f"({len(train)} lines) in {seconds:.0f} s")
        rules = Analyzer(config)
        learned = Analyzer(config, slot=ModelSlot(Path(tmp)))
        for name, analyzer in (("rules only", rules), ("model + rules", learned)):
            print(f"{name}: {score(analyzer, items)}")
        print(f"model + rules by source: {by_source(learned, items)}")
        combined_rule_side(learned, items)
        texts = [i["text"] for i in items]
        base, with_model = per_utterance(rules, texts), per_utterance(learned, texts)
        print(f"analysis per utterance: rules {base:.2f} ms, model + rules {with_model:.2f} ms "
              f"(x{with_model / base:.2f})")
        cli(Path(tmp))


def timing() -> None:
    """Analysis per utterance on the dev tenth's texts (never the held-out set): the model alone, the rules
    alone and both, with the model trained on the other nine tenths."""
    from hotline.intake.analyzer import Analyzer
    from hotline.intake.model import load_model
    from hotline.intake.slot import ModelSlot

    config = load_config(ROOT / "config")
    train, dev = dev_split(config)
    texts = [e.text for e in dev]
    with tempfile.TemporaryDirectory() as tmp:
        train_model(config, train, Path(tmp), dev)
        model = load_model(Path(tmp), "v0001")
        rules, learned = Analyzer(config), Analyzer(config, slot=ModelSlot(Path(tmp)))
        started = time.perf_counter()
        for text in texts:
            model.suggest(text, 3)
        alone = (time.perf_counter() - started) * 1000 / len(texts)
        base, both = per_utterance(rules, texts), per_utterance(learned, texts)
    print(f"per utterance (load {os.getloadavg()[0]:.1f}): model alone {alone:.2f} ms, rules {base:.2f} ms, "
          f"model + rules {both:.2f} ms (x{both / base:.2f})")


def score(analyzer, items: list[dict]) -> dict:
    hits = {"tier": 0, "department": 0, "category": 0, "must_choose": 0}
    for item in items:
        got = analyzer.analyze(item["text"])
        hits["tier"] += got.tier == item["tier"]
        hits["category"] += bool(got.category) and got.category["code"] == item["category"]
        hits["department"] += bool(got.department) and got.department["code"] == item["department"]
        hits["must_choose"] += got.must_choose
    return {k: f"{v / len(items):.1%}" for k, v in hits.items()}


def combined_rule_side(analyzer, items: list[dict]) -> None:
    """Danger and places of the combined analyser (rules and model together), as bench_intake_rules counts."""
    from bench_intake_rules import evaluate, pct

    c = evaluate(analyzer, items, misses=False)
    emergencies, others = c["tp"] + c["fn"], c["fp"] + c["tn"]
    print(f"model + rules: emergency recall {pct(c['tp'], emergencies)}, false alarms {pct(c['fp'], others)}, "
          f"service of found {pct(c['service'], c['tp'])}, place {pct(c['place'], len(items))}, "
          f"place's street office {pct(c['place_dept'], c['place_dept_n'])}, "
          f"numbers whole line {pct(c['numbers'], len(items))}")


def by_source(analyzer, items: list[dict]) -> dict:
    out: dict[str, list[int]] = {}
    for item in items:
        got = analyzer.analyze(item["text"])
        row = out.setdefault(got.source, [0, 0])
        row[0] += 1
        row[1] += bool(got.category) and got.category["code"] == item["category"]
    return {k: f"{n} lines, category {ok / n:.1%}" for k, (n, ok) in out.items()}


def per_utterance(analyzer, texts: list[str], rounds: int = 3) -> float:
    for text in texts[:20]:
        analyzer.analyze(text)
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            analyzer.analyze(text)
    return (time.perf_counter() - started) * 1000 / (rounds * len(texts))


def cli(models: Path) -> None:
    env = {**os.environ, "HOTLINE_INTAKE_MODEL_DIR": str(models), "HOTLINE_LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT)}
    runs = {"python -c pass": [sys.executable, "-c", "pass"],
            "hotline intake analyze": [sys.executable, "-m", "hotline.cli", "intake", "analyze", "小区 停水 了"]}
    times = {}
    for name, argv in runs.items():
        best = min(_timed(argv, env) for _ in range(3))
        times[name] = best
    ratio = times["hotline intake analyze"] / times["python -c pass"]
    print(f"CLI: {times['hotline intake analyze']:.2f} s (python start {times['python -c pass']:.2f} s, x{ratio:.1f})")


def _timed(argv: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "heldout"
    if what == "one":
        one(int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else None)
    elif what == "compare":
        compare(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    elif what == "timing":
        timing()
    elif what == "curve":
        curve([int(n) for n in sys.argv[2:]] or [0, 1000, 10000, 100000])
    else:
        rest = [a for a in sys.argv[2:] if a != "--corpus-only"]
        heldout(Path(rest[0]) if rest else HELDOUT, corpus_only="--corpus-only" in sys.argv)
