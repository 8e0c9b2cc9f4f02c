"""A simulated Asterisk manager for the demo and the tests: the real protocol over TCP.

It greets with the banner of the captured Asterisk 22, answers Login (with ActionID), Ping,
CoreShowChannels, QueueStatus, QueueAdd/QueuePause/QueueRemove, Originate, the transfers, Redirect
and Bridge (hold) and Logoff the way Asterisk does, and replays captured event streams
(`../shared/fixtures/ami/*.ami`) byte for byte — with fresh Uniqueids/Linkedids, channel numbers and
times when asked, so one capture makes many distinct calls.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import threading
from dataclasses import dataclass, field
from pathlib import Path

from hotline.simulator import holds
from hotline.simulator.capture import CAPTURES, SEP, Capture, freshen
from hotline.simulator.members import Member, answered_by, member_event
from hotline.simulator.transfers import TRANSFERS, Switchboard, headers, packet

__all__ = ["CAPTURES", "Capture", "FakeAsterisk"]
BANNER = b"Asterisk Call Manager/11.0.0\r\n"


@dataclass
class _Session:
    writer: asyncio.StreamWriter
    logged_in: bool = False


@dataclass
class FakeAsterisk:
    username: str = "hotline"
    secret: str = "hotline"
    host: str = "127.0.0.1"
    port: int = 0
    refuse_logins: bool = False
    originate_result: str = "Success"  # or Failure (the citizen's phone did not answer)
    members: dict[tuple[str, str], Member] = field(default_factory=dict)
    live_channels: list[dict] = field(default_factory=list)
    # what a real Asterisk answered an action with (capture.recorded_answers): replayed instead of made up
    answers: dict[str, list[bytes]] = field(default_factory=dict)
    missing_modules: set[str] = field(default_factory=set)  # what ModuleCheck reports as not loaded
    actions: list[dict] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)  # each action's bytes as they came over the socket
    switchboard: Switchboard = field(default_factory=Switchboard)  # channels, bridges, transfers

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._sessions: list[_Session] = []
        self._ids = itertools.count(1)
        self._channels = itertools.count(0x100)
        self._base = 1_900_000_000
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-asterisk", daemon=True)

    # -- control (any thread) ----------------------------------------------------------------

    def start(self) -> FakeAsterisk:
        self._thread.start()
        self._ready.wait(5)
        return self

    def stop(self) -> None:
        self._call(self._close_all())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def play(self, capture: Capture | Path, fresh: bool = True, at: dt.datetime | None = None) -> None:
        """Send one captured call to every logged-in session."""
        capture = capture if isinstance(capture, Capture) else Capture.load(capture)
        packets = self.freshen(capture, at or dt.datetime.now(dt.UTC)) if fresh else capture.events
        self.send_raw(b"".join(p + SEP for p in self.answered_by_members(packets)))

    def answered_by_members(self, packets: list[bytes]) -> list[bytes]:
        """The captured queue call rung to whoever is signed in to its queue now (`members.answered_by`)."""
        return answered_by(packets, self.members)

    def freshen(self, capture: Capture, at: dt.datetime, events: list[bytes] | None = None) -> list[bytes]:
        """New ids, channel numbers and times for one replay of a capture (or some of its events)."""
        ids: dict[bytes, bytes] = {}
        channels: dict[bytes, bytes] = {}

        def new_id(old: bytes) -> bytes:
            if old not in ids:
                ids[old] = f"{self._base}.{next(self._ids)}".encode()
            return ids[old]

        def new_channel(old: bytes) -> bytes:
            if old not in channels:
                channels[old] = f"{next(self._channels):08x}".encode()
            return channels[old]

        return freshen(capture.events if events is None else events, at, capture.first_time(), new_id, new_channel)

    def send_raw(self, data: bytes) -> None:
        """Bytes to every logged-in session exactly as given (faults: malformed, oversized, not UTF-8)."""
        self.switchboard.learn(data)
        self._call(self._broadcast(data))

    def drop_connections(self) -> None:
        """Asterisk restarting: every manager session is cut."""
        self._call(self._close_all())

    def session_count(self) -> int:
        return sum(1 for s in self._sessions if s.logged_in)

    # -- server ------------------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, self.host, self.port))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    def _call(self, coro) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(600)  # a flood drains as fast as the reader reads

    async def _broadcast(self, data: bytes) -> None:
        for session in list(self._sessions):
            if session.logged_in and not session.writer.is_closing():
                session.writer.write(data)
                await session.writer.drain()

    async def _close_all(self) -> None:
        for session in list(self._sessions):
            session.writer.transport.abort()
        self._sessions.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = _Session(writer)
        self._sessions.append(session)
        writer.write(BANNER)
        try:
            while True:
                raw = await reader.readuntil(SEP)
                action = headers(raw)
                self.received.append(raw)
                self.actions.append(action)
                if not await self._answer(session, action):
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            if session in self._sessions:
                self._sessions.remove(session)
            writer.close()

    async def _answer(self, session: _Session, action: dict) -> bool:
        name, action_id = action.get("Action", "").lower(), action.get("ActionID", "")
        w = session.writer

        def reply(status: str, *lines: str) -> None:
            w.write(packet(f"Response: {status}", f"ActionID: {action_id}", *lines))

        if name == "login":
            if self.refuse_logins or action.get("Username") != self.username or action.get("Secret") != self.secret:
                reply("Error", "Message: Authentication failed")
                await w.drain()
                return False
            session.logged_in = True
            reply("Success", "Message: Authentication accepted")
            w.write(packet("Event: FullyBooted", "Privilege: system,all", "Uptime: 65", "LastReload: 65",
                            "Status: Fully Booted"))
        elif not session.logged_in:
            reply("Error", "Message: Permission denied")
        elif name == "ping":
            reply("Success", "Ping: Pong", f"Timestamp: {dt.datetime.now(dt.UTC).timestamp():.6f}")
        elif name == "logoff":
            reply("Goodbye", "Message: Thanks for all the fish.")
            await w.drain()
            return False
        elif name == "modulecheck":  # as captures/modulecheck.ami: "Version: " empty since the move to git
            module = action.get("Module", "").removesuffix(".so")
            reply(*(("Error", "Message: Module not loaded") if module in self.missing_modules else
                    ("Success", "Version: ")))
        elif name in self.answers:
            await self._recorded(w, name, action_id)
        elif name == "coreshowchannels":
            reply("Success", "EventList: start", "Message: Channels will follow")
            for channel in self.live_channels:
                w.write(packet("Event: CoreShowChannel", f"ActionID: {action_id}",
                                *(f"{k}: {v}" for k, v in channel.items())))
            w.write(packet("Event: CoreShowChannelsComplete", f"ActionID: {action_id}", "EventList: Complete",
                            f"ListItems: {len(self.live_channels)}"))
        elif name == "queuestatus":
            reply("Success", "EventList: start", "Message: Queue status will follow")
            for m in self.members.values():
                w.write(packet("Event: QueueMember", f"ActionID: {action_id}", f"Queue: {m.queue}",
                                f"Name: {m.name}", f"Location: {m.interface}", f"StateInterface: {m.interface}",
                                "Membership: dynamic", "Penalty: 0", f"CallsTaken: {m.calls}", "InCall: 0",
                                "Status: 1", f"Paused: {int(m.paused)}", f"PausedReason: {m.reason}"))
            w.write(packet("Event: QueueStatusComplete", f"ActionID: {action_id}", "EventList: Complete",
                            f"ListItems: {len(self.members)}"))
        elif name == "queueadd":
            await self._queue_add(action, reply)
        elif name == "queuepause":
            await self._queue_pause(action, reply)
        elif name == "queueremove":
            key = (action.get("Queue", ""), action.get("Interface", ""))
            member = self.members.pop(key, None)
            if member is None:
                reply("Error", "Message: Unable to remove interface: Not there")
            else:
                reply("Success", "Message: Removed interface from queue")
                await self._broadcast(member_event("QueueMemberRemoved", member))  # as it was: paused or not
        elif name in TRANSFERS + holds.HOLDS:  # the events go out before the response, as stasis messages can
            lines, events = (holds.answer if name in holds.HOLDS else Switchboard.answer)(self.switchboard, action)
            for event in events:
                await self._broadcast(packet(*event))
            reply(*lines)
        elif name == "originate":
            reply("Success", "Message: Originate successfully queued")
            reason = "4" if self.originate_result == "Success" else "3"
            await self._broadcast(packet("Event: OriginateResponse", "Privilege: call,all", f"ActionID: {action_id}",
                                          f"Response: {self.originate_result}", f"Channel: {action.get('Channel', '')}",
                                          f"Context: {action.get('Context', '')}", f"Exten: {action.get('Exten', '')}",
                                          f"Reason: {reason}", "Uniqueid: <null>"))
        else:
            reply("Error", "Message: Invalid/unknown command")
        await w.drain()
        return True

    async def _recorded(self, w: asyncio.StreamWriter, name: str, action_id: str) -> None:
        """Answer a list action the way the captured Asterisk did, under this action's ActionID."""
        events = self.answers[name]
        w.write(packet("Response: Success", f"ActionID: {action_id}", "EventList: start",
                        "Message: Channels will follow" if name == "coreshowchannels" else
                        "Message: Queue status will follow"))
        for event in events:
            head, _, rest = event.partition(b"\r\n")
            w.write(head + f"\r\nActionID: {action_id}\r\n".encode() + rest + SEP)
        complete = "CoreShowChannelsComplete" if name == "coreshowchannels" else "QueueStatusComplete"
        w.write(packet(f"Event: {complete}", f"ActionID: {action_id}", "EventList: Complete",
                        f"ListItems: {len(events)}"))

    async def _queue_add(self, action: dict, reply) -> None:
        key = (action.get("Queue", ""), action.get("Interface", ""))
        if not all(key):
            reply("Error", "Message: 'Queue' and 'Interface' are required")
            return
        if key in self.members:
            reply("Error", "Message: Unable to add interface: Already there")
            return
        member = self.members[key] = Member(*key, name=action.get("MemberName") or key[1],
                                            paused=action.get("Paused", "false").lower() in ("1", "true", "yes"))
        reply("Success", "Message: Added interface to queue")
        await self._broadcast(member_event("QueueMemberAdded", member))

    async def _queue_pause(self, action: dict, reply) -> None:
        key = (action.get("Queue", ""), action.get("Interface", ""))
        member = self.members.get(key)
        if member is None:
            reply("Error", "Message: Interface not found")
            return
        member.paused = action.get("Paused", "true").lower() in ("1", "true", "yes")
        member.reason = action.get("Reason", "") if member.paused else ""
        reply("Success", "Message: Interface paused successfully" if member.paused else
              "Message: Interface unpaused successfully")
        await self._broadcast(member_event("QueueMemberPause", member))
