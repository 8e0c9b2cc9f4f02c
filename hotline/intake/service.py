"""Intake with history: the analysis plus whether this caller raised the same matter recently."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from hotline.intake import reasons as say
from hotline.intake.ports import IntakeEnv
from hotline.intake.repository import IntakeRepository
from hotline.text.phones import normalise_phone

if TYPE_CHECKING:
    from hotline.intake.analyzer import Analysis


class IntakeService:
    def __init__(self, session: Session, ctx: IntakeEnv) -> None:
        self.session = session
        self.ctx = ctx

    def analyze(self, text: str, phone: str | None = None, *, exclude_order_id: int | None = None) -> Analysis:
        analysis = self.ctx.analyzer.analyze(text)
        phone = normalise_phone(phone)  # the citizen is stored under the canonical number
        if phone and analysis.category:
            analysis.repeat = self.repeat(phone, analysis.category["code"], analysis.place, exclude_order_id,
                                          category_name=analysis.category["name"])
            if analysis.repeat:
                analysis.reasons.append(analysis.repeat["reason"])
        return analysis

    def repeat(self, phone: str, category: str, place: str | None, exclude_order_id: int | None = None, *,
               category_name: str | None = None) -> dict | None:
        """Earlier orders from this phone in the same category and place within the configured window."""
        days = self.ctx.config.intake.repeat_window_days
        since = self.ctx.clock.now() - dt.timedelta(days=days)
        rows = IntakeRepository(self.session).recent_from(phone, category, since, exclude_order_id)
        same = [r for r in rows if self._same_place(place, r.place)]
        if not same:
            return None
        tickets = [r.ticket_no for r in same]
        return {"tickets": tickets, "open": [r.ticket_no for r in same if r.state != "closed"],
                "reason": say.repeat(len(same), category_name or category, place, days, tickets)}

    def _same_place(self, a: str | None, b: str | None) -> bool:
        if not a or not b:
            return True  # only one side names a place: phone and category decide
        if a in b or b in a:
            return True
        places = self.ctx.router.places
        office_a, office_b = places.resolve(a), places.resolve(b)
        return bool(office_a and office_b and office_a[0] == office_b[0] and _core(a) == _core(b))


def _core(place: str) -> str:
    """The most specific named part (幸福小区 in 东昌府区幸福小区3号楼) for comparing two wordings."""
    for marker in ("小区", "花园", "家园", "村", "社区", "大厦", "公寓"):
        at = place.find(marker)
        if at > 0:
            return place[max(0, at - 4):at + len(marker)]
    return place
