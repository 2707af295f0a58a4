"""Prose that trafilatura left out of an article, put back.

On some pages trafilatura takes one part of an article for all of it: the lead box, one section,
the last paragraphs. The rest sits in a container whose class names it discards ("footer",
"accordion", "tabs"), or in sibling blocks it does not join. What it left out is still prose:
paragraphs of many words that end a sentence. So the page's prose paragraphs are read from the
pruned tree before trafilatura runs (it changes the tree), and when those missing from its text
hold at least ``MIN_WORDS`` words and more words than that text, the article was not found whole:
they go back in, each after the kept paragraph it follows on the page. So does, however short,
prose that stands between two kept paragraphs of one story (one <article> element, or none on a
page that has none): a section that trafilatura skipped in the middle of what it took. The text
rules then judge them like every other line.

Chosen on the fit halves of both bench files (thresholds of 0.5, 1 and 1.5 times the text,
paragraphs of 12 to 30 words, with and without a link-share limit: 1 time the text was best in
every variant, and the rest changed little); BENCHMARKS.md has the hold-out figures.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

MIN_PARAGRAPH_WORDS = 20  # a paragraph of prose: a sentence or more
MIN_WORDS = 100  # the prose left out must be this long ...
SHARE = 1.0  # ... and longer than this share of the text trafilatura kept (in words)
# A page with more prose paragraphs than this is no one article (the most on a bench page is 229),
# and matching paragraphs to the text costs time in proportion to both.
MAX_PARAGRAPHS = 1000
_NEAR = 50  # output paragraphs looked through for a kept paragraph that no output paragraph starts with
_KEY_CHARS = 60  # paragraphs are matched on their first characters, spaces left out
_SENTENCE_END = (".", "!", "?", '"', "”", "’", ":", ")", "…")
# Paragraph elements of 100 characters or more; those inside the page's furniture do not count.
_LONG_P = "p[string-length(normalize-space(.)) >= 100]"
_PROSE = etree.XPath(f"//{_LONG_P}")
_FURNITURE = frozenset({"nav", "aside", "footer", "header", "form", "figcaption", "noscript", "template", "button",
                        "select", "dialog", "a"})  # a modal dialog (a glossary's pop-ups); and a link: a teaser
# ... except a <nav> or <header> that holds this many long paragraphs: no menu or masthead does;
# markup with an unclosed tag has nested the article in it (the parser closes the header at
# the end of the page), and its class ("header-nav") says nothing about the article either.
_CHROME = frozenset({"nav", "header"})
MIN_NESTED_PARAGRAPHS = 5
_HOLDS_ARTICLE = etree.XPath(f"count(.//{_LONG_P}) >= {MIN_NESTED_PARAGRAPHS}")


@dataclass(frozen=True)
class Prose:
    text: str  # the paragraph on one line, single spaces
    article: int  # which <article> element holds it (numbered in page order), or -1


def page_prose(tree, ancestry: Ancestry) -> tuple[Prose, ...]:
    """The page's prose paragraphs in page order, less those that ``ancestry`` excludes: inside
    the page's furniture (nav, aside, footer, forms …), inside a link (a teaser) or inside an
    element whose class or id names boilerplate (a comment, a related box, a sidebar: pruning
    spares such elements when they are long, and trafilatura drops them itself)."""
    found = []
    for element in _PROSE(tree):
        text = _content(element)
        if not is_paragraph_prose(text):
            continue
        excluded, article = ancestry.of(element)
        if not excluded:
            found.append(Prose(text, article))
    return tuple(found)


def _content(element) -> str:
    """An element's text on one line, single spaces; not the rules of a <style> or the code of a
    <script> set inside it (CSS-in-JS pages put a <style> in front of a paragraph's text)."""
    if _HAS_CODE(element):
        return " ".join("".join(_TEXT_NOT_CODE(element)).split())
    return " ".join(element.text_content().split())


_HAS_CODE = etree.XPath("boolean(.//style | .//script)")
_TEXT_NOT_CODE = etree.XPath(".//text()[not(ancestor::style) and not(ancestor::script)]")


def is_paragraph_prose(text: str) -> bool:
    """A paragraph of prose: ``MIN_PARAGRAPH_WORDS`` words or more (``text`` has single spaces)
    that end a sentence or a clause (``_SENTENCE_END``). Not ``shape.is_prose``, the text rules'
    line test (8 words, sentence marks behind closing quotes, agency sign-offs)."""
    return text.endswith(_SENTENCE_END) and text.count(" ") + 1 >= MIN_PARAGRAPH_WORDS


class Ancestry:
    """For an element: whether it or an ancestor is furniture or has a class or id that
    ``is_boilerplate`` (a nav or header with an article nested in it is neither), and the number
    of the innermost <article> around it (-1: none). Elements whose tag is in ``unjudged`` are
    not judged by their marks (<body> classes such as "has-sidebar" say what the page is like,
    not what its text is). Each element is looked at once per page; one Ancestry serves
    ``page_prose`` and ``page_lists`` of a page."""

    def __init__(self, is_boilerplate, unjudged) -> None:
        self.is_boilerplate, self.unjudged = is_boilerplate, unjudged
        self.known: dict = {}  # element -> (excluded, article)
        self.verdicts: dict[str, bool] = {}  # class and id values repeat on a page
        self.articles = 0

    def of(self, element) -> tuple[bool, int]:
        chain = []
        node = element
        while node is not None and node not in self.known:
            chain.append(node)
            node = node.getparent()
        excluded, article = self.known[node] if node is not None else (False, -1)
        for node in reversed(chain):  # from the outermost new ancestor down to the element
            if not excluded and not (node.tag in _CHROME and _HOLDS_ARTICLE(node)):
                excluded = self.own(node)
            if node.tag == "article":
                article, self.articles = self.articles, self.articles + 1
            self.known[node] = (excluded, article)
        return self.known[element]

    def own(self, node) -> bool:
        """Whether ``node`` itself is furniture or marked as boilerplate (its ancestors aside)."""
        return node.tag in _FURNITURE or (node.tag not in self.unjudged and self._marked(node))

    def _marked(self, node) -> bool:
        found = marks(node)
        if found == " ":
            return False
        verdict = self.verdicts.get(found)
        if verdict is None:
            verdict = self.verdicts[found] = self.is_boilerplate(found)
        return verdict


_ANY_HEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SLUG_PART = re.compile(r"[^\W_]+")  # letters and digits


def marks(element) -> str:
    """An element's class and id values, in lower case, for judging what the element is. A
    heading's id that only spells the heading's own words is left out: it is an anchor for a
    table of contents ("what-share-of-adolescents-experience-…", "what-is-social-media-marketing"),
    and its words name the heading's subject, not a share or social box."""
    id_ = element.get("id", "")
    if id_ and element.tag in _ANY_HEADING and _spells(id_.lower(), element):
        id_ = ""
    return f"{element.get('class', '')} {id_}".lower()


def _spells(id_: str, heading) -> bool:
    """Whether an id of two words or more holds nothing but the heading's words and numbers."""
    parts = _SLUG_PART.findall(id_)
    if len(parts) < 2:
        return False
    words = set(_SLUG_PART.findall(heading.text_content().lower()))
    return all(part in words or part.isdigit() for part in parts)


def _key(text: str) -> str:
    """What two renderings of one paragraph share: its first characters without white space (the
    tree's text runs "a<br>b" together, trafilatura breaks the line)."""
    return "".join(text.split())[:_KEY_CHARS]


def recover(text: str, prose: tuple[Prose, ...]) -> tuple[str, int]:
    """``text`` (paragraphs separated by a blank line) with the prose it left out put back when
    that is more than ``SHARE`` of its words and at least ``MIN_WORDS``, else the prose it left
    out between two of its paragraphs of one <article>; and how many paragraphs went back in.
    Where what trafilatura kept lies in an <article> element, only prose of the same article
    goes back: the other articles of a page are other stories."""
    if not prose or len(prose) > MAX_PARAGRAPHS:
        return text, 0
    flat = "".join(text.split())
    kept = [_key(paragraph.text) in flat for paragraph in prose]
    if all(kept):
        return text, 0
    back = _left_out(text, prose, kept) or _between(prose, kept)
    if not any(back):
        return text, 0
    paragraphs = text.split("\n\n") if text else []
    flats = ["".join(paragraph.split()) for paragraph in paragraphs]
    starts: dict[str, list[int]] = defaultdict(list)  # a paragraph's key -> the output paragraphs it starts
    for i, squashed in enumerate(flats):
        starts[squashed[:_KEY_CHARS]].append(i)
    after: dict[int, list[str]] = defaultdict(list)  # output paragraph -> what follows it (-1: the start)
    anchor, added, seen = -1, 0, set()
    for paragraph, is_kept, goes in zip(prose, kept, back):
        key = _key(paragraph.text)
        if is_kept:  # the output paragraph that holds it, at or after the last one found
            anchor = _place(key, anchor, starts, flats)
        elif goes and key not in seen:  # a paragraph repeated on the page goes back once
            seen.add(key)
            after[anchor].append(paragraph.text)
            added += 1
    return _splice(paragraphs, after), added


def _left_out(text: str, prose: tuple[Prose, ...], kept: list[bool]) -> list[bool]:
    """Which paragraphs go back when the article was not found whole: all that ``text`` left out
    (of the <article> elements it was taken from, if any), when they are more than ``SHARE`` of
    its words and at least ``MIN_WORDS``; else none."""
    articles = {paragraph.article for paragraph, is_kept in zip(prose, kept) if is_kept}
    anywhere = not articles - {-1}  # what was kept lies in no <article>
    back = [not is_kept and (anywhere or paragraph.article in articles) for paragraph, is_kept in zip(prose, kept)]
    words = sum(paragraph.text.count(" ") + 1 for paragraph, goes in zip(prose, back) if goes)
    return back if words >= MIN_WORDS and words > SHARE * len(text.split()) else []


def _between(prose: tuple[Prose, ...], kept: list[bool]) -> list[bool]:
    """Which paragraphs go back because they stand between two kept paragraphs of one story:
    those left out whose nearest prose kept above and below lies in the same <article> element
    as they do, or, on a page that sets them in no <article>, in none as they do. An article cut
    into sections, each in its own wrapper, of which trafilatura joined only some, reads this
    way, and so does a section that trafilatura discarded for a word in its class ("accordion
    icon", "embed", "expanded": the methodology under a closed heading, an FAQ in an embed).
    Another story or a promotion set in the text is kept out by its marks (a fact box floated
    beside the text, a modal dialog: ``Ancestry``), or by its own <article>. (Until 2026-12-02
    an <article> element was required: WCXB then scored 0.9485 on its fit half against 0.9483
    without it; with the boxes kept out, going without it is +0.28 page-points on WCXB html,
    3 pages of 793 worse, and -0.14 on the trafilatura set, one page, a plan advertised in a
    box of its own.)"""
    back = [False] * len(prose)
    above = -1
    for below, is_kept in enumerate(kept):
        if not is_kept:
            continue
        if above >= 0:
            article = prose[above].article
            if prose[below].article == article:
                for i in range(above + 1, below):
                    back[i] = prose[i].article == article
        above = below
    return back


def _splice(paragraphs: list[str], after: dict[int, list[str]]) -> str:
    """The paragraphs, each followed by what ``after`` holds for its index (-1: before them all),
    separated by blank lines."""
    joined = list(after.get(-1, ()))
    for i, paragraph in enumerate(paragraphs):
        joined.append(paragraph)
        joined.extend(after.get(i, ()))
    return "\n\n".join(joined)


def _place(key: str, anchor: int, starts: dict[str, list[int]], flats: list[str]) -> int:
    """The output paragraph at or after ``anchor`` that holds the paragraph with ``key``: one it
    starts, else one of the next ``_NEAR`` that contains it; ``anchor`` when there is none."""
    low = max(anchor, 0)
    for i in starts.get(key, ()):
        if i >= low:
            return i
    return next((i for i in range(low, min(low + _NEAR, len(flats))) if key in flats[i]), anchor)


# -- lists ------------------------------------------------------------------------------------
#
# On pages where trafilatura finds no article element it reads the page's loose paragraphs and
# leaves their lists and headings out ("Here is a list of the principles:" and then nothing). A
# list whose paragraph before it was kept and either introduces it (ends in a colon) or is
# followed by a kept paragraph is part of that text: it goes back, after that paragraph. So does
# a run of lists and headings between two kept paragraphs ("Advantages", a list,
# "Disadvantages", a list), when a list of it goes back; headings alone only where trafilatura
# kept no heading on the page, and only in an element that holds such a list. A list or
# heading that is itself furniture or marked as boilerplate (a menu's class), and a list mostly
# of links, does not count. A list right after a heading that trafilatura kept goes back after
# that heading (a review's "Pros" and "Cons" open a section of their own, nothing before them).
# The elements around them do not matter: the kept paragraph beside them lies in those too
# (layout grids carry names like "l-grid--sidebar" around the article's column). Chosen on the
# fit halves (simulated on the pipeline's outputs: a list next to one kept paragraph, next to
# two, after a kept introduction or between two; then runs with headings, with and without a
# list in them; BENCHMARKS.md has the figures).

_LINK_TEXT = etree.XPath(".//a//text()")
_MAX_LINK_SHARE = 0.5  # of a list's characters in links: more, and it is a menu
_MIN_NEIGHBOUR = 20  # characters of a neighbouring paragraph, for it to say anything
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_MAX_HEADING = 200  # characters: longer, and it is no heading
_NO_TEXT = frozenset({"script", "style", "template"})
_HAS_TEXT = etree.XPath("normalize-space(.) != ''")
_MAX_SPACER = 8  # characters of a leaf element with no word in it: a spacer, not a paragraph
_WORD = re.compile(r"\w\w")
MAX_LISTS = 2000  # a page with more lists than this gets none back (the most on a bench page: 422)


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
            text = _content(child)
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
    items = tuple(text for text in (_content(entry) for entry in entries) if text)
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
        text = _content(sibling)
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
        parts, end = run.parts, "".join(run.before.split())[-_KEY_CHARS:]
        if len(run.before) < _MIN_NEIGHBOUR or end not in flat:
            end = ""  # the paragraph before them was not kept
        elif len(run.after) < _MIN_NEIGHBOUR or _key(run.after) not in flat:  # not between two kept paragraphs
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
            missing = [line for line in part.lines if _key(line) not in flat]
            if not missing:  # in the text already: what follows goes after it
                key = _key(part.lines[0])
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
    return _splice(paragraphs, after), restored
