"""Lists and headings that trafilatura left out of an article, put back.

On pages where trafilatura finds no article element it reads the page's loose paragraphs and
leaves their lists and headings out ("Here is a list of the principles:" and then nothing). A
list whose paragraph before it was kept and either introduces it (ends in a colon) or is
followed by a kept paragraph is part of that text: it goes back, after that paragraph. So does
a run of lists and headings between two kept paragraphs ("Advantages", a list,
"Disadvantages", a list), when a list of it goes back; headings alone only where trafilatura
kept no heading on the page, and only in an element that holds such a list. A list or
heading that is itself furniture or marked as boilerplate (a menu's class), and a list mostly
of links, does not count. A list right after a heading that trafilatura kept goes back after
that heading (a review's "Pros" and "Cons" open a section of their own, nothing before them).
The elements around them do not matter: the kept paragraph beside them lies in those too
(layout grids carry names like "l-grid--sidebar" around the article's column).

The conditions were chosen on the bench (BENCHMARKS.md).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lxml import etree

from .page import KEY_CHARS, Ancestry, element_text, paragraph_key, splice

_LINK_TEXT = etree.XPath(".//a//text()")
_MAX_LINK_SHARE = 0.5  # of a list's characters in links: more, and it is a menu
_MIN_NEIGHBOUR = 20  # characters of a neighbouring paragraph, for it to say anything
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_MAX_HEADING = 200  # characters: longer, and it is no heading
_NO_TEXT = frozenset({"script", "style", "template"})
_HAS_TEXT = etree.XPath("normalize-space(.) != ''")
_MAX_SPACER = 8  # characters of a leaf element with no word in it: a spacer, not a paragraph
_WORD = re.compile(r"\w\w")
MAX_LISTS = 2000  # a page with more lists than this gets none back (no bench page comes near it)


@dataclass(frozen=True)
class Part:
    lines: tuple[str, ...]  # a list's items, or a heading's one line; single spaces
    is_list: bool


@dataclass(frozen=True)
class ListRun:
    parts: tuple[Part, ...]  # lists and headings side by side on the page
    before: str  # the text of the element before them (single spaces), or ""
    after: str  # the text of the element after them, or ""


def page_lists(tree, ancestry: Ancestry) -> tuple[ListRun, ...]:
    """The page's runs of lists and headings (siblings; a list has two items or more, is not
    itself furniture or marked as boilerplate, and has at most ``_MAX_LINK_SHARE`` of its text in
    links), each with the text of the elements beside it, in page order. Headings count only in
    an element that holds such a list. Each run is read from one of its members outwards: only
    the runs and their two neighbours are read, not every child of their parents."""
    found: list[ListRun] = []
    kinds: dict = {}  # list or heading element -> its Part, _SKIP or None (read once)
    holders = set()  # elements with a list child that can go back: headings count only there
    for number, element in enumerate(tree.iter("ul", "ol")):
        if number >= MAX_LISTS:
            return ()
        if isinstance(_kind(element, ancestry, kinds), Part):
            holders.add(element.getparent())
    if not holders:
        return ()
    taken: set = set()  # members of a run already found
    for element in tree.iter("ul", "ol", *_HEADINGS):
        if element in taken or element.getparent() not in holders or not isinstance(_kind(element, ancestry, kinds), Part):
            continue
        run = _run_around(element, ancestry, kinds, taken)
        if run is not None:
            found.append(run)
    return tuple(found)


_SKIP = object()  # a child without text (a spacer, an image): neither part of a run nor its end


def _kind(child, ancestry: Ancestry, kinds: dict):
    """A child's place in a run: its Part, _SKIP, or None (it ends a run)."""
    if not isinstance(child.tag, str) or child.tag in _NO_TEXT:
        return _SKIP
    if child.tag in ("ul", "ol"):
        if child not in kinds:
            kinds[child] = _as_list(child, ancestry)
        return kinds[child]
    if child.tag in _HEADINGS:
        if child not in kinds:
            text = element_text(child)
            kinds[child] = (_SKIP if not text else
                            Part((text,), False) if len(text) <= _MAX_HEADING and not ancestry.own(child) else None)
        return kinds[child]
    if child.text and not child.text.isspace():
        if len(child) == 0 and _is_spacer(child.text):
            return _SKIP  # a spacer paragraph: "&nbsp;", "-", a zero-width joiner read as "â\x80\x8d"
        return None
    return None if _HAS_TEXT(child) else _SKIP


def _as_list(element, ancestry: Ancestry) -> Part | None:
    entries = element.findall("li")
    if len(entries) < 2 or next(element.iterancestors("li"), None) is not None or ancestry.own(element):
        return None  # one item, a list inside a list (its parent's items hold it), or a menu's own marks
    chars = len("".join(element.text_content().split()))
    if len("".join("".join(_LINK_TEXT(element)).split())) > _MAX_LINK_SHARE * chars:
        return None
    items = tuple(text for text in (element_text(entry) for entry in entries) if text)
    return Part(items, True) if len(items) >= 2 else None


