"""Which live events reach whom, decided before any database read."""

from __future__ import annotations

import pytest

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.live.events import CALLS, DESK, SUPERVISION, TRANSCRIPTS, agent_channel, department_channel
from hotline.live.scope import channels_for, ticket_to_check

OPERATOR = Actor(Role.OPERATOR, user_id=5)
DISTRICT = Actor(Role.SUPERVISOR, user_id=6, department_path="/371500/371502/")
WATER = Actor(Role.DEPARTMENT_STAFF, user_id=7, department_id=12, department_path="/371500/371500-WATER/")


def test_channels_by_role():
    assert channels_for(OPERATOR) == [agent_channel(5), TRANSCRIPTS, DESK]
    assert channels_for(Actor(Role.HOTLINE_ADMIN, user_id=1)) == [agent_channel(1), TRANSCRIPTS, DESK, CALLS,
                                                                   SUPERVISION]
    assert channels_for(DISTRICT) == [CALLS, TRANSCRIPTS, SUPERVISION]
    assert channels_for(WATER) == [department_channel(12)]
    assert channels_for(Actor(Role.DEPARTMENT_ADMIN, user_id=2, department_id=3)) == [department_channel(3)]
    assert channels_for(Actor(Role.DEPARTMENT_ADMIN, user_id=2)) == []
    assert channels_for(Actor(Role.CALLBACK_STAFF, user_id=4)) == []


@pytest.mark.parametrize(("actor", "everything", "message", "expected"), [
    (OPERATOR, True, {"type": "transcript", "ticket": "T1"}, (True, None)),
    (OPERATOR, True, {"type": "worklist", "ticket": "T1"}, (True, None)),
    (DISTRICT, False, {"type": "transcript", "ticket": "T1"}, (False, "T1")),
    (DISTRICT, False, {"type": "worklist", "ticket": "T1"}, (False, "T1")),
    (DISTRICT, False, {"type": "transcript", "ticket": None}, (False, None)),
    (DISTRICT, False, {"type": "transcript", "ticket": ""}, (False, None)),
    (DISTRICT, False, {"type": "call", "linkedid": "1.2"}, (True, None)),
    (DISTRICT, False, {"type": "screen_pop", "linkedid": "1.2"}, (True, None)),
    (OPERATOR, True, {"type": "agent_state"}, (True, None)),
    (OPERATOR, True, {"type": "something_new", "ticket": "T1"}, (False, None)),
    (Actor(Role.DEPARTMENT_STAFF), False, {"type": "call"}, (False, None)),
    (DISTRICT, False, {"type": "handover", "linkedid": "1.2"}, (True, None)),
    (DISTRICT, False, {"type": "after_call", "linkedid": "1.2"}, (True, None)),
    (DISTRICT, False, {"type": "extension", "request_id": 3, "status": "pending"}, (True, None)),
    (DISTRICT, False, {"type": "notice", "ticket": "T1"}, (False, "T1")),
    (WATER, False, {"type": "extension", "request_id": 3, "status": "approved"}, (True, None)),
    (WATER, False, {"type": "notice", "ticket": "T1"}, (False, "T1")),
    (WATER, False, {"type": "handover", "linkedid": "1.2"}, (False, None)),
    (WATER, False, {"type": "after_call", "linkedid": "1.2"}, (False, None)),
    (WATER, False, {"type": "screen_pop", "linkedid": "1.2"}, (False, None)),
    (WATER, False, {"type": "transcript", "ticket": "T1"}, (False, None)),
    (WATER, False, {"type": "worklist", "ticket": "T1"}, (False, None)),
    (Actor(Role.CALLBACK_STAFF), True, {"type": "extension"}, (False, None)),
])
def test_what_an_event_needs_before_it_is_delivered(actor, everything, message, expected):
    assert ticket_to_check(actor, message, everything) == expected
