"""紧急工单 in one key: while (or right after) handing a caller to 110/119/120, the order is made from what
the call's transcripts already hold (or the words on the operator's screen), analysed by intake, at the
emergency tier, dispatched to the emergency service's department, linked to the call and its hand-overs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import Tier
from hotline.core.errors import InvalidInputError, NotFoundError
from hotline.desk.handover_repository import HandoverRepository
from hotline.desk.intake import DeskIntake, Outcome, Taken, Taking, title_from
from hotline.desk.ports import EmergencyEnv
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.intake.service import IntakeService
from hotline.models import Recording, Transcript

MAX_CHARS = 20000


def transcript_text(session: Session, linkedid: str) -> str:
    """Every transcript of the call's recordings so far, oldest first."""
    rows = session.scalars(select(Transcript.text).join(Recording, Recording.id == Transcript.recording_id)
                           .where(Recording.linkedid == linkedid).order_by(Transcript.id)).all()
    return "\n".join(t.strip() for t in rows if t and t.strip())


class EmergencyOrders:
    def __init__(self, session: Session, env: EmergencyEnv) -> None:
        self.session, self.env = session, env

    def create(self, actor: Actor, linkedid: str, service: str, words: str | None, phone: str | None) -> Taken:
        found = self.env.config.catalogue.emergency_services.get(service)
        if found is None:
            raise NotFoundError(f"no emergency service {service!r}", error_id="handover_target_unknown")
        heard = transcript_text(self.session, linkedid)
        text = "\n".join(p for p in (heard, (words or "").strip()) if p)[:MAX_CHARS]
        if not text:
            raise InvalidInputError("nothing was heard or written about this call yet", error_id="emergency_no_words")
        analysis = IntakeService(self.session, self.env).analyze(text, phone)
        category = analysis.category["code"] if analysis.category else self.env.config.intake.emergency.category
        draft = WorkOrderDraft(title=title_from(text), content=text, tier=Tier.EMERGENCY, category_code=category,
                               place=analysis.place, citizen_phone=phone, call_linkedid=linkedid)
        suggested = analysis.department["code"] if analysis.department else None
        reason = f"紧急情况，已转{found.name}" + ("" if suggested == found.department else "，同步派其对应单位")
        taken = DeskIntake(self.session, self.env).take(Taking(
            outcome=Outcome.DISPATCH, draft=draft, tier=Tier.EMERGENCY, category_code=category, place=analysis.place,
            lead=found.department, reason=reason), actor)
        HandoverRepository(self.session).attach_order(linkedid, taken.order.id)
        return taken
