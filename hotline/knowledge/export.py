"""Export for the provincial platform (省知识库汇聚): every published article as JSON or CSV. The CSV has the
importer's columns first, so an export can be imported into another centre as it is."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import Session

from hotline.core.config_catalogue import CatalogueFile
from hotline.knowledge.formats import FIELDS, write_csv
from hotline.knowledge.repository import ArticleRepository

FORMATS = ("json", "csv")


def export_rows(session: Session, catalogue: CatalogueFile, today: dt.date | None) -> list[dict[str, Any]]:
    """Published articles (only those valid on `today` when given), the published version of each."""
    articles = ArticleRepository(session)
    pairs = articles.all_published(today)
    departments = articles.department_codes(sorted({v.department_id for _, v in pairs}))
    rows = []
    for article, version in pairs:
        department = departments[version.department_id]
        path = catalogue.path_names(version.category_code) if version.category_code else None
        rows.append({
            "code": article.code, "title": version.title, "questions": list(version.questions),
            "answer": version.answer, "category": version.category_code, "department": department.code,
            "source": version.source, "valid_from": version.valid_from.isoformat(),
            "valid_until": version.valid_until.isoformat() if version.valid_until else None,
            "tags": list(version.tags), "status": version.status,
            "category_path": "/".join(path) if path else None, "department_name": department.name,
            "version": version.version_no, "published_at": article.published_at.isoformat()
            if article.published_at else None, "answer_html": version.answer_html,
        })
    return rows


def render(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"format": "hotline-knowledge/1", "articles": rows}, ensure_ascii=False, indent=1)
    return write_csv([{k: row[k] for k in (*FIELDS, "category_path", "department_name", "version", "published_at")}
                      for row in rows])
