"""SQLAlchemy tables, one concern per file; importing this package registers them all."""

from hotline.models.audit import AuditChainHead, AuditRecord, AuditSeal
from hotline.models.base import Base
from hotline.models.call import AgentSession, Call, CdrCursor, QueueCaller, Recording
from hotline.models.call_work import CallDialogue, CallOrder
from hotline.models.callback import Callback, CallbackAttempt
from hotline.models.citizen import Citizen
from hotline.models.credentials import ApiClient, RefreshToken
from hotline.models.deadline import Deadline, ExtensionRequest, Reminder
from hotline.models.department import Department
from hotline.models.desk import AgentState, AgentStint, CallbackDial
from hotline.models.event import WorkOrderEvent
from hotline.models.evidence import Evidence
from hotline.models.handover import Handover
from hotline.models.intake_history import IntakeHistory
from hotline.models.knowledge import (
    Article,
    ArticleVersion,
    Citation,
    Feedback,
    SearchEntry,
    SearchTerm,
    SearchText,
)
from hotline.models.note import OrderNote
from hotline.models.outbox import DeliveryReceiptRow, InboundMessage, OutboxMessage
from hotline.models.ratelimit import RateLimitHit
from hotline.models.stats import DailyCounter, RolledUpDay
from hotline.models.submission import SubmissionReply
from hotline.models.supervision import Interview, Supervision
from hotline.models.transcript import Transcript
from hotline.models.user import User
from hotline.models.work_order import TICKET_SERIAL, Assignment, TicketCounter, TicketDay, WorkOrder

__all__ = [
    "TICKET_SERIAL",
    "AgentSession",
    "AgentState",
    "AgentStint",
    "ApiClient",
    "Article",
    "ArticleVersion",
    "Assignment",
    "AuditChainHead",
    "AuditRecord",
    "AuditSeal",
    "Base",
    "Call",
    "CallDialogue",
    "CallOrder",
    "Callback",
    "CallbackAttempt",
    "CallbackDial",
    "CdrCursor",
    "Citation",
    "Citizen",
    "DailyCounter",
    "Deadline",
    "DeliveryReceiptRow",
    "Department",
    "Evidence",
    "ExtensionRequest",
    "Feedback",
    "Handover",
    "InboundMessage",
    "IntakeHistory",
    "Interview",
    "OrderNote",
    "OutboxMessage",
    "QueueCaller",
    "RateLimitHit",
    "Recording",
    "RefreshToken",
    "Reminder",
    "RolledUpDay",
    "SearchEntry",
    "SearchTerm",
    "SearchText",
    "SubmissionReply",
    "Supervision",
    "TicketCounter",
    "TicketDay",
    "Transcript",
    "User",
    "WorkOrder",
    "WorkOrderEvent",
]
