"""Every background job of every domain, registered by importing the domains' task modules."""

from __future__ import annotations

from hotline.audit import tasks as audit_tasks
from hotline.callbacks import tasks as callback_tasks
from hotline.core.jobs import REGISTRY
from hotline.dispatch import tasks as dispatch_tasks
from hotline.intake import tasks as intake_tasks
from hotline.knowledge import tasks as knowledge_tasks
from hotline.notifications import tasks as notification_tasks
from hotline.stats import tasks as stats_tasks
from hotline.voice import call_tasks
from hotline.voice import tasks as voice_tasks

MODULES = (voice_tasks, call_tasks, callback_tasks, dispatch_tasks, notification_tasks, stats_tasks, knowledge_tasks,
           intake_tasks, audit_tasks)
PERIODIC = ["hotline.sla.sweep", "hotline.notifications.recover", "hotline.callbacks.schedule",
            "hotline.callbacks.dial", "hotline.stats.rollup", "hotline.asr.pending", "hotline.knowledge.review",
            "hotline.submissions.forget", "hotline.calls.pending", "hotline.recordings.retention",
            "hotline.intake.train", "hotline.audit.seal"]


def job_names() -> frozenset[str]:
    """The names this process can run (the task modules above have registered themselves)."""
    return frozenset(REGISTRY)
