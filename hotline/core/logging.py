"""Process logging: one line per record, level from settings."""

from __future__ import annotations

import logging


def setup_logging(level: str = "INFO") -> None:
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
