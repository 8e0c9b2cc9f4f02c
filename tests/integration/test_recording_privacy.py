"""Recordings as personal data: retention deletes exactly the files past their time (to the second, open
orders' messages kept) and writes each deletion to the audit log; every listen and download is audited;
departments hear nothing unless config allows it; the audio is served with range requests (206,
Accept-Ranges, Content-Range, 416 for ranges that are bad or past the end)."""

from __future__ import annotations

import datetime as dt
import wave

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hotline.asr.repository import RecordingRepository
from hotline.core.config_recordings import months_before
from hotline.core.db import session_scope
from hotline.core.enums import RecordingKind
from hotline.core.jobs import InProcessQueue, Runtime
from hotline.dispatch.repository import WorkOrderRepository
from hotline.models import AuditRecord, Recording
from hotline.runtime.api import create_app
from hotline.runtime.context import build_context
from hotline.runtime.registry import PERIODIC
from hotline.voice.tasks import retention
from tests.integration.conftest import new_order, step

ZH = {"Accept-Language": "zh-CN"}
SECOND = dt.timedelta(seconds=1)


def wav(path, frames: int = 8000):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000), w.writeframes(b"\x01\x00" * frames)
    return path


def recording(session_factory, path, kind: RecordingKind, at: dt.datetime, order_id: int | None = None) -> int:
    with session_scope(session_factory) as s:
        return RecordingRepository(s).register(str(path), kind, f"179{abs(hash(str(path))) % 10**7}.1", order_id, at)


def order_closed_at(api, people, session_factory, closed_at: dt.datetime | None) -> int:
    """An order; closed at `closed_at` (None: still open, dispatched)."""
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")
    with session_scope(session_factory) as s:
        order = WorkOrderRepository(s).by_ticket(ticket)
        if closed_at is not None:
            order.state, order.closed_at = "closed", closed_at
        return order.id


def deletions(session_factory) -> list[tuple[str, str, str]]:
    with session_factory() as s:
        return [(a.role, a.action, a.object_id) for a in s.scalars(
            select(AuditRecord).where(AuditRecord.action == "recording.delete").order_by(AuditRecord.id))]


def test_retention_deletes_exactly_what_is_past_its_time_and_audits_each_file(api, people, ctx, session_factory,
                                                                               tmp_path):
    now = ctx.clock.now()
    six_months = months_before(now, 6)
    closed_window = now - dt.timedelta(days=ctx.config.recordings.retention["message"].after_close_days or 0)
    closed_long_ago = order_closed_at(api, people, session_factory, closed_window)
    closed_lately = order_closed_at(api, people, session_factory, closed_window + SECOND)
    still_open = order_closed_at(api, people, session_factory, None)
    files = {name: wav(tmp_path / f"{name}.wav", 80) for name in
             ("call_old", "call_young", "msg_closed_old", "msg_closed_young", "msg_open", "msg_no_order")}
    ids = {
        "call_old": recording(session_factory, files["call_old"], RecordingKind.CALL, six_months),
        "call_young": recording(session_factory, files["call_young"], RecordingKind.CALL, six_months + SECOND),
        "msg_closed_old": recording(session_factory, files["msg_closed_old"], RecordingKind.MESSAGE,
                                    now - dt.timedelta(days=400), closed_long_ago),
        "msg_closed_young": recording(session_factory, files["msg_closed_young"], RecordingKind.MESSAGE,
                                      now - dt.timedelta(days=400), closed_lately),
        "msg_open": recording(session_factory, files["msg_open"], RecordingKind.MESSAGE,
                              now - dt.timedelta(days=800), still_open),
        "msg_no_order": recording(session_factory, files["msg_no_order"], RecordingKind.MESSAGE, six_months),
    }
    assert "hotline.recordings.retention" in PERIODIC
    runtime = Runtime(ctx, session_factory, InProcessQueue())
    assert retention(runtime) == {"deleted": 3, "failed": 0}
    gone = {"call_old", "msg_closed_old", "msg_no_order"}
    assert {name for name, path in files.items() if not path.exists()} == gone
    with session_factory() as s:
        deleted = {r.id: r.deleted_at for r in s.scalars(select(Recording))}
    assert {name for name, i in ids.items() if deleted[i] is not None} == gone
    assert sorted(deletions(session_factory)) == sorted(("system", "recording.delete", str(ids[n])) for n in gone)
    assert retention(runtime) == {"deleted": 0, "failed": 0}  # nothing twice
    assert len(deletions(session_factory)) == 3
    ctx.clock.set(now + SECOND)  # one second later the younger call and the lately closed order's message go
    assert retention(runtime) == {"deleted": 2, "failed": 0}
    assert {name for name, path in files.items() if path.exists()} == {"msg_open"}


