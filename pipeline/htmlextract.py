"""HTML to paragraphs: prune structural boilerplate from the tree, then trafilatura.

Every pruned element is recorded as a removal (rule ``html-…``) with its text and source line.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex
import trafilatura
from lxml import etree
from trafilatura.metadata import extract_title
from trafilatura.utils import load_html

from .decode import InputError
from .model import Removal

# trafilatura with every option stated: the main text only, tables kept, no markup, no
# deduplication across documents (it would make output depend on processing order).
TRAFILATURA_OPTIONS = dict(
    fast=False,  # keep the readability/jusText fallback: better recall on odd layouts
    favor_precision=False,
    favor_recall=False,
    include_comments=False,
    include_tables=True,
    include_images=False,
    include_formatting=False,
    include_links=False,
    deduplicate=False,
    with_metadata=False,  # dates, authors, sitename: not needed, and they cost more than the text
    only_with_metadata=False,
    target_language=None,
    output_format="python",
)

# Structural families: (rule, reason, pattern over the element's class and id).
_TOKEN = r"(?:^|[\s_\-])(?:{})(?:$|[\s_\-])"
STRUCTURAL = (
    ("html-caption", "a figure caption or photo credit in the markup",
     regex.compile(_TOKEN.format(r"(?:wp-)?caption(?:-text)?|figcaption|photo-?credit|image-?credit|credits?"), regex.I)),
    ("html-ad", "an advertisement slot in the markup",
     regex.compile(_TOKEN.format(r"ads?|advert\w*|adslot|adunit|ad-?container|dfp|gpt|sponsor\w*|banner-?ad|commercial"), regex.I)),
    ("html-related", "a related-articles box in the markup",
     regex.compile(_TOKEN.format(r"related\w*|recommend\w*|outbrain|taboola|more-?stories|read-?more|also-?read|most-?(?:read|popular|viewed)|trending|other-?topics"), regex.I)),
    ("html-comments", "a comment section in the markup",
     regex.compile(_TOKEN.format(r"comments?|comment-?(?:section|list|form)|commentlist|disqus|respond"), regex.I)),
    ("html-newsletter", "a newsletter or subscription box in the markup",
     regex.compile(_TOKEN.format(r"newsletter\w*|subscribe\w*|subscription|signup|sign-up"), regex.I)),
    ("html-share", "share buttons in the markup",
     regex.compile(_TOKEN.format(r"share\w*|sharing|social-?(?:share|links|buttons|media)"), regex.I)),
)
# One search per element: the families as named groups of one pattern.
_FAMILIES = regex.compile(
    "|".join(f"(?P<{rule.replace('-', '_')}>{pattern.pattern})" for rule, _, pattern in STRUCTURAL), regex.I
)
_REASONS = {rule.replace("-", "_"): (rule, reason) for rule, reason, _ in STRUCTURAL}
_PROTECTED = {"html", "body", "main", "article"}
_META_TITLE = etree.XPath('//meta[@property="og:title" or @name="twitter:title"]/@content')
_MAX_SHARE = 0.4  # never prune an element that holds this much of the page's text
_MAX_FIGURE_WORDS = 60


@dataclass(frozen=True)
class Extracted:
    text: str  # paragraphs separated by a blank line
    title: str
    removals: tuple[Removal, ...]


def extract_html(html: str, prune: bool = True) -> Extracted:
    tree = load_html(html)
    if tree is None:
        raise InputError("not parseable as HTML")
    title = page_title(tree)
    removals = prune_tree(tree) if prune else ()
    document = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
    if document is None or document.body is None:
        return Extracted("", title, removals)
    paragraphs = [p for p in (_paragraph(el) for el in document.body) if p]
    return Extracted("\n\n".join(paragraphs), title, removals)


def page_title(tree) -> str:
    """The headline: og:title or twitter:title, else trafilatura's title rules (a lone h1, ...)."""
    for value in _META_TITLE(tree):
        if value.strip():
            return " ".join(value.split())
    return " ".join((extract_title(tree) or "").split())


def prune_tree(tree) -> tuple[Removal, ...]:
    """Drop caption, ad, related, comment, newsletter and share elements; say what went."""
    page_chars = max(len(_squash(_all_text(tree))), 1)
    chosen: list[tuple[etree._Element, str, str]] = []
    picked: set = set()
    for element in _candidates(tree):
        family = _family(element)
        if family is None or element.tag in _PROTECTED:
            continue
        if any(ancestor in picked for ancestor in element.iterancestors()):
            continue
        if len(_squash(_all_text(element))) > _MAX_SHARE * page_chars:
            continue
        picked.add(element)
        chosen.append((element, *family))
    removals = []
    for element, rule, reason in chosen:
        text = _squash(_all_text(element))
        if text:
            line = element.sourceline or 0
            removals.append(Removal(rule, reason, text, (line, line)))
        element.drop_tree()  # keeps the element's tail text in place
    return tuple(removals)


def _candidates(tree):
    """Figures and elements with a class or id, in document order (ancestors first)."""
    for element in tree.iter(tag=etree.Element):
        if element.tag in ("figure", "figcaption") or element.get("class") or element.get("id"):
            yield element


def _family(element) -> tuple[str, str] | None:
    if element.tag == "figcaption":
        return STRUCTURAL[0][:2]
    if element.tag == "figure":
        if len(element.text_content().split()) <= _MAX_FIGURE_WORDS:
            return STRUCTURAL[0][:2]
        return None
    match = _FAMILIES.search(f"{element.get('class', '')} {element.get('id', '')}")
    return _REASONS[match.lastgroup] if match else None


def _paragraph(element) -> str:
    """One block of trafilatura's output tree as text; list items and table rows on lines."""
    if element.tag == "list":
        return "\n".join(filter(None, (_text(item) for item in element.findall("item"))))
    if element.tag == "table":
        rows = (" | ".join(filter(None, (_text(c) for c in row.findall("cell")))) for row in element.iter("row"))
        return "\n".join(filter(None, rows))
    return _text(element)


def _text(element) -> str:
    for lb in element.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    lines = ("".join(element.itertext())).split("\n")
    return "\n".join(filter(None, (" ".join(line.split()) for line in lines)))


def _squash(text: str) -> str:
    return " ".join(text.split())


def _all_text(element) -> str:
    """Text of an element with a space at every element boundary ("Advertisement Buy", not
    "AdvertisementBuy"); scripts and styles are not text."""
    return " ".join(t for t in element.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))
