"""Tencent Cloud SMS adapter against a local sms.tencentcloudapi.com that re-computes TC3-HMAC-SHA256."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable

import pytest

from hotline.notifications.providers.base import CallbackRejectedError, CallbackRequest, Outcome, OutgoingMessage
from hotline.notifications.providers.tencent_sms import CALLBACK_ACK, TencentSmsProvider, tc3_authorization
from tests.integration.provider_server import Received, Reply, all_log_text, provider_server

SECRET_ID, SECRET_KEY = "AKIDtestSecretId0123456789", "tc-secret-key-0123456789abcdef"
PHONE = "13912345678"
MESSAGE = OutgoingMessage(dedup_key="order-88:accepted:sms", channel="sms", recipient=PHONE, template_code="1110",
                          template_params={"code": "4821", "ticket": "LC2026112300017"})
OK_STATUS = {"SerialNo": "5000:1045710669157053657849499619", "PhoneNumber": "+8613912345678", "Fee": 1,
             "SessionContext": MESSAGE.dedup_key, "Code": "Ok", "Message": "send success", "IsoCode": "CN"}


def reference_signature(request: Received, secret_key: str) -> tuple[str, str, str]:
    """The documented steps, written out again: returns (expected signature, credential scope, signed headers)."""
    auth = request.headers["authorization"]
    algorithm, _, fields = auth.partition(" ")
    parts = dict(part.strip().split("=", 1) for part in fields.split(","))
    signed = parts["SignedHeaders"].split(";")
    canonical_headers = "".join(f"{name}:{request.headers[name].strip().lower()}\n" for name in signed)
    canonical = "POST\n/\n\n" + canonical_headers + "\n" + ";".join(signed) + "\n" + \
        hashlib.sha256(request.body).hexdigest()
    stamp = request.headers["x-tc-timestamp"]
    date = dt.datetime.fromtimestamp(int(stamp), dt.UTC).strftime("%Y-%m-%d")
    scope = f"{date}/sms/tc3_request"
    to_sign = f"{algorithm}\n{stamp}\n{scope}\n" + hashlib.sha256(canonical.encode()).hexdigest()
    key = ("TC3" + secret_key).encode()
    for part in (date, "sms", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), scope, parts["SignedHeaders"]


def error(code: str, message: str = "") -> Reply:
    return Reply(200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": "a0aabda6"}})


class SmsApi:
    """Refuses what Tencent refuses (signature, clock skew, headers), then answers from `answer`."""

    def __init__(self, answer: Callable[[dict], Reply] | None = None):
        self.answer = answer or (lambda body: Reply(200, {"Response": {"SendStatusSet": [OK_STATUS],
                                                                       "RequestId": "a0aabda6"}}))
        self.accepted: list[dict] = []

    def pull(self, body: dict) -> Reply:
        """Statuses of this number whose receipt arrived: every accepted message here."""
        assert body["SmsSdkAppId"] == "1400787878" and 0 < body["EndTime"] - body["BeginTime"] <= 7 * 86400
        statuses = [{"SerialNo": OK_STATUS["SerialNo"], "PhoneNumber": body["PhoneNumber"], "CountryCode": "86",
                     "SubscriberNumber": PHONE, "ReportStatus": "SUCCESS", "Description": "DELIVRD",
                     "UserReceiveTime": body["EndTime"], "SessionContext": sent["SessionContext"]}
                    for sent in self.accepted if sent["PhoneNumberSet"] == [body["PhoneNumber"]]]
        return Reply(200, {"Response": {"PullSmsSendStatusSet": statuses, "RequestId": "r"}})

    def __call__(self, request: Received) -> Reply:
        expected, scope, signed = reference_signature(request, SECRET_KEY)
        auth = request.headers["authorization"]
        if not auth.endswith(f"Signature={expected}") or f"Credential={SECRET_ID}/{scope}," not in auth:
            return error("AuthFailure.SignatureFailure", f"The provided credentials could not be validated. {PHONE}")
        if abs(int(request.headers["x-tc-timestamp"]) - time.time()) > 300:
            return error("AuthFailure.SignatureExpire", "Signature expire.")
        assert {"content-type", "host"} <= set(signed.split(";"))
        assert request.headers["content-type"] == "application/json; charset=utf-8"
        assert (request.headers["x-tc-version"], request.headers["x-tc-region"]) == ("2021-01-11", "ap-guangzhou")
        if request.headers["x-tc-action"] == "PullSmsSendStatusByPhoneNumber":
            return self.pull(request.json())
        assert request.headers["x-tc-action"] == "SendSms"
        body = request.json()
        self.accepted.append(body)
        return self.answer(body)


def provider(url: str, **kwargs) -> TencentSmsProvider:
    kwargs.setdefault("param_order", {"1110": ["ticket", "code"]})
    secret_key = kwargs.pop("secret_key", SECRET_KEY)
    return TencentSmsProvider(SECRET_ID, secret_key, "1400787878", "聊城12345", endpoint=url, **kwargs)


def test_signature_matches_the_worked_example_in_the_tencent_cloud_docs():
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    authorization = tc3_authorization(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", service="cvm",
        timestamp=1551113065, payload=payload,
        signed_headers={"Content-Type": "application/json; charset=utf-8", "Host": "cvm.tencentcloudapi.com"})
    assert authorization == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")


def test_send_sms_is_signed_and_carries_the_documented_body_with_the_dedup_key_as_session_context():
    api = SmsApi()
    with provider_server(api) as server:
        result = provider(server.url).send(MESSAGE)
    assert result.outcome is Outcome.SENT and result.provider_message_id == OK_STATUS["SerialNo"]
    assert api.accepted == [{"PhoneNumberSet": ["+8613912345678"], "SmsSdkAppId": "1400787878",
                             "SignName": "聊城12345", "TemplateId": "1110",
                             "TemplateParamSet": ["LC2026112300017", "4821"], "SessionContext": MESSAGE.dedup_key}]


def test_a_wrong_secret_key_is_refused_like_tencent_and_left_for_an_operator(caplog):
    caplog.set_level(logging.DEBUG)
    with provider_server(SmsApi()) as server:
        result = provider(server.url, secret_key="wrong-key").send(MESSAGE)
    assert (result.outcome, result.code) == (Outcome.RETRY, "AuthFailure.SignatureFailure")
    assert result.retry_after and result.retry_after >= 600
    logged = all_log_text(caplog.records)
    for secret in (PHONE, "wrong-key", SECRET_KEY):
        assert secret not in logged and secret not in result.reason


def test_a_clock_far_off_is_refused_as_expired_and_retried():
    with provider_server(SmsApi()) as server:
        result = provider(server.url, clock=lambda: time.time() - 3600).send(MESSAGE)
    assert (result.outcome, result.code) == (Outcome.RETRY, "AuthFailure.SignatureExpire")


def status(code: str) -> Callable[[dict], Reply]:
    entry = {**OK_STATUS, "Code": code, "Message": f"{code} for {PHONE}", "SerialNo": "", "Fee": 0}
    return lambda body: Reply(200, {"Response": {"SendStatusSet": [entry], "RequestId": "r"}})


@pytest.mark.parametrize(("answer", "outcome", "code", "says"), [
    (status("LimitExceeded.PhoneNumberThirtySecondLimit"), Outcome.RETRY, "LimitExceeded.PhoneNumberThirtySecondLimit",
     "30-second"),
    (status("LimitExceeded.PhoneNumberDailyLimit"), Outcome.RETRY, "LimitExceeded.PhoneNumberDailyLimit", "daily"),
    (status("FailedOperation.PhoneNumberInBlacklist"), Outcome.GIVE_UP, "FailedOperation.PhoneNumberInBlacklist",
     "do-not-disturb"),
    (status("InvalidParameterValue.IncorrectPhoneNumber"), Outcome.GIVE_UP,
     "InvalidParameterValue.IncorrectPhoneNumber", "malformed"),
    (status("FailedOperation.InsufficientBalanceInSmsPackage"), Outcome.RETRY,
     "FailedOperation.InsufficientBalanceInSmsPackage", "balance insufficient"),
    (lambda body: error("RequestLimitExceeded", "request limit"), Outcome.RETRY, "RequestLimitExceeded", "throttling"),
    (lambda body: error("AuthFailure.SecretIdNotFound"), Outcome.RETRY, "AuthFailure.SecretIdNotFound", "credentials"),
    (lambda body: error("InternalError.Timeout"), Outcome.RETRY, "InternalError.Timeout", "busy"),
])
def test_send_status_and_error_codes_map_to_sent_retry_or_give_up(answer, outcome, code, says):
    with provider_server(SmsApi(answer)) as server:
        result = provider(server.url).send(MESSAGE)
    assert (result.outcome, result.code) == (outcome, code)
    assert says in result.reason and PHONE not in result.reason


def test_daily_limits_wait_until_midnight_beijing_time():
    noon = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
    sms = provider("http://unused", clock=lambda: noon)
    assert sms._map_code("LimitExceeded.PhoneNumberDailyLimit", None).retry_after == 12 * 3600


def test_a_slow_answer_times_out_and_the_retry_sends_the_same_session_context():
    answers = iter([Reply(200, {"Response": {"SendStatusSet": [OK_STATUS], "RequestId": "r"}}, delay=1.5), None])
    api = SmsApi()
    first_answer = api.answer
    api.answer = lambda body: next(answers) or first_answer(body)
    with provider_server(api) as server:
        sms = provider(server.url, timeout=0.5)
        first, second = sms.send(MESSAGE), sms.send(MESSAGE)
    assert first.outcome is Outcome.RETRY and "timed out" in first.reason
    assert second.outcome is Outcome.SENT
    assert [body["SessionContext"] for body in api.accepted] == [MESSAGE.dedup_key] * 2


def test_an_earlier_attempt_is_found_by_its_session_context_before_sending_again():
    with provider_server(SmsApi()) as server:
        sms = provider(server.url)
        assert sms.already_accepted(MESSAGE) is False
        sms.send(MESSAGE)
        assert sms.already_accepted(MESSAGE) is True
        other = OutgoingMessage("order-88:completed:sms", "sms", PHONE, "1111")
        assert sms.already_accepted(other) is False


def test_a_gateway_error_is_retried():
    with provider_server(lambda request: Reply(502, "Bad Gateway")) as server:
        result = provider(server.url).send(MESSAGE)
    assert result.outcome is Outcome.RETRY and "502" in result.reason


def test_a_template_parameter_missing_from_the_message_gives_up_without_calling():
    with provider_server(SmsApi()) as server:
        result = provider(server.url, param_order={"1110": ["ticket", "code", "dept"]}).send(MESSAGE)
        assert server.received == []
    assert result.outcome is Outcome.GIVE_UP and "dept" in result.reason


def pushed(data: object, token: str | None) -> CallbackRequest:
    return CallbackRequest({"token": token} if token else {}, {}, json.dumps(data, ensure_ascii=False).encode())


def test_status_callback_becomes_receipts_by_serial_number():
    data = [{"user_receive_time": "2026-11-23 09:00:04", "nationcode": "86", "mobile": PHONE,
             "report_status": "SUCCESS", "errmsg": "DELIVRD", "description": "用户短信送达成功",
             "sid": OK_STATUS["SerialNo"]},
            {"user_receive_time": "2026-11-23 09:00:09", "nationcode": "86", "mobile": PHONE,
             "report_status": "FAIL", "errmsg": "MK:0005", "description": "空号", "sid": "x"}]
    receipts = provider("http://unused", callback_token="t0k3n").parse_receipts(pushed(data, "t0k3n"))
    assert [(r.delivered, r.status, r.provider_message_id, r.recipient_masked) for r in receipts] == [
        (True, "DELIVRD", OK_STATUS["SerialNo"], "139****5678"), (False, "MK:0005", "x", "139****5678")]
    assert CALLBACK_ACK == {"result": 0, "errmsg": "OK"}


def test_reply_callback_becomes_a_reply_from_the_citizen():
    data = {"extend": "", "mobile": PHONE, "nationcode": "86", "sign": "聊城12345", "text": "3 还是没修好",
            "time": 1795420800}
    [reply] = provider("http://unused", callback_token="t0k3n").parse_replies(pushed(data, "t0k3n"))
    assert (reply.sender, reply.text, reply.received_at) == (PHONE, "3 还是没修好", "1795420800")


def test_a_callback_with_a_forged_token_is_rejected():
    with pytest.raises(CallbackRejectedError):
        provider("http://unused", callback_token="t0k3n").parse_replies(pushed({"mobile": PHONE}, "t0k3m"))