def test_every_listen_and_download_is_audited_and_served_with_range_requests(api, people, ctx, session_factory,
                                                                             tmp_path):
    op = people["operator"]
    path = wav(tmp_path / "call.wav")
    size = path.stat().st_size
    rid = recording(session_factory, path, RecordingKind.CALL, ctx.clock.now())
    listen = api.get(f"/api/v1/recordings/{rid}/link", headers=op.headers).json()["url"]
    download = api.get(f"/api/v1/recordings/{rid}/link", params={"purpose": "download"}, headers=op.headers).json()["url"]
    with session_factory() as s:
        audited = [(a.action, a.user_id, a.object_id) for a in s.scalars(
            select(AuditRecord).where(AuditRecord.object_type == "recording").order_by(AuditRecord.id))]
    assert audited == [("recording.listen", op.user_id, str(rid)), ("recording.download", op.user_id, str(rid))]

    whole = api.get(listen)
    assert whole.status_code == 200 and whole.content == path.read_bytes()
    assert whole.headers["accept-ranges"] == "bytes" and whole.headers["content-type"] == "audio/x-wav"
    part = api.get(listen, headers={"Range": "bytes=44-143"})
    assert part.status_code == 206 and part.content == path.read_bytes()[44:144]
    assert part.headers["content-range"] == f"bytes 44-143/{size}" and part.headers["content-length"] == "100"
    tail = api.get(listen, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.headers["content-range"] == f"bytes {size - 10}-{size - 1}/{size}"
    open_ended = api.get(listen, headers={"Range": f"bytes={size - 4}-"})
    assert open_ended.status_code == 206 and open_ended.content == path.read_bytes()[-4:]
    for bad in (f"bytes={size}-", f"bytes={size + 100}-{size + 200}", "bytes=50-10", "bytes=abc", "bytes=-0",
                "bytes=-"):
        refused = api.get(listen, headers={"Range": bad, **ZH})
        assert refused.status_code == 416, bad
        assert refused.headers["content-range"] == f"bytes */{size}"
        assert refused.json()["message"] == "请求的录音片段超出了录音范围"
    assert api.get(listen, headers={"Range": "seconds=1-2"}).status_code == 200  # another unit: ignored

    saved = api.get(download)
    assert saved.status_code == 200 and saved.headers["content-disposition"].startswith("attachment")
    assert "attachment" not in whole.headers.get("content-disposition", "")
    forged = api.get(listen.replace("p=listen", "p=download"))  # a listen link is no download link
    assert forged.status_code == 401


def test_departments_hear_nothing_by_default(api, people, ctx, session_factory, tmp_path):
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")  # to the water company: it sees the order
    with session_factory() as s:
        order_id = WorkOrderRepository(s).by_ticket(ticket).id
    rid = recording(session_factory, wav(tmp_path / "m.wav"), RecordingKind.MESSAGE, ctx.clock.now(), order_id)
    assert api.get(f"/api/v1/work-orders/{ticket}", headers=people["water"].headers).status_code == 200
    for who in ("water", "water_admin"):
        denied = api.get(f"/api/v1/recordings/{rid}/link", headers={**people[who].headers, **ZH})
        assert denied.status_code == 403 and denied.json()["error_id"] == "recording_department_denied"
        assert denied.json()["message"] == "承办单位无权收听录音（本中心未开放收听权限）"
    assert api.get(f"/api/v1/recordings/{rid}/link", headers=people["liaison"].headers).status_code == 403
    with session_factory() as s:
        assert not s.scalars(select(AuditRecord).where(AuditRecord.action.like("recording.%"))).all()


@pytest.fixture
def allowing(ctx, settings, clock, config, session_factory):
    """The same centre with departments_may_listen: true."""
    allowed = config.model_copy(update={"recordings": config.recordings.model_copy(
        update={"departments_may_listen": True})})
    app = create_app(build_context(settings, clock=clock, config=allowed), queue=InProcessQueue())
    with TestClient(app) as client:
        yield client
    app.state.runtime.session_factory.kw["bind"].dispose()


def test_a_setting_lets_departments_hear_their_own_orders_recordings_only(allowing, api, people, ctx,
                                                                          session_factory, tmp_path):
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")
    with session_factory() as s:
        order_id = WorkOrderRepository(s).by_ticket(ticket).id
    theirs = recording(session_factory, wav(tmp_path / "m.wav"), RecordingKind.MESSAGE, ctx.clock.now(), order_id)
    loose = recording(session_factory, wav(tmp_path / "c.wav"), RecordingKind.CALL, ctx.clock.now())
    link = allowing.get(f"/api/v1/recordings/{theirs}/link", headers=people["water"].headers)
    assert link.status_code == 200 and allowing.get(link.json()["url"]).status_code == 200
    assert allowing.get(f"/api/v1/recordings/{theirs}/link", headers=people["housing"].headers).status_code == 404
    assert allowing.get(f"/api/v1/recordings/{loose}/link", headers=people["water"].headers).status_code == 404
    with session_factory() as s:
        assert s.scalars(select(AuditRecord.action).where(AuditRecord.user_id == people["water"].user_id,
                                                          AuditRecord.object_type == "recording")).all() == \
            ["recording.listen"]


def test_a_deleted_recording_is_gone_even_by_a_link_made_before(api, people, ctx, session_factory, tmp_path):
    path = wav(tmp_path / "old.wav")
    rid = recording(session_factory, path, RecordingKind.CALL, months_before(ctx.clock.now(), 6) + SECOND)
    link = api.get(f"/api/v1/recordings/{rid}/link", headers=people["operator"].headers).json()["url"]
    ctx.clock.advance(seconds=1)
    assert retention(Runtime(ctx, session_factory, InProcessQueue()))["deleted"] == 1
    gone = api.get(link, headers=ZH)
    assert gone.status_code == 410 and gone.json()["message"] == "这段录音已超过保存期限，已按规定删除"
    again = api.get(f"/api/v1/recordings/{rid}/link", headers={**people["operator"].headers, **ZH})
    assert again.status_code == 410 and again.json()["error_id"] == "recording_deleted"
