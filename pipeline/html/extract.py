"""HTML to paragraphs: prune structural boilerplate from the tree, then trafilatura (through
``pipeline.html.adapter``), then put back what it left out (``recover``, ``lists``).

Every pruned element is recorded as a removal (rule ``html-…``) with its text and source line.
"""
from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from . import cost
from ..text.decode import InputError
from ..model import Removal
from .adapter import HUGE_PARSER, PARSER, load_html, trafilatura_body, trafilatura_metadata, trafilatura_title
from .lists import page_lists, restore_lists
from .page import Ancestry, marks
from .recover import is_paragraph_prose, page_prose, recover

# Structural families, as data over the tokens of an element's class and id ("related-posts
# widget" -> related, posts, widget): single tokens, token prefixes and adjacent token pairs.
@dataclass(frozen=True)
class Family:
    rule: str
    reason: str
    tokens: frozenset = frozenset()
    prefixes: tuple = ()
    pairs: frozenset = frozenset()


def _pairs(*words: str) -> frozenset:
    return frozenset(tuple(w.split()) for w in words)


STRUCTURAL = (
    Family("html-caption", "a figure caption or photo credit in the markup",
           frozenset({"caption", "figcaption", "credit", "credits", "photocredit", "imagecredit"}), (),
           _pairs("photo credit", "image credit")),
    Family("html-ad", "an advertisement slot in the markup",
           frozenset({"ad", "ads", "adslot", "adunit", "adcontainer", "dfp", "gpt", "commercial"}), ("advert", "sponsor")),
    Family("html-related", "a related-articles box in the markup",
           frozenset({"outbrain", "taboola", "trending", "morestories", "readmore", "alsoread", "mostread", "mostpopular", "mostviewed"}),
           ("related", "recommend"),
           _pairs("more stories", "read more", "also read", "most read", "most popular", "most viewed", "other topics")),
    Family("html-comments", "a comment section in the markup",
           frozenset({"comment", "comments", "commentlist", "disqus", "respond"})),
    Family("html-newsletter", "a newsletter or subscription box in the markup",
           frozenset({"subscription", "signup"}), ("newsletter", "subscribe"), _pairs("sign up")),
    Family("html-share", "share buttons in the markup",
           frozenset({"sharing"}), ("share",), _pairs("social share", "social links", "social buttons", "social media")),
)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
# The families flattened for lookup: earlier families win where they overlap.
_BY_TOKEN = {t: i for i in reversed(range(len(STRUCTURAL))) for t in STRUCTURAL[i].tokens}
_BY_PAIR = {p: i for i in reversed(range(len(STRUCTURAL))) for p in STRUCTURAL[i].pairs}
_BY_PREFIX = re.compile("|".join(f"(?P<f{i}>{'|'.join(f.prefixes)})" for i, f in enumerate(STRUCTURAL) if f.prefixes))
# A cheap necessary condition for a family: some token starts with one of the family words (a
# token, a prefix or the first word of a pair). Most class/id strings fail it in one search.
_MAY_MATCH = re.compile(
    r"(?:^|[\s_\-])(?:"
    + "|".join(sorted({re.escape(w) for f in STRUCTURAL for w in (*f.tokens, *f.prefixes, *(p[0] for p in f.pairs))}))
    + ")"
)
_PROTECTED = {"html", "body", "main", "article"}
# Code listings: syntax highlighters mark a program's comments "comment" ("hljs-comment",
# "token comment"), and its words "ad", "share" and the like; none of that is a page's box.
_CODE = {"pre", "code"}
_TITLE_META = '[@property="og:title" or @name="twitter:title"]/@content'
_META_TITLE = (etree.XPath(f"/html/head/meta{_TITLE_META}"), etree.XPath(f"//meta{_TITLE_META}"))
_MAX_SHARE = 0.4  # never prune an element that holds this much of the page's text
# ... nor one that holds article-like text: more than two long paragraphs. Boilerplate boxes hold
# headlines, links and short teasers; class names like "related" or "comments" also sit on
# wrappers around the article itself.
_MAX_LONG_PARAGRAPHS = 2
# ... nor one that holds more than half of the text of the ``<article>`` or ``<main>`` around it:
# that is the article's own (a wrapper named for two things, "map-and-related", held a page's
# whole body but its first paragraph), however small beside the page's menus and footer.
_MAX_HOLDER_SHARE = 0.5
_LONG_PARAGRAPHS = etree.XPath("count(.//p[string-length(normalize-space(.)) > 150])")


