"""The department tree in the database follows config/departments.yaml."""

from __future__ import annotations

from sqlalchemy import select

from hotline.core.config import DepartmentsFile
from hotline.dispatch.departments import sync_departments
from hotline.models import Department


def test_tree_is_loaded_with_paths_that_make_subtrees_prefix_matches(session, config):
    rows = {d.code: d for d in session.scalars(select(Department))}
    assert len(rows) == 101
    village = rows["371502101201"]
    assert village.name == "侯营村"
    assert village.path == "/371500/371502/371502101/371502101201/"
    district = rows["371502"]
    inside = session.scalars(select(Department.code).where(Department.path.startswith(district.path))).all()
    assert "371502001001" in inside and "371503" not in inside


def test_resync_is_a_no_op_and_removed_departments_are_retired_not_deleted(session, config):
    again = sync_departments(session, config.departments.departments)
    assert (again.created, again.updated, again.retired) == (0, 0, 0)
    tree = config.departments.model_dump()
    root = tree["departments"][0]
    root["children"] = [c for c in root["children"] if c["code"] != "371500-SPJ"]
    root["children"][0]["name"] = "聊城市供水公司"
    result = sync_departments(session, DepartmentsFile.model_validate(tree).departments)
    assert (result.created, result.updated, result.retired) == (0, 1, 1)
    retired = session.scalars(select(Department).where(Department.code == "371500-SPJ")).one()
    assert retired.active is False
    assert session.scalars(select(Department.name).where(Department.code == "371500-WATER")).one() == "聊城市供水公司"
