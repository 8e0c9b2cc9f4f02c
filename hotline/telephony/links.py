"""Orders ↔ calls: an order created or updated during a call is linked to it by Linkedid, whichever
client sends the Linkedid (the operator console sends back the one from its screen pop). The call
must exist and be the sender's: an operator links only calls they answered or placed; the centre's
admins and supervisors any call. Anyone else learns nothing of a call (404, as for orders)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.core.errors import NotFoundError
from hotline.telephony.repository import CallLinkRepository

CREATED, UPDATED = "created", "updated"
ANY_CALL = (Role.HOTLINE_ADMIN, Role.SUPERVISOR)
OWN_CALLS = (Role.OPERATOR, Role.CALLBACK_STAFF)


class CallLinks:
    def __init__(self, session: Session, now: Callable[[], dt.datetime]) -> None:
        self.repo = CallLinkRepository(session)
        self.now = now

    def require(self, actor: Actor, linkedid: str) -> str:
        """The Linkedid, once the call is known to exist and to be the actor's to read or link."""
        if actor.role in ANY_CALL and self.repo.exists(linkedid):
            return linkedid
        if actor.role in OWN_CALLS and actor.user_id is not None and self.repo.was_on(linkedid, actor.user_id):
            return linkedid
        raise NotFoundError(f"no call {linkedid} of yours", error_id="call_not_found")

    def link(self, actor: Actor, linkedid: str, order_id: int, how: str) -> None:
        """Link an order to a call the actor may link (checked here, whatever the caller checked)."""
        self.require(actor, linkedid)
        self.repo.link(linkedid, order_id, how, actor.user_id, self.now())

    def calls_of(self, order_id: int, registered_during: str | None = None) -> list[str]:
        """The order's calls: the one it was registered during first, then those it was updated during."""
        linked = self.repo.calls_of(order_id)
        first = [registered_during] if registered_during and registered_during not in linked else []
        return first + linked