def _run_around(element, ancestry: Ancestry, kinds: dict, taken: set) -> ListRun | None:
    """The run of lists and headings that ``element`` is in, unless it cannot go back: nothing
    before it, or headings alone with nothing after them (a card's heading)."""
    members = [element]
    for direction, into in ((True, []), (False, [])):
        for sibling in element.itersiblings(preceding=direction):
            kind = _kind(sibling, ancestry, kinds)
            if kind is None:
                break
            if kind is not _SKIP:
                into.append(sibling)
        members = into[::-1] + members if direction else members + into
    taken.update(members)
    run = tuple(kinds[member] for member in members)
    if not any(p.is_list for p in run) and (members[0].getprevious() is None or members[-1].getnext() is None):
        return None  # headings alone at the edge of their element (a card's heading): never between kept text
    if members[0].getprevious() is None and _introduced(run) is None:
        return None  # nothing before it, and no heading of its own before a list
    return ListRun(run, _neighbour(members[0].itersiblings(preceding=True)), _neighbour(members[-1].itersiblings()))


def _introduced(parts: tuple[Part, ...]) -> int | None:
    """The first heading of a run that a list follows directly ("Pros", then the pros)."""
    return next((i for i in range(len(parts) - 1) if not parts[i].is_list and parts[i + 1].is_list), None)


def _is_spacer(text: str) -> bool:
    return len(text) <= _MAX_SPACER and not _WORD.search(text)


def _neighbour(siblings) -> str:
    """The text of the first element among ``siblings`` that has any (scripts have none; spacers
    are passed over)."""
    for sibling in siblings:
        if not isinstance(sibling.tag, str) or sibling.tag in _NO_TEXT:
            continue
        text = element_text(sibling)
        if text and not _is_spacer(text):  # a spacer says nothing
            return text
    return ""


def restore_lists(text: str, runs: tuple[ListRun, ...], headings: bool = False) -> tuple[str, int]:
    """``text`` with the lists it left out put back after the paragraph before them, when that
    paragraph was kept and either the paragraph after them was kept too (headings between them
    come along) or it ends in a colon (then the list right after it goes back). Failing that, a
    heading of the run that was kept as a paragraph of its own and that a list follows ("Pros",
    then the pros) takes the rest of the run after it. With ``headings`` (trafilatura kept none
    on the page), headings go back without a list too. Returns the text and how many lists went
    back. Items and headings already in the text are not repeated."""
    if not runs or not text:
        return text, 0
    flat = "".join(text.split())
    paragraphs: list[str] = []
    flats: list[str] = []  # made when a run first needs them
    after: dict[int, list[str]] = defaultdict(list)
    restored = 0
    for run in runs:
        parts, end = run.parts, "".join(run.before.split())[-KEY_CHARS:]
        if len(run.before) < _MIN_NEIGHBOUR or end not in flat:
            end = ""  # the paragraph before them was not kept
        elif len(run.after) < _MIN_NEIGHBOUR or paragraph_key(run.after) not in flat:  # not between two kept paragraphs
            if run.before.endswith(":") and parts[0].is_list:
                parts = parts[:1]  # only the list that the kept paragraph introduces
            else:
                end = ""
        heading = None if end else _introduced(parts)
        if not end and heading is None:
            continue
        if not flats:
            paragraphs = text.split("\n\n")
            flats = ["".join(paragraph.split()) for paragraph in paragraphs]
        if end:
            anchor = next((i for i, squashed in enumerate(flats) if end in squashed), None)
        else:  # a heading of the run kept as a paragraph of its own introduces the list after it
            own = "".join(parts[heading].lines[0].split())
            anchor = next((i for i, squashed in enumerate(flats) if squashed == own), None)
            parts = parts[heading:]
        if anchor is None:  # the paragraph's end spans two output paragraphs, or the heading was not kept
            continue
        inserts, lists = [], 0
        for part in parts:
            missing = [line for line in part.lines if paragraph_key(line) not in flat]
            if not missing:  # in the text already: what follows goes after it
                key = paragraph_key(part.lines[0])
                anchor = next((i for i in range(anchor, len(flats)) if key in flats[i]), anchor)
                continue
            inserts.append((anchor, "\n".join(missing)))
            lists += part.is_list
        if not inserts or not (lists or headings):
            continue  # headings alone do not go back, unless trafilatura kept none on the page
        for place, block in inserts:
            after[place].append(block)
            flat += "".join(block.split())  # a list repeated on the page goes back once
        restored += lists
    if not after:
        return text, 0
    return splice(paragraphs, after), restored
