"""Articles through their life: a department drafts and submits, the editor publishes or sends back, the
sweep records expiry. Every step writes a new immutable version; the article row only points at them.
Never commits."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import ArticleStatus
from hotline.core.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from hotline.dispatch.repository import DepartmentRepository
from hotline.knowledge import policy, rules
from hotline.knowledge.index import SearchIndex
from hotline.knowledge.markdown import render
from hotline.knowledge.ports import KnowledgeEnv
from hotline.knowledge.repository import ArticleRepository
from hotline.knowledge.search import local_today
from hotline.models import Article, ArticleVersion, Department

CONTENT = ("title", "questions", "answer", "category_code", "source", "valid_from", "valid_until", "tags")
NULLABLE = frozenset({"category_code", "source", "valid_until"})  # an edit may clear these; the rest it may not


@dataclass(frozen=True)
class ArticleDraft:
    """What an author writes; on an edit, only the fields given change."""

    title: str
    questions: list[str]
    answer: str
    department: str  # the owning department's code
    category_code: str | None = None
    source: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    tags: list[str] = field(default_factory=list)


class KnowledgeService:
    def __init__(self, session: Session, env: KnowledgeEnv) -> None:
        self.session = session
        self.env = env
        self.articles = ArticleRepository(session)
        self.departments = DepartmentRepository(session)
        self.index = SearchIndex(session, env.config, env.vocabulary)

    @property
    def now(self) -> dt.datetime:
        return self.env.clock.now()

    @property
    def today(self) -> dt.date:
        return local_today(self.env)

    # -- writing -----------------------------------------------------------------------------

    def create(self, draft: ArticleDraft, actor: Actor, *, code: str | None = None, note: str | None = None,
               origin: dict[str, Any] | None = None) -> Article:
        """A new article, its first version a draft, owned by `draft.department`."""
        department = self._department(draft.department)
        if not policy.keeps(actor, department.id):
            raise PermissionDeniedError("a department writes articles of its own only",
                                               error_id="not_your_article")
        if code is not None and self.articles.by_code(code) is not None:
            raise ConflictError(f"article {code} exists", error_id="article_code_taken")
        content = {k: getattr(draft, k) for k in CONTENT} | {"valid_from": draft.valid_from or self.today}
        self._check(content, complete=False)
        article = self.articles.add(Article(
            code=code or f"new-{uuid.uuid4().hex[:16]}", department_id=department.id,
            category_code=draft.category_code, title=draft.title, status=ArticleStatus.DRAFT, latest_no=0,
            helped=0, not_helped=0, created_at=self.now, updated_at=self.now))
        if code is None:
            article.code = f"KB{article.id:05d}"
        self._write(article, content | {"department_id": department.id}, ArticleStatus.DRAFT, actor, note, origin)
        return article

    def edit(self, code: str, changes: dict[str, Any], actor: Actor, note: str | None = None) -> Article:
        """A new draft version with these fields changed; what is published stays until the draft is."""
        article = self._locked(code)
        policy.require_keeper(actor, article)
        content = self._content(self.latest(article))
        if "department" in changes:
            policy.require_editor(actor)  # moving an article to another owner is the editor's call
            content["department_id"] = self._department(changes.pop("department")).id
        changes = {k: v for k, v in changes.items() if v is not None or k in NULLABLE}
        unknown = set(changes) - set(CONTENT)
        if unknown:
            raise InvalidInputError(f"unknown fields: {', '.join(sorted(unknown))}", error_id="invalid_input")
        content.update(changes)
        self._check(content, complete=False)
        self._write(article, content, ArticleStatus.DRAFT, actor, note)
        return article

    def submit(self, code: str, actor: Actor, note: str | None = None) -> Article:
        """送审: the owner hands a complete draft to the editor."""
        article = self._step(code, "submit")
        policy.require_keeper(actor, article)
        content = self._content(self.latest(article))
        self._check(content, complete=True)
        self._write(article, content, ArticleStatus.IN_REVIEW, actor, note)
        return article

    def publish(self, code: str, actor: Actor, note: str | None = None) -> Article:
        """发布: the editor makes the reviewed version the one operators see (from its valid_from day)."""
        policy.require_editor(actor)
        article = self._step(code, "publish")
        content = self._content(self.latest(article))
        self._check(content, complete=True)
        self._refuse(rules.publishable_on(self.today, content["valid_until"]), "article_lapsed")
        version = self._write(article, content, ArticleStatus.PUBLISHED, actor, note)
        article.published_version_id, article.published_at = version.id, self.now
        article.valid_until, article.review_requested_at = version.valid_until, None
        self.index.put(article, version)
        return article

    def reject(self, code: str, actor: Actor, note: str | None) -> Article:
        """退回修改: back to the owner as a draft, with the editor's reason."""
        policy.require_editor(actor)
        if not (note or "").strip():
            raise InvalidInputError("say why the article goes back", error_id="text_required")
        article = self._step(code, "reject")
        self._write(article, self._content(self.latest(article)), ArticleStatus.DRAFT, actor, note)
        return article

    def withdraw(self, code: str, actor: Actor, note: str | None = None) -> Article:
        """撤回: operators no longer see it; the published words stay in its history."""
        article = self._locked(code)
        policy.require_keeper(actor, article)
        self.unpublish(article, ArticleStatus.WITHDRAWN, actor, note)
        return article

    def unpublish(self, article: Article, status: ArticleStatus, actor: Actor, note: str | None) -> ArticleVersion:
        if article.published_version_id is None:
            raise ConflictError(f"article {article.code} is not published", error_id="article_not_published")
        published = self.articles.version(article.published_version_id)
        assert published is not None
        version = self._write(article, self._content(published), status, actor, note)
        article.published_version_id, article.valid_until = None, None
        self.index.remove(article.id)
        return version

    # -- reading -----------------------------------------------------------------------------

    def find(self, code: str, actor: Actor) -> Article:
        """The article if `actor` may see it: its keeper always, others once something is published."""
        article = self.articles.by_code(code)
        if article is None or not (policy.keeps(actor, article.department_id) or article.published_version_id):
            raise NotFoundError(f"no article {code}", error_id="article_not_found")
        return article

    def latest(self, article: Article) -> ArticleVersion:
        version = self.articles.version_no(article.id, article.latest_no)
        assert version is not None
        return version

    def version(self, version_id: int, actor: Actor) -> ArticleVersion:
        """One version as it was written; others than the keeper see only versions that were published."""
        version = self.articles.version(version_id)
        article = self.articles.get(version.article_id) if version else None
        seen = version is not None and article is not None and (
            policy.keeps(actor, article.department_id) or (version.status != ArticleStatus.DRAFT
            and version.status != ArticleStatus.IN_REVIEW))
        if not seen or version is None:
            raise NotFoundError(f"no article version {version_id}", error_id="article_version_not_found")
        return version

    # -- pieces ------------------------------------------------------------------------------

    def _write(self, article: Article, content: dict[str, Any], status: ArticleStatus, actor: Actor,
               note: str | None, origin: dict[str, Any] | None = None) -> ArticleVersion:
        article.latest_no += 1
        version = self.articles.add_version(ArticleVersion(
            article_id=article.id, version_no=article.latest_no, status=status,
            answer_html=render(content["answer"]), department_id=content.get("department_id", article.department_id),
            note=note, origin=origin, created_by_user_id=actor.user_id, created_at=self.now,
            **{k: content[k] for k in CONTENT}))
        article.status, article.title, article.category_code = status, version.title, version.category_code
        article.department_id, article.updated_at = version.department_id, self.now
        return version

    @staticmethod
    def _content(version: ArticleVersion) -> dict[str, Any]:
        return {k: getattr(version, k) for k in CONTENT} | {"department_id": version.department_id}

    def _check(self, content: dict[str, Any], *, complete: bool) -> None:
        problems = rules.content_problems(
            title=content["title"], questions=content["questions"], answer=content["answer"],
            category_code=content["category_code"], source=content["source"], valid_from=content["valid_from"],
            valid_until=content["valid_until"], catalogue=self.env.config.catalogue, complete=complete)
        self._refuse([message for _, message in problems], "article_incomplete" if complete else "article_invalid")

    @staticmethod
    def _refuse(problems: list[str], error_id: str) -> None:
        if problems:
            raise InvalidInputError("；".join(problems), details={"problems": problems}, error_id=error_id)

    def _step(self, code: str, step: str) -> Article:
        article = self._locked(code)
        if article.status not in rules.STEP_FROM[step]:
            raise ConflictError(f"article {code} is {article.status}; {step} needs "
                                f"{' or '.join(sorted(rules.STEP_FROM[step]))}", error_id="article_wrong_status")
        return article

    def _locked(self, code: str) -> Article:
        article = self.articles.by_code(code, lock=True)
        if article is None:
            raise NotFoundError(f"no article {code}", error_id="article_not_found")
        return article

    def _department(self, code: str) -> Department:
        department = self.departments.by_code(code)
        if department is None or not department.active:
            raise InvalidInputError(f"no active department with code {code}", details={"department": code},
                                    error_id="department_not_found")
        return department
