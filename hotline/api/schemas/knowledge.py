"""The knowledge base (知识库): articles and their versions, search and suggestions, feedback, import, figures."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hotline.core.enums import ArticleStatus

Words = list[str]


class ArticleIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    questions: Words = Field(default=[], max_length=50, description="how citizens ask it (群众问法)")
    answer: str = Field(default="", max_length=50_000, description="Markdown: steps, materials, fees, "
                                                                   "addresses and hours, links")
    department: str | None = Field(default=None, max_length=32,
                                   description="owning department's code; a department's own by default")
    category_code: str | None = Field(default=None, max_length=32, description="a leaf of the catalogue")
    source: str | None = Field(default=None, max_length=2000, description="policy document and its number")
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    tags: Words = Field(default=[], max_length=30)
    note: str | None = Field(default=None, max_length=2000)


class ArticleEdit(BaseModel):
    """Only the fields sent change; each edit is a new draft version."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    questions: Words | None = Field(default=None, max_length=50)
    answer: str | None = Field(default=None, max_length=50_000)
    department: str | None = Field(default=None, max_length=32, description="editor only: a new owner")
    category_code: str | None = Field(default=None, max_length=32)
    source: str | None = Field(default=None, max_length=2000)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    tags: Words | None = Field(default=None, max_length=30)
    note: str | None = Field(default=None, max_length=2000)


class NoteIn(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class ReasonIn(BaseModel):
    note: str = Field(min_length=1, max_length=2000)


class VersionOut(BaseModel):
    id: int
    article: str
    version_no: int
    status: ArticleStatus
    title: str
    questions: Words
    answer: str
    answer_html: str = Field(description="the answer rendered safely for the consoles")
    category_code: str | None
    department_code: str
    source: str | None
    valid_from: dt.date
    valid_until: dt.date | None
    tags: Words
    note: str | None
    created_at: dt.datetime


class ArticleOut(BaseModel):
    code: str
    title: str
    status: ArticleStatus = Field(description="the latest version's status")
    department_code: str
    department_name: str
    category_code: str | None
    category_name: str | None
    latest: VersionOut | None = Field(description="the latest version (its keeper and the editor only)")
    published: VersionOut | None = Field(description="the version operators see, if any")
    helped: int
    not_helped: int
    review_requested_at: dt.datetime | None
    updated_at: dt.datetime


class ArticleSummary(BaseModel):
    code: str
    title: str
    status: ArticleStatus
    department_code: str
    category_code: str | None
    published: bool
    valid_until: dt.date | None
    review_requested_at: dt.datetime | None
    updated_at: dt.datetime


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    total: int
    limit: int
    offset: int


class SuggestIn(BaseModel):
    transcript: str = Field(min_length=1, max_length=20_000, description="what the citizen has said so far")
    category_code: str | None = Field(default=None, max_length=32, description="the draft's category, if any")
    limit: int = Field(default=5, ge=1, le=20)


class SuggestionOut(BaseModel):
    article: str
    article_version_id: int = Field(description="cite this in POST /work-orders/{ticket}/answer")
    title: str
    questions: Words
    answer_html: str
    source: str | None
    valid_until: dt.date | None
    category_code: str | None
    category_name: str | None
    department_code: str
    department_name: str
    score: float
    confidence: float = Field(description="0–1: how much of what was said the article accounts for")
    matched: Words = Field(description="the caller's words found in the article")


class FeedbackIn(BaseModel):
    article_version_id: int = Field(ge=1, le=2**31 - 1)
    helped: bool = Field(description="有帮助 (true) or 没帮助 (false)")
    ticket: str | None = Field(default=None, pattern=r"^\d{8}-\d{4,}$")
    query: str | None = Field(default=None, max_length=2000, description="what the suggestion answered")


class FeedbackOut(BaseModel):
    article: str
    helped: int
    not_helped: int


class CitationOut(BaseModel):
    article: str
    article_version_id: int
    version_no: int
    title: str
    answer_html: str
    cited_at: dt.datetime


class ImportOut(BaseModel):
    dry_run: bool
    ok: bool
    records: int
    created: int
    updated: int
    published: int
    problems: list[str] = Field(description="one line per problem: 第 N 行（字段）：what is wrong")


class CentreOut(BaseModel):
    answered_directly: int
    dispatched: int
    direct_rate: float | None = Field(description="直办率 = 直办 / (直办 + 转办)")
    citing: int
    citing_rate: float | None = Field(description="share of 直办 that cited an article")


class DepartmentKnowledgeOut(BaseModel):
    code: str
    name: str
    published: int
    used: int
    citations: int
    helped: int
    not_helped: int
    expired: int
    overdue: int = Field(description="sent back for review and not yet republished, or past valid-until")


class KnowledgeStatsOut(BaseModel):
    date_from: dt.date
    date_to: dt.date
    centre: CentreOut | None = Field(description="the centre's figures (not shown to a single department)")
    departments: list[DepartmentKnowledgeOut]
