"""Evidence files (办结材料) are the citizen's photos and papers: only the service's own user reads them,
whatever umask the process started with, and compose keeps them on a volume."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from hotline.core.enums import State
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.evidence import EvidenceUpload
from tests.factories import WATER, order_in, staff_of

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def open_umask():
    previous = os.umask(0)  # the most permissive umask a container might start with
    yield
    os.umask(previous)


def test_evidence_files_are_private_to_the_service_whatever_the_umask(session, ctx, open_umask):
    order = order_in(State.REPLIED, session, ctx)
    DepartmentService(session, ctx).complete(order.id, staff_of(session, WATER), "已修复",
                                             [EvidenceUpload("现场.png", "image/png", PNG)])
    session.flush()
    root = ctx.settings.var_dir / "evidence"
    [stored] = [p for p in root.rglob("*") if p.is_file()]
    assert stored.read_bytes() == PNG
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    assert not list(root.rglob(".part*"))  # no temporary file left behind


def test_compose_keeps_var_on_a_volume_for_every_hotline_process():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    volumes = set(compose["volumes"])
    for name, service in compose["services"].items():
        var_dir = service.get("environment", {}).get("HOTLINE_VAR_DIR")
        if var_dir is None:
            continue
        mounts = dict(m.split(":")[1::-1] for m in service["volumes"] if m.count(":") >= 1)
        assert mounts.get(var_dir) in volumes, f"{name}: {var_dir} is not on a named volume"
