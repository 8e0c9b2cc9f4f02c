"""One AudioSocket connection: read frames as they come, recognise in batches on the pool, say what was heard.

Reading never waits for recognition. Asterisk writes to a non-blocking socket and gives up on the
spying channel when a write fails, so the reader drains the socket at once and only queues audio;
a second task hands the queue to the thread pool one batch at a time (whatever has piled up, at
least `batch_s`), so a stream that fell behind catches up in bigger batches instead of queueing
futures. A stream whose audio waits more than `max_lag_s` for the recogniser is ended
(`overloaded`): live text that late helps nobody, and the after-call transcript still comes. A
burst (audio held up in the network, then delivered at once) is not overload: it is measured by
how long audio waits, not by how much of it there is.

Asterisk writes every 20 ms frame on its own, so a reader woken by each one runs the event loop fifty
times a second per stream for audio it only hands on in batches. Once the audio flows, the socket's
receive low-water mark (SO_RCVLOWAT) is set to a batch: the kernel wakes the reader when a batch has
arrived, or when the connection closes. What stays below the mark — a DTMF, hang-up or error frame,
the last frames before the caller falls silent — is read after `hold_s` by lowering the mark (Linux
signals the socket readable at once when the mark drops below what is waiting).

A spied channel that is silent sends no frames at all (ChanSpy writes only what it hears), so a
quiet side of a call can go a long time without a frame: the idle timeout is long, and a peer that
vanished without closing is found by TCP keepalive instead.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass

from hotline.asr.engine import Engine
from hotline.listen.events import LiveEnded, LiveEvent, LiveFinal, LivePartial, LiveSink, LiveStarted
from hotline.listen.limits import ListenConfig, keepalive
from hotline.listen.protocol import AUDIO_RATES, ERROR_CODES, Frame, FrameParser, Kind, ProtocolError
from hotline.listen.recognise import Heard, StreamRecogniser
from hotline.listen.streamid import StreamId, StreamIdError, StreamIds
from hotline.text.normalize import normalise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Shared:
    """What every session of one server uses."""

    engine: Engine
    pool: Executor
    sink: LiveSink
    ids: StreamIds
    config: ListenConfig


class Ended(Exception):
    """Why a stream stops (its `reason` goes into the ended event)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


