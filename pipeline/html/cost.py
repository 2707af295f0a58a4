"""Cheap looks at raw HTML before it is parsed, for pages that cost too much to parse and extract.

The parser and the extraction after it take time that grows with the square of the attributes
on one element, and memory that grows with the number of elements; both are counted here in
one pass of a regular expression, with no tree built. The tag syntax is HTML5's, as libxml2's
tokenizer reads it: quoted values may hold ``<`` and ``>``, and ``/`` separates attributes.
"""
from __future__ import annotations

import re
from itertools import islice

MAX_ATTRIBUTES = 1_000  # under it the square of the attributes costs nothing to speak of; far over real pages
MAX_ELEMENTS = 100_000  # far over real news pages, and few enough that a page with them cleans in seconds

_WS = r"[\t\n\f\r ]"  # HTML's whitespace: a no-break space is part of a name
_SEPARATOR = r"[\t\n\f\r /]*+"
# A quote left open runs to the end, as in HTML5 (and a scan that stopped there would go over the rest again).
_ATTRIBUTE = rf"""[^\t\n\f\r />][^\t\n\f\r />=]*+(?:{_WS}*+={_WS}*+(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^\t\n\f\r >]*+))?+"""
_TAG_NAME = r"<[A-Za-z][^\t\n\f\r />]*+"
_FITTING_ATTRIBUTES = rf"(?:{_SEPARATOR}{_ATTRIBUTE}){{0,{MAX_ATTRIBUTES}}}+{_SEPARATOR}(?:>|\Z)"
# Text, and tags with MAX_ATTRIBUTES at most, as far as they go; all quantifiers possessive, so one
# pass. Scripts and styles are text to the parser: the tags in them cost nothing.
_FITTING = re.compile(
    rf"(?:[^<]++|<(?![A-Za-z])"
    rf"|<(?i:script|style)(?=[\t\n\f\r />]){_FITTING_ATTRIBUTES}(?:[^<]++|<(?!/(?i:script|style)))*+"
    rf"|{_TAG_NAME}{_FITTING_ATTRIBUTES})*+"
)
_TAG_START = re.compile(_TAG_NAME)
_ATTRIBUTES = re.compile(rf"(?:{_SEPARATOR}{_ATTRIBUTE})*+")
_ONE_ATTRIBUTE = re.compile(_SEPARATOR + _ATTRIBUTE)
_START_TAG = re.compile(r"<(?=[A-Za-z])")  # one character a match: nothing new to allocate


def crowded_element(html: str) -> tuple[str, int] | None:
    """The tag name and attribute count of the first element with more than MAX_ATTRIBUTES."""
    at = _FITTING.match(html).end()
    if at == len(html):
        return None
    name = _TAG_START.match(html, at)
    end = _ATTRIBUTES.match(html, name.end()).end()
    count = len(_ONE_ATTRIBUTE.findall(html, name.end(), end))
    return name.group()[1:], count


def too_many_elements(html: str) -> int | None:
    """The number of start tags (an upper bound on the elements) when it is over MAX_ELEMENTS;
    the page's length (two characters a tag at least) or its count of ``<`` rules that out at once."""
    if len(html) <= 2 * MAX_ELEMENTS or html.count("<") <= MAX_ELEMENTS:
        return None
    count = len(_START_TAG.findall(html))
    return count if count > MAX_ELEMENTS else None


def first_elements(html: str, count: int) -> str:
    """The page up to its ``count + 1``-th start tag."""
    after = next(islice(_START_TAG.finditer(html), count, None), None)
    return html if after is None else html[:after.start()]
