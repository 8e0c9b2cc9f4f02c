"""The desks' API: Chinese errors for consoles, the one-transaction intake (all or nothing), 并案 counts,
work lists by channel, phone and words, recordings played by signed link with range requests, the
callback queue found by phone, click-to-call refusing without a phone, and the extraction code once."""

from __future__ import annotations

import wave

from hotline.asr.repository import RecordingRepository
from hotline.core.db import session_scope
from hotline.core.enums import RecordingKind
from hotline.desk.intake import title_from
from hotline.dispatch.repository import WorkOrderRepository
from tests.integration.conftest import new_order, step

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def take(api, person, expect: int = 201, **body) -> dict:
    body = {"outcome": "dispatch", "content": "东关社区停水两天了", "category_code": "water.outage",
            "place": "东昌府区古楼街道东关社区", "citizen_phone": "13800138000", **body}
    r = api.post("/api/v1/desk/intake", json=body, headers=person.headers)
    assert r.status_code == expect, r.text
    return r.json()


def test_errors_speak_chinese_to_a_console_and_english_to_other_clients(api, people):
    op = people["operator"].headers
    english = api.get("/api/v1/work-orders/20261123-9999", headers=op).json()
    chinese = api.get("/api/v1/work-orders/20261123-9999", headers={**op, **ZH})
    assert english["error_id"] == chinese.json()["error_id"] == "order_not_found"
    assert english["message"].startswith("no work order")
    assert chinese.json()["message"] == "在您的权限范围内没有这张工单"
    assert chinese.json()["developer_message"] == english["message"]
    assert chinese.headers["content-language"] == "zh-CN"
    invalid = api.post("/api/v1/desk/intake", json={"outcome": "dispatch", "ticket": "x"}, headers={**op, **ZH}).json()
    assert invalid["message"] == "填写的内容不符合要求：工单号：格式不正确"


def test_intake_dispatches_in_one_transaction_and_a_refused_dispatch_leaves_no_order(api, people):
    op = people["operator"]
    refused = take(api, op, expect=422, lead="371500-ZJJ")  # not the suggested department, no reason
    assert refused["error_id"] == "reason_required"
    assert api.get("/api/v1/work-orders", headers=op.headers).json()["total"] == 0  # nothing half done
    done = take(api, op, lead="371500-ZJJ", reason="小区归住建局直管")
    assert done["state"] == "dispatched" and len(done["extraction_code"]) == 6
    order = api.get(f"/api/v1/work-orders/{done['ticket_no']}", headers=op.headers).json()
    assert order["assignments"][0]["department_code"] == "371500-ZJJ" and order["title"] == "东关社区停水两天了"


def test_a_second_caller_attached_to_an_incident_is_counted_and_not_dispatched(api, people):
    op = people["operator"]
    master = take(api, op, content="东关社区水管爆了，整条街都停水")["ticket_no"]
    candidates = api.get("/api/v1/desk/incidents", params={"category": "water.outage", "place": "东关社区"},
                         headers=op.headers).json()
    assert [(c["ticket_no"], c["callers"]) for c in candidates] == [(master, 1)]
    assert "东关社区" in candidates[0]["why"]
    attached = take(api, op, outcome="incident", other_ticket=master, citizen_phone="13900139000")
    assert attached["state"] == "closed"
    again = api.get("/api/v1/desk/incidents", params={"category": "water.outage", "place": "古楼街道东关社区"},
                    headers=op.headers).json()
    assert again[0]["callers"] == 2
    page = api.get("/api/v1/incidents", headers=people["supervisor"].headers).json()
    assert page["items"][0]["ticket_no"] == master and page["items"][0]["callers"] == 2
    steps = [s["action"] for s in api.get(f"/api/v1/work-orders/{attached['ticket_no']}/events",
                                          headers=op.headers).json()]
    assert steps == ["create", "accept", "attach_incident"]  # never dispatched
    closed = take(api, op, expect=422, outcome="incident", other_ticket=attached["ticket_no"])
    assert closed["error_id"] == "incident_master_invalid"  # an attached caller is no incident of its own


