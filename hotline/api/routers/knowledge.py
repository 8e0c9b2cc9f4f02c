"""The knowledge base (知识库): departments keep their articles, the hotline's editor reviews and publishes,
operators search and get suggestions while the citizen talks; import, export and figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, Response, UploadFile
from sqlalchemy.orm import Session

from hotline.api import knowledge_views as views
from hotline.api.audit import audit
from hotline.api.deps import Admin, Ctx, DbSession, HotlineDesk, KnowledgeKeeper, KnowledgeReader, StatsReader
from hotline.api.env import ApiEnv
from hotline.api.params import Limit, Offset
from hotline.api.schemas.knowledge import (
    ArticleEdit,
    ArticleIn,
    ArticleOut,
    ArticlePage,
    CentreOut,
    CitationOut,
    DepartmentKnowledgeOut,
    FeedbackIn,
    FeedbackOut,
    ImportOut,
    KnowledgeStatsOut,
    NoteIn,
    ReasonIn,
    SuggestIn,
    SuggestionOut,
    VersionOut,
)
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.actor import Actor
from hotline.core.enums import ArticleStatus
from hotline.core.errors import InvalidInputError, NotFoundError
from hotline.dispatch.repository import DepartmentRepository, WorkOrderRepository
from hotline.dispatch.scope import departments_readable, sees_everything
from hotline.knowledge import export, policy
from hotline.knowledge.formats import format_of
from hotline.knowledge.importer import Importer, refuse
from hotline.knowledge.repository import ArticleRepository
from hotline.knowledge.search import local_today
from hotline.knowledge.service import ArticleDraft, KnowledgeService
from hotline.knowledge.stats import KnowledgeStatsRepository
from hotline.knowledge.suggest import Suggestions
from hotline.knowledge.uses import KnowledgeUses
from hotline.models import Article
from hotline.stats.formulas import Period

router = APIRouter(prefix="/api/v1/knowledge", tags=["knowledge base"], route_class=UnitOfWorkRoute)
Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "not your department's article, or not the editor"}, 404: {"description": "no such article"},
    409: {"description": "not allowed in the article's status"}, 422: {"description": "invalid or incomplete"}}
MAX_IMPORT = 20 * 1024 * 1024


@router.get("/search", response_model=list[SuggestionOut], summary="Search published, currently valid articles")
def search(q: Annotated[str, Query(min_length=1, max_length=2000)], actor: KnowledgeReader, session: DbSession,
           ctx: Ctx, category: Annotated[str | None, Query(max_length=32)] = None,
           department: Annotated[str | None, Query(max_length=32)] = None,
           limit: Annotated[int, Query(ge=1, le=50)] = 10):
    found = Suggestions(session, ctx).search(q, category=category, department=department, limit=limit)
    return [views.suggestion(f, ctx.config.catalogue) for f in found]


@router.post("/suggest", response_model=list[SuggestionOut],
             summary="Articles for the live transcript, the draft's category first (operator desk)")
def suggest(body: SuggestIn, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    found = Suggestions(session, ctx).suggest(body.transcript, category=body.category_code, limit=body.limit)
    return [views.suggestion(f, ctx.config.catalogue) for f in found]


@router.post("/feedback", response_model=FeedbackOut, summary="有帮助 / 没帮助 on a suggestion")
def feedback(body: FeedbackIn, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    article = KnowledgeUses(session, ctx).feedback(body.article_version_id, actor, body.helped, ticket=body.ticket,
                                                   query=body.query)
    return FeedbackOut(article=article.code, helped=article.helped, not_helped=article.not_helped)


@router.get("/articles", response_model=ArticlePage, summary="Articles: the editor all, a department its own")
def list_articles(actor: KnowledgeReader, session: DbSession, status: ArticleStatus | None = None,
                  category: Annotated[str | None, Query(max_length=32)] = None,
                  department: Annotated[str | None, Query(max_length=32)] = None,
                  q: Annotated[str | None, Query(max_length=200)] = None,
                  limit: Limit = 50, offset: Offset = 0):
    department_id = None
    if department is not None:
        found = DepartmentRepository(session).by_code(department)
        department_id = found.id if found else -1
    rows, total = ArticleRepository(session).page(policy.listable(actor), status=status, category=category,
                                                  department_id=department_id, words=q, limit=limit, offset=offset)
    codes = {d.id: d.code for d in DepartmentRepository(session).by_ids({a.department_id for a in rows}).values()}
    return ArticlePage(items=[views.summary(a, codes) for a in rows], total=total, limit=limit, offset=offset)


@router.post("/articles", response_model=ArticleOut, status_code=201, responses=ERRORS, summary="A new draft")
def create(body: ArticleIn, request: Request, actor: KnowledgeKeeper, session: DbSession, ctx: Ctx):
    department = body.department or _own_department(session, actor.department_id)
    draft = ArticleDraft(**body.model_dump(exclude={"note", "department"}), department=department)
    article = KnowledgeService(session, ctx).create(draft, actor, note=body.note)
    audit(session, request, actor, "knowledge.create", "article", article.code)
    return views.article_out(session, article, actor, ctx.config.catalogue)


@router.get("/articles/{code}", response_model=ArticleOut, responses=ERRORS, summary="One article")
def read(code: Code, actor: KnowledgeReader, session: DbSession, ctx: Ctx):
    article = KnowledgeService(session, ctx).find(code, actor)
    return views.article_out(session, article, actor, ctx.config.catalogue)


@router.patch("/articles/{code}", response_model=ArticleOut, responses=ERRORS,
              summary="Edit: a new draft version; the published one stays until this is published")
def edit(code: Code, body: ArticleEdit, request: Request, actor: KnowledgeKeeper, session: DbSession, ctx: Ctx):
    changes = body.model_dump(exclude_unset=True, exclude={"note"})
    article = KnowledgeService(session, ctx).edit(code, changes, actor, body.note)
    audit(session, request, actor, "knowledge.edit", "article", code, {"fields": sorted(changes)})
    return views.article_out(session, article, actor, ctx.config.catalogue)


@router.get("/articles/{code}/versions", response_model=list[VersionOut], responses=ERRORS,
            summary="Every version (others than the keeper: those that were published)")
def versions(code: Code, actor: KnowledgeReader, session: DbSession, ctx: Ctx):
    service = KnowledgeService(session, ctx)
    article = service.find(code, actor)
    keeper = policy.keeps(actor, article.department_id)
    rows = [v for v in ArticleRepository(session).versions(article.id)
            if keeper or v.status not in (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW)]
    codes = {d.id: d.code for d in DepartmentRepository(session).by_ids({v.department_id for v in rows}).values()}
    return [views.version_out(v, article.code, codes[v.department_id]) for v in rows]


@router.get("/versions/{version_id}", response_model=VersionOut, responses=ERRORS,
            summary="One version exactly as written (what an answer cited)")
def version(version_id: Annotated[int, Path(ge=1, le=2**31 - 1)], actor: KnowledgeReader, session: DbSession,
            ctx: Ctx):
    found = KnowledgeService(session, ctx).version(version_id, actor)
    article = ArticleRepository(session).get(found.article_id)
    assert article is not None
    return views.version_out(found, article.code, DepartmentRepository(session).require(found.department_id).code)


@router.post("/articles/{code}/submit", response_model=ArticleOut, responses=ERRORS,
             summary="送审: the owner hands a complete draft to the editor")
def submit(code: Code, request: Request, actor: KnowledgeKeeper, session: DbSession, ctx: Ctx,
           body: NoteIn | None = None):
    return _stepped(KnowledgeService(session, ctx).submit, code, body.note if body else None, request, actor, session,
                    ctx)


@router.post("/articles/{code}/publish", response_model=ArticleOut, responses=ERRORS,
             summary="发布: the editor publishes the version in review")
def publish(code: Code, request: Request, actor: Admin, session: DbSession, ctx: Ctx, body: NoteIn | None = None):
    return _stepped(KnowledgeService(session, ctx).publish, code, body.note if body else None, request, actor, session,
                    ctx)


@router.post("/articles/{code}/reject", response_model=ArticleOut, responses=ERRORS,
             summary="退回修改: back to the owner as a draft, with the reason")
def reject(code: Code, body: ReasonIn, request: Request, actor: Admin, session: DbSession, ctx: Ctx):
    return _stepped(KnowledgeService(session, ctx).reject, code, body.note, request, actor, session, ctx)


@router.post("/articles/{code}/withdraw", response_model=ArticleOut, responses=ERRORS,
             summary="撤回: operators no longer see it")
def withdraw(code: Code, request: Request, actor: KnowledgeKeeper, session: DbSession, ctx: Ctx,
             body: NoteIn | None = None):
    return _stepped(KnowledgeService(session, ctx).withdraw, code, body.note if body else None, request, actor,
                    session, ctx)


def _stepped(step: Callable[[str, Actor, str | None], Article], code: str, note: str | None, request: Request,
             actor: Actor, session: Session, ctx: ApiEnv) -> ArticleOut:
    article = step(code, actor, note)
    audit(session, request, actor, f"knowledge.{step.__name__}", "article", code, {"note": note} if note else None)
    return views.article_out(session, article, actor, ctx.config.catalogue)


@router.post("/drafts/from-order/{ticket}", response_model=ArticleOut, status_code=201, responses=ERRORS,
             summary="一键转知识: a department's reply to a dispatched question becomes a draft article")
def draft_from_order(ticket: Annotated[str, Path(pattern=r"^\d{8}-\d{4,}$")], request: Request,
                     actor: KnowledgeKeeper, session: DbSession, ctx: Ctx):
    article = KnowledgeUses(session, ctx).draft_from_order(ticket, actor)
    audit(session, request, actor, "knowledge.draft_from_order", "article", article.code, {"ticket": ticket})
    return views.article_out(session, article, actor, ctx.config.catalogue)


@router.get("/citations/{ticket}", response_model=list[CitationOut], responses=ERRORS,
            summary="The article versions a direct answer cited, as they read then")
def citations(ticket: Annotated[str, Path(pattern=r"^\d{8}-\d{4,}$")], actor: KnowledgeReader, session: DbSession,
              ctx: Ctx):
    order = WorkOrderRepository(session).find(ticket, actor)
    if order is None:
        raise NotFoundError(f"no work order {ticket} in your scope", error_id="order_not_found")
    return [CitationOut(article=code, article_version_id=v.id, version_no=v.version_no, title=v.title,
                        answer_html=v.answer_html, cited_at=c.cited_at)
            for c, v, code in KnowledgeUses(session, ctx).cited_by(order)]


@router.post("/import", response_model=ImportOut, responses=ERRORS,
             summary="Import Markdown, CSV or JSON Lines; a dry run reports every problem by line and writes nothing")
def import_file(request: Request, actor: Admin, session: DbSession, ctx: Ctx,
                file: Annotated[UploadFile, File(description="a .md, .csv or .jsonl file, UTF-8")],
                dry_run: bool = True, format: Annotated[str | None, Query(pattern="^(md|csv|jsonl)$")] = None):
    data = file.file.read(MAX_IMPORT + 1)
    if len(data) > MAX_IMPORT:
        raise InvalidInputError(f"the file is larger than {MAX_IMPORT // 1024 // 1024} MB", error_id="file_too_large")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError("the file is not UTF-8 text", error_id="not_utf8") from exc
    name = file.filename or "import"
    report = Importer(session, ctx).run(text, format or format_of(name), actor, dry_run=dry_run, source=name)
    if not dry_run:
        refuse(report)
        audit(session, request, actor, "knowledge.import", "file", name[:100],
              {"created": report.created, "updated": report.updated})
    fields = {k: v for k, v in dataclasses.asdict(report).items() if k != "problems"}
    return ImportOut(**fields, ok=report.ok, problems=[str(p) for p in report.problems])


@router.get("/export", responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
            summary="Published articles for the provincial platform, as JSON or CSV", response_class=Response)
def export_all(actor: Admin, session: DbSession, ctx: Ctx,
               format: Annotated[str, Query(pattern="^(json|csv)$")] = "json", valid_only: bool = True):
    rows = export.export_rows(session, ctx.config.catalogue, local_today(ctx) if valid_only else None)
    body = export.render(rows, format)
    media = "application/json" if format == "json" else "text/csv; charset=utf-8"
    return Response(("\ufeff" if format == "csv" else "") + body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="knowledge-{local_today(ctx).isoformat()}.{format}"'})


@router.get("/stats", response_model=KnowledgeStatsOut, summary="直办率, articles used, expired and overdue, "
            "per department")
def stats(actor: StatsReader, session: DbSession, ctx: Ctx,
          date_from: Annotated[dt.date | None, Query(alias="from")] = None,
          date_to: Annotated[dt.date | None, Query(alias="to")] = None):
    today = local_today(ctx)
    first, last = date_from or today.replace(day=1), date_to or today
    Period(first, last)  # the century every statistics period keeps to: year 1 or 9999 is no 500
    if last < first or (last - first).days > 366:
        raise InvalidInputError("the period runs from 'from' to 'to', at most a year", error_id="invalid_period")
    repo = KnowledgeStatsRepository(session, ctx.settings.timezone)
    start, end = repo.bounds(first, last)
    centre = repo.centre(start, end) if sees_everything(actor) else None
    rows = repo.departments(start, end, today, departments_readable(actor))
    return KnowledgeStatsOut(
        date_from=first, date_to=last, departments=[DepartmentKnowledgeOut(**dataclasses.asdict(r)) for r in rows],
        centre=CentreOut(answered_directly=centre.answered_directly, dispatched=centre.dispatched,
                         direct_rate=centre.direct_rate, citing=centre.citing, citing_rate=centre.citing_rate)
        if centre else None)


def _own_department(session: Session, department_id: int | None) -> str:
    if department_id is None:
        raise InvalidInputError("say which department owns the article", error_id="department_required")
    return DepartmentRepository(session).require(department_id).code
