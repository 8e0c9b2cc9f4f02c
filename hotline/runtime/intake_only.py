"""The intake analyser alone, for a one-shot command that only reads text (`hotline intake analyze`):
settings, configuration, routing and the live model, without the database, the PBX, the notifiers or
the live bus, whose imports alone cost a short command more than its analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hotline.core.settings import Settings
    from hotline.intake.analyzer import Analyzer


def standalone_analyzer(settings: Settings | None = None) -> Analyzer:
    """The same analyser `Context.analyzer` builds, wired from settings alone."""
    from hotline.core.config import load_config
    from hotline.core.settings import get_settings
    from hotline.dispatch.routing import Router
    from hotline.intake.analyzer import Analyzer
    from hotline.intake.slot import ModelSlot
    from hotline.text import pinyin_cache

    settings = settings or get_settings()
    pinyin_cache.use_file(settings.var_dir / "cache" / "pinyin.json")
    config = load_config(settings.config_dir)
    return Analyzer(config, Router(config), ModelSlot(settings.intake_models))
