"""The audit log as a hash chain: each row carries the hash of the one before it, so an edited, removed
or reordered row shows where it happened (useful when a department disputes its 考核 figures).

Appends are serialized through the one-row `audit_chain_head` table: an append locks its row (a row
lock on PostgreSQL, the write lock on SQLite) until the transaction commits, reads the last hash from it
and moves it on. The head also names the last row, so rows cut from the end are noticed too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def digest(prev_hash: str, at: dt.datetime, user_id: int | None, actor: str, role: str, action: str,
           object_type: str, object_id: str | None, ip: str | None, details: Any) -> str:
    """The row's hash: its every column (but the id, given by the database) and the previous row's hash."""
    moment = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    canonical = json.dumps([prev_hash, moment, user_id, actor, role, action, object_type, object_id, ip, details],
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    id: int
    prev_hash: str | None
    row_hash: str | None
    fields: tuple  # (at, user_id, actor, role, action, object_type, object_id, ip, details)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    unchained: int  # rows written before the chain began (no hash), at the start of the log
    broken_at: int | None = None  # the first row whose link does not hold
    problem: str | None = None

    def describe(self) -> str:
        if self.ok:
            return f"audit log intact: {self.checked} chained rows" + (
                f" ({self.unchained} earlier rows carry no hash)" if self.unchained else "")
        return f"audit log broken at row {self.broken_at}: {self.problem} ({self.checked} rows held before it)"


def verify(rows: Iterable[ChainRow], head_id: int | None, head_hash: str) -> Verdict:
    """Walk the rows in id order; the first break is reported, with the row where it shows."""
    expected, checked, unchained, last_id = GENESIS, 0, 0, None
    for row in rows:
        if row.row_hash is None:
            if checked:
                return Verdict(False, checked, unchained, row.id, "the row carries no hash")
            unchained += 1
            continue
        if row.prev_hash != expected:
            what = "a row before it was removed or changed" if checked else "the chain does not start here"
            return Verdict(False, checked, unchained, row.id, what)
        if digest(row.prev_hash, *row.fields) != row.row_hash:
            return Verdict(False, checked, unchained, row.id, "the row was changed after it was written")
        expected, last_id, checked = row.row_hash, row.id, checked + 1
    if (head_id, head_hash) != (last_id, expected):
        return Verdict(False, checked, unchained, head_id,
                       f"the log ends at row {last_id} but row {head_id} was written: rows were removed")
    return Verdict(True, checked, unchained)
