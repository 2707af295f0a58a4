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

The thresholds were chosen on the bench (BENCHMARKS.md).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lxml import etree

from .page import KEY_CHARS, LONG_P, Ancestry, element_text, paragraph_key, splice

MIN_PARAGRAPH_WORDS = 20  # a paragraph of prose: a sentence or more
MIN_WORDS = 100  # the prose left out must be this long ...
SHARE = 1.0  # ... and longer than this share of the text trafilatura kept (in words)
# A page with more prose paragraphs than this is no one article (no bench page comes near it),
# and matching paragraphs to the text costs time in proportion to both.
MAX_PARAGRAPHS = 1000
_NEAR = 50  # output paragraphs looked through for a kept paragraph that no output paragraph starts with
_SENTENCE_END = (".", "!", "?", '"', "”", "’", ":", ")", "…")
_PROSE = etree.XPath(f"//{LONG_P}")


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
        text = element_text(element)
        if not is_paragraph_prose(text):
            continue
        excluded, article = ancestry.of(element)
        if not excluded:
            found.append(Prose(text, article))
    return tuple(found)


def is_paragraph_prose(text: str) -> bool:
    """A paragraph of prose: ``MIN_PARAGRAPH_WORDS`` words or more (``text`` has single spaces)
    that end a sentence or a clause (``_SENTENCE_END``). Not ``shape.is_prose``, the text rules'
    line test (8 words, sentence marks behind closing quotes, agency sign-offs)."""
    return text.endswith(_SENTENCE_END) and text.count(" ") + 1 >= MIN_PARAGRAPH_WORDS


def recover(text: str, prose: tuple[Prose, ...]) -> tuple[str, int]:
    """``text`` (paragraphs separated by a blank line) with the prose it left out put back when
    that is more than ``SHARE`` of its words and at least ``MIN_WORDS``, else the prose it left
    out between two of its paragraphs of one <article>; and how many paragraphs went back in.
    Where what trafilatura kept lies in an <article> element, only prose of the same article
    goes back: the other articles of a page are other stories."""
    if not prose or len(prose) > MAX_PARAGRAPHS:
        return text, 0
    flat = "".join(text.split())
    kept = [paragraph_key(paragraph.text) in flat for paragraph in prose]
    if all(kept):
        return text, 0
    back = _left_out(text, prose, kept) or _between(prose, kept)
    if not any(back):
        return text, 0
    paragraphs = text.split("\n\n") if text else []
    flats = ["".join(paragraph.split()) for paragraph in paragraphs]
    starts: dict[str, list[int]] = defaultdict(list)  # a paragraph's key -> the output paragraphs it starts
    for i, squashed in enumerate(flats):
        starts[squashed[:KEY_CHARS]].append(i)
    after: dict[int, list[str]] = defaultdict(list)  # output paragraph -> what follows it (-1: the start)
    anchor, added, seen = -1, 0, set()
    for paragraph, is_kept, goes in zip(prose, kept, back):
        key = paragraph_key(paragraph.text)
        if is_kept:  # the output paragraph that holds it, at or after the last one found
            anchor = _place(key, anchor, starts, flats)
        elif goes and key not in seen:  # a paragraph repeated on the page goes back once
            seen.add(key)
            after[anchor].append(paragraph.text)
            added += 1
    return splice(paragraphs, after), added


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
    beside the text, a modal dialog: ``Ancestry``), or by its own <article>."""
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


def _place(key: str, anchor: int, starts: dict[str, list[int]], flats: list[str]) -> int:
    """The output paragraph at or after ``anchor`` that holds the paragraph with ``key``: one it
    starts, else one of the next ``_NEAR`` that contains it; ``anchor`` when there is none."""
    low = max(anchor, 0)
    for i in starts.get(key, ()):
        if i >= low:
            return i
    return next((i for i in range(low, min(low + _NEAR, len(flats))) if key in flats[i]), anchor)
