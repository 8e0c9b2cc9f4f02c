"""约谈 list: a supervisor escalates a department (from a 督办 or the ranking), lists and resolves; audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, Supervisors
from hotline.api.params import Limit, Offset
from hotline.api.schemas.interviews import InterviewIn, InterviewOut
from hotline.api.schemas.orders import TextIn
from hotline.api.uow import UnitOfWorkRoute
from hotline.dispatch.interview_repository import InterviewRepository
from hotline.dispatch.interviews import InterviewService
from hotline.models import Department, Interview

router = APIRouter(prefix="/api/v1/interviews", tags=["supervision"], route_class=UnitOfWorkRoute)
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "not a supervisor"}, 404: {"description": "no such department, 督办 or 约谈 in your scope"},
    409: {"description": "already on the list, or already resolved"}, 422: {"description": "invalid input"}}


def _out(interview: Interview, department: Department | tuple[str, str], ticket: str | None) -> InterviewOut:
    code, name = (department.code, department.name) if isinstance(department, Department) else department
    return InterviewOut(id=interview.id, status=interview.status, department={"code": code, "name": name},
                        source=interview.source, supervision_id=interview.supervision_id, ticket_no=ticket,
                        ranking_month=interview.ranking_month, reason=interview.reason,
                        created_at=interview.created_at, resolved_at=interview.resolved_at,
                        resolution_note=interview.resolution_note)


@router.get("", response_model=list[InterviewOut], summary="约谈 list: departments called in, newest first")
def listing(actor: Supervisors, session: DbSession,
            status: Annotated[str, Query(pattern="^(open|resolved|all)$")] = "open",
            limit: Limit = 50, offset: Offset = 0):
    rows = InterviewRepository(session).listing(actor, None if status == "all" else status, limit, offset)
    return [_out(i, (code, name), ticket) for i, code, name, ticket in rows]


@router.post("", response_model=InterviewOut, status_code=201, responses=ERRORS,
             summary="列入约谈: from a 督办 or from the monthly ranking, with a reason")
def escalate(body: InterviewIn, request: Request, actor: Supervisors, session: DbSession, ctx: Ctx):
    service = InterviewService(session, ctx.clock)
    interview = service.escalate(actor, body.reason, department=body.department, supervision_id=body.supervision_id,
                                 ranking_month=body.ranking_month)
    department = service.department_of(interview)
    audit(session, request, actor, "interview.escalate", "department", department.code,
          {"interview": interview.id, **body.model_dump(exclude_none=True)})
    return _out(interview, department, InterviewRepository(session).ticket_of(interview.supervision_id))


@router.post("/{interview_id}/resolve", response_model=InterviewOut, responses=ERRORS,
             summary="约谈办结: what the interview settled")
def resolve(interview_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: TextIn, request: Request,
            actor: Supervisors, session: DbSession, ctx: Ctx):
    service = InterviewService(session, ctx.clock)
    interview = service.resolve(interview_id, actor, body.text)
    department = service.department_of(interview)
    audit(session, request, actor, "interview.resolve", "department", department.code,
          {"interview": interview.id, "note": body.text})
    return _out(interview, department, None)
