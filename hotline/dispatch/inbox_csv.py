"""An inbox view as CSV for Excel (导出): UTF-8 with a BOM so Excel opens Chinese, times in the centre's zone,
labels in Chinese, and no cell Excel would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from hotline.core.labels import ASSIGNMENT_ROLES, ASSIGNMENT_STATUSES, DEADLINE_KINDS, LIGHTS, STATES, TIERS
from hotline.dispatch.inbox import InboxRow
from hotline.dispatch.scope import Disclosure

BOM = "\ufeff"
HEADER = ("工单号", "标题", "紧急程度", "分类", "工单状态", "本单位状态", "主办/协办", "承办单位", "地点", "受理时间",
          "派单时间", "下一时限", "时限类型", "灯", "重办次数", "被督办", "延期审批中")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A cell as text; one Excel would read as a formula is kept as text with a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def named(table: Mapping[Any, str], value: str | None) -> str:
    return table.get(value, value or "") if value else ""


def lines(rows: Iterable[InboxRow], zone: ZoneInfo, shown: Disclosure, categories: dict[str, str]) -> Iterator[str]:
    def when(instant) -> str:
        return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M") if instant else ""

    for r in rows:
        out = io.StringIO()
        csv.writer(out).writerow([cell(v) for v in (
            r.ticket_no, shown.text(r.title), named(TIERS, r.tier),
            categories.get(r.category_code or "", r.category_code),
            named(STATES, r.state), named(ASSIGNMENT_STATUSES, r.share_status), named(ASSIGNMENT_ROLES, r.share_role),
            r.department, shown.text(r.place), when(r.received_at), when(r.dispatched_at), when(r.next_due_at),
            named(DEADLINE_KINDS, r.next_kind), named(LIGHTS, r.light), r.redo_count,
            "是" if r.supervised else "", "是" if r.extension_pending else "")])
        yield out.getvalue()


def header() -> str:
    out = io.StringIO()
    csv.writer(out).writerow(HEADER)
    return BOM + out.getvalue()
