"""The audit log as a hash chain: each row's seal carries the hash of the one before it, so an edited, removed
or reordered row shows where it happened (useful when a department disputes its 考核 figures).

Writers only insert rows; they never wait for one another. The sealer (a periodic job, and every
`hotline audit verify`) links the rows that have become final, in id order, through the one-row
`audit_chain_head` it alone locks. A row is final when no row with a lower id can still appear: on SQLite,
where writes take turns, every visible row is; on PostgreSQL every insert into the log holds the advisory lock
GATE_KEY shared until its transaction ends (a statement trigger takes it before ids are drawn), and the sealer
takes it exclusively for a moment — then no row is in flight, and every row up to the highest visible id is
final. Until sealed, a row is guarded like every other by the database's append-only triggers. The head names
the last seal and its row, so seals cut from the end are noticed too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
GATE_KEY = 4_815_162_342  # the advisory lock of migration 0021's audit_log_gate trigger


def digest(prev_hash: str, at: dt.datetime, user_id: int | None, actor: str, role: str, action: str,
           object_type: str, object_id: str | None, ip: str | None, details: Any) -> str:
    """The row's hash: its every column (but the id, given by the database) and the previous row's hash."""
    moment = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    canonical = json.dumps([prev_hash, moment, user_id, actor, role, action, object_type, object_id, ip, details],
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class SealedRow:
    seq: int
    audit_id: int
    prev_hash: str
    row_hash: str
    fields: tuple | None  # (at, user_id, actor, role, action, object_type, object_id, ip, details); None: row gone


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    unchained: int  # rows written before the chain began (no seal), at the start of the log
    broken_at: int | None = None  # the first row where the chain does not hold
    problem: str | None = None
    waiting: int = 0  # rows written but not sealed yet (their transactions' elders still running)

    def describe(self) -> str:
        if self.ok:
            notes = [f"{self.unchained} earlier rows carry no hash"] if self.unchained else []
            notes += [f"{self.waiting} newer rows not sealed yet"] if self.waiting else []
            return f"audit log intact: {self.checked} chained rows" + (f" ({'; '.join(notes)})" if notes else "")
        return f"audit log broken at row {self.broken_at}: {self.problem} ({self.checked} rows held before it)"


def verify(seals: Iterable[SealedRow], head_seq: int | None, head_id: int | None, head_hash: str) -> Verdict:
    """Walk the seals in order; the first break is reported, with the row where it shows."""
    expected, checked, last_seq, last_id = GENESIS, 0, None, None
    for seal in seals:
        if seal.fields is None:
            return Verdict(False, checked, 0, seal.audit_id, "the row was removed")
        if seal.prev_hash != expected:
            what = "a row before it was removed or changed" if checked else "the chain does not start here"
            return Verdict(False, checked, 0, seal.audit_id, what)
        if digest(seal.prev_hash, *seal.fields) != seal.row_hash:
            return Verdict(False, checked, 0, seal.audit_id, "the row was changed after it was written")
        expected, last_seq, last_id, checked = seal.row_hash, seal.seq, seal.audit_id, checked + 1
    if (head_seq, head_hash) != (last_seq, expected):
        return Verdict(False, checked, 0, head_id,
                       f"the log ends at row {last_id} but row {head_id} was sealed: rows were removed")
    return Verdict(True, checked, 0)
