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
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

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


def latencies(db: Db, texts: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds per search, each a whole query (words cut, counts read, candidates fetched, ranked): wall
    time, and this process's CPU time — on SQLite all of the work, and what a loaded machine cannot inflate."""
    out, cpu = [], []
    with db.factory() as session:
        searcher = Searcher(session, db.ctx)
        searcher.search(texts[0], Filters(today=AS_OF))  # the first one loads the dictionary words
        for query in texts:
            started, used = time.perf_counter(), time.process_time()
            searcher.search(query, Filters(today=AS_OF))
            out.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    return out, cpu


def trigram_choice(db: Db, questions: list[dict]) -> str:
    """The alternative the design set aside, on the development set: pg_trgm's word_similarity between what
    was said and each visible article's title and question forms."""
    with db.factory() as session:
        session.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        session.execute(text(
            "CREATE TEMP TABLE trigram_docs AS SELECT a.code, v.title || ' ' || array_to_string(ARRAY("
            "SELECT json_array_elements_text(v.questions)), ' ') AS doc FROM kb_articles a JOIN kb_article_versions v "
            "ON v.id = a.published_version_id WHERE v.valid_from <= :day AND (v.valid_until IS NULL OR "
            "v.valid_until >= :day)"), {"day": AS_OF})
        tally = {"all": [0, 0, 0], "slip": [0, 0, 0]}
        for question in (q for q in questions if q["expected"]):
            codes = list(session.scalars(text("SELECT code FROM trigram_docs ORDER BY word_similarity(:q, doc) DESC "
                                              "LIMIT 3"), {"q": question["text"].replace(" ", "")}))
            for key in ("all", "slip") if question.get("slip") else ("all",):
                tally[key][0] += 1
                tally[key][1] += codes[:1] == [question["expected"]]
                tally[key][2] += question["expected"] in codes
    return "  ".join(f"{key} first {f / n:.1%} top-3 {t / n:.1%}" for key, (n, f, t) in tally.items())


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
    print(f"== {backend}  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    db = open_db(backend, args.postgres, workdir, "hotline_bench_knowledge")
    print(f"  import of 340 articles through the importer: {db.import_seconds:.1f} s")
    for label in args.sets.split(","):
        print_quality(label, evaluate(db, read_jsonl(SETS[label])))
    if backend == "postgresql":
        print(f"  pg_trgm instead, development set: {trigram_choice(db, read_jsonl(SETS['dev']))}")
    texts = [q["text"] for q in read_jsonl(SETS[args.sets.split(",")[0]])]
    floor = floor_ms(db)
    small, small_cpu = latencies(db, texts)
    grown, origin = grow(db, args.articles)
    large, large_cpu = latencies(db, texts)
    for label in args.sets.split(","):
        print_quality(f"{label}@{args.articles // 1000}k", evaluate(db, read_jsonl(SETS[label]), origin))
    floor_large = floor_ms(db)
    print(f"  baseline: one article by code       {describe(floor)}")
    print(f"  search at 340 articles              {describe(small)}")
    print(f"    of which this process's CPU       {describe(small_cpu)}")
    print(f"  grown to {args.articles:,} articles in {grown:.0f} s")
    print(f"  baseline at {args.articles:,}: by code     {describe(floor_large)}")
    print(f"  search at {args.articles:,} articles      {describe(large)}")
    print(f"    of which this process's CPU       {describe(large_cpu)}")
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
