"""The read-scope clauses as SQL: a department path is matched as a prefix, never as a LIKE pattern; orders are
read through the shares of the actor's own department ids, written as values."""

from __future__ import annotations

import pytest

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.dispatch.scope import departments_readable, readable


def sql(clause) -> str:
    return str(clause.compile(compile_kwargs={"literal_binds": True}))


def test_a_path_with_like_wildcards_is_escaped():
    actor = Actor(Role.DEPARTMENT_STAFF, department_id=1, department_path="/3715_0%/", department_ids=(1,))
    text = sql(departments_readable(actor))
    assert "/3715/_0/%/" in text and "ESCAPE '/'" in text


def test_a_department_reads_only_active_or_completed_shares_of_its_subtree():
    text = sql(readable(Actor(Role.DEPARTMENT_ADMIN, department_id=1, department_path="/371500/",
                              department_ids=(1, 4, 9))))
    assert "assignments.active IS 1" in text or "assignments.active IS true" in text
    assert "assignments.status = 'completed'" in text
    assert "assignments.department_id IN (1, 4, 9)" in text
    assert "assignments.work_order_id = work_orders.id" in text


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN, Role.SUPERVISOR])
def test_a_scoped_actor_without_its_subtree_reads_nothing(role):
    assert sql(readable(Actor(role, department_id=1, department_path="/371500/"))) == "false"
