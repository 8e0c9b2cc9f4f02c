"""Tencent Cloud SMS (SendSms, API 2021-01-11) with TC3-HMAC-SHA256 signing; status and reply callbacks.

Docs: https://cloud.tencent.com/document/api/382/55981 (SendSms), https://cloud.tencent.com/document/api/362/4208
(signature v3, worked example), https://cloud.tencent.com/document/api/382/59177 (SMS error codes),
https://cloud.tencent.com/document/api/382/38780 (common errors), https://cloud.tencent.com/document/product/382/5807
(status callback), https://cloud.tencent.com/document/api/382/59179 (reply callback),
https://cloud.tencent.com/document/api/382/55977 (pulled statuses carry SessionContext). SessionContext carries
our dedup key; like Alibaba's OutId it is echoed, not an idempotency key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence

import httpx2

from hotline.notifications.providers.base import (
    OPERATOR_RETRY_AFTER,
    CallbackRejectedError,
    CallbackRequest,
    DeliveryReceipt,
    InboundReply,
    OutgoingMessage,
    SendResult,
    check_callback_token,
    mask_address,
    seconds_until_next_day,
)
from hotline.notifications.providers.transport import (
    DEFAULT_TIMEOUT,
    ProviderUnavailableError,
    exchange,
    json_object,
    make_client,
)

CALLBACK_ACK = {"result": 0, "errmsg": "OK"}
NEXT_DAY = -1.0  # marker: wait until quotas reset at midnight Beijing time

_RETRY = {
    "LimitExceeded.PhoneNumberThirtySecondLimit": ("per-number 30-second limit", 30.0),
    "LimitExceeded.PhoneNumberOneHourLimit": ("per-number hourly limit", 3600.0),
    "LimitExceeded.PhoneNumberDailyLimit": ("per-number daily limit", NEXT_DAY),
    "LimitExceeded.DeliveryFrequencyLimit": ("frequency policy of the console", 60.0),
    "LimitExceeded.DailyLimit": ("daily limit of the application", NEXT_DAY),
    "LimitExceeded.AppDailyLimit": ("daily limit of the application", NEXT_DAY),
    "LimitExceeded.AppMainlandChinaDailyLimit": ("daily limit of the application", NEXT_DAY),
    "LimitExceeded.AppCountryOrRegionDailyLimit": ("daily limit of the application", NEXT_DAY),
    "LimitExceeded.AppGlobalDailyLimit": ("daily limit of the application", NEXT_DAY),
    "FailedOperation.MarketingSendTimeConstraint": ("outside permitted sending hours", 3600.0),
    "AuthFailure.SignatureExpire": ("request timestamp expired: check the server clock", 60.0),
}
_GIVE_UP = {
    "InvalidParameterValue.IncorrectPhoneNumber": "malformed mobile number",
    "FailedOperation.PhoneNumberParseFail": "malformed mobile number",
    "FailedOperation.PhoneNumberInBlacklist": "number on the do-not-disturb list",
    "FailedOperation.ContainSensitiveWord": "content contains a sensitive word",
    "FailedOperation.TemplateParamSetNotMatchApprovedTemplate": "template parameters do not fit the template",
    "InvalidParameterValue.TemplateParameterFormatError": "template parameter format refused",
    "InvalidParameterValue.TemplateParameterLengthLimit": "a template parameter is too long",
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter": "template parameters may not contain links",
    "InvalidParameterValue.ContentLengthLimit": "message too long",
    "LimitExceeded.PhoneNumberSameContentDailyLimit": "the same content already went to this number today",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": "mixed mainland and international numbers",
}
_OPERATOR = {
    "FailedOperation.InsufficientBalanceInSmsPackage": "SMS package balance insufficient: buy a package",
    "UnauthorizedOperation.ServiceSuspendDueToArrears": "service suspended for arrears: top up the account",
    "FailedOperation.SignatureIncorrectOrUnapproved": "sign name not approved",
    "FailedOperation.TemplateIncorrectOrUnapproved": "template not approved or content mismatch",
    "FailedOperation.TemplateUnapprovedOrNotExist": "template not approved or missing",
    "InvalidParameterValue.SdkAppIdNotExist": "SmsSdkAppId does not exist",
    "UnauthorizedOperation.SmsSdkAppIdVerifyFail": "SmsSdkAppId does not belong to this account",
    "UnauthorizedOperation.SdkAppIdIsDisabled": "SmsSdkAppId disabled",
    "UnauthorizedOperation.RequestIpNotInWhitelist": "server IP not in the whitelist",
    "UnauthorizedOperation.RequestPermissionDeny": "request not permitted for this account",
}


def tc3_authorization(secret_id: str, secret_key: str, *, service: str, timestamp: int,
                      signed_headers: Mapping[str, str], payload: bytes, method: str = "POST",
                      uri: str = "/", query: str = "") -> str:
    """The Authorization header of signature v3: canonical request → string to sign → derived key → HMAC."""
    names = sorted(name.lower() for name in signed_headers)
    values = {name.lower(): value.strip().lower() for name, value in signed_headers.items()}
    canonical_headers = "".join(f"{name}:{values[name]}\n" for name in names)
    header_list = ";".join(names)
    canonical = "\n".join([method, uri, query, canonical_headers, header_list, hashlib.sha256(payload).hexdigest()])
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders={header_list}, Signature={signature}"


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def e164(recipient: str) -> str:
    """Tencent wants +86 numbers; bare 11-digit mainland mobiles get the prefix."""
    if recipient.startswith("+"):
        return recipient
    if recipient.startswith("0086"):
        return "+" + recipient[2:]
    return "+86" + recipient if len(recipient) == 11 and recipient.startswith("1") else "+" + recipient


class TencentSmsProvider:
    """Sends template SMS through sms.tencentcloudapi.com; the dedup key goes out as SessionContext."""

    name = "tencent_sms"

    def __init__(self, secret_id: str, secret_key: str, sdk_app_id: str, sign_name: str, *,
                 region: str = "ap-guangzhou", endpoint: str = "https://sms.tencentcloudapi.com",
                 param_order: Mapping[str, Sequence[str]] | None = None, timeout: float = DEFAULT_TIMEOUT,
                 callback_token: str | None = None, client: httpx2.Client | None = None,
                 clock: Callable[[], float] = time.time):
        self._secret_id = secret_id
        self._secret_key = secret_key
        self.sdk_app_id = sdk_app_id
        self.sign_name = sign_name
        self.region = region
        self.endpoint = endpoint
        self._host = urllib.parse.urlsplit(endpoint).netloc
        # Tencent templates number their variables {1}, {2}…; the order per template comes from settings.
        self._param_order = {code: list(names) for code, names in (param_order or {}).items()}
        self._callback_token = callback_token
        self._client = make_client(timeout, client)
        self._clock = clock

    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            params = self._ordered_params(message)
        except KeyError as missing:
            return SendResult.give_up(f"template parameter {missing} missing")
        payload = json.dumps({
            "PhoneNumberSet": [e164(message.recipient)], "SmsSdkAppId": self.sdk_app_id,
            "SignName": self.sign_name, "TemplateId": message.template_code,
            "TemplateParamSet": params, "SessionContext": message.dedup_key,
        }, ensure_ascii=False).encode()
        try:
            response = self._call("SendSms", payload)
        except ProviderUnavailableError as exc:
            return exc.result
        return self._map(response)

    def already_accepted(self, message: OutgoingMessage) -> bool | None:
        """Look for our SessionContext among the number's statuses of the last day (PullSmsSendStatusByPhoneNumber).

        Only messages whose receipt has arrived are listed, so False can mean "accepted, receipt pending".
        """
        now = int(self._clock())
        payload = json.dumps({"BeginTime": now - 86400, "EndTime": now, "Offset": 0, "Limit": 100,
                              "PhoneNumber": e164(message.recipient), "SmsSdkAppId": self.sdk_app_id}).encode()
        try:
            response = self._call("PullSmsSendStatusByPhoneNumber", payload)
        except ProviderUnavailableError:
            return None
        if "Error" in response:
            return None
        return any(item.get("SessionContext") == message.dedup_key
                   for item in response.get("PullSmsSendStatusSet") or [])

    def parse_receipts(self, request: CallbackRequest) -> list[DeliveryReceipt]:
        """Status callbacks carry no signature; the receiving URL carries our token (see check_callback_token)."""
        return [DeliveryReceipt(
            provider=self.name, delivered=item.get("report_status") == "SUCCESS", status=str(item.get("errmsg", "")),
            provider_message_id=str(item.get("sid") or "") or None, dedup_key=None,
            recipient_masked=mask_address(str(item.get("mobile", ""))),
            reported_at=str(item.get("user_receive_time", "")), description=str(item.get("description", "")),
        ) for item in self._pushed(request)]

    def parse_replies(self, request: CallbackRequest) -> list[InboundReply]:
        """Reply callbacks: nationcode + mobile, the text, and the UNIX time."""
        return [InboundReply(
            provider=self.name, sender=_reply_sender(item), text=str(item.get("text", "")),
            received_at=str(item.get("time", "")),
            reply_id=f"{item.get('mobile', '')}:{item.get('time', '')}",
        ) for item in self._pushed(request)]

    def _ordered_params(self, message: OutgoingMessage) -> list[str]:
        names = self._param_order.get(message.template_code) or list(message.template_params)
        return [message.template_params[name] for name in names]

    def _call(self, action: str, payload: bytes) -> dict:
        response = exchange(self._client, "POST", self.endpoint, content=payload,
                            headers=self._headers(action, payload))
        return json_object(response).get("Response") or {}

    def _headers(self, action: str, payload: bytes) -> dict[str, str]:
        timestamp = int(self._clock())
        signed = {"Content-Type": "application/json; charset=utf-8", "Host": self._host, "X-TC-Action": action}
        authorization = tc3_authorization(self._secret_id, self._secret_key, service="sms", timestamp=timestamp,
                                          signed_headers=signed, payload=payload)
        return {**signed, "Authorization": authorization, "X-TC-Timestamp": str(timestamp),
                "X-TC-Version": "2021-01-11", "X-TC-Region": self.region}

    def _map(self, response: dict) -> SendResult:
        error = response.get("Error")
        if isinstance(error, dict):
            return self._map_code(str(error.get("Code", "")), None)
        statuses = response.get("SendStatusSet") or [{}]
        status = statuses[0]
        return self._map_code(str(status.get("Code", "")), status.get("SerialNo"))

    def _map_code(self, code: str, serial_no: str | None) -> SendResult:
        if code == "Ok":
            return SendResult.sent(serial_no, code=code)
        if code in _RETRY:
            reason, after = _RETRY[code]
            return SendResult.retry(reason, seconds_until_next_day(self._clock()) if after == NEXT_DAY else after,
                                    code)
        if code in _GIVE_UP:
            return SendResult.give_up(_GIVE_UP[code], code)
        if code in _OPERATOR or code.startswith("AuthFailure"):
            return SendResult.retry(_OPERATOR.get(code, "credentials refused: check SecretId / SecretKey"),
                                    OPERATOR_RETRY_AFTER, code)
        if code.startswith(("RequestLimitExceeded", "InternalError", "ResourceUnavailable")) or code == "":
            return SendResult.retry("provider busy or throttling", 60.0, code or None)
        return SendResult.give_up(f"unexpected answer code {code[:60]}", code[:60])

    def _pushed(self, request: CallbackRequest) -> list[dict]:
        check_callback_token(request, self._callback_token, self.name)
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise CallbackRejectedError("腾讯云回调内容不是 JSON") from None
        items = data if isinstance(data, list) else [data]
        if not all(isinstance(item, dict) for item in items):
            raise CallbackRejectedError("腾讯云回调内容格式不符")
        return items


def _reply_sender(item: dict) -> str:
    nation, mobile = str(item.get("nationcode", "86")), str(item.get("mobile", ""))
    return mobile if nation == "86" else f"+{nation}{mobile}"
