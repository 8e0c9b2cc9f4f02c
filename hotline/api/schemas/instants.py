"""Times a caller filters by: with a time-zone offset and within 2000–2099, else a 422 (never a 500).

A naive time has no single meaning (the server's zone is not the caller's), and year 1 or 9999 overflows
as soon as it meets an offset, a window or a deadline; both are the caller's mistake."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime
from pydantic_core import PydanticCustomError

from hotline.dispatch.sla import EARLIEST, LATEST


def _within_range(at: dt.datetime) -> dt.datetime:
    if not EARLIEST <= at < LATEST:
        raise PydanticCustomError("datetime_out_of_range", "the time must be within 2000-2099")
    return at


Instant = Annotated[AwareDatetime, AfterValidator(_within_range)]
