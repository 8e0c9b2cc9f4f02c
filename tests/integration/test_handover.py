"""转接 over real sockets: the console's request becomes an AMI BlindTransfer / Atxfer / PlayDTMF /
CancelAtxfer on the simulated Asterisk (answering with Asterisk 22's words), the transfer events it raises
settle the hand-over on the call and the order, a refusal is a Chinese error with nothing recorded as
done, and the emergency order is made in one key from the call's transcript."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from sqlalchemy import select

from hotline.asr.repository import RecordingRepository
from hotline.core.db import session_scope
from hotline.core.enums import RecordingKind
from hotline.models import AuditRecord, Handover, Transcript
from hotline.simulator.transfers import packet
from tests.integration.on_call import citizen_on_the_line
from tests.integration.test_api_telephony import served  # noqa: F401 (the fixture)

MEMBER = "Local/1001@agent-sim/n"
ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def on_call(served, people, pbx):  # noqa: F811
    """The operator at the queue, talking to a citizen: the captured call up to its hang-up."""
    ctx, base, listener = served
    http = httpx.Client(base_url=base, headers=people["operator"].headers, timeout=10)
    assert http.post("/api/v1/agents/login", json={"interface": MEMBER}).status_code == 200
    citizen_on_the_line(pbx, ctx.clock.now())
    assert listener.idle()
    me = http.get("/api/v1/agents/me").json()
    assert me["state"] == "talking"
    yield http, me["linkedid"], listener
    http.close()


def operator_channel(pbx, linkedid: str) -> str:
    return next(c["Channel"] for c in pbx.switchboard.channels.values()
                if c["Linkedid"] == linkedid and c["Channel"].startswith("Local/1001@agent-sim") and
                c["Channel"].endswith(";1"))


def rows(session_factory) -> list[Handover]:
    with session_factory() as s:
        return list(s.scalars(select(Handover).order_by(Handover.id)))


def test_blind_hand_over_to_110_is_a_blind_transfer_settled_by_asterisks_events(on_call, pbx, session_factory,
                                                                                  people):
    http, linkedid, listener = on_call
    agent = operator_channel(pbx, linkedid)
    r = http.post("/api/v1/desk/handovers", json={"target": "110", "mode": "blind"})
    assert r.status_code == 201, r.text
    sent = [a for a in pbx.actions if a.get("Action") == "BlindTransfer"]
    assert [(a["Channel"], a["Context"], a["Exten"]) for a in sent] == [(agent, "hotline-handover", "110")]
    assert r.json()["state"] == "transferred" and r.json()["requested_by"] == people["operator"].user_id
    assert listener.idle()
    [row] = rows(session_factory)
    assert (row.state, row.linkedid, row.target_name, row.number) == ("transferred", linkedid, "公安报警", "110")
    assert row.outcome == "BlindTransfer Result: Success (110@hotline-handover)"  # the event, whichever came first
    pbx.send_raw(packet(*pbx.switchboard.dialled(linkedid, "110", "ANSWER")))
    assert listener.idle()
    [row] = rows(session_factory)
    assert (row.state, row.outcome) == ("connected", "DialStatus: ANSWER") and row.settled_at is not None
    listed = http.get(f"/api/v1/calls/{linkedid}/handovers").json()
    assert [(h["target_code"], h["mode"], h["state"]) for h in listed] == [("110", "blind", "connected")]
    with session_factory() as s:
        assert s.scalars(select(AuditRecord.action).where(AuditRecord.object_id == linkedid)).all() == \
            ["handover.start"]


def test_a_refused_transfer_is_a_chinese_error_and_nothing_is_recorded_as_done(on_call, pbx, session_factory):
    http, linkedid, listener = on_call
    pbx.switchboard.channels.pop(operator_channel(pbx, linkedid))  # the operator's leg is gone in Asterisk
    r = http.post("/api/v1/desk/handovers", json={"target": "119", "mode": "blind"}, headers=ZH)
    assert r.status_code == 409
    assert r.json()["error_id"] == "handover_call_gone"
    assert r.json()["message"] == "转接失败：这通电话已不存在（市民可能已挂断），未做任何转接"
    assert listener.idle()
    [row] = rows(session_factory)
    assert (row.state, row.outcome) == ("refused", "Asterisk: Channel specified does not exist")
    assert [h["state"] for h in http.get(f"/api/v1/calls/{linkedid}/handovers").json()] == ["refused"]


def test_attended_hand_over_goes_three_way_and_completes_on_attended_transfer(on_call, pbx, session_factory):
    http, linkedid, listener = on_call
    agent = operator_channel(pbx, linkedid)
    taken = http.post("/api/v1/desk/intake", json={  # the order taken during this call
        "outcome": "register", "content": "东关社区水管爆了，水漫进楼道", "category_code": "water.outage",
        "citizen_phone": "13800138000", "call_linkedid": linkedid})
    assert taken.status_code == 201, taken.text
    r = http.post("/api/v1/desk/handovers", json={"target": "371500-WATER", "mode": "attended"})
    assert r.status_code == 201 and r.json()["state"] == "consulting", r.text
    [atxfer] = [a for a in pbx.actions if a.get("Action") == "Atxfer"]
    assert (atxfer["Channel"], atxfer["Context"], atxfer["Exten"]) == (agent, "hotline-handover", "06358501234")
    handover = r.json()["id"]
    r = http.post(f"/api/v1/desk/handovers/{handover}/threeway")
    assert r.status_code == 200, r.text
    dtmf = [(a["Channel"], a["Digit"], a["Receive"]) for a in pbx.actions if a.get("Action") == "PlayDTMF"]
    assert dtmf == [(agent, "*", "true"), (agent, "3", "true")]
    assert rows(session_factory)[0].state == "consulting"  # talking together is not yet handed over
    pbx.send_raw(packet(*pbx.switchboard.attended_done(agent, dest_type="Threeway")))
    assert listener.idle()
    [row] = rows(session_factory)
    assert (row.state, row.outcome) == ("connected", "AttendedTransfer Result: Success, DestType: Threeway")
    on_order = http.get(f"/api/v1/work-orders/{taken.json()['ticket_no']}/handovers").json()
    assert [(h["target_name"], h["mode"], h["state"], h["work_order_id"] is not None) for h in on_order] == \
        [("水务集团值班室", "attended", "connected", True)]
    again = http.post(f"/api/v1/desk/handovers/{handover}/cancel", headers=ZH)
    assert again.status_code == 409 and again.json()["message"] == "这次转接已经结束，不能再操作"


def test_attended_hand_over_the_other_side_never_answered_fails_and_one_cancelled_says_so(on_call, pbx,
                                                                                        session_factory):
    http, linkedid, listener = on_call
    first = http.post("/api/v1/desk/handovers", json={"target": "120", "mode": "attended"}).json()
    pbx.send_raw(packet(*pbx.switchboard.dialled(linkedid, "120", "NOANSWER")))
    assert listener.idle()
    assert (rows(session_factory)[0].state, rows(session_factory)[0].outcome) == ("failed", "DialStatus: NOANSWER")
    second = http.post("/api/v1/desk/handovers", json={"target": "120", "mode": "attended"}).json()
    r = http.post(f"/api/v1/desk/handovers/{second['id']}/cancel")
    assert r.status_code == 200 and r.json()["state"] == "cancelled", r.text
    assert [a["Channel"] for a in pbx.actions if a.get("Action") == "CancelAtxfer"] == \
        [operator_channel(pbx, linkedid)]
    assert r.json()["outcome"] == "Asterisk: CancelAtxfer successfully queued" and first["id"] != second["id"]


def test_attended_hand_over_without_an_atxfer_key_is_refused_in_chinese(on_call, pbx, session_factory):
    http, linkedid, listener = on_call
    pbx.switchboard.atxfer_code = None
    r = http.post("/api/v1/desk/handovers", json={"target": "110", "mode": "attended"}, headers=ZH)
    assert r.status_code == 409 and r.json()["error_id"] == "handover_no_feature_code"
    assert "咨询转接功能键" in r.json()["message"]
    assert [row.state for row in rows(session_factory)] == ["refused"]


def test_hand_over_needs_a_call_a_number_and_an_operator(served, people, pbx, session_factory):  # noqa: F811
    ctx, base, listener = served
    with httpx.Client(base_url=base, headers={**people["operator"].headers, **ZH}, timeout=10) as http:
        targets = {t["code"]: t for t in http.get("/api/v1/desk/handover-targets").json()}
        assert targets["110"]["number"] == "110" and targets["gas"]["number"] is None
        assert targets["371500-WATER"]["kind"] == "department"
        r = http.post("/api/v1/desk/handovers", json={"target": "110", "mode": "blind"})
        assert r.status_code == 409 and r.json()["message"] == "您当前没有接通的来电，无法转接"
        r = http.post("/api/v1/desk/handovers", json={"target": "gas", "mode": "blind"})
        assert r.status_code == 409 and r.json()["error_id"] == "handover_no_number"
        water = http.post("/api/v1/desk/handovers", json={"target": "110", "mode": "blind"},
                          headers=people["water"].headers)
        assert water.status_code == 403
    assert rows(session_factory) == [] and not [a for a in pbx.actions if a.get("Action") == "BlindTransfer"]


def test_emergency_order_in_one_key_from_the_calls_transcript(on_call, pbx, session_factory, people, tmp_path):
    http, linkedid, listener = on_call
    assert http.post("/api/v1/desk/handovers", json={"target": "119", "mode": "blind"}).status_code == 201
    at = rows(session_factory)[0].requested_at
    with session_scope(session_factory) as s:
        recording = RecordingRepository(s).register(str(tmp_path / "call.wav"), RecordingKind.CALL, linkedid, None, at)
        s.add(Transcript(recording_id=recording, text="我们楼下着火了，浓烟很大，在东关街幸福小区3号楼",
                         raw_text="", engine="fake", model="fake", words=[], duration_s=5.0, elapsed_s=0.1,
                         created_at=at))
    r = http.post("/api/v1/desk/emergency", json={"linkedid": linkedid, "service": "119",
                                                  "citizen_phone": "13800138000"})
    assert r.status_code == 201, r.text
    ticket = r.json()["ticket_no"]
    order = http.get(f"/api/v1/work-orders/{ticket}").json()
    assert order["tier"] == "emergency" and "着火" in order["content"] and order["state"] == "dispatched"
    assert order["assignments"][0]["department_code"] == "371500-XFZD"
    assert order["call_linkedid"] == linkedid
    handed = http.get(f"/api/v1/work-orders/{ticket}/handovers").json()
    assert [(h["target_code"], h["work_order_id"] is not None) for h in handed] == [("119", True)]
    story = http.get(f"/api/v1/work-orders/{ticket}/story").json()
    assert [(h["to"], h["mode"], h["by"]) for h in story["handovers"]] == [("消防救援", "blind", "operator")]
    empty = http.post("/api/v1/desk/emergency", json={"linkedid": "1900000999.1", "service": "110"}, headers=ZH)
    assert empty.status_code == 422 and empty.json()["error_id"] == "emergency_no_words"
