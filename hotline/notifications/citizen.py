"""What citizens are told, posted with the change that caused it: 受理 (ticket, extraction code, how to look it
up), 转办, 延期 approved, 办结 (result in short, how to rate), 重办. One notice per order and event; none to a
citizen who opted out; SMS waits out the quiet hours unless the order is an emergency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from hotline.core.notice_config import QuietHours
from hotline.core.security import seal
from hotline.core.templating import NoticeTemplate
from hotline.models import Citizen, WorkOrder
from hotline.notifications.links import rating_token
from hotline.notifications.outbox import SEAL_MARK, Outbox
from hotline.notifications.ports import NoticesEnv
from hotline.notifications.repository import CitizenContactRepository, OutboxRepository
from hotline.text.masking import redact

SUBJECTS = {"accepted": "受理通知", "dispatched": "转办通知", "extended": "延期通知", "completed": "办结通知",
            "redone": "重办通知"}
DEPLOYMENT_CONSTANTS = frozenset({"status_url", "hotline", "ivr_key"})


@dataclass(frozen=True)
class Recipient:
    order_id: int
    ticket_no: str
    phone: str | None
    tier: str
    citizen: Citizen | None = None

    @classmethod
    def of(cls, order: WorkOrder, citizen: Citizen | None) -> Recipient:
        return cls(order.id, order.ticket_no, citizen.phone if citizen else None, order.tier, citizen)


class CitizenNotices:
    """Posts citizen notices into the outbox; never commits."""

    def __init__(self, session: Session, env: NoticesEnv):
        self.env = env
        self.config = env.config.notices
        self.tz = ZoneInfo(env.settings.timezone)
        self.contacts = CitizenContactRepository(session)
        self.rows = OutboxRepository(session)
        self.outbox = Outbox(session, self.config.staff)

    @property
    def now(self) -> dt.datetime:
        return self.env.clock.now()

    # -- the events ------------------------------------------------------------------------

    def created(self, order_id: int, ticket_no: str, code: str, phone: str | None, tier: str) -> None:
        """The 受理 notice is written now, while the extraction code is known, sealed, and held until acceptance."""
        if not phone:
            return
        who = Recipient(order_id, ticket_no, phone, tier, self.contacts.by_phone(phone))
        self._post(who, "accepted", "", {}, sealed={"code": code}, hold=True)

    def accepted(self, order: WorkOrder) -> None:
        """受理: the held notice goes (after the quiet hours, unless the order is an emergency)."""
        not_before = self._not_before(order.tier)
        ids = self.rows.release_held(order.id, "accepted", not_before)
        if not_before is None:
            self.outbox.deliver_soon(ids)

    def withdrawn(self, order_id: int) -> None:
        """The order was closed without being accepted (无效, 重复件): its held notice never goes."""
        self.rows.cancel(order_id=order_id, statuses=["held"])

    def code_reissued(self, order_id: int, code: str) -> None:
        """A new extraction code replaced the first before the notice went: the notice carries the new one."""
        for row in self.rows.held(order_id, "accepted"):
            row.payload = {**(row.payload or {}), "sealed": {"code": seal(self.env.secret, code)}}

    def dispatched(self, order: WorkOrder, lead: str, co: list[str], due_at: dt.datetime,
                   citizen: Citizen | None = None) -> None:
        """转办: which department, by when; a re-dispatch after a return is a new notice. `citizen`: the order's,
        when the caller has it already."""
        values = {"department": lead, "due": self.local_text(due_at), "co_departments": "、".join(co) or None}
        self._post(self._who(order, citizen), "dispatched", str(order.return_count), values)

    def extended(self, order: WorkOrder, request_id: int, days: int, due_at: dt.datetime) -> None:
        """延期 approved: the new date."""
        self._post(self._who(order), "extended", str(request_id), {"due": self.local_text(due_at), "days": str(days)})

    def completed(self, order: WorkOrder, callback_id: int, round_no: int, department: str | None,
                  rate_by_message: bool) -> dt.datetime | None:
        """办结: the result in short and how to rate; returns when it goes (None: not sent, rate by phone)."""
        values = {"department": department, "result": self._short(order.result)}
        links = self.config.links
        if rate_by_message and links.rate:
            expires = self.now + dt.timedelta(days=self.config.satisfaction.link_valid_days)
            values["rate_url"] = links.rate + rating_token(self.env.secret, callback_id, expires)
        return self._post(self._who(order), "completed", str(round_no), values)

    def redone(self, order: WorkOrder, department: str | None) -> None:
        """重办: that the order went back."""
        self._post(self._who(order), "redone", str(order.redo_count), {"department": department})

    def opt_out(self, citizen: Citizen) -> int:
        """No more notices to this citizen (回复TD, or told on the phone); those not yet sent are cancelled."""
        self.contacts.set_opt_out(citizen.id, self.now)
        return self.rows.cancel(recipient=citizen.phone) if citizen.phone else 0

    def opt_in(self, citizen: Citizen) -> None:
        self.contacts.set_opt_out(citizen.id, None)

    # -- building blocks -------------------------------------------------------------------

    def local_text(self, instant: dt.datetime) -> str:
        local = instant.astimezone(self.tz)
        return f"{local.month}月{local.day}日 {local:%H:%M}"

    def _who(self, order: WorkOrder, citizen: Citizen | None = None) -> Recipient:
        return Recipient.of(order, citizen if citizen is not None else self.contacts.get(order.citizen_id))

    def _post(self, who: Recipient, event: str, occurrence: str, values: Mapping[str, str | None], *,
              sealed: Mapping[str, str] | None = None, hold: bool = False) -> dt.datetime | None:
        if not who.phone or (who.citizen is not None and who.citizen.notices_opted_out_at is not None):
            return None
        template = NoticeTemplate(self.config.templates[event].text)
        given = {**self._common(who.ticket_no), **values, **{name: SEAL_MARK.format(name) for name in sealed or {}}}
        not_before = None if hold else self._not_before(who.tier)
        payload = {"params": self._params(template, given), "ticket_no": who.ticket_no}
        if sealed:
            payload["sealed"] = {name: seal(self.env.secret, value) for name, value in sealed.items()}
        key = f"notice:{who.order_id}:{event}" + (f":{occurrence}" if occurrence else "")
        rows = [dict(dedupe_key=f"{key}:{channel}", channel=channel, recipient=who.phone,
                     subject=SUBJECTS[event], body=template.render(given), payload=payload,
                     status="held" if hold else "pending", attempts=0, created_at=self.now, audience="citizen",
                     notice=event, work_order_id=who.order_id, not_before=not_before)
                for channel in self.config.citizen.channels]
        if not self.outbox.queue(rows):
            return None
        return not_before or self.now

    def _params(self, template: NoticeTemplate, given: Mapping[str, str | None]) -> dict[str, str]:
        """What a template SMS platform gets: the case's own values. The deployment's constants are written into
        the registered template, and the rating link as its fixed prefix + {rate_token}: platforms refuse
        links inside variables."""
        params = {name: value for name in template.variables - DEPLOYMENT_CONSTANTS
                  if (value := given.get(name))}
        rate_url = params.pop("rate_url", None)
        if rate_url and self.config.links.rate:
            params["rate_token"] = rate_url.removeprefix(self.config.links.rate)
        return params

    def _common(self, ticket_no: str) -> dict[str, str | None]:
        return {"ticket": ticket_no, "status_url": self.config.links.status, "hotline": self.config.citizen.hotline,
                "ivr_key": self.env.config.ivr.status_key}

    def _not_before(self, tier: str) -> dt.datetime | None:
        quiet = self.config.citizen.quiet_hours
        if quiet is None or tier == "emergency":
            return None
        return quiet_until(self.now, self.tz, quiet)

    def _short(self, text: str | None) -> str | None:
        """The result as a citizen may read it: numbers of anyone else masked, cut to the configured length."""
        limit = self.config.citizen.result_chars
        if not text or not limit:
            return None
        masked = redact(text) or ""
        flat = " ".join(masked.split())
        return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def quiet_until(now: dt.datetime, tz: ZoneInfo, quiet: QuietHours) -> dt.datetime | None:
    """The end of the quiet hours `now` falls in (as UTC), or None outside them."""
    start, end = quiet.bounds()
    local = now.astimezone(tz)
    moment = local.time()
    overnight = start > end
    inside = (moment >= start or moment < end) if overnight else (start <= moment < end)
    if not inside:
        return None
    day = local.date() + dt.timedelta(days=1) if overnight and moment >= start else local.date()
    return dt.datetime.combine(day, end, tzinfo=tz).astimezone(dt.UTC)
