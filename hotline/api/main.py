"""Entry for uvicorn workers: `uvicorn --factory hotline.api.main:app_factory`."""

from __future__ import annotations

from fastapi import FastAPI

from hotline.api.app import create_app
from hotline.context import build_context
from hotline.core.logging import setup_logging
from hotline.core.settings import get_settings


def app_factory() -> FastAPI:
    settings = get_settings()
    setup_logging(settings.log_level)
    return create_app(build_context(settings))