@dataclass(frozen=True)
class Extracted:
    text: str  # paragraphs separated by a blank line
    title: str
    removals: tuple[Removal, ...]
    recovered: int = 0  # prose paragraphs that trafilatura left out and that went back in (pipeline.html.recover)
    lists_restored: int = 0  # lists it left out between kept paragraphs, put back (pipeline.html.lists)
    restored: tuple[tuple[str, str], ...] = ()  # what went back, (kind, text): "paragraph", "list", "standfirst"
    metadata: tuple[tuple[str, str], ...] = ()  # ("url", …), ("author", …), ("date", …) where the page says


MAX_DEPTH = 256  # libxml2's limit without XML_PARSE_HUGE (which raises it): deeper pages stay refused
_TOO_DEEP = etree.XPath(f"boolean({'/*' * (MAX_DEPTH + 1)})")  # one step a level: linear in the elements


def parse_page(html: str):
    """The page's tree and the parser that read it whole; InputError when none can, or when
    the page has more elements or attributes than can be cleaned in time."""
    _refuse_costly(html)
    tree = load_html(html)
    if tree is None:
        raise InputError("not parseable as HTML")
    if not _limit_hit(PARSER):
        return tree, PARSER
    # Nesting or a long stretch of text stopped libxml2: the huge parser tells which, and reads the second.
    tree = load_html(html, HUGE_PARSER)
    if tree is None:
        raise InputError("not parseable as HTML")
    if _TOO_DEEP(tree):
        raise InputError(_TOO_DEEP_MESSAGE)
    hit = _limit_hit(HUGE_PARSER)
    if hit:
        raise InputError(f"HTML over the parser's limits ({hit}); the page cannot be read whole")
    return tree, HUGE_PARSER


_TOO_DEEP_MESSAGE = f"HTML nested deeper than the parser's limit of {MAX_DEPTH} levels; the page cannot be read whole"


def _refuse_costly(html: str) -> None:
    """InputError for a page whose elements or attributes would take too long or too much
    memory to parse and clean (pipeline.html.cost), found before anything is parsed."""
    crowded = cost.crowded_element(html)
    if crowded:
        name, count = crowded
        raise InputError(f"HTML element <{name[:40]}> has {count:,} attributes, over the limit of "
                         f"{cost.MAX_ATTRIBUTES:,}; the parser's time grows with their square")
    count = cost.too_many_elements(html)
    if count:
        # Refused either way; nesting too deep in the first elements gets the depth message, as in parse_page.
        head = load_html(cost.first_elements(html, cost.MAX_ELEMENTS), HUGE_PARSER)
        if head is not None and _TOO_DEEP(head):
            raise InputError(_TOO_DEEP_MESSAGE)
        raise InputError(f"HTML with {count:,} elements, over the limit of {cost.MAX_ELEMENTS:,}; "
                         "the page would take too long and too much memory to clean")


def _limit_hit(parser) -> str:
    """libxml2's message when its last parse stopped at one of its limits, else ''."""
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            return " ".join(error.message.split()) or "resource limit exceeded"
    return ""


# The recall check: trafilatura once more, with ``adapter.RECALL_OPTIONS``, kept when it finds this
# much more text. Always when the balanced run found less than SHORT_TEXT characters, shorter than
# any but the briefest news story: there it often took a teaser or a caption block for the article.
# With ``recall_check``, on every page.
RECALL_GAIN = 1.5
SHORT_TEXT = 1000


