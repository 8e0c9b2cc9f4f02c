"""E-mail adapter against a real SMTP server (aiosmtpd) on 127.0.0.1 with STARTTLS or implicit TLS and AUTH."""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from hotline.notifications.providers.base import Outcome, OutgoingMessage
from hotline.notifications.providers.smtp_email import SmtpEmailProvider
from tests.integration.provider_server import all_log_text

USER, PASSWORD = "notices@12345.lc.gov.cn", "smtp-password-0123"
MESSAGE = OutgoingMessage(dedup_key="order-88:assigned:email", channel="email", recipient="water@lc.gov.cn",
                          subject="【转办】工单 LC2026112300017 请于 11月25日前办结",
                          text="东昌府区古楼街道 供水中断，请及时处理。\n—— 聊城12345热线")


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


class Mailbox:
    """Accepts mail like a department's server; some addresses are refused the way real servers refuse them."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.messages: list[tuple[list[str], EmailMessage, bool]] = []  # (rcpt, message, over TLS)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 <nobody@lc.gov.cn>: Recipient address rejected: User unknown"
        if address.startswith("full@"):
            return "452 4.2.2 Mailbox full, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        over_tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.messages.append((list(envelope.rcpt_tos), parsed, over_tls))
        return "250 2.0.0 Ok: queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(ca: trustme.CA, mailbox: Mailbox, implicit_tls: bool = False) -> Iterator[int]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    port = free_port()
    # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; implicit TLS is encrypted from the start.
    tls = {"ssl_context": context, "auth_require_tls": False} if implicit_tls else {
        "tls_context": context, "require_starttls": True, "auth_require_tls": True}
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            server_hostname="127.0.0.1", **tls)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def provider(ca: trustme.CA, port: int, **kwargs) -> SmtpEmailProvider:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    kwargs.setdefault("password", PASSWORD)
    return SmtpEmailProvider("127.0.0.1", port, "notices@12345.lc.gov.cn", sender_name="聊城12345热线",
                             username=USER, ssl_context=context, **kwargs)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_goes_out_over_tls_with_utf8_subject_and_body(ca, security):
    mailbox = Mailbox()
    with smtp_server(ca, mailbox, implicit_tls=security == "ssl") as port:
        result = provider(ca, port, security=security).send(MESSAGE)
    assert result.outcome is Outcome.SENT
    [(rcpt, mail, over_tls)] = mailbox.messages
    assert rcpt == ["water@lc.gov.cn"] and over_tls
    assert mail["Subject"] == MESSAGE.subject
    assert str(mail["From"]) == "聊城12345热线 <notices@12345.lc.gov.cn>"
    assert mail.get_content().replace("\r\n", "\n").strip() == MESSAGE.text
    assert result.provider_message_id == mail["Message-ID"]


def test_a_resent_message_keeps_its_message_id_and_another_message_gets_its_own(ca):
    mailbox = Mailbox()
    other = OutgoingMessage("order-88:extended:email", "email", "water@lc.gov.cn", subject="延期", text="…")
    with smtp_server(ca, mailbox) as port:
        sender = provider(ca, port)
        sender.send(MESSAGE), sender.send(MESSAGE), sender.send(other)
    ids = [mail["Message-ID"] for _, mail, _ in mailbox.messages]
    assert ids[0] == ids[1] != ids[2] and ids[0].endswith("@12345.lc.gov.cn>")


def test_a_wrong_password_waits_for_an_operator_and_is_never_logged(ca, caplog):
    caplog.set_level(logging.DEBUG)
    with smtp_server(ca, Mailbox()) as port:
        result = provider(ca, port, password="wrong-password").send(MESSAGE)
    assert (result.outcome, result.code) == (Outcome.RETRY, "535")
    assert "wrong-password" not in result.reason and "wrong-password" not in all_log_text(caplog.records)


@pytest.mark.parametrize(("recipient", "outcome", "code"), [
    ("nobody@lc.gov.cn", Outcome.GIVE_UP, "550"),
    ("full@lc.gov.cn", Outcome.RETRY, "452"),
])
def test_refused_recipients_give_up_on_5xx_and_retry_on_4xx(ca, recipient, outcome, code):
    message = OutgoingMessage(MESSAGE.dedup_key, "email", recipient, subject="s", text="t")
    with smtp_server(ca, Mailbox()) as port:
        result = provider(ca, port).send(message)
    assert (result.outcome, result.code) == (outcome, code) and recipient not in result.reason


def test_a_server_slower_than_the_timeout_is_retried(ca):
    with smtp_server(ca, Mailbox(delay=2.0)) as port:
        result = provider(ca, port, timeout=0.5).send(MESSAGE)
    assert result.outcome is Outcome.RETRY and "unreachable" in result.reason


def test_an_untrusted_certificate_is_not_accepted(ca):
    with smtp_server(trustme.CA(), Mailbox()) as port:
        result = provider(ca, port).send(MESSAGE)
    assert result.outcome is Outcome.RETRY and "certificate" in result.reason


def test_a_closed_port_is_retried():
    result = SmtpEmailProvider("127.0.0.1", free_port(), "a@b.cn", timeout=1).send(MESSAGE)
    assert result.outcome is Outcome.RETRY
