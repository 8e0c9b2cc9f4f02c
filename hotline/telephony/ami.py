"""The AMI connection on the `asterisk-ami` package, hardened for a listener that must never stall.

`asterisk.ami.AMIClient` gives login, actions with ActionID futures and Event/Response parsing.
Its reader is replaced by `PacketReader`: bounded packets, bytes that are not UTF-8 decoded with
replacement (and counted), no quadratic buffer copies. The reader thread only parses and hands
events to a sink; the sink must not block (the listener puts them on a queue), because Asterisk
drops a manager session that stops reading.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
from collections import Counter
from collections.abc import Callable

from asterisk.ami import AMIClient, Event, LoginAction, Response
from asterisk.ami.action import Action

log = logging.getLogger(__name__)
BANNER = re.compile(r"^Asterisk *Call *Manager/(?P<version>[0-9.]+)", re.IGNORECASE)
MAX_PACKET = 64 * 1024  # the largest event seen in practice is a few KB


class PacketReader:
    """Splits the AMI byte stream into packets (blank-line separated; the banner ends at its line)."""

    def __init__(self, max_packet: int = MAX_PACKET) -> None:
        self.buffer = bytearray()
        self.max_packet = max_packet
        self.banner: str | None = None
        self.dropping = False
        self.problems: Counter[str] = Counter()

    def feed(self, data: bytes) -> list[str]:
        buf = self.buffer
        buf += data
        out: list[str] = []
        start = 0
        if self.banner is None:
            end = buf.find(b"\r\n")
            if end < 0:
                return out
            self.banner = self._decode(bytes(buf[:end]))
            start = end + 2
        while True:
            end = buf.find(b"\r\n\r\n", start)
            if end < 0:
                break
            packet = bytes(buf[start:end])
            start = end + 4
            if self.dropping:  # the tail of an oversized packet
                self.dropping = False
                continue
            if len(packet) > self.max_packet:
                self._oversized(len(packet))
                continue
            if packet:
                out.append(self._decode(packet))
        del buf[:start]
        if len(buf) > self.max_packet:  # no end in sight: drop what we have, resync at the next blank line
            if not self.dropping:
                self._oversized(len(buf))
            keep = bytes(buf[-3:])
            buf.clear()
            buf += keep
            self.dropping = True
        return out

    def _oversized(self, size: int) -> None:
        self.problems["oversized"] += 1
        log.warning("AMI packet over %d bytes (%d) dropped", self.max_packet, size)

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.problems["not_utf8"] += 1
            log.warning("AMI packet with bytes that are not UTF-8; decoded with replacement")
            return raw.decode("utf-8", errors="replace")


def login_action(username: str, secret: str) -> LoginAction:
    """Login asking for events (the listener needs them; a short action session ignores them)."""
    action = LoginAction(username, secret)
    action.keys["Events"] = "on"
    return action


def parse(packet: str) -> dict[str, str] | None:
    """A packet as a dict of its headers, with `Event` or `Response` first; None if it is neither.

    The repeated `ChanVariable: NAME=value` lines (manager.conf channelvars) become `ChanVariable:NAME` keys."""
    if packet.startswith(("Event:", "Response:")):
        obj = Event.read(packet) if packet.startswith("Event:") else Response.read(packet)
        head = {"Event": obj.name} if isinstance(obj, Event) else {"Response": obj.status}
        variables = {}
        if "ChanVariable" in obj.keys:
            for line in packet.splitlines():
                if line.startswith("ChanVariable: "):
                    name, _, value = line[len("ChanVariable: "):].partition("=")
                    variables[f"ChanVariable:{name}"] = value
        return {**head, **obj.keys, **variables}
    return None


class AmiClient(AMIClient):
    """One manager session. `sink(packet_dict)` gets every event and response, on the reader thread."""

    def __init__(self, host: str, port: int, sink: Callable[[dict], None], *, timeout: float = 5,
                 on_disconnect: Callable[[Exception | None], None] | None = None) -> None:
        super().__init__(address=host, port=port, timeout=timeout, buffer_size=64 * 1024)
        self.sink = sink
        self.reader = PacketReader()
        self._on_disconnect = on_disconnect or (lambda error: None)
        self._send_lock = threading.Lock()
        self.malformed = 0

    def connect(self) -> None:
        self._socket = socket.create_connection((self._address, self._port), timeout=self._timeout)
        self._socket.settimeout(None)  # the reader blocks in recv; keep-alive pings detect a dead peer
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        self.finished = threading.Event()
        self._thread = threading.Thread(target=self.listen, name="ami-reader", daemon=True)
        self._thread.start()

    def send(self, pack) -> None:
        data = (str(pack) + "\r\n").encode(self.encoding)
        with self._send_lock:
            self._socket.sendall(data)

    def action(self, name: str, variables: dict[str, str] | None = None, **keys) -> Response | None:
        """Send an action and wait for its response (None on timeout)."""
        return self.send_action(Action(name, {k: str(v) for k, v in keys.items()}, variables)).response

    def listen(self) -> None:
        error: Exception | None = None
        try:
            while not self.finished.is_set():
                data = self._socket.recv(self._buffer_size)
                if not data:
                    break
                first = self.reader.banner is None
                packets = self.reader.feed(data)
                if first and self.reader.banner is not None:
                    match = BANNER.match(self.reader.banner)
                    if not match:
                        raise ConnectionError(f"not an Asterisk manager: {self.reader.banner[:80]!r}")
                    self._ami_version = match.group("version")
                for packet in packets:
                    self._dispatch(packet)
        except Exception as exc:  # connection reset, bad banner …: the supervisor reconnects
            error = exc
        finally:
            self.finished.set()
            try:
                self._socket.close()
            except OSError:
                pass
            for future in list(self._futures.values()):
                future.response = None  # wake anyone waiting for a response that will not come
            self._futures.clear()
            self._on_disconnect(error)

    def _dispatch(self, packet: str) -> None:
        try:
            parsed = parse(packet)
        except Exception:
            parsed = None
        if parsed is None:
            self.malformed += 1
            log.warning("malformed AMI packet ignored: %r", packet[:120])
            return
        if "Response" in parsed:
            response = Response(parsed["Response"], {k: v for k, v in parsed.items() if k != "Response"})
            self.fire_recv_reponse(response)
        self.sink(parsed)

    def close(self) -> None:
        if self.finished is not None and not self.finished.is_set():
            self.finished.set()
            try:
                self._socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._socket.close()
        if self._thread is not None:
            self._thread.join(self._timeout)
