"""Ticket numbers a person can read out (YYYYMMDD-NNNN) and extraction codes (提取码) for look-ups."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert
from hotline.models import TicketCounter

TICKET_PATTERN = re.compile(r"^\d{8}-\d{4,}$")
CODE_LENGTH = 6


def allocate_ticket(session: Session, day: dt.date) -> str:
    """Next number for `day`; one atomic upsert on the request's own connection, so concurrent callers
    never share a number. The day's counter row stays locked until the request commits — a create is
    one more statement and its commit, so desks queue behind each other for that long at most."""
    key = day.strftime("%Y%m%d")
    stmt = dialect_insert(session, TicketCounter).values(day=key, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[TicketCounter.day], set_={"last_value": TicketCounter.last_value + 1}
    ).returning(TicketCounter.last_value)
    value = session.execute(stmt).scalar_one()
    return f"{key}-{value:04d}"


def new_extraction_code() -> str:
    """Six digits: short enough to key in on a phone, random so it cannot be guessed from the ticket."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


# Extraction-code guesses admitted per ticket and hour, whoever guesses, by web or by phone (README promises 10).
CODE_GUESS_SCOPE, CODE_GUESSES_PER_HOUR = "status-ticket", 10


def hash_extraction_code(secret: bytes, ticket_no: str, code: str) -> str:
    return hmac.new(secret, f"{ticket_no}:{code}".encode(), hashlib.sha256).hexdigest()


def check_extraction_code(secret: bytes, ticket_no: str, code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_extraction_code(secret, ticket_no, code), stored_hash)
