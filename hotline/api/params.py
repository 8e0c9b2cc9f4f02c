"""Query parameters every paged list shares: how many rows, and from where (bounded, so a huge number is a 422,
never a database error)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
