"""Knowledge-base search: does the right article come first, and how fast at 100,000 articles.

In one run, on SQLite and on PostgreSQL:
  import     bench/data/knowledge/articles.jsonl through the importer (the API's and CLI's path)
  quality    the evaluation questions (questions.jsonl, written before any tuning and never tuned on) and the
             development questions (dev_questions.jsonl, the only set tuned on): right article first / in
             the first three, with and without recognition slips; for questions only a hidden article
             answers, whether any hidden article ever surfaced and whether anything was suggested at all
  latency    every evaluation question as a search at 340 articles and again after growing the base to
             --articles synthetic ones (default 100,000); baseline in the same run: reading one article
             by its code, the floor of any request that touches the database

    python bench/bench_knowledge.py [--articles 100000] [--backends sqlite,postgresql] [--postgres URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.knowledge_setup import AS_OF, Db, grow, hidden_codes, open_db, read_jsonl  # noqa: E402
from hotline.knowledge.index_repository import Filters  # noqa: E402
from hotline.knowledge.repository import ArticleRepository  # noqa: E402
from hotline.knowledge.search import Searcher  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench"
SETS = {"eval": "questions.jsonl", "dev": "dev_questions.jsonl"}


def evaluate(db: Db, questions: list[dict], origin: dict[str, str] | None = None) -> dict:
    """Shares over labelled questions (all / no slip / slip) and what the null questions brought up; a synthetic
    copy counts as the article it was made from."""
    hidden = hidden_codes()
    tally = {key: [0, 0, 0] for key in ("all", "clean", "slip")}  # questions, first, top 3
    nulls = {"questions": 0, "silent": 0, "hidden_shown": 0}
    hidden_anywhere = 0
    with db.factory() as session:
        searcher = Searcher(session, db.ctx)
        for question in questions:
            hits = searcher.search(question["text"], Filters(today=AS_OF), limit=3)
            codes = [(origin or {}).get(h.code, h.code) for h in hits]
            hidden_anywhere += bool(hidden & set(codes))
            if question["expected"] is None:
                nulls["questions"] += 1
                nulls["silent"] += not codes
                nulls["hidden_shown"] += bool(hidden & set(codes))
                continue
            right = {question["expected"], *question.get("also", [])}
            for key in ("all", "slip" if question.get("slip") else "clean"):
                tally[key][0] += 1
                tally[key][1] += bool(codes) and codes[0] in right
                tally[key][2] += bool(right & set(codes))
    return {"tally": tally, "nulls": nulls, "hidden_anywhere": hidden_anywhere}


def latencies(db: Db, texts: list[str]) -> list[float]:
    """Milliseconds per search, each a whole query: words cut, counts read, candidates fetched, ranked."""
    out = []
    with db.factory() as session:
        searcher = Searcher(session, db.ctx)
        searcher.search(texts[0], Filters(today=AS_OF))  # the first one loads the dictionary words
        for query in texts:
            started = time.perf_counter()
            searcher.search(query, Filters(today=AS_OF))
            out.append((time.perf_counter() - started) * 1000)
    return out


def floor_ms(db: Db, rounds: int = 300) -> list[float]:
    out = []
    with db.factory() as session:
        articles = ArticleRepository(session)
        for i in range(rounds):
            started = time.perf_counter()
            articles.by_code(f"KB{1 + i % 340:04d}")
            out.append((time.perf_counter() - started) * 1000)
            session.expire_all()
    return out


def describe(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"


def print_quality(label: str, result: dict) -> None:
    for key, (n, first, top3) in result["tally"].items():
        if n:
            print(f"  {label:9} {key:5}  n={n:3}  first {first / n:6.1%}  top-3 {top3 / n:6.1%}")
    nulls = result["nulls"]
    print(f"  {label:9} null   n={nulls['questions']:3}  nothing suggested {nulls['silent']}/{nulls['questions']}"
          f"  a hidden article shown {nulls['hidden_shown']}  (hidden articles in any answer: "
          f"{result['hidden_anywhere']})")


def run(backend: str, args: argparse.Namespace, workdir: Path) -> None:
    print(f"== {backend}")
    db = open_db(backend, args.postgres, workdir, "hotline_bench_knowledge")
    print(f"  import of 340 articles through the importer: {db.import_seconds:.1f} s")
    for label in args.sets.split(","):
        print_quality(label, evaluate(db, read_jsonl(SETS[label])))
    texts = [q["text"] for q in read_jsonl(SETS[args.sets.split(",")[0]])]
    floor = floor_ms(db)
    small = latencies(db, texts)
    grown, origin = grow(db, args.articles)
    large = latencies(db, texts)
    for label in args.sets.split(","):
        print_quality(f"{label}@{args.articles // 1000}k", evaluate(db, read_jsonl(SETS[label]), origin))
    floor_large = floor_ms(db)
    print(f"  baseline: one article by code       {describe(floor)}")
    print(f"  search at 340 articles              {describe(small)}")
    print(f"  grown to {args.articles:,} articles in {grown:.0f} s")
    print(f"  baseline at {args.articles:,}: by code     {describe(floor_large)}")
    print(f"  search at {args.articles:,} articles      {describe(large)}")
    print(f"  ratio search/baseline at {args.articles:,}: "
          f"{statistics.median(large) / statistics.median(floor_large):.0f}×; "
          f"search {args.articles:,} / 340: {statistics.median(large) / statistics.median(small):.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--sets", default="eval,dev", help="question sets to score (the first is also timed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            run(backend, args, Path(tmp))


if __name__ == "__main__":
    main()
