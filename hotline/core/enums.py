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
    SUB = "sub"  # 下派: a sub-unit (街道→社区) working for the share above it, replying up to it


class AssignmentStatus(StrEnum):
    DISPATCHED = "dispatched"
    SIGNED = "signed"
    REPLIED = "replied"
    COMPLETED = "completed"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class DeadlineKind(StrEnum):
    ACCEPT = "accept"
    SIGN = "sign"  # 签收时限: each department that was given a share signs for it
    REPLY = "reply"
    COMPLETE = "complete"
    SUB = "sub"  # 下派时限: a sub-unit's own deadline, inside the share above it


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
    INCIDENT = "incident"  # 并案: another caller about an incident an open order already covers


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


class CallbackStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"


class CallbackKind(StrEnum):
    FULL = "full"  # a department handled the order
    LIGHT = "light"  # 直办: the operator answered on the spot


class AttemptMode(StrEnum):
    STAFF = "staff"
    AUTO = "auto"  # the automated keypad survey
    MESSAGE = "message"  # the citizen rated by message, nobody called


class AttemptChannel(StrEnum):
    """Who obtained a verdict, counted apart in the rates."""

    STAFF = "staff"  # a callback agent's call
    AUTO = "auto"  # the keypad survey
    SMS = "sms"  # a reply to the 办结 SMS
    LINK = "link"  # the signed rating link


class SupervisionKind(StrEnum):
    """督办: a missed deadline, a second 回退 awaiting a ruling, a repeated 不满意; an emergency tracked until
    done, a request that comes back after 办结 (重复诉求), a complaint about a department's attitude."""

    OVERDUE = "overdue"
    ARBITRATION = "arbitration"
    REDO = "redo"
    EMERGENCY = "emergency"
    REPEAT = "repeat"
    ATTITUDE = "attitude"


class SupervisionStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class InterviewStatus(StrEnum):
    """约谈: on the list, or done (with what came of it)."""

    OPEN = "open"
    RESOLVED = "resolved"


class ReminderKind(StrEnum):
    WARNING = "warning"  # yellow light, 催办
    OVERDUE = "overdue"  # red light


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Disposition(StrEnum):
    """How a call ended for the citizen."""

    ANSWERED = "answered"
    ABANDONED = "abandoned"
    MESSAGE_LEFT = "message_left"
    IVR_ONLY = "ivr_only"
    UNANSWERED = "unanswered"  # an outgoing call nobody picked up


class CallDirection(StrEnum):
    """Who placed the call: a citizen calling 12345, the centre calling out, or two phones inside it."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class CallPurpose(StrEnum):
    CITIZEN_CALL = "citizen_call"  # a citizen called 12345 (the only calls the call statistics count)
    SURVEY_CALLBACK = "survey_callback"  # the automated satisfaction survey dialled the citizen
    CLICK_TO_CALL = "click_to_call"  # staff dialled a citizen from a console
    INTERNAL = "internal"
    OTHER = "other"


class RecordingKind(StrEnum):
    MESSAGE = "message"  # left in the IVR
    CALL = "call"  # a whole call (MixMonitor)


class RecordingStatus(StrEnum):
    PENDING = "pending"
    TRANSCRIBED = "transcribed"
    FAILED = "failed"
    NO_MODEL = "no_model"


class ArticleStatus(StrEnum):
    """A knowledge-base article version: 草稿 → 待审核 → 已发布 → 已过期 / 已撤回."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