class Session:
    """One AudioSocket connection, from its UUID frame to its end."""

    def __init__(self, shared: Shared, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.shared, self.reader, self.writer = shared, reader, writer
        peer = writer.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if peer else "?"
        self.parser = FrameParser()
        self._socket = writer.get_extra_info("socket")
        self._mark = 1  # the socket's receive low-water mark: bytes that wake the reader
        self.stream: StreamId | None = None
        self.uuid: uuid.UUID | None = None
        self.rate: int | None = None
        self.digits = ""
        self.finals = 0
        self._seq = 0
        self._queued: list[bytes] = []
        self._queued_bytes = 0
        self._queued_since = 0.0
        self._wake = asyncio.Event()
        self._closed = False
        self._recogniser: StreamRecogniser | None = None
        self._broken: Ended | None = None  # a protocol error, raised once the good frames before it are taken
        self._halt: Ended | None = None  # set from outside the reader: the server stops, the recogniser failed

    def stop(self, why: Ended | None = None) -> None:
        """End the stream as soon as the frames already received are taken (the server is stopping)."""
        self._halt = why or Ended("shutdown", "the listen server is stopping")
        self.reader.feed_eof()

    async def run(self) -> None:
        try:
            early = await self._hello()
        except Ended as refused:
            log.warning("audiosocket %s: closed before streaming: %s", self.peer, refused.detail or refused.reason)
            await self._close()
            return
        self._emit(LiveStarted, started_at=time.time())
        worker = asyncio.create_task(self._recognise())
        end = await self._until_end(early)
        if end.reason != "hangup":
            call = self.stream
            log.warning("audiosocket %s stream %s (call %s, %s): %s %s", self.peer, self.uuid,
                        call and call.linkedid, call and call.direction.value, end.reason, end.detail)
        self._closed = True
        self._wake.set()
        await self._close()
        await worker
        rec = self._recogniser
        self._emit(LiveEnded, reason=end.reason, audio_s=round(rec.audio_s, 3) if rec else 0.0,
                   voiced_s=round(rec.fed_s, 3) if rec else 0.0, finals=self.finals, digits=self.digits,
                   detail=end.detail)

    async def _until_end(self, early: list[Frame]) -> Ended:
        """Take frames until the stream ends; why it ended."""
        keepalive(self._socket, self.shared.config.keepalive_s)
        try:
            self._take_frames(early)
            self._check_broken()
            while True:
                self._take_frames(await self._next_frames())
                self._check_broken()
        except Ended as end:
            return end

    async def _next_frames(self) -> list[Frame]:
        """The frames that came next: a batch once the audio flows (see the module's text)."""
        config = self.shared.config
        idle = config.idle_timeout_s
        if self.rate is not None and self._mark == 1:
            self._set_mark(int(self._batch_bytes))
        if self._mark > 1:
            frames = await self._read(min(config.hold_s, idle))
            if frames is not None:
                return frames
            self._set_mark(1)  # less than a batch is waiting, or nothing: take what there is
            idle -= config.hold_s
        frames = await self._read(max(0.0, idle))
        if frames is None:
            raise Ended("timeout", f"nothing received for {config.idle_timeout_s:g} s")
        return frames

    def _set_mark(self, size: int) -> None:
        try:
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, max(1, size))
        except (AttributeError, OSError):  # no socket option here: woken by every frame, as before
            self._mark = 0
            return
        self._mark = max(1, size)

    async def _read(self, timeout: float) -> list[Frame] | None:
        """Frames from the next bytes to arrive; None when nothing came within `timeout`."""
        try:
            async with asyncio.timeout(timeout):
                data = await self.reader.read(self.shared.config.read_size)
        except TimeoutError:
            return None
        except OSError as exc:
            raise Ended("reset", str(exc)) from None
        if not data:
            if self._halt is not None:
                raise self._halt
            if self.parser.pending:
                raise Ended("truncated", f"connection closed inside a frame ({self.parser.pending} bytes)")
            raise Ended("hangup", "connection closed")  # how Asterisk ends a stream: close, no frame
        try:
            return self.parser.feed(data)
        except ProtocolError as exc:
            self._broken = Ended("protocol_error", exc.message)
            return exc.frames

    async def _hello(self) -> list[Frame]:
        """Frames up to the UUID; the frames that came with it are returned to be taken next."""
        limit = self.shared.config.hello_timeout_s
        deadline = time.monotonic() + limit
        while self.parser.uuid is None:
            frames = await self._read(max(0.0, deadline - time.monotonic()))
            if frames is None:
                raise Ended("timeout", f"no UUID frame within {limit:g} s")
            for i, frame in enumerate(frames):
                if frame.kind != Kind.UUID:
                    self._control(frame)
                    continue
                self.uuid = frame.uuid
                try:
                    self.stream = self.shared.ids.decode(self.uuid)
                except StreamIdError as exc:
                    raise Ended("unknown_stream", exc.message) from None
                return frames[i + 1:]
            self._check_broken()
        raise Ended("protocol_error", "no UUID")  # unreachable: the loop returns with the UUID

    def _check_broken(self) -> None:
        if self._broken is not None:
            raise self._broken

    def _take_frames(self, frames: Iterable[Frame]) -> None:
        config = self.shared.config
        for frame in frames:
            if frame.kind not in AUDIO_RATES:
                self._control(frame)
                continue
            if self.rate != frame.rate:
                if self.rate is not None:
                    raise Ended("protocol_error", f"audio rate changed from {self.rate} to {frame.rate} Hz")
                self.rate = frame.rate
            before = self._queued_bytes
            self._queued.append(frame.payload)
            self._queued_bytes += len(frame.payload)
            if before < self._batch_bytes <= self._queued_bytes:
                self._queued_since = time.monotonic()  # a batch is due: from now on it waits for the recogniser
        if self.rate is None or not self._queued_bytes:
            return
        queued = self._queued_bytes / (2 * self.rate)
        # Less than a batch waits for more audio, not for the recogniser: Asterisk sends nothing at all while
        # the spied channel is silent (a Local channel in Wait(), a phone that suppresses silence), so the
        # last frames before such a gap would otherwise count as lag and end a healthy stream as overloaded.
        waited = time.monotonic() - self._queued_since if self._queued_bytes >= self._batch_bytes else 0.0
        if waited > config.max_lag_s or queued > config.max_queued_s:
            self._queued.clear()
            self._queued_bytes = 0
            raise Ended("overloaded", f"{queued:.1f} s of audio waiting, the oldest for {waited:.1f} s")
        if queued >= config.batch_s:
            self._wake.set()

    def _control(self, frame: Frame) -> None:
        if frame.kind == Kind.DTMF:
            self.digits += frame.digit
        elif frame.kind == Kind.HANGUP:
            raise Ended("hangup", "hang-up frame")
        elif frame.kind == Kind.ERROR:
            code = frame.error_code
            what = ERROR_CODES.get(code, "application error") if code is not None else "no code"
            raise Ended("error", f"Asterisk sent an error frame: {what} ({code})")

    async def _recognise(self) -> None:
        try:
            await self._recognise_batches()
        except Exception as exc:  # a recogniser that fails ends its stream, not the server
            log.exception("recogniser failed on stream %s", self.uuid)
            self.stop(Ended("recogniser_error", f"{type(exc).__name__}: {exc}"))

    async def _recognise_batches(self) -> None:
        loop = asyncio.get_running_loop()
        pool = self.shared.pool
        rec = self._recogniser = await loop.run_in_executor(pool, StreamRecogniser, self.shared.engine,
                                                            self.shared.config.partial_every_s)
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self.rate and self._queued and (self._closed or self._queued_bytes >= self._batch_bytes):
                pcm = b"".join(self._queued)
                self._queued.clear()
                self._queued_bytes = 0
                self._say(await loop.run_in_executor(pool, rec.feed, pcm, self.rate))
            if self._closed:
                break
        self._say(await loop.run_in_executor(pool, rec.finish))

    @property
    def _batch_bytes(self) -> float:
        return self.shared.config.batch_s * 2 * (self.rate or 0)

    def _say(self, heard: list[Heard]) -> None:
        for h in heard:
            if not h.final:
                self._emit(LivePartial, text=normalise(h.raw), raw=h.raw, audio_s=h.audio_s)
                continue
            self.finals += 1
            start = h.words[0]["start"] if h.words else 0.0
            end = h.words[-1]["end"] if h.words else h.audio_s
            self._emit(LiveFinal, text=normalise(h.raw), raw=h.raw, words=h.words, start_s=start, end_s=end,
                       audio_s=h.audio_s)

    def _emit(self, kind: type[LiveEvent], **fields) -> None:
        assert self.stream is not None and self.uuid is not None
        self._seq += 1
        event = kind(linkedid=self.stream.linkedid, direction=self.stream.direction.value, stream=str(self.uuid),
                     seq=self._seq, **fields)
        try:
            self.shared.sink.emit(event)
        except Exception:  # a sink that fails must not end the stream
            log.exception("live sink failed on %s", event.type)

    async def _close(self) -> None:
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except OSError:
            pass
