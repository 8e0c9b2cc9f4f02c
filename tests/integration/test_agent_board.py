"""The supervisor's live agent board: the AMI listener keeps the callers waiting in a queue, and the board
shows who is on a call, paused and why, calls waiting, the longest wait and today's service level."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from hotline.core.db import session_scope
from hotline.models import AgentSession, AgentState, Call, QueueCaller
from hotline.simulator.capture import Capture
from hotline.telephony.service import DatabaseSinks
from tests.integration.test_ami_listener import ANSWERED, listen

ZH = {"Accept-Language": "zh-CN"}


def test_the_listener_keeps_the_callers_waiting_until_they_are_answered(pbx, session_factory, ctx):
    leave = next(i for i, p in enumerate(ANSWERED.events) if p.startswith(b"Event: QueueCallerLeave"))
    listener = listen(pbx, DatabaseSinks(ctx, session_factory))
    try:
        pbx.play(Capture(ANSWERED.events[:leave], ANSWERED.fully_booted), fresh=False)  # in the queue, ringing
        listener.idle()
        with session_factory() as s:
            [waiting] = s.scalars(select(QueueCaller)).all()
            assert (waiting.linkedid, waiting.queue) == ("1795257491.4", "hotline-queue")
            assert waiting.joined_at.year == 2026  # the QueueCallerJoin's own time, not the listener's
        pbx.play(Capture(ANSWERED.events[leave:], ANSWERED.fully_booted), fresh=False)  # answered, then ended
        listener.idle()
        with session_factory() as s:
            assert s.scalars(select(QueueCaller)).all() == []
            assert s.scalars(select(Call)).one().disposition == "answered"
    finally:
        listener.stop()


def seat(s, queue, interface, name, user_id=None, **state) -> AgentSession:
    row = AgentSession(queue=queue, interface=interface, member_name=name, user_id=user_id, logged_in=True,
                       paused=False, in_call=False, calls_taken=0, updated_at=dt.datetime(2026, 11, 23, 0, 50, tzinfo=dt.UTC))
    for key, value in state.items():
        setattr(row, key, value)
    s.add(row)
    return row


def call(s, linkedid, started, wait, disposition="answered") -> None:
    s.add(Call(linkedid=linkedid, started_at=started, queue="hotline-queue", wait_seconds=wait,
               disposition=disposition, direction="inbound", purpose="citizen_call", ivr_path=[],
               stored_at=started))


def test_the_board_shows_states_pauses_waiting_and_todays_service_level(api, people, session_factory, ctx):
    now = ctx.clock.now()  # Monday 09:00 in the centre
    with session_scope(session_factory) as s:
        seat(s, "hotline-queue", "PJSIP/1001", "Agent1001", people["operator"].user_id, in_call=True, calls_taken=4)
        seat(s, "hotline-queue", "PJSIP/1002", "Agent1002", paused=True, pause_reason="午休")
        seat(s, "hotline-queue", "PJSIP/1003", "Agent1003")
        seat(s, "hotline-queue", "PJSIP/1004", "Agent1004", logged_in=False)  # gone home: not on the board
        s.add(AgentState(user_id=people["operator"].user_id, queue="hotline-queue", interface="PJSIP/1001",
                         state="talking", since=now - dt.timedelta(minutes=3), updated_at=now))
        for i, waited in enumerate((95, 20)):
            s.add(QueueCaller(linkedid=f"w{i}", queue="hotline-queue", caller="13800138000",
                              joined_at=now - dt.timedelta(seconds=waited), updated_at=now))
        today = now - dt.timedelta(hours=1)
        for i, (wait, how) in enumerate([(5, "answered"), (18, "answered"), (25, "answered"), (40, "abandoned")]):
            call(s, f"t{i}", today, wait, how)
        call(s, "yesterday", now - dt.timedelta(days=1), 3)  # yesterday's calls are not today's level
    r = api.get("/api/v1/agents/board", headers=people["supervisor"].headers)
    assert r.status_code == 200, r.text
    board = r.json()
    members = {m["interface"]: m for m in board["members"]}
    assert set(members) == {"PJSIP/1001", "PJSIP/1002", "PJSIP/1003"}
    assert members["PJSIP/1001"]["state"] == "talking" and members["PJSIP/1001"]["name"] == "operator"
    assert dt.datetime.fromisoformat(members["PJSIP/1001"]["since"]) == now - dt.timedelta(minutes=3)
    assert (members["PJSIP/1002"]["state"], members["PJSIP/1002"]["pause_reason"]) == ("paused", "午休")
    assert members["PJSIP/1003"]["state"] == "idle" and members["PJSIP/1003"]["pause_reason"] is None
    assert [m["state"] for m in board["members"]] == ["talking", "paused", "idle"]  # busiest first
    assert board["summary"] == {"signed_in": 3, "talking": 1, "ringing": 0, "wrapup": 0, "paused": 1, "idle": 1,
                                "waiting": 2, "longest_wait_seconds": 95}
    assert board["today"] | {"average_wait_seconds": None} == {
        "calls": 4, "offered": 4, "answered": 3, "abandoned": 1, "answered_in_time": 2,
        "average_wait_seconds": None, "service_level": 0.5}  # within 20 s: 2 of the 4 offered
    assert board["service_level_seconds"] == 20 and board["refresh_seconds"] == 5
    wider = api.get("/api/v1/agents/board?within=30", headers=people["supervisor"].headers).json()
    assert wider["today"]["service_level"] == 0.75 and wider["service_level_seconds"] == 30
    assert "13800138000" not in r.text  # the wall shows waits, never callers' numbers


def test_only_the_centres_supervisors_read_the_board(api, people):
    r = api.get("/api/v1/agents/board", headers=people["district_supervisor"].headers | ZH)
    assert r.status_code == 403 and r.json()["error_id"] == "board_centre_only"
    assert r.json()["message"] == "坐席监控只对热线中心的监督人员开放"
    for who in ("operator", "water_admin", "callback"):
        assert api.get("/api/v1/agents/board", headers=people[who].headers).status_code == 403
    assert api.get("/api/v1/agents/board", headers=people["admin"].headers).status_code == 200
    assert api.get("/api/v1/agents/board?within=0", headers=people["supervisor"].headers).status_code == 422
