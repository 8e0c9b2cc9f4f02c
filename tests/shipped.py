"""The configuration the project ships in `config/`, read and checked once per test process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hotline.core.config import HotlineConfig, load_config

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"


@cache
def shipped_config() -> HotlineConfig:
    return load_config(CONFIG_DIR)
