"""Load the department tree from config into the database: upsert by code, retire what was removed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.config import DepartmentNode, walk_departments
from hotline.models import Department


@dataclass(frozen=True)
class SyncResult:
    created: int
    updated: int
    retired: int
    active: int


def sync_departments(session: Session, roots: list[DepartmentNode]) -> SyncResult:
    """Make the departments table match the YAML tree; never delete (orders keep their history)."""
    existing = {d.code: d for d in session.scalars(select(Department))}
    created = updated = 0
    paths: dict[str, str] = {}
    seen: set[str] = set()
    for node, parent, _where in walk_departments(roots):
        path = f"{paths[parent.code] if parent else '/'}{node.code}/"
        paths[node.code] = path
        seen.add(node.code)
        row = existing.get(node.code)
        values = {"name": node.name, "kind": node.kind, "path": path, "active": node.active,
                  "parent_id": existing[parent.code].id if parent else None}
        if row is None:
            row = Department(code=node.code, **values)
            session.add(row)
            session.flush()
            existing[node.code] = row
            created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            updated += 1
    retired = 0
    for code, row in existing.items():
        if code not in seen and row.active:
            row.active = False
            retired += 1
    session.flush()
    return SyncResult(created, updated, retired, sum(1 for r in existing.values() if r.active))
