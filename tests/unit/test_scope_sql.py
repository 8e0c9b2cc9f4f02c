"""The read-scope clauses as SQL: a department path is matched as a prefix, never as a LIKE pattern."""

from __future__ import annotations

import pytest

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.dispatch.scope import departments_readable, readable


def sql(clause) -> str:
    return str(clause.compile(compile_kwargs={"literal_binds": True}))


@pytest.mark.parametrize("build", [readable, departments_readable])
def test_a_path_with_like_wildcards_is_escaped(build):
    actor = Actor(Role.DEPARTMENT_STAFF, department_id=1, department_path="/3715_0%/")
    text = sql(build(actor))
    assert "/3715/_0/%/" in text and "ESCAPE '/'" in text


def test_a_department_reads_only_active_or_completed_shares_of_its_subtree():
    text = sql(readable(Actor(Role.DEPARTMENT_ADMIN, department_id=1, department_path="/371500/")))
    assert "assignments.active IS 1" in text or "assignments.active IS true" in text
    assert "assignments.status = 'completed'" in text
    assert "departments.id = assignments.department_id" in text
