"""Who may hear a recording: the centre's staff who work with calls; department staff only when
config/recordings.yaml allows it, and then only recordings of orders they can see. A deleted recording
(retention ran out) is gone for everyone."""

from __future__ import annotations

from hotline.core.actor import Actor
from hotline.core.config_recordings import RecordingsFile
from hotline.core.enums import Role
from hotline.core.errors import HotlineError, NotFoundError, PermissionDeniedError
from hotline.models import Recording

CENTRE_LISTENERS = (Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR, Role.CALLBACK_STAFF)
DEPARTMENT_ROLES = (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN)


class RecordingGoneError(HotlineError):
    status_code = 410
    error_id = "recording_deleted"


def check_listener(actor: Actor, rules: RecordingsFile, recording: Recording) -> None:
    """Refuse before anything is read; the order's own scope check follows for recordings on an order."""
    if actor.role in DEPARTMENT_ROLES:
        if not rules.departments_may_listen:
            raise PermissionDeniedError("departments may not listen to recordings (config/recordings.yaml)",
                                        error_id="recording_department_denied")
        if recording.work_order_id is None:  # not on an order dispatched to them
            raise NotFoundError(f"recording {recording.id} does not exist", error_id="recording_not_found")
    elif actor.role not in CENTRE_LISTENERS:
        raise PermissionDeniedError(f"a {actor.role.value} may not listen to recordings", error_id="role_not_allowed")
    if recording.deleted_at is not None:
        raise RecordingGoneError(f"recording {recording.id} was deleted when its retention ran out "
                                 f"({recording.deleted_at.isoformat()})")
