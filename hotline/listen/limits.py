"""A stream's limits: how long it may be silent or behind, how much audio goes to the recogniser at once,
and how a connection whose peer vanished without closing is found (TCP keepalive)."""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ListenConfig:
    """Timeouts, batching and overload limits of the streams."""

    hello_timeout_s: float = 5.0  # connection → UUID frame
    idle_timeout_s: float = 600.0  # between frames once streaming (a silent spied channel sends none)
    keepalive_s: int = 20  # TCP keepalive: probe a connection quiet this long; three lost probes end it
    batch_s: float = 0.1  # audio handed to the recogniser at once, at least
    hold_s: float = 0.3  # less than a batch waiting in the socket is read after this long
    partial_every_s: float = 0.25
    max_lag_s: float = 10.0  # audio waiting longer than this for the recogniser ends the stream
    max_queued_s: float = 120.0  # and so does more queued audio than this, however fresh (a flood)
    read_size: int = 64 * 1024


def keepalive(sock, idle_s: int) -> None:
    """Probe a quiet connection after `idle_s`, then every idle_s / 4; three unanswered probes close it."""
    if sock is None or idle_s <= 0:
        return
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle_s)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, max(1, idle_s // 4))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
    except (AttributeError, OSError):  # not on this platform: the idle timeout still ends a dead stream
        log.debug("no TCP keepalive options on this platform")