def extract_html(html: str, prune: bool = True, recall_check: bool = False) -> Extracted:
    tree, parser = parse_page(html)
    title = page_title(tree)
    metadata = page_metadata(tree)  # before pruning, which may drop a byline's element
    removals = prune_tree(tree) if prune else ()
    lead = standfirst(tree)  # looked for before trafilatura, which changes the tree
    prose, lists = (), ()
    if prune:  # likewise; one look at each element's ancestry for both
        ancestry = Ancestry(_is_boilerplate, _PROTECTED)
        prose, lists = page_prose(tree, ancestry), page_lists(tree, ancestry)
    spare = deepcopy(tree) if recall_check else None  # trafilatura changes the tree it is given
    body = trafilatura_body(tree)
    text = _body_text(body)
    if spare is None and len(text) < SHORT_TEXT:
        spare = load_html(html, parser)  # parsed again: cheaper than a copy of every page for the few
        if prune:
            prune_tree(spare)  # the same elements as above (its removals are those recorded)
    if spare is not None:
        wider_body = trafilatura_body(spare, recall=True)
        wider = _body_text(wider_body)
        if len(wider) > RECALL_GAIN * len(text):
            body, text = wider_body, wider
    headless = body is None or body.find(".//head") is None  # trafilatura kept no heading at all
    found = text
    text, recovered = recover(text, prose)
    restored = _new_paragraphs(found, text, "paragraph")
    with_prose = text
    text, lists_restored = restore_lists(text, lists, headings=headless)
    restored += _new_paragraphs(with_prose, text, "list")
    if lead is not None and lead.key not in " ".join(text.split()):
        text = f"{lead.text}\n\n{text}" if text else lead.text
        restored += (("standfirst", lead.text),)
    return Extracted(text, title, removals, recovered, lists_restored, restored, metadata)


def _new_paragraphs(before: str, after: str, kind: str) -> tuple[tuple[str, str], ...]:
    """The paragraphs of ``after`` that ``before`` does not have, as (kind, text)."""
    if before == after:
        return ()
    old = set(before.split("\n\n"))
    return tuple((kind, paragraph) for paragraph in after.split("\n\n") if paragraph and paragraph not in old)


# The standfirst of a news page (the lead under the headline) often sits outside the element that
# trafilatura takes for the article, and the page's description meta tag usually repeats it. A
# visible element outside nav, aside and footer whose text holds the description's first 40
# characters, and is not much longer than the description, is that standfirst; it goes before
# the body when trafilatura left it out (a news story keeps its standfirst).
_LEAD_KEY = 40
_DESCRIPTION_META = '[@property="og:description" or @name="description" or @name="twitter:description"]/@content'
_DESCRIPTION = (etree.XPath(f"/html/head/meta{_DESCRIPTION_META}"), etree.XPath(f"//meta{_DESCRIPTION_META}"))
_TEXT_WITH = etree.XPath("//body/descendant::text()[contains(., $probe)][not(ancestor::script or ancestor::style or ancestor::footer or ancestor::nav or ancestor::aside)]")


@dataclass(frozen=True)
class Standfirst:
    key: str  # the description's first characters, as found in the text
    text: str  # the whole element's text


def standfirst(tree) -> Standfirst | None:
    """The visible element whose text starts like the page's description, if it is short enough."""
    for value in meta_values(tree, _DESCRIPTION):
        description = " ".join(value.split())
        if len(description) >= _LEAD_KEY:
            break
    else:
        return None
    key = description[:_LEAD_KEY]
    start = key[:20]
    words = start.split()
    probe = max(words[:-1] if len(words) > 1 else words, key=len)  # a whole word of ``start``
    for node in _TEXT_WITH(tree, probe=probe):
        if start not in " ".join(node.split()):
            continue
        element = node.getparent()
        while element is not None:
            text = " ".join(" ".join(element.itertext()).split())
            if key in text:
                if len(text) > max(3 * len(description), len(description) + 400):
                    return None  # a whole section, not a standfirst
                return Standfirst(key, text)
            if len(text) > len(description) + 400:
                return None
            element = element.getparent()
        return None
    return None


