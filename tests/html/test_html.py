"""HTML input: structural boilerplate in the markup is pruned and recorded; the body keeps its
paragraph breaks and goes through the same text rules as plain text."""
import pytest

from conftest import CASES
from invariants import check_invariants
from pipeline import CleanConfig, clean_bytes, detect_kind

HTML = CASES / "html"

FIXTURES = {
    "article_with_boxes.html": {
        "title": "Harbour city votes to rebuild its old sea wall",
        "kept": ["The city council voted on Tuesday", "The council will publish the timetable"],
        "gone": ["Waves break over", "Buy the best boats", "Storm season ends", "Sign up for our newsletter",
                 "About time!", "All rights reserved", "Home"],
        "rules": {"html-caption", "html-ad", "html-related", "html-newsletter", "html-comments"},
    },
    "div_soup.html": {
        "title": "Mountain railway reopens after landslide",
        "kept": ["The mountain railway reopened on Monday", "install new sensors on the slope"],
        "gone": ["A train crosses", "Holiday flats", "Advertisement", "Landslide cuts off valley village",
                 "Hundreds of residents were stranded", "Share this article", "Great news for the valley"],
        "rules": {"html-caption", "html-ad", "html-related", "html-share", "html-comments"},
    },
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_html_fixture(name):
    expect = FIXTURES[name]
    result = clean_bytes((HTML / name).read_bytes(), kind="html")
    assert result.kind == "html" and result.title == expect["title"]
    for snippet in expect["kept"]:
        assert snippet in result.text
    for snippet in expect["gone"]:
        assert snippet not in result.text
    assert expect["rules"] <= {r.rule for r in result.removals}
    assert expect["title"] not in result.text  # the headline went to the title
    paragraphs = result.text.rstrip("\n").split("\n\n")
    assert len(paragraphs) >= 5 and all("\n" not in p for p in paragraphs)
    check_invariants(result)


def test_pruning_is_what_removes_ad_copy_inside_the_article():
    data = (HTML / "div_soup.html").read_bytes()
    assert "Holiday flats" in clean_bytes(data, kind="html", config=CleanConfig(prune_html=False)).text
    assert "Holiday flats" not in clean_bytes(data, kind="html").text


def test_pruned_removals_carry_text_and_source_line():
    result = clean_bytes((HTML / "div_soup.html").read_bytes(), kind="html")
    caption = next(r for r in result.removals if r.rule == "html-caption")
    assert caption.text == "A train crosses the repaired viaduct on Monday morning. (AP Photo/Luca Bruno)"
    assert caption.lines == (7, 7)


def test_meta_charset_page_decodes():
    result = clean_bytes((HTML / "div_soup.html").read_bytes(), kind="html")
    assert result.encoding == "cp1252"


def test_body_text_mentioning_boilerplate_words_stays():
    page = ("<html><body><article><h1>Ad agencies face new rules</h1>"
            + "".join(f"<p>Paragraph {i}: the advertisement rules discussed in the related article and in the comments "
                      f"of the minister were the other topics of interest at the meeting on Tuesday.</p>" for i in range(6))
            + "</article></body></html>")
    result = clean_bytes(page.encode(), kind="html")
    assert result.text.count("advertisement rules") == 6


def test_kind_detection():
    assert detect_kind("<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert detect_kind("  <html lang='en'><head></head></html>") == "html"
    assert detect_kind("Plain text that mentions <b> once.") == "text"


def test_empty_html_gives_an_empty_body_and_a_warning():
    result = clean_bytes(b"<html><body></body></html>", kind="html")
    assert result.text == "" and any(w.startswith("empty") for w in result.warnings)


def test_a_boilerplate_class_on_a_wrapper_of_the_article_does_not_prune_it():
    paragraphs = "".join(
        f"<p>Paragraph {i} of the story: the council met on Tuesday and agreed to rebuild the old harbour wall, "
        f"which has protected the town from winter storms for more than a century.</p>" for i in range(5))
    page = (f"<html><body><div class='post has-related-posts comments-open'><h1>Harbour wall to be rebuilt</h1>{paragraphs}</div>"
            "<div class='related-posts'><a href='/x'>Storm season ends</a></div></body></html>")
    result = clean_bytes(page.encode(), kind="html")
    assert result.text.count("Paragraph") == 5
    assert [r.rule for r in result.removals if r.rule.startswith("html-")] == ["html-related"]


def _body(*paragraphs):
    """What adapter.trafilatura_body returns: trafilatura's output tree."""
    from lxml import etree

    body = etree.Element("body")
    for text in paragraphs:
        etree.SubElement(body, "p").text = text
    return body


def _fake_trafilatura(monkeypatch, balanced, recall):
    import pipeline.html.extract as htmlextract

    calls = []
    paragraphs = {False: balanced, True: recall}

    def trafilatura_body(tree, recall=False):
        calls.append(recall)
        return _body(*paragraphs[recall])

    monkeypatch.setattr(htmlextract, "trafilatura_body", trafilatura_body)
    return calls


SHORT = ["The council voted on Tuesday to rebuild the old sea wall of the harbour."]
LONG = SHORT + ["The project will cost forty million euros and take four years to finish, the mayor said.",
                "Engineers had warned that a severe storm could breach the wall near the fish market."]


def test_the_recall_check_keeps_the_recall_text_when_it_is_half_as_long_again(monkeypatch):
    calls = _fake_trafilatura(monkeypatch, balanced=SHORT, recall=LONG)
    page = (HTML / "div_soup.html").read_bytes()
    text = clean_bytes(page, kind="html", config=CleanConfig(html_recall_check=True)).text
    assert calls == [False, True]
    assert "forty million euros" in text and "severe storm" in text


def test_the_recall_check_keeps_the_balanced_text_otherwise(monkeypatch):
    calls = _fake_trafilatura(monkeypatch, balanced=LONG, recall=LONG + ["One more short line of text here."])
    page = (HTML / "div_soup.html").read_bytes()
    text = clean_bytes(page, kind="html", config=CleanConfig(html_recall_check=True)).text
    assert calls == [False, True] and "One more short line" not in text


# A balanced text of a whole story (over 1,000 characters) and a wider one with more in it.
STORY = [f"Paragraph {n} of the story: the council met again on Tuesday and the harbour works went on as planned."
         for n in range(12)]
WIDER = STORY + [f"Paragraph {n} that only the wider run finds, about the ferry timetable for the summer."
                 for n in range(12, 30)]


def test_without_the_recall_check_trafilatura_runs_once_on_a_whole_story(monkeypatch):
    assert len("\n\n".join(STORY)) >= 1000
    calls = _fake_trafilatura(monkeypatch, balanced=STORY, recall=WIDER)
    page = (HTML / "div_soup.html").read_bytes()
    text = clean_bytes(page, kind="html").text
    assert calls == [False] and "ferry timetable" not in text


def test_a_balanced_text_too_short_for_a_story_gets_the_recall_run_anyway(monkeypatch):
    """Under 1,000 characters the balanced run has likely taken a teaser for the article."""
    calls = _fake_trafilatura(monkeypatch, balanced=SHORT, recall=LONG)
    page = (HTML / "div_soup.html").read_bytes()
    result = clean_bytes(page, kind="html")
    assert calls == [False, True]
    assert "forty million euros" in result.text and "severe storm" in result.text
    pruned = [r for r in result.removals if r.rule.startswith("html-")]
    plain = clean_bytes(page, kind="html", config=CleanConfig(html_recall_check=True)).removals
    assert pruned and pruned == [r for r in plain if r.rule.startswith("html-")]  # pruned alike, recorded once


STANDFIRST = "The island's ferry sails again on Monday after a two-year gap"


def test_a_standfirst_outside_the_article_goes_before_the_body():
    page = (HTML / "standfirst.html").read_text(encoding="utf-8")
    result = clean_bytes(page.encode(), kind="html")
    assert result.text.startswith(STANDFIRST) and result.text.count(STANDFIRST) == 1
    assert result.text.split("\n\n")[1].startswith("The ferry company said the first boat")
    assert result.title == "Ferry service returns to the island after two years"


def test_a_description_that_is_not_on_the_page_adds_nothing():
    page = (HTML / "standfirst.html").read_text(encoding="utf-8")
    start = page.index('<div class="intro">')
    page = page[:start] + page[page.index("</div>", start) + len("</div>"):]
    assert STANDFIRST not in clean_bytes(page.encode(), kind="html").text


def test_a_standfirst_already_in_the_body_is_not_repeated():
    page = (HTML / "standfirst.html").read_text(encoding="utf-8")
    first = "The ferry company said the first boat would leave the harbour at seven in the morning"
    page = page.replace('content="The island', f'content="{first}. The island', 1)
    text = clean_bytes(page.encode(), kind="html").text
    assert text.count(first) == 1 and text.startswith(first)


def test_a_site_blurb_in_the_footer_is_no_standfirst():
    page = (HTML / "standfirst.html").read_text(encoding="utf-8")
    start = page.index('<div class="intro">')
    intro = page[start:page.index("</div>", start) + len("</div>")]
    page = page.replace(intro, "").replace("<footer>", "<footer>" + intro)
    assert STANDFIRST not in clean_bytes(page.encode(), kind="html").text


def test_warm_up_builds_the_jusText_stop_list_once_for_forked_workers(monkeypatch):
    """Luigi forks a process per batch: what trafilatura builds lazily must be built before."""
    from justext.core import define_stoplist
    from trafilatura import external

    from pipeline.html import adapter

    monkeypatch.setattr(external, "JT_STOPLIST", None)
    monkeypatch.setattr(adapter, "_WARM", False)
    define_stoplist.cache_clear()
    adapter.warm_up()
    assert external.JT_STOPLIST and len(external.JT_STOPLIST) > 10_000
    assert define_stoplist.cache_info().currsize == 1
    built = external.JT_STOPLIST
    adapter.warm_up()  # a second call builds nothing
    assert external.JT_STOPLIST is built and define_stoplist.cache_info().misses == 1


def _marked_naively(tree):
    """Every element that prune_tree would classify, by the old full scan of all elements
    with a class or id (and figure captions)."""
    from pipeline.html.extract import _classify_marks

    return [e for e in tree.xpath("//*[@class or @id or self::figcaption]")
            if e.tag == "figcaption" or _classify_marks(f"{e.get('class', '')} {e.get('id', '')}".lower())]


@pytest.mark.parametrize("page", [
    '<html><body><div class="Related-Posts" id="x"><p>a</p><div class="ad" id="share-bar">b</div></div>'
    '<figcaption>c</figcaption><figure class="photo credit"><figcaption class="caption">d</figcaption></figure>'
    '<div id="most" class="read">e</div><span class="x" id="Newsletter_box">f</span><p class="">g</p></body></html>',
    *[path.read_text(encoding="utf-8") for path in sorted((CASES / "html").glob("*.html"))],
])
def test_candidates_for_pruning_are_all_elements_a_full_scan_would_classify(page):
    from pipeline.html.adapter import load_html
    from pipeline.html.extract import _candidates

    tree = load_html(page)
    found = list(_candidates(tree))
    assert len(found) == len(set(found))  # each once, in document order
    order = {element: number for number, element in enumerate(tree.iter())}
    assert found == sorted(found, key=order.__getitem__)
    assert set(_marked_naively(tree)) <= set(found)


def test_no_family_word_holds_a_space_or_separator():
    """_candidates tests class and id values apart; that is exact while no family word crosses
    the space that joins them in the marks."""
    from pipeline.html.extract import STRUCTURAL

    words = [w for f in STRUCTURAL for w in (*f.tokens, *f.prefixes, *(p[0] for p in f.pairs))]
    assert words and not [w for w in words if not w.isalnum()]


def test_meta_tags_are_read_from_head_first_and_from_the_body_when_head_has_none():
    from pipeline.html.adapter import load_html
    from pipeline.html.extract import page_title

    head = "<html><head><meta property='og:title' content='In the head'></head><body><p>x</p></body></html>"
    body = "<html><head><title>t</title></head><body><meta property='og:title' content='In the body'><p>x</p></body></html>"
    empty_head = ("<html><head><meta property='og:title' content=' '></head>"
                  "<body><meta name='twitter:title' content='Later'><p>x</p></body></html>")
    assert page_title(load_html(head)) == "In the head"
    assert page_title(load_html(body)) == "In the body"
    assert page_title(load_html(empty_head)) == "Later"


def _fixture_pages():
    import gzip
    import json

    pages = [path.read_text(encoding="utf-8") for path in sorted(HTML.glob("*.html"))]
    with gzip.open(CASES / "mini-bench.jsonl.gz", "rt", encoding="utf-8") as handle:
        pages += [json.loads(line)["html"] for line in handle]
    story = "".join(f"<p>Paragraph {i} of the story: the council met on Tuesday and agreed to rebuild the old harbour "
                    f"wall, which has protected the town for a century.</p>" for i in range(4))
    teaser = ("<div class='story-teaser'><p>A teaser paragraph: the balanced run drops teaser blocks, the recall run "
              "keeps them, so the two option sets give different bodies here.</p></div>")
    return pages + [f"<html><body><article><h1>Harbour</h1>{story}{teaser}</article></body></html>",
                    "<html><body><div></div></body></html>"]  # nothing to extract: None from both


@pytest.mark.parametrize("recall", [False, True])
def test_trafilatura_body_is_what_bare_extraction_returns(recall):
    """Our call of trafilatura skips the copy bare_extraction makes of a parsed tree; the body it
    gives must be bare_extraction's, for both option sets, on every HTML fixture."""
    import trafilatura

    from pipeline.html.adapter import RECALL_OPTIONS, TRAFILATURA_OPTIONS, load_html, trafilatura_body
    from pipeline.html.extract import _body_text, prune_tree

    options = RECALL_OPTIONS if recall else TRAFILATURA_OPTIONS
    compared = teasers = 0
    for page in _fixture_pages():
        ours, theirs = load_html(page), load_html(page)
        prune_tree(ours), prune_tree(theirs)
        expected = trafilatura.bare_extraction(theirs, **options)
        body = trafilatura_body(ours, recall=recall)
        assert (body is None) == (expected is None)
        if body is not None:
            assert _body_text(body) == _body_text(expected.body) and _body_text(body)
            compared += 1
            teasers += "A teaser paragraph" in _body_text(body)
    assert compared >= 5 and teasers == recall  # the options reached trafilatura


def test_a_code_listing_keeps_its_comments_and_words():
    """Syntax highlighters mark a program's comments with a "comment" class; that is the code, not
    a comment section. The page's real comment box still goes."""
    story = "".join(f"<p>Paragraph {i} of the tutorial: the loop below counts the lines of a file and prints the total "
                    f"at the end, which is all the first exercise asks for.</p>" for i in range(3))
    code = ("<pre><code><span class='hljs-comment'># count the lines of the file given</span>\n"
            "total = sum(1 for _ in open(path))  <span class='token comment'># one pass, no list</span>\n"
            "<span class='ad'>print</span>(total)</code></pre>")
    page = (f"<html><body><article><h1>Counting lines</h1>{story}{code}</article>"
            "<div class='comments'><p>Great post, thanks!</p></div></body></html>")
    result = clean_bytes(page.encode(), kind="html")
    assert "# count the lines of the file given" in result.text and "# one pass, no list" in result.text
    assert "print(total)" in result.text.replace(" ", "")
    assert [r.rule for r in result.removals if r.rule.startswith("html-")] == ["html-comments"]


def test_prose_between_the_blocks_of_trafilaturas_output_is_kept_and_button_labels_are_not():
    # trafilatura reading loose text off a page puts it after the blocks, as their tails:
    # <head>Why coffee can be good for you</head>Drinking coffee has several advantages ...
    from lxml import etree

    from pipeline.html.extract import _body_text

    prose = ("Drinking coffee has several advantages, and most of them come from antioxidants that "
             "calm inflammation in the body, dietitians say.")
    body = etree.fromstring(f"<body><head rend='h2'>Why coffee can be good for you</head>{prose}"
                            "<p>The following are the four main advantages of coffee.</p>Book a demo"
                            "<p>One more paragraph.</p>   </body>")
    assert _body_text(body).split("\n\n") == [
        "Why coffee can be good for you", prose, "The following are the four main advantages of coffee.",
        "One more paragraph."]


def test_blocks_nested_in_a_block_of_trafilaturas_output_are_read_as_lines_of_their_own():
    from lxml import etree

    from pipeline.html.extract import _body_text

    body = etree.fromstring(
        "<body><list rend='ul'><item>March 16, 2026<head rend='h2'>FABCON</head><p>Atlanta, United States</p></item>"
        "<item>April 2, 2026<head rend='h2'>GTC</head><p>San Jose</p></item></list>"
        "<table><row><cell><p>First part.</p><p>Second part.</p></cell><cell>Price</cell></row></table>"
        "<p>Run <code>make</code> and <hi rend='#b'>wait</hi> a little.</p></body>")
    assert _body_text(body).split("\n\n") == [
        "March 16, 2026\nFABCON\nAtlanta, United States\nApril 2, 2026\nGTC\nSan Jose",
        "First part.\nSecond part. | Price",
        "Run make and wait a little."]  # inline elements run on in their line


def test_a_headings_anchor_id_that_spells_its_words_is_no_box_but_a_share_box_still_goes():
    """Tables of contents give each heading an id made of its own words ("what-share-of-…",
    "social-media-marketing"); those words name the subject, not a share or social box."""
    story = "".join(f"<p>Paragraph {i}: adolescents who reported poor mental health in the survey also reported "
                    f"less sleep and more time on screens than their peers did in the year before.</p>" for i in range(3))
    page = ("<html><body><article><h1>Adolescent mental health</h1>"
            "<h2 id='what-share-of-adolescents-report-poor-mental-health'>What share of adolescents report poor mental health?</h2>"
            f"{story}<h2 id='social-media-use-2024'>Social media use in 2024</h2>{story.replace('Paragraph', 'Part')}"
            "<h3 id='social-share'>Follow us</h3><h3 id='share'>Share</h3>"
            "<div class='share'><h3 id='share-this-story'>Pass it on</h3><a href='#'>Facebook</a></div>"
            "</article></body></html>")
    result = clean_bytes(page.encode(), kind="html")
    assert "What share of adolescents report poor mental health?" in result.text
    assert "Social media use in 2024" in result.text
    assert "Follow us" not in result.text and "Share" not in result.text and "Pass it on" not in result.text
    assert {r.text for r in result.removals if r.rule == "html-share"} == {"Follow us", "Share", "Pass it on Facebook"}


def test_an_about_the_author_heading_after_the_story_ends_it_in_html():
    """The author box that trafilatura took with the article goes, from its heading to the end;
    the same heading before enough of a story (150 words) ends nothing."""
    story = "".join(f"<p>Paragraph {i}: the harbour board met on Tuesday and agreed to rebuild the old sea wall "
                    f"before the winter storms, at a cost the city will share with the region.</p>" for i in range(6))
    box = ("<h2>About the Author</h2><p>Jane Roe has covered the harbour for a decade.</p>"
           "<p>Her book on tides came out in spring, and she lives by the sea.</p>")
    result = clean_bytes(f"<html><body><article><h1>Sea wall</h1>{story}{box}</article></body></html>".encode(), kind="html")
    assert "Paragraph 5" in result.text and "About the Author" not in result.text and "tides" not in result.text
    assert [r.text for r in result.removals if r.rule == "body-region"] == [
        "About the Author\n\nJane Roe has covered the harbour for a decade.\n\n"
        "Her book on tides came out in spring, and she lives by the sea."]
    short = story[: story.index("Paragraph 2") - 3]  # two paragraphs: under 150 words
    result = clean_bytes(f"<html><body><article><h1>Sea wall</h1>{short}{box}</article></body></html>".encode(), kind="html")
    assert "About the Author" in result.text and "tides" in result.text


def test_a_box_name_on_most_of_the_articles_text_does_not_prune_it():
    """A wrapper named for two things ("map-and-related") that holds most of the ``<article>``'s
    text is the article's, however small it is beside the page's menus; a related box that holds
    less than half of it still goes."""
    menus = "".join(f"<li><a href='/s{i}'>Section number {i} of the site</a></li>" for i in range(60))
    steps = "".join(f"<p>Step {i}: type an address in the search box, then pick a legal aid office.</p>" for i in range(4))
    related = "<div class='related-posts'><a href='/x'>Storm season ends</a></div>"
    page = (f"<html><body><nav><ul>{menus}</ul></nav><main><article><h1>Find legal help</h1>"
            "<p>The fund pays for civil legal aid in every state.</p>"
            f"<div id='map-and-related'>{steps}</div>{related}</article></main>"
            f"<footer><ul>{menus}</ul></footer></body></html>")
    result = clean_bytes(page.encode(), kind="html")
    assert all(f"Step {i}:" in result.text for i in range(4))
    assert "Storm season ends" not in result.text
    assert [r.text for r in result.removals if r.rule == "html-related"] == ["Storm season ends"]


def test_a_newsletter_archives_email_chrome_and_post_links_go_in_html():
    """A newsletter's web copy keeps the email's own chrome ("View this email in your browser"),
    and a blog its links to the posts beside it ("Prev Post Next Post")."""
    story = "".join(f"<p>Paragraph {i}: the harbour board met on Tuesday and agreed to rebuild the old sea wall "
                    f"before the winter storms, at a cost the city will share with the region.</p>" for i in range(4))
    page = ("<html><body><article><p>Is this email not displaying correctly? View it in your browser.</p>"
            f"<h1>Sea wall</h1>{story}<p>Prev Post Next Post</p></article></body></html>")
    result = clean_bytes(page.encode(), kind="html")
    assert "Paragraph 3" in result.text
    assert "browser" not in result.text and "Prev Post" not in result.text
    assert {r.text for r in result.removals if r.rule == "body-region"} == {
        "Is this email not displaying correctly? View it in your browser.", "Prev Post Next Post"}


def test_a_read_more_label_under_each_entry_of_a_list_goes_alone_in_extracted_html():
    from pipeline.text.blocks import split_blocks
    from pipeline.engine import Page
    from pipeline.rules.related import RELATED_BLOCK

    entries = [("Funding Tutoring Programs", "National Student Support Accelerator"),
               ("Policy Considerations for Tutoring", "The Center for Education Market Dynamics"),
               ("Early Lessons from Tutoring at Scale", "Annenberg Institute at Brown University")]
    text = "The resources below provide additional information on academic tutoring.\n\n" + "\n\n".join(
        f"{title}\n\n{source}\n\nRead More" for title, source in entries)
    blocks = split_blocks(text)
    for kind, labels_only in (("html", True), ("text", False)):
        found = [blocks[f.index].text for f in RELATED_BLOCK.find(Page(blocks, kind))]
        if labels_only:  # the article's own list: its entries stay
            assert found == ["Read More"] * 3
        else:  # a full page's related-posts grid: the entries after each label go with it
            assert "Policy Considerations for Tutoring" in found
    twice = split_blocks(text.rsplit("\n\n", 3)[0])  # the label twice: a header as before
    assert "Policy Considerations for Tutoring" in [twice[f.index].text for f in RELATED_BLOCK.find(Page(twice, "html"))]


def test_the_record_carries_the_pages_url_author_date_and_a_hash_of_the_text():
    import hashlib

    from pipeline import clean_html, record

    page = ('<html><head><title>Harbour wall</title><link rel="canonical" href="https://news.example/harbour-wall">'
            '<meta name="author" content="Ana Costa"><meta property="article:published_time" content="2024-03-12T08:00:00Z">'
            '</head><body><article><p>The council voted on Tuesday to rebuild the old harbour wall, which has protected the '
            'town for a century, officials said.</p></article></body></html>')
    row = record(clean_html(page))
    assert (row["url"], row["author"], row["date"]) == ("https://news.example/harbour-wall", "Ana Costa", "2024-03-12T08:00:00Z")
    assert row["text_sha256"] == hashlib.sha256(row["text"].encode()).hexdigest()
    bare = record(clean_html("<html><body><p>The council voted on Tuesday to rebuild the old harbour wall.</p></body></html>"))
    assert (bare["url"], bare["author"], bare["date"]) == (None, None, None)
