"""Who hears what on the live stream: the channels a role subscribes to, and which events on them an
actor may receive — the same answer the REST reads give, event by event."""

from __future__ import annotations

from typing import Any

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.live.events import CALLS, DESK, TRANSCRIPTS, agent_channel

LISTENERS = frozenset({Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR})
# Events about one work order: delivered only to those who may read that order.
ABOUT_AN_ORDER = frozenset({"transcript", "worklist"})
# Calls and screen pops: whoever may read calls (GET /api/v1/calls) — the centre and supervisors.
ABOUT_A_CALL = frozenset({"call", "screen_pop"})
OWN = frozenset({"agent_state"})  # only ever published on the actor's own channel


def channels_for(actor: Actor) -> list[str]:
    """Operators: their screen pops and state, voice-message transcripts, the hotline's work lists;
    the hotline admin all that and every call; supervisors every call and transcripts."""
    desk = [agent_channel(actor.user_id or 0), TRANSCRIPTS, DESK]
    if actor.role == Role.OPERATOR:
        return desk
    if actor.role == Role.HOTLINE_ADMIN:
        return [*desk, CALLS]
    if actor.role == Role.SUPERVISOR:
        return [CALLS, TRANSCRIPTS]
    return []


def ticket_to_check(actor: Actor, message: dict[str, Any], sees_everything: bool) -> tuple[bool, str | None]:
    """(deliver without a database check?, ticket whose readability decides otherwise).

    (True, None): deliver; (False, None): drop; (False, ticket): deliver if `actor` may read `ticket`."""
    kind = message.get("type")
    if actor.role not in LISTENERS:
        return False, None
    if kind in OWN or kind in ABOUT_A_CALL:
        return True, None
    if kind in ABOUT_AN_ORDER:
        if sees_everything:
            return True, None
        ticket = message.get("ticket")
        return False, ticket if isinstance(ticket, str) and ticket else None
    return False, None  # an event type nobody vetted is not delivered
