"""Domain vocabularies shared by models, configuration, services and the API."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """Work-order (工单) lifecycle states."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    SIGNED = "signed"
    REPLIED = "replied"
    COMPLETED = "completed"
    CALLBACK_PENDING = "callback_pending"
    RETURNED = "returned"
    CLOSED = "closed"


class Tier(StrEnum):
    """SLA tiers: 紧急 emergency, 民生 livelihood (水电气暖), 一般 general, 复杂 complex."""

    EMERGENCY = "emergency"
    LIVELIHOOD = "livelihood"
    GENERAL = "general"
    COMPLEX = "complex"


class Channel(StrEnum):
    PHONE = "phone"
    WECHAT = "wechat"
    APP = "app"
    WEB = "web"
    PROVINCE = "province"  # 省转件
    LIAISON = "liaison"  # 民情联络员代办


class Role(StrEnum):
    OPERATOR = "operator"
    DEPARTMENT_STAFF = "department_staff"
    DEPARTMENT_ADMIN = "department_admin"
    CALLBACK_STAFF = "callback_staff"
    SUPERVISOR = "supervisor"
    HOTLINE_ADMIN = "hotline_admin"
    LIAISON = "liaison"
    CITIZEN = "citizen"
    SYSTEM = "system"


class AssignmentRole(StrEnum):
    LEAD = "lead"  # 主办
    CO = "co"  # 协办


class AssignmentStatus(StrEnum):
    DISPATCHED = "dispatched"
    SIGNED = "signed"
    REPLIED = "replied"
    COMPLETED = "completed"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class DeadlineKind(StrEnum):
    ACCEPT = "accept"
    REPLY = "reply"
    COMPLETE = "complete"


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    CANCELLED = "cancelled"


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class CloseReason(StrEnum):
    SATISFIED = "satisfied"
    UNREACHABLE = "unreachable"
    INVALID = "invalid"
    DUPLICATE = "duplicate"


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


ONLINE_CHANNELS = frozenset({Channel.WECHAT, Channel.APP, Channel.WEB, Channel.PROVINCE})


class Verdict(StrEnum):
    """A callback's answer: 满意 / 基本满意 / 不满意, or 未接通 when nobody was reached."""

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    UNSATISFIED = "unsatisfied"
    UNREACHABLE = "unreachable"


REACHED = frozenset({Verdict.SATISFIED, Verdict.BASICALLY_SATISFIED, Verdict.UNSATISFIED})
