"""`hotline listen` wired in one place: the process's speech model, the bus, the stream ids, the server."""

from __future__ import annotations

import asyncio
import logging
import signal

from hotline.asr.engine import ModelError
from hotline.asr.loader import engine_for
from hotline.core.config import load_file
from hotline.core.config_listen import ListenFile
from hotline.listen.events import BusSink, Publisher
from hotline.listen.limits import ListenConfig
from hotline.listen.server import ListenServer
from hotline.listen.streamid import StreamIds

log = logging.getLogger(__name__)


def build_server(settings, bus: Publisher, tuning: ListenFile | None = None) -> tuple[ListenServer, BusSink]:
    """The server on the model the settings name (loaded once), searched and fed as config/listen.yaml says
    (or `tuning`), publishing to `bus`; ModelError if no model, ConfigError if listen.yaml is wrong."""
    tuning = tuning or load_file(settings.config_dir, "listen")
    engine, problem = engine_for(settings, tuning)
    if engine is None:
        raise ModelError(f"live listening needs a speech model: {problem}")
    sink = BusSink(bus)
    ids = StreamIds(settings.secret(), settings.asterisk_system_name)
    return ListenServer(engine, sink, ids, ListenConfig(partial_every_s=tuning.partial_every_s)), sink


def serve(settings, bus: Publisher, host: str, port: int) -> None:
    """Run until SIGTERM or SIGINT; open streams are ended with their last words said."""
    server, sink = build_server(settings, bus)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await server.serve(host, port)
        print(f"listening for AudioSocket streams on {host}:{server.port}", flush=True)
        await stop.wait()
        log.info("stopping: %d open streams", len(server.sessions))
        await server.close()

    try:
        asyncio.run(main())
    finally:
        sink.close()
