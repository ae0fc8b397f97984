"""Reading the server-rendered pages in tests: parse a response, find elements, compare texts.

Texts are whitespace-normalized (what a person reads), so template indentation never matters.
"""

from __future__ import annotations

from typing import Any

import lxml.html


def parse(response: Any) -> lxml.html.HtmlElement:
    """The page of a test client response (or its raw bytes) as an lxml tree."""
    content = response if isinstance(response, bytes) else response.content
    page: lxml.html.HtmlElement = lxml.html.fromstring(content.decode())
    return page


def text(element: lxml.html.HtmlElement) -> str:
    """An element's text as a person reads it: whitespace runs made one space."""
    return " ".join(element.text_content().split())


def texts(response: Any, xpath: str) -> list[str]:
    """The text of each element an XPath selects."""
    return [text(node) for node in parse(response).xpath(xpath)]


def by_testid(response: Any, testid: str) -> list[lxml.html.HtmlElement]:
    """The elements marked `data-testid="<testid>"`, in page order."""
    return list(parse(response).xpath(f'//*[@data-testid="{testid}"]'))


def texts_by_testid(response: Any, testid: str) -> list[str]:
    """The text of each element marked `data-testid="<testid>"`."""
    return [text(element) for element in by_testid(response, testid)]


def text_by_testid(response: Any, testid: str) -> str:
    """The text of the one element marked `data-testid="<testid>"` (fails if not exactly one)."""
    (element,) = by_testid(response, testid)
    return text(element)


def field_errors(response: Any, name: str) -> list[str]:
    """The error messages shown under one form field."""
    return texts(response, f'//*[@data-field-error="{name}"]')
