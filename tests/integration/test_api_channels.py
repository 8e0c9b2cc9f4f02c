"""Citizens and channels: self-service status, gateway submissions, and the audit of it all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from hotline.core.db import session_scope
from hotline.models import AuditRecord, WorkOrder
from tests.integration.conftest import new_order, step


def gateway(api, people, channel="wechat") -> str:
    r = api.post("/api/v1/api-clients", json={"name": f"{channel}-gw", "channel": channel},
                 headers=people["admin"].headers)
    return r.json()["api_key"]


def test_citizen_sees_own_case_by_ticket_and_code_and_nothing_personal(api, people):
    r = api.post("/api/v1/work-orders", headers=people["operator"].headers, json={
        "title": "停水", "content": "停水两天，电话13800138000", "citizen_phone": "13800138000", "citizen_name": "张女士"})
    ticket, code = r.json()["ticket_no"], r.json()["extraction_code"]
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER", "reason": "水务"})
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "已安排抢修，有问题请拨13912345678联系"})
    status = api.get("/api/v1/public/status", params={"ticket": ticket, "code": code})
    assert status.status_code == 200
    body = status.json()
    assert body["state"] == "replied" and body["state_label"] == "已答复"
    assert body["replies"] == ["已安排抢修，有问题请拨139****5678联系"]
    assert "13800138000" not in status.text and "张女士" not in status.text


def test_wrong_code_and_unknown_ticket_look_the_same(api, people):
    ticket = new_order(api, people["operator"])
    wrong = api.get("/api/v1/public/status", params={"ticket": ticket, "code": "000000"})
    unknown = api.get("/api/v1/public/status", params={"ticket": "20991231-0001", "code": "000000"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_guessing_extraction_codes_is_rate_limited(api, people):
    ticket = new_order(api, people["operator"])
    codes = [api.get("/api/v1/public/status", params={"ticket": ticket, "code": f"{i:06d}"}).status_code
             for i in range(11)]
    assert codes[:10] == [404] * 10 and codes[10] == 429


def test_gateway_submission_is_idempotent_and_keeps_its_channel(api, people, session_factory):
    key = gateway(api, people, "province")
    body = {"title": "省转件：供暖不热", "content": "暖气不热，室温十二度", "category_code": "heating",
            "citizen_phone": "13700000000"}
    headers = {"X-Api-Key": key, "Idempotency-Key": "SD-2026-000123"}
    first = api.post("/api/v1/submissions", json=body, headers=headers)
    retry = api.post("/api/v1/submissions", json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert first.json()["ticket_no"] == retry.json()["ticket_no"]
    assert first.json()["extraction_code"] and retry.json() == first.json()  # the code too, for the lost answer
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrder)) == 1
        assert s.scalar(select(WorkOrder.channel)) == "province"


def test_submission_without_a_valid_key_is_refused(api, people):
    body = {"title": "t", "content": "c"}
    assert api.post("/api/v1/submissions", json=body).status_code == 401
    assert api.post("/api/v1/submissions", json=body, headers={"X-Api-Key": "hk_forged"}).status_code == 401


def test_liaison_submission_is_recorded_as_proxy(api, people, session_factory):
    ticket = new_order(api, people["liaison"], channel="phone")
    with session_factory() as s:
        order = s.scalar(select(WorkOrder).where(WorkOrder.ticket_no == ticket))
        assert order.channel == "liaison" and order.created_by_user_id == people["liaison"].user_id


def test_changes_and_staff_reads_of_personal_data_are_audited(api, people):
    ticket = new_order(api, people["operator"])
    api.get(f"/api/v1/work-orders/{ticket}", headers=people["operator"].headers)
    step(api, people["operator"], ticket, "accept", {"note": "确认"})
    log = api.get("/api/v1/audit", params={"object_id": ticket}, headers=people["supervisor"].headers).json()
    assert [(r["actor"], r["action"]) for r in reversed(log)] == [
        ("operator", "work_order.create"), ("operator", "citizen.read"), ("operator", "work_order.accept")]
    assert log[0]["ip"] == "testclient"


def test_audit_log_is_append_only(api, people, session_factory):
    new_order(api, people["operator"])
    with pytest.raises(DBAPIError, match="append-only"), session_scope(session_factory) as s:
        s.execute(text("DELETE FROM audit_log"))
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == 1


def test_metrics_count_requests_by_route(api, people):
    new_order(api, people["operator"])
    body = api.get("/metrics").text
    assert 'hotline_http_requests_total{method="POST",route="/api/v1/work-orders",status="201"} 1.0' in body


def test_health_reports_redis_ami_and_asr(api):
    checks = api.get("/healthz").json()["checks"]
    assert checks["redis"]["status"] == "not_configured"
    assert checks["ami"]["status"] == "not_configured"
    assert checks["asr"]["status"] == "no_model"  # the test settings point at no model directory
    assert "no such directory" in checks["asr"]["problems"][0]
