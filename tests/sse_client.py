"""Reading Server-Sent Events in tests: over real HTTP (requests) or from the test client."""

import warnings
from collections.abc import Iterator
from typing import Any

import requests


def read_events(response: requests.Response) -> Iterator[tuple[str, str]]:
    """(event, data) of each event of a text/event-stream, until the server ends it."""
    name, data = "message", ""
    for line in response.iter_lines(decode_unicode=True):
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data = line.removeprefix("data: ")
        elif line == "" and data:
            yield name, data
            name, data = "message", ""


def stream_body(response: Any) -> str:
    """The whole body of the test client's event stream (under its WSGI the stream answers at
    once, so it ends)."""
    with warnings.catch_warnings():  # the test client reads the async stream synchronously
        warnings.simplefilter("ignore")
        return b"".join(response).decode()
