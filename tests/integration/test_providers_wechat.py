"""WeChat Official Account adapter against a local api.weixin.qq.com issuing and checking access tokens."""

from __future__ import annotations

import hashlib
import logging
import time

import pytest

from hotline.notifications.providers.base import CallbackRejectedError, CallbackRequest, Outcome, OutgoingMessage
from hotline.notifications.providers.wechat_mp import CALLBACK_ACK, WeChatOfficialAccountProvider
from tests.integration.provider_server import Received, Reply, all_log_text, provider_server

APP_ID, APP_SECRET, MSG_TOKEN = "wx5823bf96d3bd56c7", "wechat-app-secret-0123456789ab", "hotline12345"
OPENID = "oia2TjuEGTNoeX76QEjQNrcURxG8"
MESSAGE = OutgoingMessage(dedup_key="order-88:accepted:wechat", channel="wechat", recipient=OPENID,
                          template_code="ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY",
                          template_params={"thing1": "供水", "character_string2": "LC2026112300017"})


class WeixinApi:
    """Issues tokens against the AppSecret, refuses stale ones like WeChat, and answers sends from `answer`."""

    def __init__(self, answer=None, lifetime: int = 7200):
        self.lifetime = lifetime
        self.answer = answer or (lambda body: {"errcode": 0, "errmsg": "ok", "msgid": 200228332})
        self.issued: list[str] = []
        self.valid: set[str] = set()
        self.sends: list[tuple[str, str, dict]] = []  # (path, token, body)

    def __call__(self, request: Received) -> Reply:
        if request.path == "/cgi-bin/stable_token":
            body = request.json()
            assert body["grant_type"] == "client_credential" and body["appid"] == APP_ID
            return self._issue(body["secret"], force=body["force_refresh"])
        if request.path == "/cgi-bin/token":
            assert request.query["grant_type"] == "client_credential" and request.query["appid"] == APP_ID
            return self._issue(request.query["secret"], force=True)
        token = request.query.get("access_token", "")
        if token not in self.valid:
            return Reply(200, {"errcode": 42001, "errmsg": "access_token expired rid: 65eac940"})
        body = request.json()
        self.sends.append((request.path, token, body))
        return Reply(200, self.answer(body))

    def expire_all(self) -> None:
        self.valid.clear()

    def _issue(self, secret: str, force: bool) -> Reply:
        if secret != APP_SECRET:
            return Reply(200, {"errcode": 40125, "errmsg": "invalid appsecret"})
        if force or not self.valid:
            token = f"ACCESS_TOKEN_{len(self.issued) + 1}"
            self.issued.append(token)
            self.valid = {token}
        return Reply(200, {"access_token": next(iter(self.valid)), "expires_in": self.lifetime})


def provider(url: str, **kwargs) -> WeChatOfficialAccountProvider:
    secret = kwargs.pop("secret", APP_SECRET)
    return WeChatOfficialAccountProvider(APP_ID, secret, api_base=url, message_token=MSG_TOKEN, **kwargs)


def test_template_message_carries_openid_template_data_and_the_dedup_key_as_client_msg_id():
    api = WeixinApi()
    with provider_server(api) as server:
        result = provider(server.url).send(MESSAGE)
    assert result.outcome is Outcome.SENT and result.provider_message_id == "200228332"
    [(path, token, body)] = api.sends
    assert (path, token) == ("/cgi-bin/message/template/send", "ACCESS_TOKEN_1")
    assert body == {"touser": OPENID, "template_id": MESSAGE.template_code, "client_msg_id": MESSAGE.dedup_key,
                    "data": {"thing1": {"value": "供水"}, "character_string2": {"value": "LC2026112300017"}}}


def test_subscribe_notices_go_to_bizsend():
    api = WeixinApi(lambda body: {"errcode": 0, "errmsg": "ok"})
    with provider_server(api) as server:
        result = provider(server.url, kind="subscribe").send(MESSAGE)
    assert result.outcome is Outcome.SENT
    assert api.sends[0][0] == "/cgi-bin/message/subscribe/bizsend" and "client_msg_id" not in api.sends[0][2]


