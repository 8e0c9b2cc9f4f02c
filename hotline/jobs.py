"""Importing this module registers every background job of every domain."""

from hotline.asr import tasks as asr_tasks  # noqa: F401
from hotline.callbacks import tasks as callback_tasks  # noqa: F401
from hotline.dispatch import tasks as dispatch_tasks  # noqa: F401
from hotline.notifications import tasks as notification_tasks  # noqa: F401
from hotline.stats import tasks as stats_tasks  # noqa: F401

PERIODIC = ["hotline.sla.sweep", "hotline.notifications.recover", "hotline.callbacks.schedule",
            "hotline.callbacks.dial", "hotline.stats.rollup", "hotline.asr.pending"]
