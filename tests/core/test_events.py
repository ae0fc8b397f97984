"""State-change events (creditcheck/core/events.py): announced after commit, heard across
threads through the in-process channel and across processes through Redis pub/sub."""

import asyncio
import os
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import transaction

from creditcheck.core import events


def async_to_sync(function: Any) -> Any:
    """Run the coroutine function on a thread of its own: the test's thread may hold an event
    loop already (Playwright's, from a browser test before it in this process)."""

    def run(*args: Any, **kwargs: Any) -> Any:
        coroutine: Coroutine[Any, Any, Any] = function(*args, **kwargs)
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coroutine).result()

    return run


async def _first_event(channel: str, publish: Any, timeout: float = 10.0) -> str | None:
    """Subscribe to `channel`, call `publish()` on another thread, return what was heard."""
    async with events.subscription(channel) as subscription:
        thread = threading.Thread(target=publish)
        thread.start()
        heard = await subscription.next(timeout)
        await asyncio.to_thread(thread.join)
    return heard


def test_in_process_channel_hands_an_event_from_another_thread(settings: Any) -> None:
    settings.EVENTS_REDIS_URL = ""

    heard = async_to_sync(_first_event)("c1", lambda: events.publish("c1", "succeeded"))

    assert heard == "succeeded"


def test_in_process_channel_keeps_channels_apart(settings: Any) -> None:
    settings.EVENTS_REDIS_URL = ""

    heard = async_to_sync(_first_event)("c2", lambda: events.publish("c3", "x"), timeout=0.2)

    assert heard is None


@pytest.mark.django_db(transaction=True)
def test_publish_on_commit_announces_only_what_commits(settings: Any) -> None:
    settings.EVENTS_REDIS_URL = ""

    def rolled_back_then_committed() -> None:
        try:
            with transaction.atomic():
                events.publish_on_commit("c4", "rolled back")
                raise RuntimeError
        except RuntimeError:
            pass
        with transaction.atomic():
            events.publish_on_commit("c4", "committed")

    heard = async_to_sync(_first_event)("c4", rolled_back_then_committed)

    assert heard == "committed"


@pytest.mark.django_db
def test_topic_names_the_prefix_the_database_and_the_record(settings: Any) -> None:
    settings.EVENTS_CHANNEL_PREFIX = "p-"
    from django.db import connection

    assert events.topic("query", 7) == (f"p-creditcheck:{connection.settings_dict['NAME']}:query:7")


@pytest.mark.celery_worker
def test_redis_pub_sub_carries_an_event_between_connections(settings: Any) -> None:
    """The production path: publisher and subscriber share nothing but Redis."""
    settings.EVENTS_REDIS_URL = os.environ["CELERY_BROKER_URL"]
    channel = f"test-events-{os.getpid()}"

    heard = async_to_sync(_first_event)(channel, lambda: events.publish(channel, "failed"))

    assert heard == "failed"


def test_redis_unreachable_drops_the_event_and_logs(settings: Any, caplog: Any) -> None:
    settings.EVENTS_REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens

    events.publish("c5", "succeeded")

    assert "event not published on c5" in caplog.text
