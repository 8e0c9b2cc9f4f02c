"""Importing this module registers every background job of every domain."""

from hotline.dispatch import tasks as dispatch_tasks  # noqa: F401
from hotline.notifications import tasks as notification_tasks  # noqa: F401

PERIODIC = ["hotline.sla.sweep", "hotline.notifications.recover"]
