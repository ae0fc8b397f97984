"""Server-Sent Events of one record's state, for the screens that wait on it.

`state_stream` answers an async view (served under ASGI: uvicorn workers in production, uvicorn
in `make run`). It holds the connection open until the record's screen state differs from the
one the page shows (`since`), then sends one `changed` event and ends; the page fetches its
fragment again (htmx, static/js/credit.js) and, if still waiting, connects anew. Events of the
record's topic (creditcheck/core/events.py) wake it at once; it also reads the stored state
every KEEPALIVE_SECONDS, so a lost event costs seconds, not the result.
"""

import asyncio
from collections.abc import AsyncIterator, Callable

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, StreamingHttpResponse

from creditcheck.core.events import subscription

KEEPALIVE_SECONDS = 15.0
# A stream ends after this long even if nothing changed; EventSource reconnects by itself.
STREAM_SECONDS = 300.0
# How long the browser waits before it reconnects a dropped stream.
RETRY_MS = 2000


def state_stream(
    request: HttpRequest, channel: str, since: str, read_state: Callable[[], str]
) -> StreamingHttpResponse:
    """The event stream of a record: `read_state` (sync, run on a thread) reads its screen state.

    Served under WSGI (a sync gunicorn, the test server), a stream would be collected whole
    before it is sent and would hold a thread: there it answers at once instead, with the
    change if there is one, and the browser asks again after RETRY_MS (a slow poll).
    """
    hold = isinstance(request, ASGIRequest)
    response = StreamingHttpResponse(
        _events(channel, since, read_state, hold), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # proxies must pass each event as it comes
    return response


async def _events(
    channel: str, since: str, read_state: Callable[[], str], hold: bool
) -> AsyncIterator[str]:
    read = sync_to_async(read_state)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + (STREAM_SECONDS if hold else 0)
    # Subscribed before the state is read: a change between the two is not missed.
    async with subscription(channel) as events:
        yield f"retry: {RETRY_MS}\n\n"
        state = await read()
        while state == since:
            left = deadline - loop.time()
            if left <= 0:
                return
            if await events.next(min(KEEPALIVE_SECONDS, left)) is None:
                yield ": keepalive\n\n"
            state = await read()
    yield f"event: changed\ndata: {state}\n\n"
