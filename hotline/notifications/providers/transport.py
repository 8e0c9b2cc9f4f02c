"""HTTP plumbing of the provider adapters: explicit timeouts, transport failures and 5xx mapped to RETRY,
and request URLs logged without their query string (webhook keys and access tokens travel there)."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx2

from hotline.notifications.providers.base import SendResult

DEFAULT_TIMEOUT = 5.0


class ProviderUnavailableError(Exception):
    """The provider could not be reached or answered with a server error; carries the RETRY result."""

    def __init__(self, result: SendResult):
        super().__init__(result.reason)
        self.result = result


class _QueryRedactingFilter(logging.Filter):
    """httpx2 logs every request URL at INFO; keep scheme, host and path, drop the query."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(arg.copy_with(query=None) if isinstance(arg, httpx2.URL) else arg
                                for arg in record.args)
        return True


def _install_redaction() -> None:
    logger = logging.getLogger("httpx2")
    if not any(isinstance(existing, _QueryRedactingFilter) for existing in logger.filters):
        logger.addFilter(_QueryRedactingFilter())


_install_redaction()


def make_client(timeout: float = DEFAULT_TIMEOUT, client: httpx2.Client | None = None) -> httpx2.Client:
    """One pooled client per adapter; every phase of a request is bounded by `timeout` seconds."""
    if client is not None:
        return client
    return httpx2.Client(timeout=httpx2.Timeout(timeout, connect=min(timeout, 3.0)))


def exchange(client: httpx2.Client, method: str, url: str, **kwargs: Any) -> httpx2.Response:
    """Send one request; raise ProviderUnavailableError for timeouts, broken connections, 429 and 5xx."""
    try:
        response = client.request(method, url, **kwargs)
    except (httpx2.ConnectTimeout, httpx2.ConnectError) as exc:  # nothing reached the provider
        raise ProviderUnavailableError(SendResult.retry(f"connection failed ({type(exc).__name__})")) from None
    except httpx2.TimeoutException:
        # The provider may have accepted the message before the answer was lost.
        raise ProviderUnavailableError(SendResult.retry("timed out waiting for the provider", uncertain=True)) from None
    except httpx2.TransportError as exc:  # the request may have been read before the connection broke
        raise ProviderUnavailableError(SendResult.retry(f"connection failed ({type(exc).__name__})",
                                                        uncertain=True)) from None
    if response.status_code == 429 or response.status_code >= 500:
        after = _retry_after(response)
        # A gateway timeout says nothing about whether the service behind it took the message.
        raise ProviderUnavailableError(SendResult.retry(f"provider answered HTTP {response.status_code}", after,
                                                        uncertain=response.status_code in (502, 504)))
    return response


def json_object(response: httpx2.Response) -> dict[str, Any]:
    """The answer's JSON object; anything else is treated as a transient fault."""
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError):
        body = None
    if not isinstance(body, dict):
        raise ProviderUnavailableError(SendResult.retry(f"unreadable answer (HTTP {response.status_code})"))
    return body


def _retry_after(response: httpx2.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None