def test_the_access_token_is_cached_and_renewed_shortly_before_it_expires():
    api = WeixinApi()
    now = [time.time()]
    with provider_server(api) as server:
        mp = provider(server.url, clock=lambda: now[0], token_mode="classic")
        mp.send(MESSAGE)
        now[0] += 6800  # still 400 s left: kept
        mp.send(MESSAGE)
        now[0] += 150  # 250 s left: renewed
        mp.send(MESSAGE)
    assert [token for _, token, _ in api.sends] == ["ACCESS_TOKEN_1", "ACCESS_TOKEN_1", "ACCESS_TOKEN_2"]


def test_a_stable_token_near_its_end_is_kept_briefly_rather_than_fetched_for_every_message():
    api = WeixinApi(lifetime=250)
    with provider_server(api) as server:
        mp = provider(server.url)
        assert [mp.send(MESSAGE).outcome for _ in range(3)] == [Outcome.SENT] * 3
        fetches = [r for r in server.received if r.path == "/cgi-bin/stable_token"]
    assert len(fetches) == 1 and fetches[0].json()["force_refresh"] is False


def test_an_expired_token_is_refreshed_once_and_the_same_message_sent_again():
    api = WeixinApi()
    with provider_server(api) as server:
        mp = provider(server.url)
        mp.send(MESSAGE)
        api.expire_all()  # another process force-refreshed, or WeChat revoked it
        result = mp.send(MESSAGE)
    assert result.outcome is Outcome.SENT
    assert api.issued == ["ACCESS_TOKEN_1", "ACCESS_TOKEN_2"]
    assert [r.json()["force_refresh"] for r in server.received if r.path == "/cgi-bin/stable_token"] == [False, True]
    assert [body["client_msg_id"] for _, _, body in api.sends] == [MESSAGE.dedup_key] * 2


@pytest.mark.parametrize("code", [40001, 42001, 40014])
def test_a_token_still_rejected_after_one_refresh_is_retried_later(code):
    class Stubborn(WeixinApi):
        def __call__(self, request: Received) -> Reply:
            if request.path.startswith("/cgi-bin/message"):
                self.sends.append((request.path, request.query["access_token"], request.json()))
                return Reply(200, {"errcode": code, "errmsg": "invalid credential"})
            return super().__call__(request)
    api = Stubborn()
    with provider_server(api) as server:
        result = provider(server.url).send(MESSAGE)
    assert (result.outcome, result.code) == (Outcome.RETRY, str(code))
    assert len(api.sends) == 2 and len(api.issued) == 2


@pytest.mark.parametrize(("code", "outcome", "says"), [
    (43004, Outcome.GIVE_UP, "does not follow"),
    (43101, Outcome.GIVE_UP, "refused"),
    (45009, Outcome.RETRY, "quota"),
    (-1, Outcome.RETRY, "busy"),
    (40037, Outcome.RETRY, "template id"),
])
def test_documented_errcodes_map_to_retry_or_give_up(code, outcome, says):
    api = WeixinApi(lambda body: {"errcode": code, "errmsg": f"error rid: 6385c6c1 for {OPENID}"})
    with provider_server(api) as server:
        result = provider(server.url).send(MESSAGE)
    assert (result.outcome, result.code) == (outcome, str(code)) and says in result.reason


@pytest.mark.parametrize("mode", ["stable", "classic"])
def test_a_wrong_app_secret_waits_for_an_operator_and_never_reaches_the_log(caplog, mode):
    caplog.set_level(logging.DEBUG)
    with provider_server(WeixinApi()) as server:
        result = provider(server.url, secret="not-the-app-secret", token_mode=mode).send(MESSAGE)
    assert (result.outcome, result.code) == (Outcome.RETRY, "40125")
    logged = all_log_text(caplog.records)
    assert "HTTP Request" in logged and "not-the-app-secret" not in logged and "ACCESS_TOKEN" not in logged


def test_classic_token_mode_keeps_secret_and_token_out_of_the_log(caplog):
    caplog.set_level(logging.DEBUG)
    api = WeixinApi()
    with provider_server(api) as server:
        assert provider(server.url, token_mode="classic").send(MESSAGE).outcome is Outcome.SENT
    logged = all_log_text(caplog.records)
    assert "/cgi-bin/token" in logged
    for secret in (APP_SECRET, "ACCESS_TOKEN_1"):
        assert secret not in logged


