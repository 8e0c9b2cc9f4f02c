"""Reading and writing knowledge bases as files: JSON Lines, CSV (English or Chinese headers) and Markdown.
Every record remembers the line it starts on, and every field the line it was written on, so a problem is
reported where a person can find it."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

FIELDS = ("code", "title", "questions", "answer", "category", "department", "source", "valid_from", "valid_until",
          "tags", "status")
CHINESE = {"编号": "code", "标题": "title", "问法": "questions", "群众问法": "questions", "答复": "answer",
           "答复内容": "answer", "分类": "category", "部门": "department", "主管部门": "department",
           "政策依据": "source", "来源": "source", "有效期起": "valid_from", "有效期止": "valid_until",
           "标签": "tags", "状态": "status"}
LISTS = ("questions", "tags")
SPLIT = re.compile(r"\s*[|｜\n；;]\s*")
TAG_SPLIT = re.compile(r"\s*[|｜\n；;,，、]\s*")
FORMATS = ("jsonl", "csv", "md")


@dataclass
class Record:
    line: int
    fields: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # the line each field was written on

    def where(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass(frozen=True)
class Problem:
    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行" + (f"（{self.field}）" if self.field else "") + f"：{self.message}"


def format_of(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    return {"json": "jsonl", "jsonl": "jsonl", "ndjson": "jsonl", "csv": "csv", "md": "md", "markdown": "md"}.get(
        suffix, suffix)


def read(text: str, fmt: str) -> tuple[list[Record], list[Problem]]:
    """Records and the problems met while reading them (a line that is not a record at all)."""
    readers = {"jsonl": read_jsonl, "csv": read_csv, "md": read_markdown}
    if fmt not in readers:
        return [], [Problem(1, None, f"不认识的文件格式 {fmt}（可用：jsonl、csv、md）")]
    return readers[fmt](text.lstrip("\ufeff"))


def read_jsonl(text: str) -> tuple[list[Record], list[Problem]]:
    records, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(number, None, f"不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(number, None, "每行应是一个 JSON 对象"))
            continue
        unknown = sorted(set(value) - set(FIELDS) - {"id"})
        if unknown:
            problems.append(Problem(number, None, f"不认识的字段：{', '.join(unknown)}"))
        fields = {k: v for k, v in value.items() if k in FIELDS}
        if "id" in value and "code" not in value:
            fields["code"] = value["id"]
        records.append(Record(number, fields))
    return records, problems


def read_csv(text: str) -> tuple[list[Record], list[Problem]]:
    """A spreadsheet's export: a header row, then one article a row. Line ends are the csv module's to read
    (\r\n, \n, or a lone \r as old spreadsheets write), inside quoted cells too; a row it cannot read is a problem
    named by its line, and reading stops there."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[Record] = []
    problems: list[Problem] = []
    try:
        header = next(reader, None)
        if header is None:
            return [], [Problem(1, None, "文件是空的")]
        if not any(h.strip() for h in header):
            return [], [Problem(1, None, "第一行应是表头（编号、标题、答复……）")]
        names = [CHINESE.get(h.strip(), h.strip().lower()) for h in header]
        unknown = [h for h, n in zip(header, names, strict=True) if n not in FIELDS]
        if unknown:
            problems.append(Problem(1, None, f"不认识的列：{', '.join(unknown)}"))
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) != len(names):
                    problems.append(Problem(start, None, f"有 {len(row)} 列，表头有 {len(names)} 列"))
                else:
                    fields = {n: _split(n, v) for n, v in zip(names, row, strict=True) if n in FIELDS}
                    records.append(Record(start, fields))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(reader.line_num or 1, None, f"这一行不是有效的 CSV（{exc}），文件没有读完"))
    return records, problems


def _split(name: str, value: str) -> Any:
    value = value.strip()
    if name in LISTS:
        return [v for v in (TAG_SPLIT if name == "tags" else SPLIT).split(value) if v]
    return value or None


KEYS = {"编号": "code", "分类": "category", "部门": "department", "政策依据": "source", "有效期起": "valid_from",
        "有效期止": "valid_until", "标签": "tags", "状态": "status"}
UNREADABLE = "看不懂这一行：字段写作「键：值」，问法和答复放在「## 问法」「## 答复」下"
FIELD_LINE = re.compile(r"^(编号|分类|部门|政策依据|有效期起|有效期止|标签|状态)\s*[:：]\s*(.*)$")


def read_markdown(text: str) -> tuple[list[Record], list[Problem]]:
    """`# 标题`, then `键：值` lines, `## 问法` (a list) and `## 答复` (Markdown up to the next `# `)."""
    records: list[Record] = []
    problems: list[Problem] = []
    current: Record | None = None
    section = ""
    answer: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("# "):
            _finish(current, answer)
            current, section, answer = Record(number, {"title": line[2:].strip()}, {"title": number}), "", []
            records.append(current)
        elif current is None:
            if line.strip():
                problems.append(Problem(number, None, "条目前的内容：每条知识以「# 标题」开始"))
        elif section == "答复" and not line.startswith("## "):
            answer.append(line)
        elif line.startswith("## "):
            section = line[3:].strip()
            current.lines.setdefault({"问法": "questions", "答复": "answer"}.get(section, section), number)
            if section not in ("问法", "答复"):
                problems.append(Problem(number, None, f"不认识的小节「{section}」（可用：问法、答复）"))
        elif section == "问法" and line.strip():
            current.fields.setdefault("questions", []).append(line.strip().lstrip("-*+ ").strip())
        elif (match := FIELD_LINE.match(line.strip())) is not None:
            name = KEYS[match.group(1)]
            current.fields[name] = _split(name, match.group(2))
            current.lines[name] = number
        elif line.strip():
            problems.append(Problem(number, None, UNREADABLE))
    _finish(current, answer)
    return records, problems


def _finish(record: Record | None, answer: list[str]) -> None:
    if record is not None and answer:
        record.fields["answer"] = "\n".join(answer).strip() + "\n"


def write_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else list(FIELDS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "|".join(v) if isinstance(v, list) else ("" if v is None else v) for k, v in row.items()})
    return out.getvalue()
