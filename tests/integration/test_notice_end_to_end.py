"""The whole path through the real adapters over HTTP, on both databases: an order's notices go to a local
Alibaba Cloud SMS platform, its SmsReport and SmsUp pushes come back to our endpoints on the token URL, and
the citizen's "1" closes the callback; WeChat pushes are checked by their documented signature."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select

from hotline.core.notice_config import Template
from hotline.core.settings import Settings
from hotline.models import CallbackAttempt, OutboxMessage, WorkOrder
from tests.conftest import CONFIG_DIR, TEST_SECRET
from tests.integration.conftest import new_order, step
from tests.integration.provider_server import provider_server
from tests.integration.test_notice_delivery import Dysmsapi
from tests.integration.test_providers_aliyun import KEY_ID, SECRET

PHONE, TOKEN, WECHAT_TOKEN = "13800138000", "aliyun-push-7d2c", "hotline12345"
CODES = {"accepted": "SMS_465800101", "dispatched": "SMS_465800102", "extended": "SMS_465800103",
         "completed": "SMS_465800104", "redone": "SMS_465800105"}


@pytest.fixture
def dysms():
    api = Dysmsapi()
    with provider_server(api) as server:
        api.url = server.url  # type: ignore[attr-defined]
        yield api


@pytest.fixture
def config(config):
    """The shipped notices with a registered template per event, as a centre would configure them."""
    templates = {event: Template(text=t.text, providers={"aliyun_sms": CODES[event]})
                 for event, t in config.notices.templates.items()}
    return config.model_copy(update={"notices": config.notices.model_copy(update={"templates": templates})})


@pytest.fixture
def settings(tmp_path, db_url, dysms) -> Settings:
    sms = {"provider": "aliyun_sms", "access_key_id": KEY_ID, "access_key_secret": SECRET, "sign_name": "聊城12345",
           "endpoint": dysms.url + "/", "callback_token": TOKEN}
    wechat = {"provider": "wechat_mp", "app_id": "wx5823bf96d3bd56c7", "app_secret": "wechat-app-secret",
              "api_base": dysms.url, "message_token": WECHAT_TOKEN}
    return Settings(database_url=db_url, config_dir=CONFIG_DIR, var_dir=tmp_path / "var", secret_key=TEST_SECRET,
                    notifications={"sms": sms, "wechat": wechat})


def test_order_to_notice_to_sms_reply_to_closed_callback(api, people, queue, dysms, session_factory):
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept", {"tier": "livelihood"})
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER"})
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "已安排抢修"})
    done = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "管道已修复"},
                    headers=people["water"].headers)
    assert done.status_code == 200
    queue.drain()
    with session_factory() as s:
        keys = dict(s.execute(select(OutboxMessage.notice, OutboxMessage.dedupe_key)
                              .where(OutboxMessage.audience == "citizen")).all())
    sent = {form["TemplateCode"]: form for form in dysms.accepted}
    assert set(sent) == {CODES["accepted"], CODES["dispatched"], CODES["completed"]}
    assert sent[CODES["completed"]]["OutId"] == keys["completed"] and sent[CODES["completed"]]["PhoneNumbers"] == PHONE
    completed_params = json.loads(sent[CODES["completed"]]["TemplateParam"])
    # no link inside a variable (the platforms refuse them): the registered text carries the prefix
    assert completed_params["result"] == "管道已修复" and len(completed_params["rate_token"]) == 27
    assert not any("http" in value for value in completed_params.values())

    report = [{"phone_number": PHONE, "send_time": "2026-11-23 09:00:02", "report_time": "2026-11-23 09:00:05",
               "success": True, "err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1",
               "biz_id": "900619746936498440^0", "out_id": keys["completed"]}]
    r = api.post(f"/api/v1/notices/receipts/sms?token={TOKEN}", json=report)
    assert r.status_code == 200 and r.json() == {"code": 0, "msg": "接收成功"}

    up = [{"phone_number": PHONE, "send_time": "2026-11-23 10:00:00", "content": "1", "sign_name": "聊城12345",
           "dest_code": "1234", "sequence_id": 1234567890}]
    assert api.post("/api/v1/notices/replies/sms?token=guessed", json=up).status_code == 403
    with session_factory() as s:
        assert s.scalars(select(WorkOrder.state)).one() == "callback_pending"
    r = api.post(f"/api/v1/notices/replies/sms?token={TOKEN}", json=up)
    assert r.status_code == 200 and r.json() == {"code": 0, "msg": "接收成功"}
    with session_factory() as s:
        assert s.scalars(select(WorkOrder.state)).one() == "closed"
        attempt = s.scalars(select(CallbackAttempt)).one()
        assert (attempt.channel, attempt.verdict) == ("sms", "satisfied")
    history = api.get(f"/api/v1/notices/orders/{ticket}", headers=people["operator"].headers).json()
    completed = next(n for n in history["notices"] if n["notice"] == "completed")
    assert completed["delivery"] == "delivered" and completed["receipts"][0]["status"] == "DELIVERED"
    assert [(x["outcome"], x["sender"]) for x in history["replies"]] == [("rated", "138****8000")]


def wechat_query(token: str = WECHAT_TOKEN, **extra: str) -> dict[str, str]:
    timestamp, nonce = "1795420800", "1234567890"
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce, **extra}


def test_wechat_pushes_are_read_only_when_their_signature_holds(api):
    assert api.get("/api/v1/notices/wechat", params=wechat_query(echostr="8471203985")).text == "8471203985"
    assert api.get("/api/v1/notices/wechat", params=wechat_query("guessed", echostr="1")).status_code == 403
    push = ("<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[oia2TjuEGTNoeX76]]>"
            "</FromUserName><CreateTime>1395658984</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            "<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200163840</MsgID>"
            "<Status><![CDATA[success]]></Status></xml>")
    assert api.post("/api/v1/notices/wechat", params=wechat_query("guessed"), content=push).status_code == 403
    r = api.post("/api/v1/notices/wechat", params=wechat_query(), content=push)
    assert r.status_code == 200 and r.text == "success"
