"""API test wiring: an app on the test database, and one signed-in account per role."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pytest
from fastapi.testclient import TestClient

from hotline.core import security
from hotline.core.db import session_scope
from hotline.core.enums import Role
from hotline.core.jobs import InProcessQueue
from hotline.dispatch.repository import DepartmentRepository
from hotline.models import User
from hotline.runtime.api import create_app
from hotline.simulator.fake import FakeAsterisk

PASSWORD = "correct horse battery"

# name: (role, department code or None)
PEOPLE = {
    "operator": (Role.OPERATOR, None),
    "admin": (Role.HOTLINE_ADMIN, None),
    "callback": (Role.CALLBACK_STAFF, None),
    "supervisor": (Role.SUPERVISOR, None),  # the centre's supervisor: everything
    "district_supervisor": (Role.SUPERVISOR, "371502"),  # 东昌府区 and below
    "water": (Role.DEPARTMENT_STAFF, "371500-WATER"),
    "water_admin": (Role.DEPARTMENT_ADMIN, "371500-WATER"),
    "housing": (Role.DEPARTMENT_STAFF, "371500-ZJJ"),
    "street": (Role.DEPARTMENT_STAFF, "371502001"),  # 古楼街道
    "district": (Role.DEPARTMENT_STAFF, "371502"),  # 东昌府区: sees its streets' orders
    "liaison": (Role.LIAISON, None),
}


@lru_cache
def password_hash() -> str:
    return security.hash_password(PASSWORD)


@dataclass
class Person:
    user_id: int
    username: str
    headers: dict


@pytest.fixture
def people(session_factory, ctx) -> dict[str, Person]:
    out = {}
    with session_scope(session_factory) as s:
        departments = DepartmentRepository(s)
        for name, (role, code) in PEOPLE.items():
            user = User(username=name, display_name=name, role=role, password_hash=password_hash(), active=True,
                        department_id=departments.by_code(code).id if code else None, created_at=ctx.clock.now())
            s.add(user)
            s.flush()
            token, _ = security.issue(ctx.secret, user.id, "access", ctx.clock.now())
            out[name] = Person(user.id, name, {"Authorization": f"Bearer {token}"})
    return out


@pytest.fixture
def pbx():
    """A simulated Asterisk manager on a free port (the real protocol over TCP)."""
    server = FakeAsterisk().start()
    yield server
    server.stop()


@pytest.fixture
def queue():
    return InProcessQueue()


@pytest.fixture
def api(ctx, session_factory, queue):
    app = create_app(ctx, queue=queue)
    with TestClient(app) as client:
        yield client
    app.state.runtime.session_factory.kw["bind"].dispose()


def new_order(api, person: Person, **fields) -> str:
    body = {"title": "小区停水", "content": "我家小区停水了，电话13800138000，请尽快处理。",
            "category_code": "water.outage", "place": "东昌府区古楼街道东关社区",
            "citizen_phone": "13800138000", "citizen_name": "张女士", **fields}
    r = api.post("/api/v1/work-orders", json=body, headers=person.headers)
    assert r.status_code == 201, r.text
    return r.json()["ticket_no"]


def step(api, person: Person, ticket: str, action: str, body: dict | None = None, expect: int = 200) -> dict:
    r = api.post(f"/api/v1/work-orders/{ticket}/{action}", json=body, headers=person.headers)
    assert r.status_code == expect, r.text
    return r.json()
