"""Databases for the knowledge-base benchmark: the 340 articles through the importer, and a synthetic
knowledge base of any size made from them (each copy filed for another place, with part of its answer
left out), inserted directly so that 100,000 articles take minutes, not hours."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import yaml
from sqlalchemy import text, update
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.actor import Actor
from hotline.core.clock import FixedClock
from hotline.core.db import make_engine, make_session_factory, session_scope
from hotline.core.enums import Role
from hotline.core.migrate import upgrade_database
from hotline.core.settings import Settings
from hotline.dispatch.departments import sync_departments
from hotline.knowledge.analysis import Document
from hotline.knowledge.importer import Importer
from hotline.knowledge.index import SearchIndex, counts
from hotline.knowledge.index_repository import SearchRepository
from hotline.models import Article, ArticleVersion
from hotline.runtime.context import Context, build_context
from tests.conftest import recreate_postgres_database

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-0123456789abcdef0123456789"  # passes the check every configured secret goes through
DATA = ROOT / "bench" / "data" / "knowledge"
# The labels describe what operators may see on this day (bench/data/knowledge/README.md).
AS_OF = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
EDITOR = Actor(Role.HOTLINE_ADMIN, name="benchmark")


@dataclass
class Db:
    backend: str
    url: str
    ctx: Context
    factory: sessionmaker[Session]
    import_seconds: float = 0.0


def open_db(backend: str, postgres_url: str, workdir: Path, name: str) -> Db:
    """An empty, migrated database with the department tree and the 340 articles imported."""
    if backend == "sqlite":
        path = workdir / f"{name}.db"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
        recreate_postgres_database(url)
    upgrade_database(url)
    settings = Settings(database_url=url, config_dir=ROOT / "config", var_dir=workdir / "var", secret_key=SECRET)
    ctx = build_context(settings, clock=FixedClock(NOW))
    factory = make_session_factory(make_engine(url))
    with session_scope(factory) as session:
        sync_departments(session, ctx.config.departments.departments)
    db = Db(backend, url, ctx, factory)
    started = time.perf_counter()
    with session_scope(factory) as session:
        report = Importer(session, ctx).run((DATA / "articles.jsonl").read_text(encoding="utf-8"), "jsonl", EDITOR,
                                            dry_run=False, source="articles.jsonl")
    db.import_seconds = time.perf_counter() - started
    assert report.ok and report.created == 340, report.problems
    return db


def grow(db: Db, total: int, seed: int = 12345) -> tuple[float, dict[str, str]]:
    """Add synthetic published articles until the base holds `total`; the seconds it took, and the article
    each copy was made from (by code)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    places = [p["name"] for p in yaml.safe_load((ROOT / "config" / "places.yaml").read_text("utf-8"))["places"]]
    with db.factory() as session:
        bases = _bases(session, db)
        first = (session.scalar(text("SELECT max(id) FROM kb_articles")) or 0) + 1
        deltas: Counter = Counter()
        origin = {f"S{first + i:06d}": bases[i % len(bases)][0].code for i in range(total - 340)}
        for start in range(0, total - 340, 5000):
            batch = range(start, min(start + 5000, total - 340))
            rows = [_copy(first + i, bases[i % len(bases)], rng.choice(places), rng) for i in batch]
            _insert(session, rows)
            for row in rows:
                deltas.update(row["delta"])
            session.commit()
        SearchRepository(session).adjust_terms(deltas)
        session.commit()
        if db.backend == "postgresql":
            session.execute(text("ANALYZE"))
            session.commit()
    return time.perf_counter() - started, origin


def _bases(session: Session, db: Db) -> list[tuple[Article, ArticleVersion, Document]]:
    index = SearchIndex(session, db.ctx.config, db.ctx.vocabulary)
    pairs = session.execute(text("SELECT a.id, v.id FROM kb_articles a JOIN kb_article_versions v "
                                 "ON v.id = a.published_version_id ORDER BY a.id")).all()
    out = []
    for article_id, version_id in pairs:
        article, version = session.get(Article, article_id), session.get(ArticleVersion, version_id)
        assert article is not None and version is not None
        out.append((article, version, index.document(version)))
    return out


def _copy(new_id: int, base: tuple[Article, ArticleVersion, Document], place: str, rng: random.Random) -> dict:
    article, version, document = base
    analyzer_place = [place]
    fields = {name: list(terms) for name, terms in document.fields.items()}
    fields["title"] += analyzer_place
    fields["tags"] += analyzer_place
    fields["body"] = [t for t in fields["body"] if rng.random() > 0.2] + analyzer_place
    copy = Document(fields)
    return {"id": new_id, "article": article, "version": version, "title": f"{version.title}（{place}）",
            "document": copy, "delta": counts(copy, +1)}


def _insert(session: Session, rows: list[dict]) -> None:
    session.execute(Article.__table__.insert(), [{
        "id": r["id"], "code": f"S{r['id']:06d}", "department_id": r["article"].department_id,
        "category_code": r["article"].category_code, "title": r["title"], "status": "published", "latest_no": 1,
        "valid_until": r["version"].valid_until, "published_at": NOW, "helped": 0, "not_helped": 0,
        "created_at": NOW, "updated_at": NOW, "version": 1} for r in rows])
    session.execute(ArticleVersion.__table__.insert(), [{
        "id": r["id"], "article_id": r["id"], "version_no": 1, "status": "published", "title": r["title"],
        "questions": r["version"].questions, "answer": r["version"].answer[:200], "answer_html": "",
        "category_code": r["version"].category_code, "department_id": r["version"].department_id,
        "source": r["version"].source, "valid_from": r["version"].valid_from, "valid_until": r["version"].valid_until,
        "tags": r["version"].tags, "note": "synthetic", "created_at": NOW} for r in rows])
    ids = [r["id"] for r in rows]
    session.execute(update(Article).where(Article.id.in_(ids)).values(published_version_id=Article.id)
                    .execution_options(synchronize_session=False))
    SearchRepository(session).put_many([SearchIndex.entry(
        SimpleNamespace(id=r["id"]), SimpleNamespace(id=r["id"], category_code=r["version"].category_code,  # type: ignore[arg-type]
        department_id=r["version"].department_id, valid_from=r["version"].valid_from,
        valid_until=r["version"].valid_until), r["document"]) for r in rows])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT setval('kb_articles_id_seq', (SELECT max(id) FROM kb_articles))"))
        session.execute(text("SELECT setval('kb_article_versions_id_seq', (SELECT max(id) FROM kb_article_versions))"))


def read_jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def hidden_codes() -> set[str]:
    """Articles that must never reach an operator on AS_OF (not published, or outside their validity)."""
    hidden = set()
    for article in read_jsonl("articles.jsonl"):
        until = article["valid_until"]
        if (article["status"] != "published" or dt.date.fromisoformat(article["valid_from"]) > AS_OF
                or (until is not None and dt.date.fromisoformat(until) < AS_OF)):
            hidden.add(article["id"])
    return hidden
