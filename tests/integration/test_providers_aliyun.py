"""Alibaba Cloud SMS adapter against a local dysmsapi that re-computes the RPC signature as documented."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
from collections.abc import Callable

import pytest

from hotline.notifications.providers.aliyun_sms import CALLBACK_ACK, AliyunSmsProvider, rpc_signature
from hotline.notifications.providers.base import CallbackRejectedError, CallbackRequest, Outcome, OutgoingMessage
from tests.integration.provider_server import Received, Reply, all_log_text, provider_server

KEY_ID, SECRET = "LTAI5tTestKeyId", "s3cr3t-AccessKeySecret-value"
PHONE = "13912345678"
MESSAGE = OutgoingMessage(dedup_key="order-88:accepted:sms", channel="sms", recipient=PHONE,
                          template_code="SMS_4658001", template_params={"ticket": "LC2026112300017", "code": "4821"})
OK = {"Message": "OK", "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990", "Code": "OK", "BizId": "900619746936498440^0"}


def encode(value: str) -> str:
    """The docs' recipe: form-encode, then '+'→%20, '*'→%2A, %7E→'~'."""
    return urllib.parse.quote_plus(value).replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def expected_signature(params: dict[str, str], secret: str, method: str) -> str:
    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    canonical = "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)
    to_sign = f"{method}&{encode('/')}&{encode(canonical)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class Dysmsapi:
    """Checks each request the way dysmsapi does and answers from `answer` once the request is authentic."""

    def __init__(self, answer: Callable[[dict[str, str]], Reply] | None = None):
        self.answer = answer or (lambda form: Reply(200, OK))
        self.nonces: set[str] = set()
        self.accepted: list[dict[str, str]] = []

    def __call__(self, request: Received) -> Reply:
        form = request.form()
        if form.get("Signature") != expected_signature(form, SECRET, request.method):
            return Reply(400, {"RequestId": "R1", "HostId": "dysmsapi.aliyuncs.com", "Code": "SignatureDoesNotMatch",
                               "Message": f"Specified signature is not matched with our calculation. server string "
                                          f"to sign is:POST&%2F&PhoneNumbers%3D{form.get('PhoneNumbers')}"})
        if form["SignatureNonce"] in self.nonces:
            return Reply(400, {"RequestId": "R2", "Code": "SignatureNonceUsed", "Message": "nonce used"})
        self.nonces.add(form["SignatureNonce"])
        stamp = dt.datetime.strptime(form["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        assert abs(stamp.timestamp() - time.time()) < 900
        common = {"AccessKeyId": KEY_ID, "Format": "JSON", "RegionId": "cn-hangzhou", "SignatureMethod": "HMAC-SHA1",
                  "SignatureVersion": "1.0", "Version": "2017-05-25"}
        assert {k: form[k] for k in common} == common
        self.accepted.append(form)
        return self.answer(form)


def provider(server_url: str, **kwargs) -> AliyunSmsProvider:
    kwargs.setdefault("access_key_secret", SECRET)
    return AliyunSmsProvider(KEY_ID, sign_name="聊城12345", endpoint=server_url + "/", **kwargs)


def test_signature_matches_the_worked_example_in_the_alibaba_cloud_docs():
    params = {"TimeStamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid",
              "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "Version": "2014-05-26",
              "SignatureVersion": "1.0"}
    assert rpc_signature(params, "testsecret", "GET") == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_send_sms_carries_every_documented_parameter_and_the_dedup_key_as_out_id():
    api = Dysmsapi()
    with provider_server(api) as server:
        result = provider(server.url).send(MESSAGE)
    assert result.outcome is Outcome.SENT
    assert result.provider_message_id == OK["BizId"]
    form = api.accepted[0]
    assert form["Action"] == "SendSms"
    assert form["PhoneNumbers"] == PHONE
    assert form["SignName"] == "聊城12345"
    assert form["TemplateCode"] == "SMS_4658001"
    assert json.loads(form["TemplateParam"]) == {"ticket": "LC2026112300017", "code": "4821"}
    assert form["OutId"] == "order-88:accepted:sms"
    assert server.received[0].method == "POST" and server.received[0].query == {}


def test_a_wrong_secret_is_refused_like_dysmsapi_and_retried_later_without_echoing_the_number(caplog):
    caplog.set_level(logging.DEBUG)
    with provider_server(Dysmsapi()) as server:
        result = provider(server.url, access_key_secret="not-the-secret").send(MESSAGE)
    assert result.outcome is Outcome.RETRY and result.code == "SignatureDoesNotMatch"
    assert result.retry_after and result.retry_after >= 600
    assert PHONE not in result.reason
    assert PHONE not in all_log_text(caplog.records) and "not-the-secret" not in all_log_text(caplog.records)


@pytest.mark.parametrize(("code", "message", "outcome", "after", "says"), [
    ("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1", Outcome.RETRY, 60.0, "flow control"),
    ("isv.BUSINESS_LIMIT_CONTROL", "触发小时级流控Permits:5", Outcome.RETRY, 3600.0, "flow control"),
    ("isv.BUSINESS_LIMIT_CONTROL", "触发天级流控Permits:10", Outcome.RETRY, 86400.0, "flow control"),
    ("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号", Outcome.GIVE_UP, None, "malformed mobile number"),
    ("isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量", Outcome.GIVE_UP, None, "parameters missing"),
    ("isv.BLACK_KEY_CONTROL_LIMIT", "黑名单管控", Outcome.GIVE_UP, None, "blacklist"),
    ("isv.AMOUNT_NOT_ENOUGH", "账户余额不足", Outcome.RETRY, 1800.0, "balance insufficient"),
    ("isv.DAY_LIMIT_CONTROL", "触发日发送限额", Outcome.RETRY, 1800.0, "daily sending limit"),
    ("isp.SYSTEM_ERROR", "isp.SYSTEM_ERROR", Outcome.RETRY, 60.0, "busy"),
])
def test_documented_answer_codes_map_to_sent_retry_or_give_up(code, message, outcome, after, says):
    api = Dysmsapi(lambda form: Reply(200, {"Message": message, "RequestId": "R", "Code": code}))
    with provider_server(api) as server:
        result = provider(server.url).send(MESSAGE)
    assert (result.outcome, result.retry_after, result.code) == (outcome, after, code)
    assert says in result.reason


def test_api_throttling_answered_with_http_400_is_retried():
    api = Dysmsapi(lambda form: Reply(400, {"RequestId": "R", "Code": "Throttling.User",
                                            "Message": "Request was denied due to user flow control."}))
    with provider_server(api) as server:
        result = provider(server.url).send(MESSAGE)
    assert result.outcome is Outcome.RETRY and result.code == "Throttling.User"


def test_a_slow_answer_times_out_into_retry_and_the_retry_reuses_the_same_out_id():
    answers = iter([Reply(200, OK, delay=1.5), Reply(200, OK)])
    api = Dysmsapi(lambda form: next(answers))
    with provider_server(api) as server:
        sms = provider(server.url, timeout=0.5)
        first, second = sms.send(MESSAGE), sms.send(MESSAGE)
    assert first.outcome is Outcome.RETRY and "timed out" in first.reason
    assert second.outcome is Outcome.SENT
    assert [form["OutId"] for form in api.accepted] == [MESSAGE.dedup_key] * 2
    assert api.accepted[0]["SignatureNonce"] != api.accepted[1]["SignatureNonce"]


def test_a_server_error_is_retried():
    with provider_server(lambda request: Reply(503, "<html>Service Unavailable</html>")) as server:
        result = provider(server.url).send(MESSAGE)
    assert result.outcome is Outcome.RETRY and "503" in result.reason


def test_an_earlier_attempt_is_found_by_its_out_id_before_sending_again():
    def answer(form: dict[str, str]) -> Reply:
        assert form["Action"] == "QuerySendDetails" and form["PhoneNumber"] == PHONE and len(form["SendDate"]) == 8
        return Reply(200, {"Code": "OK", "Message": "OK", "TotalCount": 1, "RequestId": "R", "SmsSendDetailDTOs": {
            "SmsSendDetailDTO": [{"OutId": MESSAGE.dedup_key, "SendStatus": 3, "ErrCode": "DELIVERED",
                                  "PhoneNum": PHONE, "TemplateCode": "SMS_4658001"}]}})
    with provider_server(Dysmsapi(answer)) as server:
        sms = provider(server.url)
        assert sms.already_accepted(MESSAGE) is True
        other = OutgoingMessage("order-88:completed:sms", "sms", PHONE, "SMS_4658002")
        assert sms.already_accepted(other) is False


def test_no_secret_and_no_full_number_reaches_the_log_or_the_reason(caplog):
    caplog.set_level(logging.DEBUG)
    api = Dysmsapi(lambda form: Reply(200, {"Message": f"号码{PHONE}非法", "RequestId": "R",
                                            "Code": "isv.MOBILE_NUMBER_ILLEGAL"}))
    with provider_server(api) as server:
        result = provider(server.url).send(MESSAGE)
    logged = all_log_text(caplog.records)
    assert "HTTP Request" in logged  # the client did log the request, with its URL cut to the path
    for secret in (SECRET, PHONE):
        assert secret not in logged and secret not in result.reason


def push(items: list[dict], token: str | None) -> CallbackRequest:
    return CallbackRequest({"token": token} if token else {}, {"content-type": "application/json"},
                           json.dumps(items, ensure_ascii=False).encode())


def test_sms_report_push_becomes_receipts_keyed_by_our_out_id():
    items = [{"phone_number": "1391234****", "send_time": "2026-11-23 09:00:02", "report_time": "2026-11-23 09:00:05",
              "success": True, "err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1",
              "biz_id": "900619746936498440^0", "out_id": MESSAGE.dedup_key},
             {"phone_number": "1391234****", "send_time": "2026-11-23 09:01:02", "report_time": "2026-11-23 09:01:09",
              "success": False, "err_code": "MK:0001", "err_msg": "空号", "sms_size": "1", "biz_id": "2", "out_id": ""}]
    receipts = provider("http://unused", callback_token="cb-token").parse_receipts(push(items, "cb-token"))
    assert [(r.delivered, r.status, r.dedup_key) for r in receipts] == [
        (True, "DELIVERED", MESSAGE.dedup_key), (False, "MK:0001", None)]
    assert CALLBACK_ACK == {"code": 0, "msg": "接收成功"}


def test_sms_up_push_becomes_replies_with_the_sender_number():
    items = [{"phone_number": PHONE, "send_time": "2026-11-23 10:00:00", "content": "1", "sign_name": "聊城12345",
              "dest_code": "1234", "sequence_id": 1234567890}]
    replies = provider("http://unused", callback_token="cb-token").parse_replies(push(items, "cb-token"))
    assert [(r.sender, r.text, r.reply_id, r.sender_masked) for r in replies] == [
        (PHONE, "1", "1234567890", "139****5678")]


@pytest.mark.parametrize("token", [None, "forged", "cb-token-but-longer"])
def test_a_push_without_our_token_is_rejected(token):
    sms = provider("http://unused", callback_token="cb-token")
    with pytest.raises(CallbackRejectedError):
        sms.parse_replies(push([{"phone_number": PHONE, "content": "1"}], token))


def test_callbacks_are_refused_when_no_token_is_configured():
    with pytest.raises(CallbackRejectedError) as caught:
        provider("http://unused").parse_receipts(push([], "anything"))
    assert caught.value.error_id == "callback_not_configured"
