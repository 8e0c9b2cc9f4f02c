"""`hotline intake import FILE.csv`: a centre's historical orders, for the learned router to train on.

Columns (a header row, Chinese or English names): 工单编号/ticket_no, 受理时间/received_at, 诉求内容/content,
小类/category (a leaf code, a retired code or the leaf's Chinese name), and optionally 主办单位/department
(code or name), 地点/place, 诉求类型/kind. Good rows are imported, each bad row is named with its line
number and what is wrong, in Chinese; a ticket already known is skipped, so importing twice is harmless.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from hotline.core.config import HotlineConfig, walk_departments
from hotline.intake.history import HistoryRepository

COLUMNS = {
    "ticket_no": ("工单编号", "ticket_no"), "received_at": ("受理时间", "received_at"),
    "content": ("诉求内容", "content"), "category": ("小类", "category"),
    "department": ("主办单位", "department"), "place": ("地点", "place"), "kind": ("诉求类型", "kind"),
}
REQUIRED = ("ticket_no", "received_at", "content", "category")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")
BATCH = 2000


@dataclass
class ImportReport:
    imported: int = 0
    known: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        bad = f"，{len(self.problems)} 行有问题未导入" if self.problems else ""
        return f"已导入 {self.imported} 条历史工单，{self.known} 条此前已导入{bad}"


class HistoryImporter:
    def __init__(self, session: Session, config: HotlineConfig, timezone: str, now: dt.datetime) -> None:
        self.session, self.config, self.now = session, config, now
        self.zone = ZoneInfo(timezone)
        self.repo = HistoryRepository(session)
        self.leaf_by_name = {leaf.name: leaf.code for leaf in config.catalogue.leaves()}
        nodes = [node for node, _, _ in walk_departments(config.departments.departments)]
        self.departments = {n.code: n.code for n in nodes} | {n.name: n.code for n in nodes}
        self.kinds = {k.code: k.code for k in config.catalogue.kinds} | {k.name: k.code for k in config.catalogue.kinds}

    def run(self, text: str, source: str) -> ImportReport:
        report = ImportReport()
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
        header = next(reader, None)
        where = self._columns(header or [], report)
        if where is None:
            return report
        seen: set[str] = set()
        batch: list[dict] = []
        for line_no, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            row = self._row(cells, where, line_no, seen, report)
            if row is not None:
                batch.append({**row, "source": source[:200], "imported_at": self.now})
            if len(batch) >= BATCH:
                self._flush(batch, report)
        self._flush(batch, report)
        return report

    def _columns(self, header: list[str], report: ImportReport) -> dict[str, int] | None:
        names = [h.strip().lower() for h in header]
        where = {key: names.index(alias.lower()) for key, aliases in COLUMNS.items()
                 for alias in aliases if alias.lower() in names}
        missing = [COLUMNS[key][0] for key in REQUIRED if key not in where]
        if missing:
            report.problems.append(f"第 1 行：缺少必需的列 {'、'.join(missing)}"
                                   "（表头须含 工单编号、受理时间、诉求内容、小类）")
            return None
        return where

    def _row(self, cells: list[str], where: dict[str, int], line_no: int, seen: set[str],
             report: ImportReport) -> dict | None:
        get = {key: (cells[i].strip() if i < len(cells) else "") for key, i in where.items()}
        problems: list[str] = []
        ticket = get["ticket_no"]
        if not ticket:
            problems.append("缺少工单编号")
        elif len(ticket) > 40:
            problems.append(f"工单编号“{ticket[:20]}…”超过 40 个字符")
        elif ticket in seen:
            problems.append(f"工单编号“{ticket}”在文件中重复")
        if not get["content"]:
            problems.append("缺少诉求内容")
        leaf = self._leaf(get["category"])
        if leaf is None:
            problems.append(f"没有这个诉求分类“{get['category']}”（应为小类编码或名称）" if get["category"]
                            else "缺少小类")
        department = get.get("department") or None
        if department and department not in self.departments:
            problems.append(f"没有这个承办单位“{department}”")
        kind = get.get("kind") or None
        if kind and kind not in self.kinds:
            problems.append(f"诉求类型“{kind}”不是 咨询、求助、投诉、举报、建议、表扬 之一")
        received = self._time(get["received_at"])
        if received is None:
            problems.append(f"受理时间“{get['received_at']}”无法识别（应为 2026-11-30 08:15 这样的格式）")
        if problems:
            report.problems.append(f"第 {line_no} 行：{'；'.join(problems)}")
            return None
        seen.add(ticket)
        return {"ticket_no": ticket, "text": get["content"], "category_code": leaf,
                "department_code": self.departments[department] if department else None,
                "place": (get.get("place") or None), "kind": self.kinds[kind] if kind else None,
                "received_at": received}

    def _leaf(self, value: str) -> str | None:
        leaf = self.config.category(value) if value else None
        return leaf.code if leaf else self.leaf_by_name.get(value)

    def _time(self, value: str) -> dt.datetime | None:
        for fmt in TIME_FORMATS:
            try:
                local = dt.datetime.strptime(value, fmt)
            except ValueError:
                continue
            return local.replace(tzinfo=self.zone).astimezone(dt.UTC)
        return None

    def _flush(self, batch: list[dict], report: ImportReport) -> None:
        if not batch:
            return
        known = self.repo.known_tickets([r["ticket_no"] for r in batch])
        fresh = [r for r in batch if r["ticket_no"] not in known]
        self.repo.add_imported(fresh)
        report.imported += len(fresh)
        report.known += len(batch) - len(fresh)
        batch.clear()
