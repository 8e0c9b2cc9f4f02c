"""The transition table, checked exhaustively against the lifecycle written out independently here."""

from __future__ import annotations

import itertools

import pytest

from hotline.core.enums import Role, State
from hotline.core.errors import IllegalTransitionError, PermissionDeniedError
from hotline.dispatch.lifecycle import Action, allowed_actions, plan

S = State
HOTLINE = {Role.OPERATOR, Role.HOTLINE_ADMIN}
DEPT = {Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN}
CALLBACK = {Role.CALLBACK_STAFF, Role.HOTLINE_ADMIN, Role.SYSTEM}

# (action, from state) -> (to state, roles allowed). Everything not listed is illegal.
EXPECTED: dict[tuple[Action, State], tuple[State, set[Role]]] = {
    (Action.ACCEPT, S.RECEIVED): (S.ACCEPTED, HOTLINE | {Role.SYSTEM}),
    (Action.ANSWER_DIRECTLY, S.ACCEPTED): (S.COMPLETED, HOTLINE),
    (Action.ANSWER_DIRECTLY, S.RETURNED): (S.COMPLETED, HOTLINE),
    (Action.DISPATCH, S.ACCEPTED): (S.DISPATCHED, HOTLINE | {Role.SUPERVISOR}),
    (Action.DISPATCH, S.RETURNED): (S.DISPATCHED, HOTLINE | {Role.SUPERVISOR}),
    (Action.SIGN, S.DISPATCHED): (S.SIGNED, DEPT),
    (Action.REPLY, S.SIGNED): (S.REPLIED, DEPT),
    (Action.COMPLETE, S.REPLIED): (S.COMPLETED, DEPT),
    (Action.RETURN, S.DISPATCHED): (S.RETURNED, DEPT),
    (Action.RETURN, S.SIGNED): (S.RETURNED, DEPT),
    (Action.REQUEST_EXTENSION, S.SIGNED): (S.SIGNED, DEPT),
    (Action.REQUEST_EXTENSION, S.REPLIED): (S.REPLIED, DEPT),
    (Action.DECIDE_EXTENSION, S.SIGNED): (S.SIGNED, {Role.HOTLINE_ADMIN, Role.SUPERVISOR}),
    (Action.DECIDE_EXTENSION, S.REPLIED): (S.REPLIED, {Role.HOTLINE_ADMIN, Role.SUPERVISOR}),
    (Action.START_CALLBACK, S.COMPLETED): (S.CALLBACK_PENDING, CALLBACK),
    (Action.CLOSE_SATISFIED, S.CALLBACK_PENDING): (S.CLOSED, CALLBACK),
    (Action.CLOSE_UNREACHABLE, S.CALLBACK_PENDING): (S.CLOSED, CALLBACK),
    (Action.REDO, S.CALLBACK_PENDING): (S.DISPATCHED, CALLBACK),
    (Action.MARK_INVALID, S.RECEIVED): (S.CLOSED, HOTLINE),
    (Action.MARK_INVALID, S.ACCEPTED): (S.CLOSED, HOTLINE),
    (Action.MERGE_DUPLICATE, S.RECEIVED): (S.CLOSED, HOTLINE),
    (Action.MERGE_DUPLICATE, S.ACCEPTED): (S.CLOSED, HOTLINE),
    (Action.ATTACH_INCIDENT, S.RECEIVED): (S.CLOSED, HOTLINE),
    (Action.ATTACH_INCIDENT, S.ACCEPTED): (S.CLOSED, HOTLINE),
    (Action.TRANSCRIBE, S.RECEIVED): (S.RECEIVED, {Role.SYSTEM}),
    (Action.TRANSCRIBE, S.ACCEPTED): (S.ACCEPTED, {Role.SYSTEM}),
}
TRANSITIONS = [a for a in Action if a != Action.CREATE]


@pytest.mark.parametrize("action,state,role", list(itertools.product(TRANSITIONS, State, Role)))
def test_every_action_state_role_combination_matches_the_lifecycle(action, state, role):
    expected = EXPECTED.get((action, state))
    if expected is None:
        with pytest.raises((IllegalTransitionError, PermissionDeniedError)):
            plan(state, action, role)
        return
    target, roles = expected
    if role in roles:
        assert plan(state, action, role) == target
    else:
        with pytest.raises(PermissionDeniedError):
            plan(state, action, role)


def test_wrong_state_is_reported_as_illegal_transition_with_allowed_sources():
    with pytest.raises(IllegalTransitionError) as err:
        plan(State.RECEIVED, Action.RETURN, Role.DEPARTMENT_STAFF)
    assert err.value.message == "cannot return a work order that is received (only from: dispatched, signed)"
    assert err.value.status_code == 409 and err.value.error_id == "illegal_transition"
    assert err.value.details == {"action": "return", "state": "received"}


def test_wrong_role_is_refused_before_state_is_considered():
    with pytest.raises(PermissionDeniedError) as err:
        plan(State.RECEIVED, Action.SIGN, Role.OPERATOR)
    assert err.value.status_code == 403 and err.value.error_id == "role_not_allowed"
    assert err.value.message == "a operator may not sign a work order (allowed: department_admin, department_staff)"
    assert err.value.details == {"action": "sign", "role": "operator"}


def test_redo_goes_back_to_hotline_when_asked_and_nowhere_else():
    assert plan(S.CALLBACK_PENDING, Action.REDO, Role.CALLBACK_STAFF, S.ACCEPTED) == S.ACCEPTED
    assert plan(S.CALLBACK_PENDING, Action.REDO, Role.CALLBACK_STAFF, S.DISPATCHED) == S.DISPATCHED
    with pytest.raises(IllegalTransitionError, match=r"^redo cannot lead to closed$"):
        plan(S.CALLBACK_PENDING, Action.REDO, Role.CALLBACK_STAFF, S.CLOSED)


def test_allowed_actions_offer_only_legal_buttons():
    assert allowed_actions(S.DISPATCHED, Role.DEPARTMENT_STAFF) == [Action.SIGN, Action.RETURN]
    assert allowed_actions(S.CLOSED, Role.HOTLINE_ADMIN) == []
