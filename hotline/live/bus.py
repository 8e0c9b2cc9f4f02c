"""The bus under live events: Redis pub/sub across processes, or in-process on embedded defaults.

Redis pub/sub channels are global to a server (the database number does not separate them), so
every channel carries the deployment's namespace: two centres sharing a Redis never hear each other.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class MemoryBus:
    """Publish from any thread; subscribers are asyncio queues on their own loops."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Queue]]] = {}

    def publish(self, channel: str, message: dict) -> int:
        with self._lock:
            targets = list(self._subscribers.get(channel, []))
        for loop, q in targets:
            loop.call_soon_threadsafe(q.put_nowait, message)
        return len(targets)

    @asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[asyncio.Queue]:
        entry: tuple[asyncio.AbstractEventLoop, asyncio.Queue] = (asyncio.get_running_loop(), asyncio.Queue())
        with self._lock:
            for channel in channels:
                self._subscribers.setdefault(channel, []).append(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                for channel in channels:
                    self._subscribers.get(channel, []).remove(entry)


class RedisBus:
    def __init__(self, url: str, namespace: str) -> None:
        import redis

        self.url = url
        self.prefix = f"hotline:{namespace}:live:"
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def publish(self, channel: str, message: dict) -> int:
        return self._redis.publish(self.prefix + channel, json.dumps(message, ensure_ascii=False, default=str))

    @asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[asyncio.Queue]:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub()
        await pubsub.subscribe(*(self.prefix + c for c in channels))
        q: asyncio.Queue = asyncio.Queue()

        async def pump() -> None:
            async for item in pubsub.listen():
                if item.get("type") == "message":
                    await q.put(json.loads(item["data"]))

        task = asyncio.create_task(pump())
        try:
            yield q
        finally:
            task.cancel()
            await pubsub.aclose()
            await client.aclose()


_MEMORY = MemoryBus()


def bus_for(redis_url: str | None, namespace: str) -> MemoryBus | RedisBus:
    """One bus per process: Redis when configured (the AMI listener and the API are apart), else memory."""
    return RedisBus(redis_url, namespace) if redis_url else _MEMORY
