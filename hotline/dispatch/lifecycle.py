"""The work-order lifecycle as one table: action → (from states, to state, roles). Pure, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hotline.core.enums import Role, State
from hotline.core.errors import IllegalTransitionError, PermissionDeniedError


class Action(StrEnum):
    CREATE = "create"
    ACCEPT = "accept"  # 受理
    ANSWER_DIRECTLY = "answer_directly"  # 直办
    DISPATCH = "dispatch"  # 转办 (also re-dispatch after a return)
    SIGN = "sign"  # 签收
    REPLY = "reply"  # 反馈
    COMPLETE = "complete"  # 办结
    RETURN = "return"  # 回退
    REQUEST_EXTENSION = "request_extension"  # 延期申请
    DECIDE_EXTENSION = "decide_extension"  # 延期审批
    START_CALLBACK = "start_callback"  # 进入回访
    CLOSE_SATISFIED = "close_satisfied"  # 满意/基本满意
    CLOSE_UNREACHABLE = "close_unreachable"  # 未接通 after the last attempt
    REDO = "redo"  # 重办 after 不满意
    MARK_INVALID = "mark_invalid"  # 无效
    MERGE_DUPLICATE = "merge_duplicate"  # 重复件, merged into a parent order
    ATTACH_INCIDENT = "attach_incident"  # 并案: another caller about an incident an open order covers
    TRANSCRIBE = "transcribe"  # a voice message's transcript replaces the placeholder text


HOTLINE = frozenset({Role.OPERATOR, Role.HOTLINE_ADMIN})
DEPARTMENT = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN})
CALLBACK = frozenset({Role.CALLBACK_STAFF, Role.HOTLINE_ADMIN, Role.SYSTEM})
DECIDERS = frozenset({Role.HOTLINE_ADMIN, Role.SUPERVISOR})
WORKING = frozenset({State.SIGNED, State.REPLIED})


@dataclass(frozen=True)
class Rule:
    """Department steps also need the actor's department to hold the order: the services check that
    (`assignment_of`), this table says only which states and roles."""

    sources: frozenset[State]
    targets: tuple[State, ...]  # first is the default; empty means the state does not change
    roles: frozenset[Role]


# Built from plain literals (no helper called at import), so every entry is what a test reads.
S = State
RULES: dict[Action, Rule] = {
    Action.ACCEPT: Rule(frozenset({S.RECEIVED}), (S.ACCEPTED,), HOTLINE | {Role.SYSTEM}),
    Action.ANSWER_DIRECTLY: Rule(frozenset({S.ACCEPTED, S.RETURNED}), (S.COMPLETED,), HOTLINE),
    # Supervisors dispatch too: after 退单 ping-pong they rule which department takes the order.
    Action.DISPATCH: Rule(frozenset({S.ACCEPTED, S.RETURNED}), (S.DISPATCHED,), HOTLINE | {Role.SUPERVISOR}),
    Action.SIGN: Rule(frozenset({S.DISPATCHED}), (S.SIGNED,), DEPARTMENT),
    Action.REPLY: Rule(frozenset({S.SIGNED}), (S.REPLIED,), DEPARTMENT),
    Action.COMPLETE: Rule(frozenset({S.REPLIED}), (S.COMPLETED,), DEPARTMENT),
    Action.RETURN: Rule(frozenset({S.DISPATCHED, S.SIGNED}), (S.RETURNED,), DEPARTMENT),
    Action.REQUEST_EXTENSION: Rule(WORKING, (), DEPARTMENT),
    Action.DECIDE_EXTENSION: Rule(WORKING, (), DECIDERS),
    Action.START_CALLBACK: Rule(frozenset({S.COMPLETED}), (S.CALLBACK_PENDING,), CALLBACK),
    Action.CLOSE_SATISFIED: Rule(frozenset({S.CALLBACK_PENDING}), (S.CLOSED,), CALLBACK),
    Action.CLOSE_UNREACHABLE: Rule(frozenset({S.CALLBACK_PENDING}), (S.CLOSED,), CALLBACK),
    # An order a department handled goes back to it; one the operator answered goes back to the hotline.
    Action.REDO: Rule(frozenset({S.CALLBACK_PENDING}), (S.DISPATCHED, S.ACCEPTED), CALLBACK),
    Action.MARK_INVALID: Rule(frozenset({S.RECEIVED, S.ACCEPTED}), (S.CLOSED,), HOTLINE),
    Action.MERGE_DUPLICATE: Rule(frozenset({S.RECEIVED, S.ACCEPTED}), (S.CLOSED,), HOTLINE),
    Action.ATTACH_INCIDENT: Rule(frozenset({S.RECEIVED, S.ACCEPTED}), (S.CLOSED,), HOTLINE),
    Action.TRANSCRIBE: Rule(frozenset({S.RECEIVED, S.ACCEPTED}), (), frozenset({Role.SYSTEM})),
}


def plan(state: State | str, action: Action, role: Role | str, target: State | None = None) -> State:
    """The state `action` leads to from `state` for `role`; raises and decides nothing otherwise."""
    rule = RULES[action]
    if Role(role) not in rule.roles:
        allowed = ", ".join(sorted(r.value for r in rule.roles))
        raise PermissionDeniedError(
            f"a {Role(role).value} may not {action.value} a work order (allowed: {allowed})",
            details={"action": action.value, "role": Role(role).value}, error_id="role_not_allowed",
        )
    if State(state) not in rule.sources:
        allowed = ", ".join(sorted(s.value for s in rule.sources))
        raise IllegalTransitionError(
            f"cannot {action.value} a work order that is {State(state).value} (only from: {allowed})",
            details={"action": action.value, "state": State(state).value},
        )
    if not rule.targets:
        return State(state)
    if target is None:
        return rule.targets[0]
    if target not in rule.targets:
        raise IllegalTransitionError(f"{action.value} cannot lead to {target.value}")
    return target


def allowed_actions(state: State | str, role: Role | str) -> list[Action]:
    """What `role` may do to an order in `state` (for consoles to offer only valid buttons)."""
    return [a for a, r in RULES.items() if State(state) in r.sources and Role(role) in r.roles]
