"""`hotline ami`: stay connected to Asterisk, track every call, store it, pop the agent's screen.

Three threads: the AMI reader (parses and enqueues, never blocks), the consumer (tracker, database,
screen pops — in batches) and the supervisor (login, keep-alive pings, reconnect with backoff and,
after each (re)connect, a resync: CoreShowChannels and QueueStatus restore the calls in progress and who
answered them, calls that ended meanwhile are closed at the last moment they were known to be up, and
calls that began and ended while nobody listened are backfilled from Asterisk's CDR file).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

from hotline.telephony.ami import AmiClient, login_action
from hotline.telephony.records import AgentState, CallRecord
from hotline.telephony.tracker import CallTracker

log = logging.getLogger(__name__)
RESYNC = "hotline-resync"
LOST = "hotline-connection-lost"  # put on the queue by the reader thread when the connection breaks
TRANSFER_EVENTS = ("BlindTransfer", "AttendedTransfer")
HANDOVER_USEREVENT = "HotlineHandover"  # extensions.conf [hotline-handover] h: how the far end answered
# Events after which the callers waiting in a queue may have changed (the board's calls waiting).
WAITING_EVENTS = frozenset({"QueueCallerJoin", "QueueCallerLeave", "QueueCallerAbandon", "AgentConnect", "Hangup",
                            "CoreShowChannelsComplete", "QueueStatusComplete"})


@dataclass
class ListenerStats:
    connects: int = 0
    refused_logins: int = 0
    events: int = 0
    calls: int = 0
    lags: list[float] = field(default_factory=list)  # seconds from bytes read to handler, sampled

    def lag_p99_ms(self) -> float | None:
        if not self.lags:
            return None
        ordered = sorted(self.lags)
        return 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


class Sinks:
    """What the consumer does with results; the defaults do nothing (tests and `ami replay` plug in)."""

    def calls(self, records: list[CallRecord]) -> None: ...
    def agents(self, states: list[AgentState]) -> None: ...
    def waiting(self, calls: list[CallRecord]) -> None:
        """The callers waiting in a queue now (all of them, each time the set may have changed)."""
    def connected(self, call: CallRecord) -> None: ...
    def originate_failed(self, callback_id: int, attempt: int, reason: str) -> None: ...
    def recording_closed(self, call: CallRecord) -> None:
        """Asterisk closed the call's recording (MixMonitorStop: StopMixMonitor closes the files before it
        announces the stop); also called when a recorded call ends, for dialplans that never stop it."""
    def transfer(self, event: dict) -> None:
        """A BlindTransfer, AttendedTransfer or UserEvent(HotlineHandover): what became of a hand-over."""
    def backfill(self, in_progress: set[str]) -> int:
        """Calls Asterisk finished while nobody listened (from its CDRs); the calls in progress are left to
        the tracker. Returns how many were stored."""
        return 0


class AmiListener:
    def __init__(self, host: str, port: int, username: str, secret: str, sinks: Sinks, *,
                 tracker: CallTracker | None = None, ping_interval: float = 20.0, backoff_max: float = 30.0,
                 batch: int = 500) -> None:
        self.host, self.port, self.username, self.secret = host, port, username, secret
        self.sinks = sinks
        self.tracker = tracker or CallTracker()
        self.ping_interval, self.backoff_max, self.batch = ping_interval, backoff_max, batch
        self.events: queue.SimpleQueue = queue.SimpleQueue()
        self.stats = ListenerStats()
        self.stop_event = threading.Event()
        self.connected = threading.Event()
        self.client: AmiClient | None = None
        self._lost = threading.Event()
        self._live: set[str] = set()
        self._heard_at = self.tracker.clock()  # when the current connection last delivered a packet
        self._backfill_due = False
        self._closing = False
        self._received = 0
        self._threads: list[threading.Thread] = []

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> AmiListener:
        for target, name in ((self._supervise, "ami-supervisor"), (self._consume, "ami-consumer")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self, timeout: float = 5) -> None:
        self.stop_event.set()
        self._lost.set()
        if self.client is not None:
            self.client.close()
        self.events.put(None)
        for thread in self._threads:
            thread.join(timeout)

    def idle(self, timeout: float = 10, quiet: float = 0.1) -> bool:
        """Wait until everything read so far is handled and nothing new arrived for `quiet` seconds
        (tests and replays: bytes on the wire may not have been read yet when this is called)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = (self.stats.events, self._received)
            done = threading.Event()
            self.events.put(done)
            if not done.wait(max(0.0, deadline - time.monotonic())):
                return False
            time.sleep(quiet)
            if (self.stats.events, self._received) == before and self.events.empty():
                return True
        return False

    # -- supervisor --------------------------------------------------------------------------

    def _supervise(self) -> None:
        delay = 0.5
        while not self.stop_event.is_set():
            try:
                if self._session():
                    delay = 0.5
            except OSError as exc:  # the socket broke while we were sending: reconnect like any other loss
                log.warning("AMI session ended: %s", exc)
                self.connected.clear()
                if self.client is not None:
                    self.client.close()
            if self.stop_event.wait(delay):
                return
            delay = min(delay * 2, self.backoff_max)

    def _session(self) -> bool:
        """One manager session from login to disconnect; True if it got as far as logging in."""
        self._lost.clear()
        client = AmiClient(self.host, self.port, self._enqueue, on_disconnect=self._disconnected)
        try:
            client.connect()
        except OSError as exc:
            log.warning("AMI %s:%s unreachable: %s", self.host, self.port, exc)
            return False
        self.client = client
        response = client.send_action(login_action(self.username, self.secret)).response
        if response is None or response.is_error():
            self.stats.refused_logins += 1
            log.error("AMI login refused: %s", response.keys.get("Message") if response else "no answer")
            client.close()
            return False
        self.stats.connects += 1
        self.connected.set()
        log.info("AMI connected to %s:%s (Asterisk manager %s)", self.host, self.port, client._ami_version)
        client.action("CoreShowChannels", ActionID=f"{RESYNC}-{self.stats.connects}")
        client.action("QueueStatus", ActionID=f"{RESYNC}-q-{self.stats.connects}")
        while not self.stop_event.is_set() and not self._lost.wait(self.ping_interval):
            pong = client.action("Ping")
            if pong is None:
                log.warning("AMI ping unanswered; reconnecting")
                break
        self.connected.clear()
        self._closing = True
        client.close()
        self._closing = False
        return True

    def _disconnected(self, error: Exception | None) -> None:
        if not self.stop_event.is_set() and not self._closing:
            log.warning("AMI connection lost%s", f": {error}" if error else "")
        self.events.put((time.perf_counter(), {"Event": LOST, "At": self._heard_at}))
        self._lost.set()

    def _enqueue(self, packet: dict) -> None:
        """On the reader thread: stamp and hand over; never block."""
        self._received += 1
        self._heard_at = self.tracker.clock()
        self.events.put((time.perf_counter(), packet))

    # -- consumer ----------------------------------------------------------------------------

    def _consume(self) -> None:
        while True:
            item = self.events.get()
            batch = [item]
            while len(batch) < self.batch:
                try:
                    batch.append(self.events.get_nowait())
                except queue.Empty:
                    break
            finished: list[CallRecord] = []
            agents_changed = waiting_changed = False
            markers = []
            for entry in batch:
                if entry is None:
                    self._flush(finished, agents_changed, waiting_changed)
                    return
                if isinstance(entry, threading.Event):
                    markers.append(entry)
                    continue
                stamp, packet = entry
                try:
                    done, agent = self._handle(packet)
                except Exception:  # one odd event must not stop call tracking
                    log.exception("AMI event %s could not be handled", packet.get("Event"))
                    continue
                finished.extend(done)
                agents_changed |= agent
                waiting_changed |= packet.get("Event") in WAITING_EVENTS
                if self.stats.events % 64 == 0:
                    self.stats.lags.append(time.perf_counter() - stamp)
                self.stats.events += 1
            self._flush(finished, agents_changed, waiting_changed)
            if self._backfill_due:
                self._backfill()
            for marker in markers:
                marker.set()

    def _handle(self, packet: dict) -> tuple[list[CallRecord], bool]:
        name = packet.get("Event")
        resync = packet.get("ActionID", "").startswith(RESYNC)
        if name is None:
            return [], False
        if name == LOST:
            self.tracker.connection_lost(packet["At"])
            return [], False
        if name == "CoreShowChannel" and resync:
            self._live.add(packet.get("Linkedid", ""))
        if name == "CoreShowChannelsComplete" and resync:
            live, self._live = self._live, set()
            self._backfill_due = True  # after the reconciled calls are stored
            return self.tracker.reconcile(live), False
        if name == "QueueStatusComplete" and resync:
            self.tracker.restore_answered()
            return [], True
        if name == "OriginateResponse" and packet.get("Response") == "Failure":
            parts = packet.get("ActionID", "").split("-")
            if len(parts) == 3 and parts[0] == "callback" and parts[1].isdigit() and parts[2].isdigit():
                reason = f"自动回访未接通（{packet.get('Reason', '')}）"
                self.sinks.originate_failed(int(parts[1]), int(parts[2]), reason)
        if name in TRANSFER_EVENTS or (name == "UserEvent" and packet.get("UserEvent") == HANDOVER_USEREVENT):
            self.sinks.transfer(packet)
        finished = self.tracker.feed(packet)
        if name == "MixMonitorStop":
            linkedid = packet.get("Linkedid", "")
            call = self.tracker.calls.get(linkedid) or self.tracker.recent.get(linkedid)
            if call is not None:
                self.sinks.recording_closed(call)
        if name == "AgentConnect":
            call = self.tracker.calls.get(packet.get("Linkedid", ""))
            if call is not None:
                self.sinks.connected(call)
        return finished, name in self.tracker.agent_handlers

    def _backfill(self) -> None:
        """Read the CDRs written while nobody listened; a failure is retried after the next reconnect."""
        self._backfill_due = False
        try:
            stored = self.sinks.backfill(set(self.tracker.calls))
        except Exception:
            log.exception("backfilling calls from Asterisk's CDRs failed")
            return
        if stored:
            log.info("backfilled %d calls from Asterisk's CDRs", stored)

    def _flush(self, finished: list[CallRecord], agents_changed: bool, waiting_changed: bool = False) -> None:
        """Store results; while the database is away keep them and retry (the reader keeps reading)."""
        delay = 0.5
        while True:
            try:
                if finished:
                    self.sinks.calls(finished)
                    self.stats.calls += len(finished)
                if agents_changed:
                    self.sinks.agents(list(self.tracker.agents.values()))
                if waiting_changed:
                    self.sinks.waiting(self.tracker.waiting())
                return
            except Exception as exc:
                if self.stop_event.is_set():
                    log.error("stopping with %d calls unstored: %s", len(finished), [c.linkedid for c in finished])
                    return
                log.warning("storing %d calls failed (%s); retrying in %.1f s", len(finished), exc, delay)
                self.stop_event.wait(delay)
                delay = min(delay * 2, 10)
