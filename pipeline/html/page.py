"""The pruned page as the steps that put back what trafilatura left out read it (``recover``:
prose; ``lists``: lists and headings): which elements are furniture or boilerplate and which
<article> holds them (``Ancestry``), an element's text, and how a paragraph of the page is found
in the extracted text and put into it.
"""
from __future__ import annotations

import re

from lxml import etree

KEY_CHARS = 60  # paragraphs are matched on their first characters, spaces left out
LONG_P = "p[string-length(normalize-space(.)) >= 100]"  # a paragraph element of 100 characters or more
# The page's furniture: no paragraph inside it counts.
_FURNITURE = frozenset({"nav", "aside", "footer", "header", "form", "figcaption", "noscript", "template", "button",
                        "select", "dialog", "a"})  # a modal dialog (a glossary's pop-ups); and a link: a teaser
# ... except a <nav> or <header> that holds this many long paragraphs: no menu or masthead does;
# markup with an unclosed tag has nested the article in it (the parser closes the header at
# the end of the page), and its class ("header-nav") says nothing about the article either.
_CHROME = frozenset({"nav", "header"})
MIN_NESTED_PARAGRAPHS = 5
_HOLDS_ARTICLE = etree.XPath(f"count(.//{LONG_P}) >= {MIN_NESTED_PARAGRAPHS}")


def element_text(element) -> str:
    """An element's text on one line, single spaces; not the rules of a <style> or the code of a
    <script> set inside it (CSS-in-JS pages put a <style> in front of a paragraph's text)."""
    if _HAS_CODE(element):
        return " ".join("".join(_TEXT_NOT_CODE(element)).split())
    return " ".join(element.text_content().split())


_HAS_CODE = etree.XPath("boolean(.//style | .//script)")
_TEXT_NOT_CODE = etree.XPath(".//text()[not(ancestor::style) and not(ancestor::script)]")


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


def paragraph_key(text: str) -> str:
    """What two renderings of one paragraph share: its first characters without white space (the
    tree's text runs "a<br>b" together, trafilatura breaks the line)."""
    return "".join(text.split())[:KEY_CHARS]


def splice(paragraphs: list[str], after: dict[int, list[str]]) -> str:
    """The paragraphs, each followed by what ``after`` holds for its index (-1: before them all),
    separated by blank lines."""
    joined = list(after.get(-1, ()))
    for i, paragraph in enumerate(paragraphs):
        joined.append(paragraph)
        joined.extend(after.get(i, ()))
    return "\n\n".join(joined)
