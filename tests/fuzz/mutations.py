"""Hypothesis strategies that damage a real payload the ways a platform or a network could.

Bytes: truncation, flipped bytes, inserted, deleted or repeated runs, another text encoding.
JSON: keys lost, repeated or renamed; values of another type, huge or odd numbers (also in
every numeric field at once), odd strings, nesting up to thousands of levels. XML: elements
lost, repeated, renamed or stripped of their namespace; attributes and texts with odd values
(also in every attribute of a name at once), attributes lost; another encoding.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st
from lxml import etree


class Pairs(list[tuple[str, Any]]):
    """A JSON object as its pairs, in order, repetitions included."""


class Verbatim(str):
    """Text written into the JSON as it is (a number no JSON encoder would write)."""


# Strings a platform might send where a number, date, code or name belongs.
ODD_TEXTS = (
    "",
    " ",
    "0",
    "-1",
    "-0",
    "00",
    "1e999999999",
    "-1E-999999999",
    "9" * 400,
    "1" * 5000,  # more digits than int() converts
    "NaN",
    "Infinity",
    "-Infinity",
    "sNaN",
    "1.234,56",
    "R$ 9.999.999.999.999.999,99",
    "12,5%",
    "00/00/0000",
    "31/02/2024",
    "2024-13-45",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59+99:00",
    "true",
    "null",
    "[]",
    "{}",
    "\u0663\u0664",  # Arabic-Indic digits
    "\uff11\uff12",  # fullwidth digits
    "\u00b2",  # superscript two: str.isdigit() says yes, int() says no
    "\ufeffBOM",
    "<b>&amp;</b>",
    "ÁÉÍÓÚ ç ñ 漢字 🙂",
    "x" * 10_000,
)
ODD_NUMBERS: tuple[Any, ...] = (
    0,
    -1,
    2**31,
    2**63,
    10**30,
    10**4000,
    -(10**4000),
    1.5,
    -0.0,
    1e308,
    -1e308,
    5e-324,
    float("inf"),
    float("-inf"),
    float("nan"),
)
ODD_VALUES = st.one_of(
    st.sampled_from(ODD_TEXTS),
    st.just("A\ud800B"),  # an unpaired surrogate: valid JSON escape, not Unicode text
    st.sampled_from(ODD_NUMBERS),
    st.sampled_from([None, True, False, [], {}, [None], {"": None}]),
    st.text(max_size=30),
    st.integers(),
)
# Numbers as they may be written in JSON, including ones no encoder writes but parsers read
# (more digits than int() converts, exponents beyond Decimal's range, NaN and Infinity).
JSON_NUMBERS = st.sampled_from(
    [
        *ODD_NUMBERS,
        *ODD_TEXTS[:18],
        Verbatim("1" * 5000),
        Verbatim("1e999999999"),
        Verbatim("-1e-999999999"),
        Verbatim("NaN"),
    ]
)
ENCODINGS = ("latin-1", "cp1252", "utf-16", "utf-16-le", "utf-8-sig", "ascii")


# --------------------------------------------------------------------------------------------
# Bytes


@st.composite
def damaged_bytes(draw: st.DrawFn, content: bytes) -> bytes:
    """The content with one to three byte-level injuries."""
    for _ in range(draw(st.integers(1, 3))):
        size = len(content)
        at = draw(st.integers(0, size))
        injury = draw(
            st.sampled_from(["truncate", "flip", "insert", "delete", "repeat", "encoding"])
        )
        if injury == "truncate":
            content = content[:at]
        elif injury == "flip" and at < size:
            mask = draw(st.integers(1, 255))
            content = content[:at] + bytes([content[at] ^ mask]) + content[at + 1 :]
        elif injury == "insert":
            content = content[:at] + draw(st.binary(min_size=1, max_size=8)) + content[at:]
        elif injury == "delete":
            content = content[:at] + content[at + draw(st.integers(1, 64)) :]
        elif injury == "repeat":
            run = content[at : at + draw(st.integers(1, 256))]
            content = content[:at] + run * draw(st.integers(2, 20)) + content[at:]
        elif injury == "encoding":
            text = content.decode("utf-8", errors="replace")
            content = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return content


# --------------------------------------------------------------------------------------------
# JSON: objects are kept as lists of (key, value) pairs, so a key can be repeated.


def _load(text: str) -> Any:
    return json.loads(text, object_pairs_hook=Pairs)


def _dump(value: Any, ensure_ascii: bool) -> str:
    if isinstance(value, Verbatim):
        return str(value)
    if isinstance(value, Pairs):
        items = (
            f"{json.dumps(k, ensure_ascii=ensure_ascii)}: {_dump(v, ensure_ascii)}"
            for k, v in value
        )
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(item, ensure_ascii) for item in value) + "]"
    return json.dumps(value, ensure_ascii=ensure_ascii)


def _containers(value: Any) -> list[Any]:
    """Every object and array of a loaded document, the document first."""
    found: list[Any] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, Pairs):
            found.append(node)
            stack.extend(v for _, v in node)
        elif isinstance(node, list):
            found.append(node)
            stack.extend(node)
    return found


def _rename(key: str, draw: st.DrawFn) -> str:
    how = draw(st.sampled_from(["upper", "lower", "pad", "snake", "other"]))
    if how == "upper":
        return key.upper()
    if how == "lower":
        return key.lower()
    if how == "pad":
        return f" {key} "
    if how == "snake":
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)
    return draw(st.text(max_size=12))


def _entries(document: Any) -> list[tuple[Any, int]]:
    """(container, index) of every value inside the document, leaves and containers alike."""
    return [(node, at) for node in _containers(document) for at in range(len(node))]


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and any(c.isdigit() for c in value)


# Depths of nesting: a level or two; near Python's recursion limit (json.loads succeeds, then
# recursive code walking the result may not); beyond it (json.loads itself gives up).
NESTING = (1, 2, 900, 5000)


def _nested(value: Any, depth: int, in_lists: bool) -> Any:
    if depth <= 2:
        for _ in range(depth):
            value = [value] if in_lists else Pairs([("valor", value)])
        return value
    inner = _dump(value, ensure_ascii=True)
    if in_lists:
        return Verbatim("[" * depth + inner + "]" * depth)
    return Verbatim('{"valor": ' * depth + inner + "}" * depth)


def _replace(node: Any, at: int, new: Any) -> None:
    node[at] = (node[at][0], new) if isinstance(node, Pairs) else new


@st.composite
def damaged_json(draw: st.DrawFn, content: bytes) -> bytes:
    """A JSON payload with one to four structural injuries; other content is left as it is."""
    try:
        document = _load(content.decode("utf-8"))
    except ValueError:
        return content
    for _ in range(draw(st.integers(1, 4))):
        entries = _entries(document)
        if not entries:
            break
        node, at = draw(st.sampled_from(entries))
        key, value = node[at] if isinstance(node, Pairs) else (None, node[at])
        injury = draw(
            st.sampled_from(
                ["delete", "repeat", "rename", "nest", "clear"]
                + ["replace", "every-number"] * 3  # odd values are where parsers break
            )
        )
        if injury == "delete":
            del node[at]
        elif injury == "repeat":
            node.insert(at, copy.deepcopy(node[at]))
        elif injury == "rename" and key is not None:
            node[at] = (_rename(key, draw), value)
        elif injury == "clear" and isinstance(value, list):
            value.clear()
        elif injury == "nest":
            _replace(node, at, _nested(value, draw(st.sampled_from(NESTING)), draw(st.booleans())))
        elif injury == "every-number":  # one odd number everywhere a number was
            odd = draw(JSON_NUMBERS)
            for container, index in entries:
                item = container[index][1] if isinstance(container, Pairs) else container[index]
                if _is_number(item):
                    _replace(container, index, odd)
        else:
            # A copy: the strategies hold the lists and objects, later injuries change it.
            _replace(node, at, copy.deepcopy(draw(ODD_VALUES | JSON_NUMBERS)))
    return _dump(document, draw(st.booleans())).encode("utf-8", errors="surrogatepass")


# --------------------------------------------------------------------------------------------
# XML

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
# Texts lxml can hold: no control characters, surrogates or non-characters.
XML_TEXTS = st.sampled_from(ODD_TEXTS) | st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")), max_size=30
)


def _xml_injury(draw: st.DrawFn, root: etree._Element) -> None:
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    element = draw(st.sampled_from(elements))
    parent = element.getparent()
    injury = draw(
        st.sampled_from(
            [
                "delete",
                "repeat",
                "rename",
                "unprefix",
                "attribute",
                "every-attribute",
                "drop-attribute",
                "text",
            ]
        )
    )
    if injury == "delete" and parent is not None:
        parent.remove(element)
    elif injury == "repeat" and parent is not None:
        parent.insert(parent.index(element), copy.deepcopy(element))
    elif injury == "rename":
        qname = etree.QName(element)
        name = draw(st.sampled_from([qname.localname.upper(), f"{qname.localname}-x", "item"]))
        element.tag = etree.QName(qname.namespace, name).text if qname.namespace else name
    elif injury == "unprefix":
        element.tag = etree.QName(element).localname
    elif injury == "attribute":
        names = list(element.attrib) or ["valor"]
        element.set(draw(st.sampled_from(names)), draw(XML_TEXTS))
    elif injury == "every-attribute":  # one odd value in every attribute of a name
        everywhere = sorted({str(name) for el in elements for name in el.attrib})
        if everywhere:
            name, value = draw(st.sampled_from(everywhere)), draw(XML_TEXTS)
            for el in elements:
                if name in el.attrib:
                    el.set(name, value)
    elif injury == "drop-attribute" and element.attrib:
        del element.attrib[draw(st.sampled_from(list(element.attrib)))]
    elif injury == "text":
        element.text = draw(XML_TEXTS)


@st.composite
def damaged_xml(draw: st.DrawFn, content: bytes) -> bytes:
    """An XML payload with one to four structural injuries; other content is left as it is."""
    try:
        root = etree.fromstring(content, parser=_XML_PARSER)
    except etree.XMLSyntaxError:
        return content
    for _ in range(draw(st.integers(1, 4))):
        _xml_injury(draw, root)
    encoding = draw(st.sampled_from(["utf-8", "iso-8859-1", "utf-16"]))
    xml = etree.tostring(root, encoding=encoding, xml_declaration=draw(st.booleans()))
    assert isinstance(xml, bytes)  # with an encoding, lxml writes bytes
    return xml


def damaged_structure(content: bytes) -> st.SearchStrategy[bytes]:
    """Structural injuries of an XML or JSON payload (other content is left as it is)."""
    return damaged_xml(content) if content.lstrip().startswith(b"<") else damaged_json(content)
