"""Importing an existing knowledge base (the editor's job): every record is checked first and every problem
reported with its line; only a file without problems is written, all of it in one transaction. A record
whose code exists becomes a new version of that article."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import ArticleStatus
from hotline.core.errors import InvalidInputError
from hotline.dispatch.repository import DepartmentRepository
from hotline.knowledge import policy, rules
from hotline.knowledge.formats import Problem, Record, read
from hotline.knowledge.index import SearchIndex
from hotline.knowledge.markdown import render
from hotline.knowledge.ports import KnowledgeEnv
from hotline.knowledge.repository import ArticleRepository
from hotline.knowledge.search import local_today
from hotline.models import Article, ArticleVersion

CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
STATUSES = {s.value for s in ArticleStatus}
LABELS = {"title": "标题", "questions": "问法", "answer": "答复", "category": "分类", "source": "政策依据",
          "valid_until": "有效期止"}
REQUIRED = ("department",)  # the rest is checked as for any article (rules.content_problems)


@dataclass
class ImportReport:
    records: int = 0
    created: int = 0
    updated: int = 0
    published: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Checked:
    record: Record
    content: dict[str, Any]  # version fields, dates parsed, department as its id
    status: ArticleStatus


class Importer:
    def __init__(self, session: Session, env: KnowledgeEnv) -> None:
        self.session = session
        self.env = env
        self.articles = ArticleRepository(session)
        self._departments: dict[str, int] | None = None

    def run(self, text: str, fmt: str, actor: Actor, *, dry_run: bool, source: str = "") -> ImportReport:
        """Check the file; unless it is a dry run and when nothing is wrong, write it."""
        policy.require_editor(actor)
        records, problems = read(text, fmt)
        checked = self.check(records, problems)
        report = ImportReport(records=len(records), problems=sorted(problems, key=lambda p: p.line), dry_run=dry_run)
        if dry_run or problems:
            return report
        self.write(checked, actor, source, report)
        return report

    def check(self, records: Sequence[Record], problems: list[Problem]) -> list[Checked]:
        seen: dict[str, int] = {}
        checked: list[Checked] = []
        for record in records:
            before = len(problems)
            code = record.fields.get("code")
            if code is not None:
                if not isinstance(code, str) or not CODE.match(code):
                    problems.append(Problem(record.where("code"), "编号", f"编号 {code!r} 只能用字母、数字、- 和 _"))
                elif code in seen:
                    problems.append(Problem(record.where("code"), "编号", f"编号 {code} 与第 {seen[code]} 行重复"))
                else:
                    seen[code] = record.line
            result = self._check_one(record, problems)
            if result is not None and len(problems) == before:
                checked.append(result)
        return checked

    def _check_one(self, record: Record, problems: list[Problem]) -> Checked | None:
        def fault(name: str, label: str, message: str) -> None:
            problems.append(Problem(record.where(name), label, message))

        f = record.fields
        for name, label in zip(REQUIRED, ("部门",), strict=True):
            if not isinstance(f.get(name), str) or not f[name].strip():
                fault(name, label, f"缺少{label}")
        for name, label in (("questions", "问法"), ("tags", "标签")):
            if not isinstance(f.get(name, []), list) or not all(isinstance(v, str) for v in f.get(name, [])):
                fault(name, label, f"{label}应是文字列表")
        status = f.get("status") or ArticleStatus.DRAFT.value
        if status not in STATUSES:
            fault("status", "状态", f"状态 {status} 不是 {'、'.join(sorted(STATUSES))} 之一")
        department = self._department_id(f.get("department"))
        if isinstance(f.get("department"), str) and department is None:
            fault("department", "部门", f"部门 {f['department']} 不存在或已撤销")
        valid_from = self._date(record, "valid_from", "有效期起", problems) or local_today(self.env)
        valid_until = self._date(record, "valid_until", "有效期止", problems)
        content: dict[str, Any] = {"title": str(f.get("title") or ""), "questions": list(f.get("questions") or []),
                   "answer": str(f.get("answer") or ""), "category_code": f.get("category"),
                   "source": f.get("source"), "valid_from": valid_from, "valid_until": valid_until,
                   "tags": list(f.get("tags") or []), "department_id": department}
        complete = status in (ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED)
        for name, message in rules.content_problems(
                title=content["title"], questions=content["questions"], answer=content["answer"],
                category_code=content["category_code"], source=content["source"], valid_from=valid_from,
                valid_until=valid_until, catalogue=self.env.config.catalogue, complete=complete):
            problems.append(Problem(record.where(name), LABELS[name], message))
        if status not in STATUSES or department is None:
            return None
        return Checked(record, content, ArticleStatus(status))

    def _date(self, record: Record, name: str, label: str, problems: list[Problem]) -> dt.date | None:
        value = record.fields.get(name)
        if value in (None, "", "长期"):
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            problems.append(Problem(record.where(name), label, f"日期 {value} 应写作 YYYY-MM-DD"))
            return None

    def _department_id(self, code: Any) -> int | None:
        if self._departments is None:
            self._departments = {d.code: d.id for d in DepartmentRepository(self.session).all() if d.active}
        return self._departments.get(code) if isinstance(code, str) else None

    def write(self, checked: Sequence[Checked], actor: Actor, source: str, report: ImportReport) -> None:
        index = SearchIndex(self.session, self.env.config, self.env.vocabulary)
        now = self.env.clock.now()
        existing = self.articles.by_codes([c.record.fields["code"] for c in checked if c.record.fields.get("code")])
        fresh: list[tuple[Article, ArticleVersion]] = []
        for item in checked:
            code = item.record.fields.get("code")
            article = existing.get(code) if code else None
            if article is None:
                article = self.articles.add(Article(
                    code=code or f"new-{item.record.line}-{now.timestamp()}",
                    department_id=item.content["department_id"],
                    category_code=item.content["category_code"], title=item.content["title"], status=item.status,
                    latest_no=0, helped=0, not_helped=0, created_at=now, updated_at=now))
                article.code = code or f"KB{article.id:05d}"
                report.created += 1
            else:
                report.updated += 1
            version = self._version(article, item, actor, source, now)
            if item.status == ArticleStatus.PUBLISHED:
                report.published += 1
                if article.latest_no == 1:
                    fresh.append((article, version))
                else:
                    index.put(article, version)
            elif article.published_version_id is None:
                index.remove(article.id)
        index.put_many(fresh)

    def _version(self, article: Article, item: Checked, actor: Actor, source: str,
                 now: dt.datetime) -> ArticleVersion:
        article.latest_no += 1
        version = self.articles.add_version(ArticleVersion(
            article_id=article.id, version_no=article.latest_no, status=item.status,
            answer_html=render(item.content["answer"]), note="导入", created_by_user_id=actor.user_id, created_at=now,
            origin={"import": source, "line": item.record.line}, **item.content))
        article.status, article.title, article.category_code = item.status, version.title, version.category_code
        article.department_id, article.updated_at = version.department_id, now
        if item.status == ArticleStatus.PUBLISHED:
            article.published_version_id, article.published_at = version.id, now
            article.valid_until, article.review_requested_at = version.valid_until, None
        elif item.status in (ArticleStatus.EXPIRED, ArticleStatus.WITHDRAWN):
            article.published_version_id, article.valid_until = None, None
        return version


def refuse(report: ImportReport) -> None:
    """A write that found problems: say so with every line."""
    if report.problems:
        raise InvalidInputError(f"{len(report.problems)} problems; nothing was imported",
                                details={"problems": [str(p) for p in report.problems]}, error_id="import_invalid")
