"""Which live events reach whom, decided before any database read."""

from __future__ import annotations

import pytest

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.live.events import CALLS, DESK, TRANSCRIPTS, agent_channel
from hotline.live.scope import channels_for, ticket_to_check

OPERATOR = Actor(Role.OPERATOR, user_id=5)
DISTRICT = Actor(Role.SUPERVISOR, user_id=6, department_path="/371500/371502/")


def test_channels_by_role():
    assert channels_for(OPERATOR) == [agent_channel(5), TRANSCRIPTS, DESK]
    assert channels_for(Actor(Role.HOTLINE_ADMIN, user_id=1)) == [agent_channel(1), TRANSCRIPTS, DESK, CALLS]
    assert channels_for(DISTRICT) == [CALLS, TRANSCRIPTS]
    assert channels_for(Actor(Role.DEPARTMENT_ADMIN, user_id=2)) == []


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
])
def test_what_an_event_needs_before_it_is_delivered(actor, everything, message, expected):
    assert ticket_to_check(actor, message, everything) == expected
