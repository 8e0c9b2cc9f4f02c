"""约谈: a supervisor puts a department on the interview list, with a reason drawn from a 督办 it owns or from its
place in the monthly ranking, and later records what the interview settled. Scoped like every read: a district
supervisor acts on its own units only; anything outside is not found."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.clock import Clock
from hotline.core.enums import InterviewStatus
from hotline.core.errors import ConflictError, InvalidInputError, NotFoundError
from hotline.dispatch.interview_repository import InterviewRepository
from hotline.dispatch.repository import DepartmentRepository
from hotline.dispatch.service import require_text
from hotline.dispatch.supervision_repository import SupervisionRepository
from hotline.models import Department, Interview
from hotline.stats.formulas import Period


class InterviewService:
    def __init__(self, session: Session, clock: Clock):
        self.clock = clock
        self.rows = InterviewRepository(session)
        self.supervisions = SupervisionRepository(session)
        self.departments = DepartmentRepository(session)

    def escalate(self, actor: Actor, reason: str, *, department: str | None = None,
                 supervision_id: int | None = None, ranking_month: str | None = None) -> Interview:
        """列入约谈: from one 督办 (its department, unless another in scope is named) or from a ranking month."""
        require_text(reason, "reason")
        if (supervision_id is None) == (ranking_month is None):
            raise InvalidInputError("give either the supervision or the ranking month the interview comes from",
                                    error_id="interview_source_required")
        if ranking_month is not None:
            Period.month(ranking_month)  # the same check as the ranking's
        unit = self._unit(actor, department, supervision_id)
        interview = Interview(department_id=unit.id, source="supervision" if supervision_id else "ranking",
                              supervision_id=supervision_id, ranking_month=ranking_month, reason=reason.strip(),
                              status=InterviewStatus.OPEN, created_at=self.clock.now(),
                              created_by_user_id=actor.user_id)
        if not self.rows.add(interview):
            raise ConflictError(f"{unit.name} is already on the interview list", details={"department": unit.code},
                                error_id="interview_already_open")
        return interview

    def resolve(self, interview_id: int, actor: Actor, note: str) -> Interview:
        """约谈办结: what the interview settled; once."""
        require_text(note, "note")
        interview = self.rows.get(interview_id, actor, lock=True)
        if interview is None:
            raise NotFoundError(f"no interview {interview_id} in your scope", error_id="interview_not_found")
        if interview.status != InterviewStatus.OPEN:
            raise ConflictError(f"interview {interview_id} was already resolved", error_id="interview_already_resolved")
        interview.status, interview.resolved_at = InterviewStatus.RESOLVED, self.clock.now()
        interview.resolved_by_user_id, interview.resolution_note = actor.user_id, note.strip()
        return interview

    def department_of(self, interview: Interview) -> Department:
        return self.departments.require(interview.department_id)

    def _unit(self, actor: Actor, code: str | None, supervision_id: int | None) -> Department:
        if supervision_id is not None:
            supervision = self.supervisions.get_readable(supervision_id, actor)
            if supervision is None:
                raise NotFoundError(f"no supervision {supervision_id} in your scope",
                                    error_id="supervision_not_found")
            if code is None:
                named = self.departments.get(supervision.department_id) if supervision.department_id else None
                if named is None:
                    raise InvalidInputError("this 督办 names no department: choose the one to interview",
                                            error_id="interview_department_required")
                code = named.code
        if code is None:
            raise InvalidInputError("choose the department to interview", error_id="interview_department_required")
        unit = self.rows.department_in_scope(code, actor)
        if unit is None:
            raise NotFoundError(f"no department {code} in your scope", error_id="interview_department_not_found")
        return unit
