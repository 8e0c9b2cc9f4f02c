"""Which queue a member of staff may sit at: config/ivr.yaml `queues_by_role` (operators the hotline
queue, callback staff the callback queue the survey hands unclear answers to)."""

from __future__ import annotations

from hotline.core.config_ivr import IvrFile
from hotline.core.enums import Role
from hotline.core.errors import PermissionDeniedError


def queue_for(ivr: IvrFile, role: Role, requested: str | None) -> str:
    """The queue to join: the one asked for if this role may, else the role's first; 403 otherwise."""
    allowed = ivr.queues_by_role.get(role.value, [])
    if not allowed:
        raise PermissionDeniedError(f"a {role.value} sits at no queue", error_id="queue_not_allowed")
    if requested is None:
        return allowed[0]
    if requested not in allowed:
        raise PermissionDeniedError(f"a {role.value} may join {', '.join(allowed)}, not {requested}",
                                    details={"allowed": allowed}, error_id="queue_not_allowed")
    return requested
