"""Alibaba Cloud SMS (dysmsapi 2017-05-25 SendSms) with the RPC HMAC-SHA1 signature; SmsReport / SmsUp HTTP pushes.

Docs: https://help.aliyun.com/document_detail/55284.html (SendSms),
https://help.aliyun.com/document_detail/28839.html (signature mechanism),
https://help.aliyun.com/document_detail/101346.html (error codes),
https://help.aliyun.com/document_detail/101867.html (SmsReport push), https://help.aliyun.com/document_detail/101847.html
(SmsUp push). SendSms is not idempotent (the docs say so); OutId carries our dedup key so receipts and the
console name the message, and a retry after a timeout asks QuerySendDetails first.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping

import httpx2

from hotline.notifications.providers.base import (
    CST,
    OPERATOR_RETRY_AFTER,
    CallbackRejectedError,
    CallbackRequest,
    DeliveryReceipt,
    InboundReply,
    OutgoingMessage,
    SendResult,
    check_callback_token,
    mask_address,
)
from hotline.notifications.providers.transport import (
    DEFAULT_TIMEOUT,
    ProviderUnavailableError,
    exchange,
    json_object,
    make_client,
)

# The platform answers each push only with this body (any numeric code is accepted).
CALLBACK_ACK = {"code": 0, "msg": "接收成功"}

_GIVE_UP = {
    "isv.MOBILE_NUMBER_ILLEGAL": "malformed mobile number",
    "isv.MOBILE_COUNT_OVER_LIMIT": "too many numbers in one request",
    "isv.TEMPLATE_MISSING_PARAMETERS": "template parameters missing",
    "isv.INVALID_JSON_PARAM": "template parameters are not valid JSON",
    "isv.INVALID_PARAMETERS": "invalid parameters",
    "isv.PARAM_LENGTH_LIMIT": "a template parameter is too long",
    "isv.PARAM_NOT_SUPPORT_URL": "template parameters may not contain links",
    "isv.BLACK_KEY_CONTROL_LIMIT": "blocked by the carrier blacklist",
    "isv.SMS_CONTENT_ILLEGAL": "content refused by the provider",
    "isv.DOMESTIC_NUMBER_NOT_SUPPORTED": "template does not allow mainland numbers",
    "isv.EXTEND_CODE_ERROR": "extension code misused",
}
# The message is fine; the account needs an operator (balance, limits, keys, sign or template approval).
_OPERATOR = {
    "isv.AMOUNT_NOT_ENOUGH": "account balance insufficient: top up the Alibaba Cloud account",
    "isv.OUT_OF_SERVICE": "service suspended for lack of balance: top up the account",
    "isv.DAY_LIMIT_CONTROL": "daily sending limit set in the console reached",
    "isv.MONTH_LIMIT_CONTROL": "monthly sending limit set in the console reached",
    "isv.SMS_SIGNATURE_ILLEGAL": "sign name not approved",
    "isv.SMS_SIGN_ILLEGAL": "sign name may not be used",
    "isv.SIGN_STATE_ILLEGAL": "sign name unavailable",
    "isv.SMS_TEMPLATE_ILLEGAL": "template not approved or not owned",
    "isv.SMS_SIGNATURE_SCENE_ILLEGAL": "sign type does not fit the template",
    "isv.ACCOUNT_NOT_EXISTS": "account does not exist",
    "isv.ACCOUNT_ABNORMAL": "account abnormal",
    "isv.PRODUCT_UN_SUBSCRIPT": "SMS service not subscribed",
    "isv.PRODUCT_UNSUBSCRIBE": "SMS service not subscribed",
    "isv.DENY_IP_RANGE": "sending from this IP region is denied",
    "isp.RAM_PERMISSION_DENY": "RAM user lacks SMS permission",
    "SignatureDoesNotMatch": "request signature rejected: check the AccessKey secret",
    "InvalidAccessKeyId.NotFound": "AccessKey ID unknown",
    "InvalidAccessKeyId.Inactive": "AccessKey disabled",
    "InvalidTimeStamp.Expired": "request timestamp out of range: check the server clock",
}
_TRANSIENT = {"isp.SYSTEM_ERROR", "isp.GATEWAY_ERROR", "ServiceUnavailable", "InternalError", "Throttling",
              "Throttling.User", "Throttling.Api", "SignatureNonceUsed"}
_FLOW_WINDOWS = (("分钟", 60.0), ("小时", 3600.0), ("天", 86400.0))


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as the RPC signature defines it: only A-Z a-z 0-9 - _ . ~ stay as they are."""
    return urllib.parse.quote(value, safe="~")