def _body_text(body) -> str:
    """trafilatura's output tree as paragraphs. Text between its blocks (an element's tail) is
    part of that text when trafilatura read loose text off the page: on one page, every
    paragraph of the article sits after a heading that way. Elsewhere the text there is mostly a
    button's label ("Book a demo", "Free 14-Day Trial", "(Up)"), so a tail counts only when it is
    prose (``is_paragraph_prose``: 20 words or more that end a sentence)."""
    if body is None:
        return ""
    return "\n\n".join(p for p in _blocks(body) if p)


def _blocks(body) -> Iterator[str]:
    for element in body:
        yield _paragraph(element)
        tail = _squash(element.tail or "")
        if tail and is_paragraph_prose(tail):
            yield tail


def meta_values(tree, queries) -> Iterator[str]:
    """The values of a page's meta tags, in document order: those in <head> first, where they
    belong (a small part of the tree), then, only if the caller reads on, all of the page's
    (those in <head> again among them). The first value a caller accepts is the same as in one
    search of the whole page, which costs a pass over every element."""
    in_head, anywhere = queries
    yield from in_head(tree)
    yield from anywhere(tree)


_PUBLISHED = etree.XPath(
    '//meta[@property="article:published_time" or @name="article:published_time" or @itemprop="datePublished"'
    ' or @name="date" or @name="pubdate" or @name="publishdate" or @name="DC.date.issued"'
    ' or @property="og:published_time" or @name="parsely-pub-date"]/@content')
_JSON_LD = etree.XPath('//script[@type="application/ld+json"]/text()')
_DATE_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')


def page_metadata(tree) -> tuple[tuple[str, str], ...]:
    """The URL, author and publication date the page states (meta tags, JSON-LD), as pairs."""
    url, author = trafilatura_metadata(tree)
    date = next((value.strip() for value in _PUBLISHED(tree) if value.strip()), "")
    if not date:
        date = next((found.group(1) for script in _JSON_LD(tree) if (found := _DATE_PUBLISHED.search(script))), "")
    return tuple((key, value) for key, value in (("url", url), ("author", author), ("date", date)) if value)


def page_title(tree) -> str:
    """The headline: og:title or twitter:title, else trafilatura's title rules (a lone h1, ...)."""
    for value in meta_values(tree, _META_TITLE):
        if value.strip():
            return " ".join(value.split())
    return " ".join(trafilatura_title(tree).split())


def prune_tree(tree) -> tuple[Removal, ...]:
    """Drop caption, ad, related, comment, newsletter and share elements; say what went."""
    limit = _MAX_SHARE * max(len(tree.text_content()), 1)
    verdicts: dict[str, tuple[str, str] | None] = {}  # class/id strings repeat a lot on one page
    chosen: list[tuple[etree._Element, str, str]] = []
    picked: set = set()
    holder_sizes: dict = {}
    for element in _candidates(tree):
        if element.tag == "figcaption":
            family = _CAPTION
        else:  # its class or id passed _MAY_MATCH in _candidates: only the full check is left
            found = marks(element)
            family = verdicts.get(found, False)
            if family is False:
                family = verdicts[found] = _classify_marks(found)
        if family is None or element.tag in _PROTECTED or element.tag in _CODE:
            continue
        if any(ancestor in picked or ancestor.tag in _CODE for ancestor in element.iterancestors()):
            continue
        size = len(element.text_content())
        if size > limit or _LONG_PARAGRAPHS(element) > _MAX_LONG_PARAGRAPHS:
            continue
        holder = next((a for a in element.iterancestors("main", "article")), None)
        if holder is not None:
            held = holder_sizes.get(holder)
            if held is None:
                held = holder_sizes[holder] = len(holder.text_content())
            if size > _MAX_HOLDER_SHARE * held:
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