def test_work_lists_filter_by_channel_phone_words_and_sort_by_deadline(api, people):
    op = people["operator"]
    web = new_order(api, op, channel="web", citizen_phone="13700137000", title="网上来件")
    new_order(api, op, citizen_phone="13600136000", title="电话登记")
    by_channel = api.get("/api/v1/work-orders", params={"channel": "web"}, headers=op.headers).json()
    assert [o["ticket_no"] for o in by_channel["items"]] == [web]
    assert by_channel["items"][0]["due_at"] is not None  # the 30-minute acceptance clock
    by_phone = api.get("/api/v1/work-orders", params={"phone": "7000"}, headers=op.headers).json()
    assert [o["ticket_no"] for o in by_phone["items"]] == [web]
    assert api.get("/api/v1/work-orders", params={"q": "网上"}, headers=op.headers).json()["total"] == 1
    assert api.get("/api/v1/work-orders", params={"q": web}, headers=op.headers).json()["total"] == 1
    mine = api.get("/api/v1/work-orders", params={"mine": "true"}, headers=people["admin"].headers).json()
    assert mine["total"] == 0
    step(api, op, web, "accept")
    step(api, op, web, "dispatch")
    listed = api.get("/api/v1/work-orders", params={"state": "dispatched"}, headers=people["water"].headers).json()
    assert listed["items"][0]["citizen_phone"] == "137****7000"  # masked for departments


def test_a_recording_plays_by_signed_link_with_range_requests(api, people, session_factory, ctx, tmp_path):
    op = people["operator"]
    ticket = new_order(api, op)
    path = tmp_path / "call.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000), w.writeframes(b"\x01\x00" * 8000)
    with session_scope(session_factory) as s:
        order = WorkOrderRepository(s).by_ticket(ticket)
        recording_id = RecordingRepository(s).register(str(path), RecordingKind.CALL, "1790000000.1", order.id,
                                                       ctx.clock.now())
    assert api.get(f"/api/v1/recordings/{recording_id}/link", headers=people["water"].headers).status_code == 403
    link = api.get(f"/api/v1/recordings/{recording_id}/link", headers=op.headers).json()["url"]
    whole = api.get(link)
    assert whole.status_code == 200 and whole.content == path.read_bytes()
    part = api.get(link, headers={"Range": "bytes=44-143"})
    assert part.status_code == 206 and part.content == path.read_bytes()[44:144]
    assert part.headers["content-range"] == f"bytes 44-143/{path.stat().st_size}"
    forged = api.get(link.replace("sig=", "sig=0"), headers=ZH)
    assert forged.status_code == 401 and forged.json()["message"] == "登录已过期，请重新登录"


def test_the_callback_queue_finds_a_citizen_by_phone_and_click_to_call_needs_a_bound_phone(api, people, queue):
    op, water, cb = people["operator"], people["water"], people["callback"]
    ticket = take(api, op, citizen_phone="13500135000")["ticket_no"]
    for action, body in (("sign", None), ("reply", {"text": "已处理"})):
        step(api, water, ticket, action, body)
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "已恢复供水"}, headers=water.headers)
    assert r.status_code == 200, r.text
    queue.drain()  # the job that puts completed orders in the callback queue
    found = api.get("/api/v1/callbacks/queue", params={"phone": "0135000"}, headers=cb.headers).json()
    assert [c["ticket_no"] for c in found["items"]] == [ticket]
    script = api.get(f"/api/v1/callbacks/{ticket}/script", headers=cb.headers).json()
    assert script["key"] == "default" and "聊城市水务集团有限公司" in script["opening"]
    refused = api.post(f"/api/v1/callbacks/{ticket}/dial", headers={**cb.headers, **ZH})
    assert refused.status_code == 422 and refused.json()["message"] == "您的账号还没有绑定分机，请先设置分机"
    taken = api.post(f"/api/v1/callbacks/{ticket}/take", headers=cb.headers).json()
    assert taken["callback"]["ticket_no"] == ticket and taken["callback"]["round"] == 0


def test_titles_are_cut_at_a_clause_not_mid_phrase():
    assert title_from("东关社区停水了，已经两天了，请尽快派人处理") == "东关社区停水了"
    long = "我们小区东边那条路上的路灯从上个月开始一直不亮晚上走路特别危险老人孩子都不敢出门买菜也不方便，请派人来修"
    assert title_from(long).endswith("…") and len(title_from(long)) == 40
