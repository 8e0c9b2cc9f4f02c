"""Ticket numbers a person can read out (YYYYMMDD-NNNN) and extraction codes (提取码) for look-ups."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy import literal, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert
from hotline.models import TICKET_SERIAL, TicketCounter, TicketDay

TICKET_PATTERN = re.compile(r"^\d{8}-\d{4,}$")
CODE_LENGTH = 6


def allocate_ticket(session: Session, day: dt.date) -> str:
    """Next number for `day` on the request's own connection; concurrent callers never share a number. A number
    taken by a request that then fails is not given again (a gap in the day, never a duplicate)."""
    key = day.strftime("%Y%m%d")
    if session.get_bind().dialect.name == "postgresql":
        value = _next_on_the_sequence(session, key)
    else:
        stmt = dialect_insert(session, TicketCounter).values(day=key, last_value=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[TicketCounter.day], set_={"last_value": TicketCounter.last_value + 1}
        ).returning(TicketCounter.last_value)
        value = session.execute(stmt).scalar_one()
    return f"{key}-{value:04d}"


def _next_on_the_sequence(session: Session, key: str) -> int:
    """One statement once the day has begun: the sequence's next value counted from the day's base. The base row
    is committed before any number of the day is drawn (who writes it holds it until commit; the others wait on it
    in `ON CONFLICT`), so every number drawn after it lies above it."""
    draw = select(TICKET_SERIAL.next_value() - TicketDay.base).where(TicketDay.day == key)
    value = session.execute(draw).scalar()
    if value is None:  # the day's first order: where the sequence stands now is where the day starts
        stands = select(literal(key), text("CASE WHEN is_called THEN last_value ELSE last_value - 1 END")) \
            .select_from(text("ticket_serial"))
        session.execute(postgresql.insert(TicketDay).from_select(["day", "base"], stands)
                        .on_conflict_do_nothing(index_elements=[TicketDay.day]))
        value = session.execute(draw).scalar_one()
    return int(value)


def new_extraction_code() -> str:
    """Six digits: short enough to key in on a phone, random so it cannot be guessed from the ticket."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


# Extraction-code guesses admitted per ticket and hour, whoever guesses, by web or by phone (README promises 10).
CODE_GUESS_SCOPE, CODE_GUESSES_PER_HOUR = "status-ticket", 10


def hash_extraction_code(secret: bytes, ticket_no: str, code: str) -> str:
    return hmac.new(secret, f"{ticket_no}:{code}".encode(), hashlib.sha256).hexdigest()


def check_extraction_code(secret: bytes, ticket_no: str, code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_extraction_code(secret, ticket_no, code), stored_hash)