# Class and id values (each knows its element) and figure captions, in document order: an
# element, then its attributes, then its children. Whole ``figure`` elements are left to
# trafilatura: on real pages they also hold tables, quotes and code that belong to the article.
_MARKED = etree.XPath("//@class | //@id | //figcaption")


def _candidates(tree) -> Iterator:
    """Figure captions and the elements whose class or id may name a family, in document order
    (ancestors first), each once: the other elements with a class or id, most of them, are not
    made into Python objects at all. Each value is tested alone, once per page:
    ``_MAY_MATCH`` looks for a family word at the start of a token, and no family word holds the
    space that joins class and id, so "class id" passes only when one of them does."""
    may: dict[str, bool] = {}
    last = None
    for item in _MARKED(tree):
        if isinstance(item, str):
            passes = may.get(item)
            if passes is None:
                passes = may[item] = _MAY_MATCH.search(item.lower()) is not None
            if not passes:
                continue
            item = item.getparent()
        if item is not last:  # an element's class and id come one after the other
            last = item
            yield item


_CAPTION = (STRUCTURAL[0].rule, STRUCTURAL[0].reason)
# Besides the families: comment bodies ("commentBody", "comment-text"), teaser cards, author
# boxes, sidebars, cookie banners, menus and boxes floated beside the text ("floatRHS",
# "float-right": a fact box with another story), whose prose is no part of the article
# (pipeline.html.recover and pipeline.html.lists keep out of them).
_NOT_ARTICLE_PREFIXES = ("comment", "teaser", "author", "sidebar", "cookie", "consent", "menu", "nav", "float")


def _is_boilerplate(marks: str) -> bool:
    """Whether lower-cased class and id values name a structural family, or a comment, teaser,
    author box, sidebar, cookie banner, menu or floated box: such an element holds no part of
    the article, whatever its size."""
    if _classify_marks(marks) is not None:
        return True
    return any(token.startswith(_NOT_ARTICLE_PREFIXES) for token in _TOKEN_SPLIT.split(marks))


def _classify_marks(marks: str) -> tuple[str, str] | None:
    tokens = [t for t in _TOKEN_SPLIT.split(marks) if t]  # marks are in lower case
    found = [_BY_TOKEN[t] for t in tokens if t in _BY_TOKEN]
    found += [_BY_PAIR[p] for p in zip(tokens, tokens[1:]) if p in _BY_PAIR]
    found += [int(m.lastgroup[1:]) for m in map(_BY_PREFIX.match, tokens) if m]
    if not found:
        return None
    family = STRUCTURAL[min(found)]
    return family.rule, family.reason


def _paragraph(element) -> str:
    """One block of trafilatura's output tree as text; list items and table rows on lines."""
    if element.tag == "list":
        return "\n".join(filter(None, (_text(item) for item in element.findall("item"))))
    if element.tag == "table":
        rows = (" | ".join(filter(None, (_text(c) for c in row.findall("cell")))) for row in element.iter("row"))
        return "\n".join(filter(None, rows))
    return _text(element)


def _text(element) -> str:
    """The text of one element of trafilatura's output tree, one line per line break and per
    block inside it: a list item may hold a heading and paragraphs, a table cell paragraphs, and
    their texts run together unless they are told apart ("March 16, 2026<head>FABCON</head>
    <p>Atlanta</p>" read "March 16, 2026FABCONAtlanta")."""
    for lb in element.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    for inner in element.iterdescendants(*_INNER_BLOCKS):
        inner.text = "\n" + (inner.text or "")
        inner.tail = "\n" + (inner.tail or "")
    lines = ("".join(element.itertext())).split("\n")
    return "\n".join(filter(None, (" ".join(line.split()) for line in lines)))


# Blocks of trafilatura's output tree (not the inline "hi", "ref" or "code", which run on in their line).
_INNER_BLOCKS = ("p", "head", "list", "item", "quote", "table", "row", "cell")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _all_text(element) -> str:
    """Text of an element with a space at every element boundary ("Advertisement Buy", not
    "AdvertisementBuy"); scripts and styles are not text."""
    return " ".join(t for t in element.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))