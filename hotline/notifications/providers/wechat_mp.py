"""WeChat Official Account (公众号) template messages and subscribe notices, with access_token caching;
server-push events (send results, citizens' text messages) checked by the documented SHA-1 signature.

Docs: https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html,
https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/getStableAccessToken.html,
https://developers.weixin.qq.com/doc/service/api/notify/template/api_sendtemplatemessage.html (template send,
client_msg_id), https://developers.weixin.qq.com/doc/service/api/notify/notify/api_sendnewsubscribemsg.html
(bizsend), https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html (signature),
https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html (error codes).
Only plaintext (明文) push mode is read; the encrypted mode needs AES, which the standard library lacks.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping

import httpx2

from hotline.notifications.providers.base import (
    OPERATOR_RETRY_AFTER,
    CallbackRejectedError,
    CallbackRequest,
    DeliveryReceipt,
    InboundReply,
    OutgoingMessage,
    SendResult,
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

CALLBACK_ACK = "success"
TOKEN_REJECTED = {40001, 42001, 40014}
REFRESH_MARGIN = 300.0  # renew this long before WeChat says the token expires
_PATHS = {"template": "/cgi-bin/message/template/send", "subscribe": "/cgi-bin/message/subscribe/bizsend"}
_GIVE_UP = {
    43004: "recipient does not follow the official account",
    43101: "recipient refused this notice",
    40003: "openid unknown to this official account",
    47003: "template data refused",
    40036: "template data refused",
}
_OPERATOR = {
    40037: "template id unknown",
    48001: "API not authorised for this account",
    40013: "AppID invalid",
    40125: "AppSecret invalid",
    40164: "server IP not in the official account's whitelist",
    40243: "AppSecret frozen",
    41002: "AppID missing",
}


class WeChatOfficialAccountProvider:
    """Sends template messages (client_msg_id = dedup key) or subscribe notices to an openid."""

    name = "wechat_mp"

    def __init__(self, app_id: str, app_secret: str, *, kind: str = "template",
                 api_base: str = "https://api.weixin.qq.com", token_mode: str = "stable",
                 message_token: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 client: httpx2.Client | None = None, clock: Callable[[], float] = time.time):
        if kind not in _PATHS or token_mode not in ("stable", "classic"):
            raise ValueError("kind must be template or subscribe; token_mode stable or classic")
        self.app_id = app_id
        self._secret = app_secret
        self.kind = kind
        self.api_base = api_base.rstrip("/")
        self.token_mode = token_mode
        self._message_token = message_token
        self._client = make_client(timeout, client)
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def send(self, message: OutgoingMessage) -> SendResult:
        body: dict = {"touser": message.recipient, "template_id": message.template_code,
                      "data": {name: {"value": value} for name, value in message.template_params.items()}}
        if self.kind == "template":
            body["client_msg_id"] = message.dedup_key  # WeChat sends one message per openid + client_msg_id
        try:
            token = self.access_token()
            answer = self._post(token, body)
            if answer.get("errcode") in TOKEN_REJECTED:
                answer = self._post(self.access_token(rejected=token), body)
        except ProviderUnavailableError as exc:
            return exc.result
        return self._map(answer)

    def access_token(self, rejected: str | None = None) -> str:
        """The cached token, fetched again shortly before expiry or when WeChat rejected `rejected`."""
        with self._lock:
            fresh = self._token is not None and self._clock() < self._renew_at
            if fresh and self._token != rejected:
                return self._token  # type: ignore[return-value]
            answer = self._fetch_token(force=rejected is not None)
            lifetime = float(answer.get("expires_in", 7200))
            self._token = str(answer["access_token"])
            # stable_token hands back the current token with its remaining lifetime: keep a short one briefly.
            self._renew_at = self._clock() + lifetime - min(REFRESH_MARGIN, lifetime / 10)
            return self._token

    def verify_server(self, query: Mapping[str, str]) -> str:
        """The GET handshake when the server URL is saved: answer with echostr once the signature holds."""
        self._check_signature(query)
        return query.get("echostr", "")

    def parse_receipts(self, request: CallbackRequest) -> list[DeliveryReceipt]:
        """TEMPLATESENDJOBFINISH and subscribe_msg_sent_event pushes; other pushes hold no receipt."""
        root = self._event(request)
        openid, created = _field(root, "FromUserName"), _field(root, "CreateTime")
        event = _field(root, "Event")
        if event == "TEMPLATESENDJOBFINISH":
            status = _field(root, "Status")
            return [DeliveryReceipt(self.name, status == "success", status, _field(root, "MsgID") or None, None,
                                    mask_address(openid), created)]
        if event == "subscribe_msg_sent_event":
            return [DeliveryReceipt(self.name, _field(item, "ErrorCode") == "0", _field(item, "ErrorStatus"),
                                    _field(item, "MsgID") or None, None, mask_address(openid), created)
                    for item in root.iter("List")]
        return []

    def parse_replies(self, request: CallbackRequest) -> list[InboundReply]:
        """A citizen's text message to the account (e.g. a satisfaction answer)."""
        root = self._event(request)
        if _field(root, "MsgType") != "text":
            return []
        return [InboundReply(self.name, _field(root, "FromUserName"), _field(root, "Content"),
                             _field(root, "CreateTime"), _field(root, "MsgId") or None)]

    def _fetch_token(self, force: bool) -> dict:
        if self.token_mode == "stable":
            # stable_token keeps the same token for every caller; force_refresh only after a rejection.
            response = exchange(self._client, "POST", f"{self.api_base}/cgi-bin/stable_token", json={
                "grant_type": "client_credential", "appid": self.app_id, "secret": self._secret,
                "force_refresh": force})
        else:
            response = exchange(self._client, "GET", f"{self.api_base}/cgi-bin/token", params={
                "grant_type": "client_credential", "appid": self.app_id, "secret": self._secret})
        answer = json_object(response)
        if answer.get("access_token"):
            return answer
        raise ProviderUnavailableError(self._map(answer, fetching_token=True))

    def _post(self, token: str, body: dict) -> dict:
        url = f"{self.api_base}{_PATHS[self.kind]}"
        return json_object(exchange(self._client, "POST", url, params={"access_token": token}, json=body))

    def _map(self, answer: dict, fetching_token: bool = False) -> SendResult:
        code = answer.get("errcode", 0)
        label = str(code)
        if code == 0 and not fetching_token:
            return SendResult.sent(str(answer["msgid"]) if "msgid" in answer else None, code=label)
        if code in TOKEN_REJECTED:
            text = "AppSecret refused" if fetching_token else "access token rejected even after a refresh"
            return SendResult.retry(text, 60.0 if not fetching_token else OPERATOR_RETRY_AFTER, label)
        if code == -1:
            return SendResult.retry("WeChat system busy", 60.0, label)
        if code == 45009:
            return SendResult.retry("daily API quota reached", seconds_until_next_day(self._clock()), label)
        if code in _GIVE_UP and not fetching_token:
            return SendResult.give_up(_GIVE_UP[code], label)
        if code in _OPERATOR or fetching_token:
            return SendResult.retry(_OPERATOR.get(code, "access token not issued"), OPERATOR_RETRY_AFTER, label)
        return SendResult.give_up(f"unexpected errcode {label[:20]}", label[:20])

    def _event(self, request: CallbackRequest) -> ET.Element:
        self._check_signature(request.query)
        if request.query.get("encrypt_type", "raw") != "raw":
            raise CallbackRejectedError("公众号消息加密模式未支持，请改用明文模式")
        if b"<!DOCTYPE" in request.body.upper() or b"<!ENTITY" in request.body.upper():
            raise CallbackRejectedError("公众号推送内容含有不允许的 XML 声明")
        try:
            return ET.fromstring(request.body)
        except ET.ParseError:
            raise CallbackRejectedError("公众号推送内容不是 XML") from None

    def _check_signature(self, query: Mapping[str, str]) -> None:
        """signature = SHA-1 of token, timestamp and nonce sorted and joined."""
        if not self._message_token:
            raise CallbackRejectedError("公众号推送未配置 Token", error_id="callback_not_configured")
        parts = sorted([self._message_token, query.get("timestamp", ""), query.get("nonce", "")])
        expected = hashlib.sha1("".join(parts).encode()).hexdigest()
        if not hmac.compare_digest(expected, query.get("signature", "")):
            raise CallbackRejectedError("公众号推送签名不符")


def _field(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""
