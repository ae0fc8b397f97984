"""State changes pushed to the screens: published after commit, read by the Server-Sent Events
views (creditcheck/core/sse.py).

Each record that a screen waits on has a topic (`topic("query", 12)`). The one setter of its
status publishes the new status there once the transaction commits (a rolled-back change is
never announced). Across processes (web servers and Celery workers) the topic is a Redis pub/sub
channel (EVENTS_REDIS_URL, the broker's Redis by default); without one, in the embedded mode
where every part runs in one process, an in-process channel.

An event is only a hint: the subscriber reads the stored state again before telling the page.
A lost event (Redis restarting) costs only speed: the pages fall back to polling.
"""

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any, Protocol

import redis
import redis.asyncio as aioredis
from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)


def topic(kind: str, pk: int) -> str:
    """The channel of one record. Named after the database too: test runs and deployments that
    share one Redis (pub/sub ignores Redis' database numbers) never hear each other's ids."""
    database = connection.settings_dict["NAME"]
    return f"{settings.EVENTS_CHANNEL_PREFIX}creditcheck:{database}:{kind}:{pk}"


def publish_on_commit(channel: str, data: str) -> None:
    """Announce `data` on `channel` once the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: publish(channel, data))


def publish(channel: str, data: str) -> None:
    if settings.EVENTS_REDIS_URL:
        try:
            _redis_client().publish(channel, data)
        except redis.RedisError as exc:  # the pages poll anyway
            logger.warning("event not published on %s: %s", channel, exc)
    else:
        _local.publish(channel, data)


class Subscription(Protocol):
    async def next(self, timeout: float) -> str | None:
        """The next event's data, or None after `timeout` seconds without one."""
        ...


@asynccontextmanager
async def subscription(channel: str) -> AsyncIterator[Subscription]:
    """Listen to `channel` from now on (events before this are not replayed)."""
    if settings.EVENTS_REDIS_URL:
        async with _redis_subscription(channel) as sub:
            yield sub
    else:
        with _local.subscription(channel) as queue:
            yield _QueueSubscription(queue)


# --- Redis pub/sub ----------------------------------------------------------------------------

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def _redis_client() -> redis.Redis:
    url = settings.EVENTS_REDIS_URL
    with _clients_lock:
        if url not in _clients:
            _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        return _clients[url]


class _RedisSubscription:
    def __init__(self, pubsub: Any) -> None:
        self._pubsub = pubsub

    async def next(self, timeout: float) -> str | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (left := deadline - loop.time()) > 0:
            message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
            if message is not None and message["type"] == "message":
                data = message["data"]
                return data.decode() if isinstance(data, bytes) else str(data)
        return None


@asynccontextmanager
async def _redis_subscription(channel: str) -> AsyncIterator[Subscription]:
    client = aioredis.Redis.from_url(settings.EVENTS_REDIS_URL, socket_connect_timeout=2)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(channel)
        yield _RedisSubscription(pubsub)
    finally:
        await pubsub.aclose()
        await client.aclose()


# --- In-process channel (embedded mode) --------------------------------------------------------


class _QueueSubscription:
    def __init__(self, queue: asyncio.Queue[str]) -> None:
        self._queue = queue

    async def next(self, timeout: float) -> str | None:
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


class _LocalChannels:
    """Subscribers' queues by channel; publishing from any thread hands the data to each
    subscriber's event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]]]]
        self._subscribers = {}

    def publish(self, channel: str, data: str) -> None:
        with self._lock:
            subscribers = list(self._subscribers.get(channel, ()))
        for loop, queue in subscribers:
            with suppress(RuntimeError):  # that subscriber's loop has closed
                loop.call_soon_threadsafe(queue.put_nowait, data)

    def subscription(self, channel: str) -> "_LocalSubscription":
        return _LocalSubscription(self, channel)

    def add(
        self, channel: str, entry: tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]]
    ) -> None:
        with self._lock:
            self._subscribers.setdefault(channel, set()).add(entry)

    def remove(
        self, channel: str, entry: tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]]
    ) -> None:
        with self._lock:
            entries = self._subscribers.get(channel, set())
            entries.discard(entry)
            if not entries:
                self._subscribers.pop(channel, None)


class _LocalSubscription:
    def __init__(self, channels: _LocalChannels, channel: str) -> None:
        self._channels = channels
        self._channel = channel
        self._entry: tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]] | None = None

    def __enter__(self) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        self._entry = (asyncio.get_running_loop(), queue)
        self._channels.add(self._channel, self._entry)
        return queue

    def __exit__(self, *exc: object) -> None:
        assert self._entry is not None
        self._channels.remove(self._channel, self._entry)


_local = _LocalChannels()
