"""What departments and supervisors are told, in the words they read (短信/微信/邮件)."""

from __future__ import annotations

import datetime as dt

from hotline.dispatch.ports import DispatchEnv
from hotline.models import WorkOrder
from hotline.text.masking import redact

TIER_WORDS = {"emergency": "紧急", "livelihood": "民生", "general": "一般", "complex": "复杂"}
KIND_WORDS = {"accept": "受理", "sign": "签收", "reply": "反馈", "complete": "办结", "sub": "下派办理"}


def department(code: str) -> str:
    return f"department:{code}"


SUPERVISORS = "role:supervisor"
OPERATORS = "role:operator"


def dispatched(ctx: DispatchEnv, order: WorkOrder, role: str, reply_due: dt.datetime,
               names: list[str] | None = None) -> tuple[str, str]:
    """A department is told the order's title with the citizen's numbers and name hidden."""
    share = "主办" if role == "lead" else "协办"
    subject = f"新工单 {order.ticket_no}（{TIER_WORDS[order.tier]}，{share}）"
    body = (f"【12345】您单位有新{share}工单 {order.ticket_no}：{redact(order.title, names or ())}。"
            f"请于 {ctx.sla.local_text(reply_due)} 前签收并反馈。")
    return subject, body


def reminder(ctx: DispatchEnv, ticket_no: str, kind: str, due_at: dt.datetime) -> tuple[str, str]:
    subject = f"催办 {ticket_no}"
    body = f"【12345催办】工单 {ticket_no} 的{KIND_WORDS[kind]}时限为 {ctx.sla.local_text(due_at)}，请抓紧办理。"
    return subject, body


def overdue(ctx: DispatchEnv, ticket_no: str, kind: str, due_at: dt.datetime) -> tuple[str, str]:
    subject = f"超期 {ticket_no}"
    body = (f"【12345督办】工单 {ticket_no} 已超过{KIND_WORDS[kind]}时限（{ctx.sla.local_text(due_at)}），"
            f"已转督办。")
    return subject, body


def arbitration(order: WorkOrder, reason: str) -> tuple[str, str]:
    subject = f"退单争议 {order.ticket_no}"
    body = f"【12345】工单 {order.ticket_no} 已被退回 {order.return_count} 次（{reason}），请督办裁定承办单位。"
    return subject, body
