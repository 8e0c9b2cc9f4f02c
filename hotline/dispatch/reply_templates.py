"""答复模板 for one order: the templates of its category (then the default ones), filled with the order's
title, place, the answering department and the day it was received. Staff edit them before sending."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.config_replies import ReplyTemplate
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import DepartmentRepository
from hotline.dispatch.service import active_assignments
from hotline.models import WorkOrder


def templates_for(session: Session, env: DispatchEnv, order: WorkOrder, actor: Actor) -> dict[str, Any]:
    config = env.config.reply_templates
    leaf = env.config.category(order.category_code or "")
    codes = [c for c in (order.category_code, leaf.code if leaf else None) if c]
    key, chosen = config.matching(codes)
    default = config.templates["default"]
    department_id = actor.department_id or next((a.department_id for a in active_assignments(order)), None)
    department = DepartmentRepository(session).get(department_id) if department_id else None
    local = env.sla.local_day(order.received_at)
    values = defaultdict(str, title=order.title, place=order.place or "您反映的地点",
                         department=department.name if department else "我单位",
                         received=f"{local.month}月{local.day}日")

    def fill(items: list[ReplyTemplate]) -> list[dict[str, str]]:
        return [{"name": t.name, "text": t.text.format_map(values)} for t in items]

    extra = key != "default"
    return {"key": key, "reply": fill(chosen.reply) + (fill(default.reply) if extra else []),
            "result": fill(chosen.result) + (fill(default.result) if extra else [])}
