"""The child process that builds a new centre's first intake model in embedded mode: its own context and
database connections, at a lower priority than the API beside it, then exit."""

from __future__ import annotations

import os

from hotline.core.db import make_engine, make_session_factory
from hotline.core.jobs import Runtime
from hotline.core.logging import setup_logging
from hotline.core.settings import Settings
from hotline.intake.tasks import build_first
from hotline.runtime.context import build_context


def build_first_in_child(settings: Settings) -> None:
    os.nice(10)
    setup_logging(settings.log_level)
    ctx = build_context(settings)
    factory = make_session_factory(make_engine(settings.database_url))
    build_first(Runtime(ctx, factory))
