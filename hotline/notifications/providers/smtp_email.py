"""E-mail to departments over SMTP (standard library), STARTTLS or implicit TLS, UTF-8 subject and body.

Docs: RFC 5321 reply codes (4xx transient, 5xx permanent), RFC 5322 Message-ID, RFC 3207 STARTTLS,
https://docs.python.org/3/library/smtplib.html. SMTP takes no idempotency key; the Message-ID is derived
from the dedup key instead, so a resent message is recognisably the same message to the reader's client.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from hotline.notifications.providers.base import OPERATOR_RETRY_AFTER, OutgoingMessage, SendResult

SECURITY_MODES = ("starttls", "ssl", "none")


def message_id_for(dedup_key: str, domain: str) -> str:
    """The same dedup key always yields the same Message-ID."""
    return f"<hotline.{hashlib.sha256(dedup_key.encode()).hexdigest()[:32]}@{domain}>"


class SmtpEmailProvider:
    """Sends plain-text UTF-8 mail; the recipient is an e-mail address."""

    name = "smtp"

    def __init__(self, host: str, port: int, sender: str, *, sender_name: str = "", username: str | None = None,
                 password: str | None = None, security: str = "starttls", timeout: float = 10.0,
                 message_id_domain: str | None = None, ssl_context: ssl.SSLContext | None = None):
        if security not in SECURITY_MODES:
            raise ValueError(f"security must be one of {SECURITY_MODES}")
        self.host = host
        self.port = port
        self.sender = sender
        self.sender_name = sender_name
        self._username = username
        self._password = password
        self.security = security
        self.timeout = timeout
        self.domain = message_id_domain or sender.rpartition("@")[2] or host
        self._ssl_context = ssl_context or ssl.create_default_context()

    def send(self, message: OutgoingMessage) -> SendResult:
        email = self.compose(message)
        try:
            with self._connect() as smtp:
                if self._username:
                    smtp.login(self._username, self._password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            code = min(code for code, _ in exc.recipients.values())
            return _by_code(code, "recipient refused")
        except smtplib.SMTPAuthenticationError as exc:
            return SendResult.retry("SMTP login refused: check user and password", OPERATOR_RETRY_AFTER,
                                    str(exc.smtp_code))
        except smtplib.SMTPSenderRefused as exc:
            return SendResult.retry("sender address refused", OPERATOR_RETRY_AFTER, str(exc.smtp_code))
        except smtplib.SMTPNotSupportedError:
            return SendResult.retry("server does not offer STARTTLS or AUTH", OPERATOR_RETRY_AFTER)
        except smtplib.SMTPResponseException as exc:
            return _by_code(exc.smtp_code, "message refused")
        except ssl.SSLCertVerificationError:
            return SendResult.retry("server certificate not trusted", OPERATOR_RETRY_AFTER)
        except (smtplib.SMTPException, OSError) as exc:  # timeouts, refused connections, dropped links
            return SendResult.retry(f"SMTP server unreachable ({type(exc).__name__})")
        return SendResult.sent(email["Message-ID"])

    def compose(self, message: OutgoingMessage) -> EmailMessage:
        email = EmailMessage()
        email["From"] = formataddr((self.sender_name, self.sender)) if self.sender_name else self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Date"] = formatdate(localtime=True)
        email["Message-ID"] = message_id_for(message.dedup_key, self.domain)
        email.set_content(message.text, charset="utf-8")
        return email

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._ssl_context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.security == "starttls":
                smtp.starttls(context=self._ssl_context)
        except BaseException:
            smtp.close()
            raise
        return smtp


def _by_code(code: int, what: str) -> SendResult:
    if 400 <= code < 500:
        return SendResult.retry(f"{what} for now ({code})", 300.0, str(code))
    return SendResult.give_up(f"{what} ({code})", str(code))
