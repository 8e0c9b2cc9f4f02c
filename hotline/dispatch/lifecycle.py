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
    sources: frozenset[State]
    targets: tuple[State, ...]  # first is the default; empty means the state does not change
    roles: frozenset[Role]
    by_department: bool = False  # the actor's department must hold the order


def _rule(sources, targets, roles, by_department=False) -> Rule:
    return Rule(frozenset(sources), tuple(targets), frozenset(roles), by_department)


RULES: dict[Action, Rule] = {
    Action.ACCEPT: _rule({State.RECEIVED}, [State.ACCEPTED], HOTLINE | {Role.SYSTEM}),
    Action.ANSWER_DIRECTLY: _rule({State.ACCEPTED, State.RETURNED}, [State.COMPLETED], HOTLINE),
    # Supervisors dispatch too: after 退单 ping-pong they rule which department takes the order.
    Action.DISPATCH: _rule({State.ACCEPTED, State.RETURNED}, [State.DISPATCHED], HOTLINE | {Role.SUPERVISOR}),
    Action.SIGN: _rule({State.DISPATCHED}, [State.SIGNED], DEPARTMENT, True),
    Action.REPLY: _rule({State.SIGNED}, [State.REPLIED], DEPARTMENT, True),
    Action.COMPLETE: _rule({State.REPLIED}, [State.COMPLETED], DEPARTMENT, True),
    Action.RETURN: _rule({State.DISPATCHED, State.SIGNED}, [State.RETURNED], DEPARTMENT, True),
    Action.REQUEST_EXTENSION: _rule(WORKING, [], DEPARTMENT, True),
    Action.DECIDE_EXTENSION: _rule(WORKING, [], DECIDERS),
    Action.START_CALLBACK: _rule({State.COMPLETED}, [State.CALLBACK_PENDING], CALLBACK),
    Action.CLOSE_SATISFIED: _rule({State.CALLBACK_PENDING}, [State.CLOSED], CALLBACK),
    Action.CLOSE_UNREACHABLE: _rule({State.CALLBACK_PENDING}, [State.CLOSED], CALLBACK),
    # An order a department handled goes back to it; one the operator answered goes back to the hotline.
    Action.REDO: _rule({State.CALLBACK_PENDING}, [State.DISPATCHED, State.ACCEPTED], CALLBACK),
    Action.MARK_INVALID: _rule({State.RECEIVED, State.ACCEPTED}, [State.CLOSED], HOTLINE),
    Action.MERGE_DUPLICATE: _rule({State.RECEIVED, State.ACCEPTED}, [State.CLOSED], HOTLINE),
    Action.ATTACH_INCIDENT: _rule({State.RECEIVED, State.ACCEPTED}, [State.CLOSED], HOTLINE),
    Action.TRANSCRIBE: _rule({State.RECEIVED, State.ACCEPTED}, [], {Role.SYSTEM}),
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