def test_a_slow_answer_is_retried_with_the_same_client_msg_id():
    answers = iter([0.8, 0.0])
    api = WeixinApi()
    original = api.__call__

    def slow(request: Received) -> Reply:
        reply = original(request)
        if request.path.startswith("/cgi-bin/message"):
            reply.delay = next(answers)
        return reply
    with provider_server(slow) as server:
        mp = provider(server.url, timeout=0.4)
        first, second = mp.send(MESSAGE), mp.send(MESSAGE)
    assert first.outcome is Outcome.RETRY and "timed out" in first.reason
    assert second.outcome is Outcome.SENT
    assert [body["client_msg_id"] for _, _, body in api.sends] == [MESSAGE.dedup_key] * 2


def test_a_server_error_while_fetching_the_token_is_retried():
    with provider_server(lambda request: Reply(500, "oops")) as server:
        result = provider(server.url).send(MESSAGE)
    assert result.outcome is Outcome.RETRY and "500" in result.reason


def signed(body: str, token: str = MSG_TOKEN, **extra: str) -> CallbackRequest:
    timestamp, nonce = "1795420800", "1234567890"
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return CallbackRequest({"signature": signature, "timestamp": timestamp, "nonce": nonce, **extra}, {},
                           body.encode())


TEMPLATE_DONE = """<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName>
<FromUserName><![CDATA[oia2TjuEGTNoeX76QEjQNrcURxG8]]></FromUserName><CreateTime>1395658984</CreateTime>
<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200163840</MsgID>
<Status><![CDATA[{status}]]></Status></xml>"""


@pytest.mark.parametrize(("status", "delivered"), [("success", True), ("failed:user block", False),
                                                    ("failed: system failed", False)])
def test_template_send_job_finish_becomes_a_receipt(status, delivered):
    [receipt] = provider("http://unused").parse_receipts(signed(TEMPLATE_DONE.replace("{status}", status)))
    assert (receipt.delivered, receipt.status, receipt.provider_message_id) == (delivered, status, "200163840")
    assert OPENID not in receipt.recipient_masked


def test_subscribe_msg_sent_event_becomes_receipts():
    xml = f"""<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>
<CreateTime>1620963428</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_sent_event]]></Event>
<SubscribeMsgSentEvent><List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>
<MsgID>1700827132819554304</MsgID><ErrorCode>0</ErrorCode><ErrorStatus><![CDATA[success]]></ErrorStatus></List>
</SubscribeMsgSentEvent></xml>"""
    [receipt] = provider("http://unused").parse_receipts(signed(xml))
    assert (receipt.delivered, receipt.provider_message_id) == (True, "1700827132819554304")


def test_a_citizens_text_message_becomes_a_reply_and_is_no_receipt():
    xml = f"""<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>
<CreateTime>1795420800</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[1 满意]]></Content>
<MsgId>1234567890123456</MsgId></xml>"""
    mp = provider("http://unused")
    assert [(r.sender, r.text, r.reply_id) for r in mp.parse_replies(signed(xml))] == [
        (OPENID, "1 满意", "1234567890123456")]
    assert mp.parse_receipts(signed(xml)) == []
    assert CALLBACK_ACK == "success"


def test_a_push_with_a_forged_signature_or_an_entity_declaration_is_rejected():
    mp = provider("http://unused")
    with pytest.raises(CallbackRejectedError):
        mp.parse_replies(signed(TEMPLATE_DONE, token="guessed"))
    with pytest.raises(CallbackRejectedError):
        mp.parse_replies(signed('<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><MsgType>text</MsgType></xml>'))
    with pytest.raises(CallbackRejectedError):
        mp.parse_replies(signed(TEMPLATE_DONE, encrypt_type="aes"))


def test_the_server_url_handshake_echoes_only_a_correctly_signed_request():
    mp = provider("http://unused")
    request = signed("", echostr="8471203985")
    assert mp.verify_server(request.query) == "8471203985"
    with pytest.raises(CallbackRejectedError):
        mp.verify_server({**request.query, "nonce": "other"})
