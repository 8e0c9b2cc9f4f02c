"""The bus under live events: Redis pub/sub across processes, or in-process on embedded defaults.

Redis pub/sub channels are global to a server (the database number does not separate them), so
every channel carries the deployment's namespace: two centres sharing a Redis never hear each other.

Pub/sub keeps nothing for a subscriber who was not there. What a late subscriber must still see (a call's
transcript so far, for a console that opens the call's stream after its first words, or reconnects) is
published with `publish_kept`: the channel also keeps its last KEEP such messages, for KEEP_S after the
newest, and `kept(channel)` reads them. Subscribe first, then read what was kept: a message published in
between arrives both ways, and the subscriber drops the second copy.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)
KEEP = 500  # messages kept per channel (a call's finished utterances, both sides)
KEEP_S = 2 * 3600  # how long after its newest message a channel's kept messages stay


class MemoryBus:
    """Publish from any thread; subscribers are asyncio queues on their own loops."""

    def __init__(self, clock=time.monotonic) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Queue]]] = {}
        self._kept: OrderedDict[str, tuple[float, deque[dict]]] = OrderedDict()  # oldest newest-message first
        self._clock = clock

    def publish(self, channel: str, message: dict) -> int:
        with self._lock:
            targets = list(self._subscribers.get(channel, []))
        for loop, q in targets:
            loop.call_soon_threadsafe(q.put_nowait, message)
        return len(targets)

    def publish_kept(self, channel: str, message: dict) -> int:
        """Kept first, then published: a subscriber in between gets it both ways and drops one."""
        now = self._clock()
        with self._lock:
            while self._kept and next(iter(self._kept.values()))[0] < now - KEEP_S:
                self._kept.popitem(last=False)
            messages = self._kept.pop(channel, (now, deque(maxlen=KEEP)))[1]
            messages.append(message)
            self._kept[channel] = (now, messages)
        return self.publish(channel, message)

    def forget(self) -> None:
        """Drop everything kept (tests: one process runs many)."""
        with self._lock:
            self._kept.clear()

    def kept(self, channel: str) -> list[dict]:
        with self._lock:
            at, messages = self._kept.get(channel, (0.0, deque()))
            return list(messages) if at >= self._clock() - KEEP_S else []

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

    def publish_kept(self, channel: str, message: dict) -> int:
        """Kept and published in one transaction: a reader of the kept list misses nothing it was not sent."""
        data = json.dumps(message, ensure_ascii=False, default=str)
        key = self._kept_key(channel)
        pipe = self._redis.pipeline(transaction=True)
        pipe.rpush(key, data)
        pipe.ltrim(key, -KEEP, -1)
        pipe.expire(key, KEEP_S)
        pipe.publish(self.prefix + channel, data)
        return int(pipe.execute()[-1])

    def kept(self, channel: str) -> list[dict]:
        return [json.loads(item) for item in self._redis.lrange(self._kept_key(channel), 0, -1)]

    def _kept_key(self, channel: str) -> str:
        return self.prefix + "kept:" + channel

    @staticmethod
    async def _confirmed(pubsub, count: int, timeout_s: float = 5.0) -> None:
        """Wait until Redis has the subscriptions: from then on nothing published on them is missed (what was
        kept before can be read after this)."""
        deadline = time.monotonic() + timeout_s
        while count and (left := deadline - time.monotonic()) > 0:
            item = await pubsub.get_message(timeout=left)
            if item is not None and item.get("type") == "subscribe":
                count -= 1
        if count:
            log.warning("redis did not confirm %d live subscriptions within %.0f s", count, timeout_s)

    @asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[asyncio.Queue]:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub()
        names = [self.prefix + c for c in channels]
        await pubsub.subscribe(*names)
        await self._confirmed(pubsub, len(names))
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
