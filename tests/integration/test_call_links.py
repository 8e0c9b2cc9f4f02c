"""Orders ↔ calls over the API: an order created or updated during a call is linked to it by Linkedid,
only for a call that exists and is the sender's; the call's recordings and dialogue hang off both."""

from __future__ import annotations

from sqlalchemy import func, select

from hotline.asr.repository import RecordingRepository
from hotline.core.db import session_scope
from hotline.core.enums import RecordingKind
from hotline.core.labels import AgentStatus
from hotline.desk.agents import AgentDesk
from hotline.models import WorkOrder
from hotline.voice.repository import CallDialogueRepository
from tests.integration.conftest import new_order

FIRST, SECOND, OTHERS = "1795257491.4", "1795257600.9", "1795257700.3"


def on_call(session_factory, ctx, user_id: int, linkedid: str) -> None:
    """The operator answered this call (as the AMI listener's screen pop records it)."""
    with session_scope(session_factory) as s:
        AgentDesk(s, ctx.clock).move(user_id, AgentStatus.TALKING, linkedid=linkedid, caller="13800138000")


def orders(session_factory) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(WorkOrder)) or 0


def test_an_order_created_during_a_call_is_linked_and_shows_the_calls_recording(api, people, session_factory, ctx):
    operator = people["operator"]
    on_call(session_factory, ctx, operator.user_id, FIRST)
    with session_scope(session_factory) as s:
        RecordingRepository(s).register("/rec/1795257491.4.wav", RecordingKind.CALL, FIRST, None, ctx.clock.now())
        CallDialogueRepository(s).add(FIRST, None, "/rec/a-in.wav", "/rec/a-out.wav", 4.0, ctx.clock.now())
    ticket = new_order(api, operator, linkedid=FIRST)  # `linkedid` as any client may send it

    work = api.get(f"/api/v1/calls/{FIRST}/work", headers=operator.headers)
    assert work.status_code == 200, work.text
    assert [(o["ticket_no"], o["how"]) for o in work.json()["orders"]] == [(ticket, "created")]
    assert [r["kind"] for r in work.json()["recordings"]] == ["call"]
    from_order = api.get(f"/api/v1/work-orders/{ticket}/transcripts", headers=operator.headers).json()
    assert [r["kind"] for r in from_order] == ["call"]
    dialogues = api.get(f"/api/v1/work-orders/{ticket}/dialogues", headers=operator.headers).json()
    assert [d["linkedid"] for d in dialogues] == [FIRST]
    detail = api.get(f"/api/v1/work-orders/{ticket}", headers=operator.headers).json()
    assert detail["call_linkedid"] == FIRST


def test_a_call_that_is_not_the_senders_links_nothing_and_creates_nothing(api, people, session_factory, ctx):
    operator, liaison = people["operator"], people["liaison"]
    on_call(session_factory, ctx, people["admin"].user_id, OTHERS)  # someone else's call
    before = orders(session_factory)
    for who, linkedid in ((operator, OTHERS), (operator, "1795250000.1"), (liaison, OTHERS)):
        r = api.post("/api/v1/work-orders", headers=who.headers, json={
            "title": "停水", "content": "小区停水了", "citizen_phone": "13800138000", "call_linkedid": linkedid})
        assert r.status_code == 404 and r.json()["error_id"] == "call_not_found", r.text
    assert orders(session_factory) == before
    assert api.get(f"/api/v1/calls/{OTHERS}/work", headers=operator.headers).status_code == 404
    assert api.get(f"/api/v1/calls/{OTHERS}/work", headers=people["water"].headers).status_code == 403
    supervisor = api.get(f"/api/v1/calls/{OTHERS}/work", headers=people["supervisor"].headers)
    assert supervisor.status_code == 200 and supervisor.json()["orders"] == []


def test_an_order_updated_during_a_later_call_is_linked_to_that_call_too(api, people, session_factory, ctx):
    operator = people["operator"]
    on_call(session_factory, ctx, operator.user_id, FIRST)
    ticket = new_order(api, operator, call_linkedid=FIRST)
    on_call(session_factory, ctx, operator.user_id, SECOND)  # the citizen calls again about it
    r = api.post(f"/api/v1/work-orders/{ticket}/accept?linkedid={SECOND}", json={}, headers=operator.headers)
    assert r.status_code == 200, r.text
    assert [(o["ticket_no"], o["how"]) for o in
            api.get(f"/api/v1/calls/{SECOND}/work", headers=operator.headers).json()["orders"]] == [(ticket, "updated")]
    # a step naming a call that is not theirs is refused as a whole: the order stays where it was
    other = new_order(api, operator, call_linkedid=SECOND)
    refused = api.post(f"/api/v1/work-orders/{other}/accept?linkedid={OTHERS}", json={}, headers=operator.headers)
    assert refused.status_code == 404 and refused.json()["error_id"] == "call_not_found"
    assert api.get(f"/api/v1/work-orders/{other}", headers=operator.headers).json()["state"] == "received"


