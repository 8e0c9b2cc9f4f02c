"""The AudioSocket server of `hotline listen`: one asyncio loop reads every stream, a thread pool recognises.

Vosk's decoder runs in C and releases the GIL (its Python binding is cffi), so a pool of one thread
per core gives the streams every core, while the loop thread only reads sockets and parses frames.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from hotline.asr.engine import Engine
from hotline.listen.events import LiveSink
from hotline.listen.limits import ListenConfig
from hotline.listen.session import Session, Shared
from hotline.listen.streamid import StreamIds

log = logging.getLogger(__name__)


def cores() -> int:
    """Cores this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ListenServer:
    """Accepts AudioSocket connections on host:port; `serve()` inside a loop, or `start()` on a thread of its own."""

    def __init__(self, engine: Engine, sink: LiveSink, ids: StreamIds, config: ListenConfig | None = None,
                 workers: int | None = None) -> None:
        self.pool = ThreadPoolExecutor(workers or cores(), thread_name_prefix="listen-asr")
        self.shared = Shared(engine, self.pool, sink, ids, config or ListenConfig())
        self.sessions: dict[asyncio.Task, Session] = {}
        self.accepted = 0
        self.port: int | None = None
        self._server: asyncio.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    async def serve(self, host: str, port: int) -> asyncio.Server:
        """Start listening; returns the asyncio server (its port is in `self.port`)."""
        self._loop = asyncio.get_running_loop()
        self._server = await asyncio.start_server(self._accept, host, port, limit=self.shared.config.read_size)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("listening for AudioSocket streams on %s:%d with %d recogniser threads", host, self.port,
                 self.pool._max_workers)
        return self._server

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        task = asyncio.current_task()
        assert task is not None
        session = self.sessions[task] = Session(self.shared, reader, writer)
        try:
            await session.run()
        except Exception:  # one broken stream must not take the server down
            log.exception("audiosocket session failed")
            writer.close()
        finally:
            self.sessions.pop(task, None)

    async def close(self) -> None:
        """Stop accepting, end every stream (each still says its final words), stop the pool."""
        if self._server is not None:
            self._server.close()
        for session in list(self.sessions.values()):
            session.stop()
        if self.sessions:
            _, late = await asyncio.wait(list(self.sessions), timeout=10)
            for task in late:
                task.cancel()
        self.pool.shutdown(wait=True)

    # -- on a thread of its own (tests, benchmarks, embedding in another process) ----------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> ListenServer:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(self.serve(host, port))
            except Exception as exc:
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.close())
            loop.close()

        self._thread = threading.Thread(target=run, name="listen-loop", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(15)
