"""trafilatura's pruning XPaths against their Python translations (pipeline.html.selectors)."""
from __future__ import annotations

import pytest
import trafilatura.xpaths as X
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from pipeline.html.adapter import SWAPPED_SELECTORS, load_html, trafilatura_body
from pipeline.html.selectors import REGEXP_NS, compile_xpath

TRANSLATED = [(f"{name}[{i}]", xpath) for name in SWAPPED_SELECTORS for i, xpath in enumerate(getattr(X, name))
              if compile_xpath(xpath, {"re": REGEXP_NS})]


def test_every_swapped_selector_of_the_pinned_trafilatura_is_translated():
    """If trafilatura changes an expression into a form the translation does not read, it would
    quietly run the slow way: this says so instead."""
    untranslated = [f"{name}[{i}]" for name in SWAPPED_SELECTORS for i, xpath in enumerate(getattr(X, name))
                    if compile_xpath(xpath, {"re": REGEXP_NS}) is None]
    # "(.//article)[1]" and ".//header" are one plain step, fast already; "(.//*[...])[1]|(.//main)[1]"
    # is a union of paths, run once a page at most
    assert untranslated == ["BODY_XPATH[1]", "BODY_XPATH[4]", "PRECISION_DISCARD_XPATH[0]"]
    assert len(TRANSLATED) == 12


@pytest.mark.parametrize("path", [
    ".//header", "//div[@class]", ".//*[position()=1]", ".//*[@class][2]", ".//*[@class][1][@id]", ".//*[1]",
    "(.//*[@class])[2]", "(.//*[@class])", "(.//article)[1]", ".//*[contains(., 'x')]",
    ".//*[re:test(@class, 'x', 'i', 'y')]", ".//*[re:replace(@class, 'x', 'g', '') = '']", ".//*[ancestor::div]",
    ".//*[self::div]/p", ".//*[@class != 'x']", ".//*[@class]|.//main", ".//*[re:test(@class, 'a(')]",
])
def test_forms_it_does_not_read_are_left_to_lxml(path):
    assert compile_xpath(etree.XPath(path, namespaces={"re": REGEXP_NS}), {"re": REGEXP_NS}) is None


def test_a_regexp_prefix_must_be_bound_to_exslt():
    xpath = etree.XPath(".//*[re:test(@class, 'x')]", namespaces={"re": "urn:other"})
    assert compile_xpath(xpath, {"re": "urn:other"}) is None


def _same(xpath, root) -> None:
    expected = xpath(root)
    got = compile_xpath(xpath, {"re": REGEXP_NS})(root)
    assert [id(e) for e in got] == [id(e) for e in expected], xpath.path