def test_the_desk_intake_links_the_call_from_the_screen_pop(api, people, session_factory, ctx):
    operator = people["operator"]
    on_call(session_factory, ctx, operator.user_id, FIRST)
    r = api.post("/api/v1/desk/intake", headers=operator.headers, json={
        "outcome": "register", "content": "我家小区停水了，请尽快处理。", "citizen_phone": "13800138000",
        "call_linkedid": FIRST})
    assert r.status_code == 201, r.text
    linked = api.get(f"/api/v1/calls/{FIRST}/work", headers=operator.headers).json()["orders"]
    assert [(o["ticket_no"], o["how"]) for o in linked] == [(r.json()["ticket_no"], "created")]
    refused = api.post("/api/v1/desk/intake", headers=operator.headers, json={
        "outcome": "register", "content": "路灯坏了", "call_linkedid": OTHERS})
    assert refused.status_code == 404


def test_the_after_call_draft_is_offered_until_the_calls_order_is_taken(api, people, session_factory, ctx):
    from hotline.asr.dialogue import Dialogue
    from hotline.voice.calls import CallRecordings, ClosedRecording

    operator = people["operator"]
    on_call(session_factory, ctx, operator.user_id, FIRST)
    said = "我家小区停水了已经两天了，地址是东昌府区古楼街道东关社区"
    heard = Dialogue(turns=[{"speaker": "operator", "start": 1.0, "end": 2.0, "text": "您好请讲", "words": []},
                            {"speaker": "citizen", "start": 2.5, "end": 6.0, "text": said, "words": []}],
                     citizen_text=said, operator_text="您好请讲", duration_s=6.0, elapsed_s=1.0, engine="vosk",
                     model="test")
    with session_scope(session_factory) as s:
        recordings = CallRecordings(s, ctx)
        recordings.closed(ClosedRecording(FIRST, "13800138000", None, "/r/a-in.wav", "/r/a-out.wav", 0.5))
        event = recordings.store(FIRST, heard, "13800138000")
    assert event is not None and event.offered and event.user_ids == (operator.user_id,)
    work = api.get(f"/api/v1/calls/{FIRST}/work", headers=operator.headers).json()
    assert work["after_call"] is True
    draft = work["dialogue"]["draft"]
    assert draft["text"].startswith("我家小区停水") and "您好" not in draft["text"]  # the citizen's side only
    assert draft["category"]["code"] == "utility.water.outage" and draft["place"]
    assert [t["speaker"] for t in work["dialogue"]["turns"]] == ["operator", "citizen"]
    r = api.post("/api/v1/desk/intake", headers=operator.headers, json={
        "outcome": "dispatch", "content": said, "citizen_phone": "13800138000", "call_linkedid": FIRST,
        "category_code": draft["category"]["code"], "place": draft["place"]})
    assert r.status_code == 201, r.text
    assert api.get(f"/api/v1/calls/{FIRST}/work", headers=operator.headers).json()["after_call"] is False


def test_the_sweeps_leave_a_calls_recording_to_the_dialogue_job_and_resend_a_lost_one(session_factory, ctx):
    import datetime as dt

    from hotline.models import Recording

    past = ctx.clock.now() - dt.timedelta(hours=2)
    with session_scope(session_factory) as s:
        recordings = RecordingRepository(s)
        message = recordings.register("/rec/msg.wav", RecordingKind.MESSAGE, "x.1", None, past)
        call = recordings.register("/rec/call.wav", RecordingKind.CALL, "x.2", None, past)
        CallDialogueRepository(s).add("x.2", call, "/rec/call-in.wav", "/rec/call-out.wav", None, past)
    with session_factory() as s:
        assert RecordingRepository(s).waiting(ctx.clock.now(), True, 10) == [message]
        assert CallDialogueRepository(s).waiting(ctx.clock.now(), True, 10) == ["x.2"]
        assert s.get(Recording, call).kind == "call"
