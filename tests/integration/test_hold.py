"""保持 over real sockets: the desk's request becomes one dual AMI Redirect (the citizen to music on hold, the
operator's leg to wait) and 取回 an AMI Bridge of the two legs, on the simulated Asterisk answering with
Asterisk 22's words; the operator is 保持中 meanwhile, the time on hold is counted on the call, and a hold
with no call, on someone else's call, or of a citizen already gone is a Chinese error that changes nothing."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from sqlalchemy import select

from hotline.models import AgentStint, AuditRecord
from tests.integration.on_call import citizen_on_the_line
from tests.integration.test_api_telephony import served  # noqa: F401 (the fixture)
from tests.integration.test_handover import MEMBER, ZH, operator_channel

CITIZEN = "Local/play@citizen-sim"


def citizen_channel(pbx, linkedid: str) -> str:
    return next(c["Channel"] for c in pbx.switchboard.channels.values() if c["Uniqueid"] == linkedid)


def sent(pbx, name: str) -> list[bytes]:
    return [raw for raw, a in zip(pbx.received, pbx.actions, strict=True) if a.get("Action") == name]


def held_stints(session_factory, linkedid: str) -> list[AgentStint]:
    with session_factory() as s:
        return list(s.scalars(select(AgentStint).where(AgentStint.linkedid == linkedid, AgentStint.state == "held")))


@pytest.fixture
def call_with_end(served, people, pbx):  # noqa: F811
    """The operator talking to a citizen, and the rest of the captured call (the citizen hanging up) to send."""
    ctx, base, listener = served
    http = httpx.Client(base_url=base, headers=people["operator"].headers, timeout=10)
    assert http.post("/api/v1/agents/login", json={"interface": MEMBER}).status_code == 200
    rest = citizen_on_the_line(pbx, ctx.clock.now())
    assert listener.idle()
    yield http, http.get("/api/v1/agents/me").json()["linkedid"], listener, rest
    http.close()


def test_hold_is_a_dual_redirect_and_take_back_a_bridge_with_the_time_on_hold_counted(call_with_end, pbx, ctx,
                                                                                      session_factory, people):
    http, linkedid, listener, hangup = call_with_end
    agent, citizen = operator_channel(pbx, linkedid), citizen_channel(pbx, linkedid)
    assert citizen.startswith(CITIZEN) and pbx.switchboard.peer(agent)["Channel"] == citizen
    r = http.post("/api/v1/desk/hold", json={"linkedid": linkedid})
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["linkedid"]) == ("held", linkedid)
    [redirect] = sent(pbx, "Redirect")
    action_id = next(line for line in redirect.split(b"\r\n") if line.startswith(b"ActionID: hold-"))
    assert redirect == (b"Action: Redirect\r\n" + action_id + b"\r\n" + f"Channel: {linkedid}\r\n".encode() +
                        b"Context: hotline-hold\r\nExten: s\r\nPriority: 1\r\n" +
                        f"ExtraChannel: {agent}\r\n".encode() +
                        b"ExtraContext: hotline-holding\r\nExtraExten: s\r\nExtraPriority: 1\r\n\r\n")
    assert pbx.switchboard.bridges.get(agent) is None and pbx.switchboard.channels[citizen]["Context"] == "hotline-hold"
    assert http.get("/api/v1/agents/me").json()["state"] == "held"
    again = http.post("/api/v1/desk/hold", json={"linkedid": linkedid}, headers=ZH)
    assert again.status_code == 409 and again.json()["message"] == "市民已在保持中"
    assert len(sent(pbx, "Redirect")) == 1
    ctx.clock.advance(seconds=42)
    r = http.post("/api/v1/desk/hold/take-back", json={"linkedid": linkedid})
    assert r.status_code == 200 and r.json()["state"] == "talking", r.text
    [bridge] = sent(pbx, "Bridge")
    assert b"\r\n".join(x for x in bridge.split(b"\r\n") if not x.startswith(b"ActionID")) == (
        f"Action: Bridge\r\nChannel1: {agent}\r\nChannel2: {citizen}\r\nTone: no\r\n\r\n".encode())
    assert pbx.switchboard.peer(agent)["Channel"] == citizen  # talking together again
    assert [(s.seconds, s.user_id) for s in held_stints(session_factory, linkedid)] == \
        [(42, people["operator"].user_id)]
    twice = http.post("/api/v1/desk/hold/take-back", json={"linkedid": linkedid}, headers=ZH)
    assert twice.status_code == 409 and twice.json()["error_id"] == "hold_not_held"
    # on hold once more, and the citizen hangs up there: the call ends with both holds counted on it
    assert http.post("/api/v1/desk/hold", json={"linkedid": linkedid}).status_code == 200
    ctx.clock.advance(seconds=8)
    pbx.send_raw(hangup)
    assert listener.idle()
    assert http.get("/api/v1/agents/me").json()["state"] == "wrapup"
    [call] = [c for c in http.get("/api/v1/calls").json() if c["linkedid"] == linkedid]
    assert call["hold_seconds"] == 50 and call["disposition"] == "answered"
    today = http.get("/api/v1/desk/today").json()
    assert (today["calls"], today["hold_seconds"]) == (1, 50)  # one call, however often on hold
    with session_factory() as s:
        actions = s.scalars(select(AuditRecord.action).where(AuditRecord.object_id == linkedid)
                            .order_by(AuditRecord.id)).all()
    assert actions == ["call.hold", "call.take_back", "call.hold"]


def test_hold_is_refused_without_a_call_on_another_call_and_when_the_citizen_is_gone(call_with_end, pbx, people,
                                                                                     session_factory, served):  # noqa: F811
    http, linkedid, listener, _hangup = call_with_end
    other = http.post("/api/v1/desk/hold", json={"linkedid": "1900000999.1"}, headers=ZH)
    assert other.status_code == 409 and other.json()["error_id"] == "hold_not_your_call"
    assert other.json()["message"] == "这通电话不是您正在接听的电话，不能保持或取回"
    _ctx, base, _listener = served
    with httpx.Client(base_url=base, headers={**people["admin"].headers, **ZH}, timeout=10) as admin:
        none = admin.post("/api/v1/desk/hold", json={"linkedid": linkedid})
    assert none.status_code == 409 and none.json()["message"] == "您当前没有接通的来电，无法保持或取回"
    water = http.post("/api/v1/desk/hold", json={"linkedid": linkedid}, headers=people["water"].headers)
    assert water.status_code == 403
    pbx.switchboard.channels.pop(citizen_channel(pbx, linkedid))  # the citizen hung up a moment ago
    gone = http.post("/api/v1/desk/hold", json={"linkedid": linkedid}, headers=ZH)
    assert gone.status_code == 409 and gone.json()["error_id"] == "hold_call_gone"
    assert gone.json()["message"] == "操作失败：这通电话已不存在（市民可能已挂断）"
    assert http.get("/api/v1/agents/me").json()["state"] == "talking"  # nothing recorded as held
    assert held_stints(session_factory, linkedid) == [] and len(sent(pbx, "Redirect")) == 1
    bad = http.post("/api/v1/desk/hold", json={"linkedid": "x y"})
    assert bad.status_code == 422
