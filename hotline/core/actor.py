"""Who is acting: a role, and for staff their user id and department."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.core.enums import Role


@dataclass(frozen=True)
class Actor:
    role: Role
    user_id: int | None = None
    department_id: int | None = None
    name: str = ""
    department_path: str | None = None  # "/371500/371502/" — the subtree this actor may see
    # The ids of the departments in that subtree, read with the account: what scoped order reads filter on
    # (a list of ids the database can estimate, not a path prefix joined through the department table).
    department_ids: tuple[int, ...] = ()


SYSTEM = Actor(Role.SYSTEM, name="system")