@pytest.mark.parametrize("source, attributes", [
    # unions read the first attribute in source order: class first here, id first below
    ("<div class='cookie-bar' id='main'>x</div>", "class first"),
    ("<div id='main' class='cookie-bar'>x</div>", "id first"),
    ("<div id='reply-7' class='post'>x</div><div class='reply-7' id='post'>y</div>", "starts-with a union"),
    ("<div id='hidden-box' style='color:red'>x</div><div style='hidden' id='box'>y</div>", "id|style"),
    ("<div class='Commentary'>x</div><div class='Comment-list'>y</div><ul class='comments'><li>z</li></ul>", "lookahead"),
    ("<div role='Navigation'>x</div><div role='banner'>y</div>", "translate"),
    ("<div data-lp-replacement-content=''>x</div><p aria-hidden='true'>y</p><p aria-hidden='false'>z</p>", "exists, equals"),
    ("<section class='infinite-scroll'><h1>Title</h1><p>x</p></section><div class='infinite-scroll'>y</div>", "descendant"),
    ("<div class='x Teaser'>x</div><span id='TeaserBox'>y</span><div class='caption'>z</div>", "translate T"),
    ("<div class=''>x</div><div>y</div><div id=''>z</div>", "empty and missing"),
    # [1]: the first passing child of each parent; (...)[1]: the first of all
    ("<div class='post'>a<div class='post'>b</div></div><div class='post'>c</div><section class='entry'>d</section>",
     "positions"),
    ("<div class='FullText'>x</div><div class='fulltext'>y</div>", "flag i"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_the_translation_selects_what_the_xpath_selects(source, attributes):
    root = lxml_html.fromstring(f"<html><body><div class='wrap'>{source}</div></body></html>")
    for name, xpath in TRANSLATED:
        _same(xpath, root)


_TAGS = ["div", "p", "span", "section", "list", "item", "ol", "ul", "aside", "details", "h1", "a", "header", "article",
         "main"]
_ATTRIBUTES = ["class", "id", "style", "role", "aria-hidden", "data-component", "data-lp-replacement-content", "itemprop"]
_WORDS = ["post", "entry", "articleBody", "article", "text", "article-body", "FullText", "content", "main-content", "story", "comment", "Comment", "Commentary", "comments-title", "article-comments", "comol", "disqus_thread",
          "reply-", "-reply-", "share", "Share", "shar", "social", "ad", "ad-", "-ad-", "dfpAd", "hidden",
          "display:none", "display: none", "hide-", "teaser", "Teaser", "caption", "nav", "Nav", "Navigation",
          "navbar", "mvp-post-add-box", "infinite-scroll", "infinitescroll", "elementor-share-buttons", "cookie",
          "true", "MostPopularStories", "widget", "meta", "main", "story", "akismet", "message", "", " "]


@st.composite
def _trees(draw):
    root = etree.Element("body")
    nodes = [root]
    for _ in range(draw(st.integers(1, 25))):
        parent = draw(st.sampled_from(nodes))
        element = etree.SubElement(parent, draw(st.sampled_from(_TAGS)))
        for name in draw(st.lists(st.sampled_from(_ATTRIBUTES), max_size=3, unique=True)):
            words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3))
            element.set(name, draw(st.sampled_from([" ", "", "-"])).join(words))
        element.text = "text"
        nodes.append(element)
    return root


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_trees())
def test_random_trees_give_the_same_elements_in_the_same_order(root):
    for name, xpath in TRANSLATED:
        _same(xpath, root)
        _same(xpath, root[0] if len(root) else root)  # from an inner element, as trafilatura calls them


@pytest.mark.parametrize("memo", [1, None])
def test_fixture_pages_give_the_same_elements(memo, monkeypatch):
    """Also with a memo of one verdict (a page of unique attribute sets: past the memo's size the
    verdicts are worked out and not kept)."""
    from test_html import _fixture_pages

    import pipeline.html.selectors as selectors

    if memo is not None:
        monkeypatch.setattr(selectors, "_MEMO", memo)
    for page in _fixture_pages():
        tree = load_html(page)
        if tree is None:
            continue
        for name, xpath in TRANSLATED:
            _same(xpath, tree)


def test_trafilatura_is_left_as_it_was_after_a_call_even_a_failing_one(monkeypatch):
    before = {name: list(getattr(X, name)) for name in SWAPPED_SELECTORS}
    trafilatura_body(load_html("<html><body><article><p>" + "Words of a story. " * 40 + "</p></article></body></html>"))
    assert {name: list(getattr(X, name)) for name in SWAPPED_SELECTORS} == before

    from pipeline.html import adapter

    def broken(*args):
        assert X.OVERALL_DISCARD_XPATH[0] is not before["OVERALL_DISCARD_XPATH"][0]  # swapped inside
        raise RuntimeError("trafilatura failed")
    monkeypatch.setattr(adapter, "trafilatura_sequence", broken)
    with pytest.raises(RuntimeError):
        trafilatura_body(load_html("<html><body><p>x</p></body></html>"))
    assert {name: list(getattr(X, name)) for name in SWAPPED_SELECTORS} == before