def rpc_string_to_sign(params: Mapping[str, str], method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def rpc_signature(params: Mapping[str, str], access_key_secret: str, method: str = "POST") -> str:
    """Base64(HMAC-SHA1(secret + "&", StringToSign)) over every parameter except Signature."""
    digest = hmac.new(f"{access_key_secret}&".encode(), rpc_string_to_sign(params, method).encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()


def domestic_number(recipient: str) -> str:
    for prefix in ("+86", "0086"):
        if recipient.startswith(prefix):
            return recipient[len(prefix):]
    return recipient


class AliyunSmsProvider:
    """Sends template SMS through dysmsapi; the dedup key goes out as OutId."""

    name = "aliyun_sms"

    def __init__(self, access_key_id: str, access_key_secret: str, sign_name: str, *,
                 endpoint: str = "https://dysmsapi.aliyuncs.com/", region_id: str = "cn-hangzhou",
                 timeout: float = DEFAULT_TIMEOUT, callback_token: str | None = None,
                 client: httpx2.Client | None = None, clock: Callable[[], float] = time.time,
                 nonce: Callable[[], str] = lambda: uuid.uuid4().hex):
        self._key_id = access_key_id
        self._secret = access_key_secret
        self.sign_name = sign_name
        self.endpoint = endpoint
        self.region_id = region_id
        self._callback_token = callback_token
        self._client = make_client(timeout, client)
        self._clock = clock
        self._nonce = nonce

    def send(self, message: OutgoingMessage) -> SendResult:
        params = {"Action": "SendSms", "PhoneNumbers": domestic_number(message.recipient),
                  "SignName": self.sign_name, "TemplateCode": message.template_code, "OutId": message.dedup_key}
        if message.template_params:
            params["TemplateParam"] = json.dumps(dict(message.template_params), ensure_ascii=False,
                                                 separators=(",", ":"))
        try:
            body = self._call(params)
        except ProviderUnavailableError as exc:
            return exc.result
        return self._map(body)

    def already_accepted(self, message: OutgoingMessage) -> bool | None:
        """Ask QuerySendDetails whether an earlier attempt with this OutId got through today (None: unknown)."""
        day = dt.datetime.fromtimestamp(self._clock(), CST).strftime("%Y%m%d")
        params = {"Action": "QuerySendDetails", "PhoneNumber": domestic_number(message.recipient),
                  "SendDate": day, "PageSize": "50", "CurrentPage": "1"}
        try:
            body = self._call(params)
        except ProviderUnavailableError:
            return None
        if body.get("Code") != "OK":
            return None
        details = (body.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
        return any(detail.get("OutId") == message.dedup_key for detail in details)

    def parse_receipts(self, request: CallbackRequest) -> list[DeliveryReceipt]:
        """SmsReport pushes carry no signature; the receiving URL carries our token (see check_callback_token)."""
        return [DeliveryReceipt(
            provider=self.name, delivered=bool(item.get("success")), status=str(item.get("err_code", "")),
            provider_message_id=_text(item.get("biz_id")), dedup_key=_text(item.get("out_id")),
            recipient_masked=mask_address(str(item.get("phone_number", ""))),
            reported_at=str(item.get("report_time", "")), description=str(item.get("err_msg", "")),
        ) for item in self._pushed_items(request)]

    def parse_replies(self, request: CallbackRequest) -> list[InboundReply]:
        """SmsUp pushes: the citizen's number, the text, and sequence_id for deduplication."""
        return [InboundReply(
            provider=self.name, sender=str(item.get("phone_number", "")), text=str(item.get("content", "")),
            received_at=str(item.get("send_time", "")), reply_id=_text(item.get("sequence_id")),
        ) for item in self._pushed_items(request)]

    def _pushed_items(self, request: CallbackRequest) -> list[dict]:
        check_callback_token(request, self._callback_token, self.name)
        try:
            items = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise CallbackRejectedError("阿里云回调内容不是 JSON") from None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise CallbackRejectedError("阿里云回调内容应为 JSON 数组")
        return items

    def _call(self, params: dict[str, str]) -> dict:
        common = {
            "AccessKeyId": self._key_id, "Format": "JSON", "RegionId": self.region_id,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": self._nonce(), "SignatureVersion": "1.0",
            "Timestamp": dt.datetime.fromtimestamp(self._clock(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        signed = {**common, **params}
        signature = rpc_signature(signed, self._secret, "POST")
        # Parameters go in the form body, not the URL: phone numbers stay out of access logs and proxies.
        form = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(signed.items()))
        form += f"&Signature={percent_encode(signature)}"
        response = exchange(self._client, "POST", self.endpoint, content=form.encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        return json_object(response)

    def _map(self, body: dict) -> SendResult:
        code = str(body.get("Code", ""))
        if code == "OK":
            return SendResult.sent(_text(body.get("BizId")), code=code)
        if code == "isv.BUSINESS_LIMIT_CONTROL":
            return SendResult.retry("provider flow control for this number", _flow_window(body), code)
        if code in _GIVE_UP:
            return SendResult.give_up(_GIVE_UP[code], code)
        if code in _OPERATOR:
            return SendResult.retry(_OPERATOR[code], OPERATOR_RETRY_AFTER, code)
        if code in _TRANSIENT or code.startswith("Throttling"):
            return SendResult.retry("provider busy or throttling", 60.0, code)
        return SendResult.give_up(f"unexpected answer code {code[:60]}", code[:60] or None)


def _flow_window(body: dict) -> float:
    """BUSINESS_LIMIT_CONTROL says which window tripped (触发分钟级/小时级/天级流控); wait that long."""
    message = str(body.get("Message", ""))
    return next((seconds for word, seconds in _FLOW_WINDOWS if word in message), 60.0)


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
