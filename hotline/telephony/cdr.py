"""Calls that began and ended while `hotline ami` was away, read back from the CDR file Asterisk appends
to (cdr_custom's JSON mapping in config/asterisk/cdr_custom.conf: one object per line, epoch times).

AMI's Cdr events are only live; this file is what Asterisk kept meanwhile. The listener reads it from a
byte offset stored with the calls (one transaction: a crash never skips or doubles a line). A line
Asterisk is still writing waits for the next read; a file that shrank or was replaced starts over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from hotline.core.enums import CallDirection, CallPurpose, Disposition
from hotline.telephony.kinds import SPY_APPS, SPY_CONTEXT, SPY_TECHS
from hotline.telephony.records import CallRecord, device_of
from hotline.text.phones import normalise_phone

log = logging.getLogger(__name__)
CAUSE = "recorded by Asterisk while the listener was away"
READ_LIMIT = 8 * 1024 * 1024  # bytes per read; the rest waits for the next one


@dataclass(frozen=True)
class CdrBatch:
    records: list[dict]
    offset: int  # where the next read starts
    identity: str  # which file (device:inode:first line): a replaced file starts over
    more: bool  # READ_LIMIT stopped this read


class CdrFile:
    """The JSON-lines CDR file, read incrementally."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self, offset: int, identity: str | None) -> CdrBatch | None:
        """Records after `offset`; None when the file does not exist (yet)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        with os.fdopen(fd, "rb") as f:
            stat = os.fstat(f.fileno())
            first = f.readline(4096) if stat.st_size else b""
            # the first line tells a new file that reuses a deleted one's inode
            current = f"{stat.st_dev}:{stat.st_ino}:{hashlib.sha1(first).hexdigest()[:12]}"
            if current != identity or stat.st_size < offset:
                offset = 0  # rotated or truncated: a new file
            f.seek(offset)
            data = f.read(READ_LIMIT)
        end = data.rfind(b"\n") + 1
        return CdrBatch(_records(data[:end]), offset + end, current, len(data) == READ_LIMIT)


def _records(data: bytes) -> list[dict]:
    out = []
    for line in data.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            log.warning("CDR line that is not JSON skipped: %r", line[:120])
            continue
        if isinstance(record, dict) and record.get("linkedid"):
            out.append(record)
    return out


def calls_from_cdrs(records: list[dict], inbound: set[str], outbound: set[str]) -> list[CallRecord]:
    """One call record per linkedid, as far as CDRs tell (no IVR path; the agent by device only)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        groups[str(record["linkedid"])].append(record)
    calls = []
    for linkedid, legs in groups.items():
        roots = [r for r in legs if str(r.get("uniqueid")) == linkedid]
        if roots and not any(_listens_in(r) for r in roots):
            calls.append(_call(linkedid, roots, legs, inbound, outbound))
    return calls


def _call(linkedid: str, roots: list[dict], legs: list[dict], inbound: set[str], outbound: set[str]) -> CallRecord:
    contexts = {r.get("dcontext", "") for r in roots}
    call = CallRecord(linkedid, started_at=_time(min(_num(r.get("start")) for r in legs)),
                      ended_at=_time(max(_num(r.get("end")) for r in legs)), hangup_cause=CAUSE)
    main = next((r for r in roots if r.get("dst") != "h"), roots[0])
    call.recording = next((r["hotline_recording"] for r in roots if r.get("hotline_recording")), None)
    if contexts & outbound:
        call.direction, call.dialled = CallDirection.OUTBOUND, normalise_phone(str(main.get("src", "")))
        survey = "hotline-survey" in contexts or any(r.get("userfield") == "survey" for r in roots)
        call.purpose = CallPurpose.SURVEY_CALLBACK if survey else CallPurpose.OTHER
        call.disposition = Disposition.ANSWERED if "hotline-survey" in contexts else Disposition.UNANSWERED
        return call
    if contexts & inbound:
        call.direction, call.purpose = CallDirection.INBOUND, CallPurpose.CITIZEN_CALL
        dialled = str(main.get("dst") or "")  # `h` when cdr.conf lacks endbeforehexten = yes
        call.caller, call.dialled = normalise_phone(str(main.get("src", ""))), dialled if len(dialled) > 1 else None
    else:
        call.direction, call.purpose = CallDirection.INTERNAL, CallPurpose.INTERNAL
    _queue(call, roots, legs)
    return call


def _queue(call: CallRecord, roots: list[dict], legs: list[dict]) -> None:
    queued = [r for r in roots if r.get("lastapp") == "Queue"]
    if not queued:
        call.disposition = Disposition.IVR_ONLY  # message_left once the order the IVR made is linked
        return
    call.queue, call.queue_joined = str(queued[0].get("lastdata", "")).split(",")[0] or None, True
    answered = next((r for r in queued if r.get("disposition") == "ANSWERED" and r.get("dstchannel")), None)
    if answered is None:
        call.disposition = Disposition.ABANDONED
        return
    device = device_of(answered["dstchannel"])
    call.agent_interface, call.disposition = device, Disposition.ANSWERED
    member = next((r for r in legs if r not in roots and device_of(r.get("channel")) == device
                   and _num(r.get("answer")) > 0), None)
    if member is not None:  # the member's own leg (Local channels): when it answered and how long it talked
        call.answered_at, call.talk_seconds = _time(_num(member["answer"])), int(_num(member.get("billsec")))


def _listens_in(record: dict) -> bool:
    return (str(record.get("channel", "")).startswith(SPY_TECHS) or record.get("dcontext") == SPY_CONTEXT
            or record.get("lastapp") in SPY_APPS)


def _num(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _time(epoch: float) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch > 0 else None
