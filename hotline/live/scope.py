"""Who hears what on the live stream: the channels a role subscribes to, and which events on them an
actor may receive — the same answer the REST reads give, event by event."""

from __future__ import annotations

from typing import Any

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.live.events import CALLS, DESK, SUPERVISION, TRANSCRIPTS, agent_channel, department_channel

DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN})
LISTENERS = frozenset({Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR, *DEPARTMENT_ROLES})
# Events about one work order: delivered only to those who may read that order.
ABOUT_AN_ORDER = frozenset({"transcript", "worklist", "notice", "note"})
# Calls, screen pops, hand-overs and after-call drafts: whoever may read calls (GET /api/v1/calls) — the
# centre and supervisors, never a department.
ABOUT_A_CALL = frozenset({"call", "screen_pop", "handover", "after_call"})
OWN = frozenset({"agent_state"})  # only ever published on the actor's own channel
# An extension asked for or decided: the body names no order, only that the approval list changed.
NAMELESS = frozenset({"extension"})
# What a department's stream may carry: its own channel's extension changes, notices and internal notes
# about its orders.
FOR_DEPARTMENTS = frozenset({"extension", "notice", "note"})


def channels_for(actor: Actor) -> list[str]:
    """Operators: their screen pops and state, voice-message transcripts, the hotline's work lists;
    the hotline admin all that, every call and what awaits a supervisor; supervisors every call,
    transcripts and what awaits their decision; a department its own channel (催办, 督办, extensions)."""
    desk = [agent_channel(actor.user_id or 0), TRANSCRIPTS, DESK]
    if actor.role == Role.OPERATOR:
        return desk
    if actor.role == Role.HOTLINE_ADMIN:
        return [*desk, CALLS, SUPERVISION]
    if actor.role == Role.SUPERVISOR:
        return [CALLS, TRANSCRIPTS, SUPERVISION]
    if actor.role in DEPARTMENT_ROLES and actor.department_id is not None:
        return [department_channel(actor.department_id)]
    return []


def ticket_to_check(actor: Actor, message: dict[str, Any], sees_everything: bool) -> tuple[bool, str | None]:
    """(deliver without a database check?, ticket whose readability decides otherwise).

    (True, None): deliver; (False, None): drop; (False, ticket): deliver if `actor` may read `ticket`."""
    kind = message.get("type")
    if actor.role not in LISTENERS:
        return False, None
    if actor.role in DEPARTMENT_ROLES and kind not in FOR_DEPARTMENTS:
        return False, None
    if kind in NAMELESS:
        return True, None
    if kind in OWN or kind in ABOUT_A_CALL:
        return True, None
    if kind in ABOUT_AN_ORDER:
        if sees_everything:
            return True, None
        ticket = message.get("ticket")
        return False, ticket if isinstance(ticket, str) and ticket else None
    return False, None  # an event type nobody vetted is not delivered
