"""The providers of a process, from settings, checked against config/notices.yaml before anything is sent."""

from __future__ import annotations

from hotline.core.config import HotlineConfig
from hotline.core.errors import ConfigError
from hotline.core.settings import Settings
from hotline.notifications.providers.base import Provider
from hotline.notifications.providers.factory import CHANNELS, build_providers


def providers_for(settings: Settings, config: HotlineConfig) -> dict[str, Provider]:
    """One provider per channel (the log where none is set); unknown channels and robot names that the
    staff routing uses but no robot setting defines are refused at start-up, not discovered at 3 a.m."""
    sections = settings.provider_settings()
    problems = [f"notifications.{channel}: unknown channel (known: {', '.join(CHANNELS)})"
                for channel in sections if channel not in CHANNELS]
    if problems:
        raise ConfigError(problems)
    providers = build_providers(sections, settings.var_dir)
    routing = config.notices.staff
    addresses = [*routing.fallback, *(a for chosen in routing.departments.values() for a in chosen),
                 *(a for chosen in routing.roles.values() for a in chosen)]
    for address in addresses:
        names = getattr(providers[address.channel], "robot_names", None)
        if names is not None and address.to not in names:
            problems.append(f"notices.yaml: staff: {address.channel} robot {address.to!r} is not among the "
                            f"robots of notifications.{address.channel}")
    if problems:
        raise ConfigError(sorted(set(problems)))
    return providers
