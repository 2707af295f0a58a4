"""Prose that trafilatura left out goes back (pipeline.html.recover), and nothing else does."""
import trafilatura

from invariants import check_invariants
from prose import SENTENCES
from prose import words as _words
from pipeline import clean_html
from pipeline.html.recover import MIN_WORDS, Prose, recover

LEAD_MORE = [
    "The decision came after a long debate in the town hall, where many residents had come to listen to the engineers.",
    "Several members asked whether the wall could be repaired in parts, so that the fishing boats could keep using the quay.",
    "The chairman said that every option had been studied, and that the board would publish the reports on its website.",
    "A first plan had been turned down last spring, when the cost of the work was found to be twice what had been expected.",
    "The new plan uses stone from the old quarry above the town, which should cut the cost and the number of lorries.",
    "Work on the southern part of the harbour is not affected and will go on as planned, the board said in a statement.",
    "The council will hold an open meeting next week for residents who want to see the plans and ask the engineers questions.",
    "Shops along the front have been told that deliveries will have to come through the back streets while the work lasts.",
]
# A lead of more than 1,000 characters (shorter, and newsclean runs trafilatura again in recall mode)
LEAD = f"<p>{SENTENCES[0]} {' '.join(LEAD_MORE[:4])}</p><p>{' '.join(LEAD_MORE[4:])}</p>"
REST = "".join(f"<p>{s} {s} {s}</p>" for s in SENTENCES[1:])  # longer than the lead
OTHER = ("<p>The ferry company said on Monday that the island route would run again from April, after two years in which "
         "the island could only be reached by a small boat that carried twelve people at most. {n}</p>")


def page(rest_class: str = "page-footer", around: str = "", before: str = "", after: str = "") -> str:
    """A story whose lead trafilatura finds, and whose other paragraphs sit in a section with
    ``rest_class``: trafilatura discards a class holding "footer", and keeps only the lead."""
    story = f'<div class="page-lead">{LEAD}</div><div class="{rest_class}"><div class="section">{REST}</div></div>'
    if around:
        story = f"<{around}>{story}</{around}>"
    return (f"<html><head><title>Sea wall</title></head><body><nav><a href='/'>Home</a></nav>{before}"
            f'<div class="page"><h1>Harbour board decides on the sea wall</h1>{story}</div>{after}'
            "<footer><p>Copyright 2024 The Harbour Times. All rights reserved.</p></footer></body></html>")


def test_prose_that_trafilatura_left_out_goes_back_in_page_order():
    html = page()
    assert SENTENCES[2] not in (trafilatura.extract(html, include_comments=False) or "")  # the case to mend
    result = clean_html(html)
    positions = [result.text.find(s) for s in SENTENCES]
    assert -1 not in positions and positions == sorted(positions)
    assert result.stats["paragraphs_recovered"] == 4
    assert "All rights reserved" not in result.text
    check_invariants(result)


def test_a_page_that_trafilatura_reads_whole_gets_nothing_back():
    result = clean_html(page(rest_class="page-body"))
    assert all(s in result.text for s in SENTENCES)
    assert result.stats["paragraphs_recovered"] == 0


def test_long_comments_stay_out():
    comments = "".join(OTHER.format(n=f"Comment {n}: I agree with the board.") for n in range(4))
    html = page(after=f'<div class="commentBody">{comments}</div>')  # no family token: "commentbody"
    assert "I agree with the board" not in (trafilatura.extract(html, include_comments=False) or "")
    result = clean_html(html)
    assert SENTENCES[2] in result.text and "I agree with the board" not in result.text


def _left_out(html: str) -> str:
    """A section that trafilatura discards as it does the story's own."""
    return f'<div class="list-footer">{html}</div>'


def test_the_other_articles_of_a_page_stay_out():
    others = "".join(f"<article>{_left_out(OTHER.format(n=f'Story {n}.') * 2)}</article>" for n in range(3))
    html = page(around="article", after=others)
    assert "ferry company" not in (trafilatura.extract(html, include_comments=False) or "")
    result = clean_html(html)
    assert SENTENCES[2] in result.text  # its own article's prose goes back
    assert "ferry company" not in result.text


def test_teasers_inside_links_stay_out():
    teasers = _left_out("".join(f'<a href="/s{n}">{OTHER.format(n=f"Story {n} goes on here.")}</a>' for n in range(4)))
    result = clean_html(page(after=teasers))
    assert SENTENCES[2] in result.text and "ferry company" not in result.text


def test_an_article_nested_in_a_header_by_broken_markup_goes_back():
    """An unclosed tag in the masthead: the parser puts the whole story inside <header><nav>.
    Chrome holds no five long paragraphs; fewer stay out, as a menu's blurbs would."""
    from pipeline.html.page import MIN_NESTED_PARAGRAPHS

    promo = "".join(OTHER.format(n=f"Crossing {n} runs daily.") for n in range(5))
    story = SENTENCES + LEAD_MORE
    for count, back in ((MIN_NESTED_PARAGRAPHS + 3, True), (MIN_NESTED_PARAGRAPHS, True), (MIN_NESTED_PARAGRAPHS - 1, False)):
        paragraphs = "".join(f"<p>{s} {s}</p>" for s in story[:count])
        html = ("<html><head><title>Sea wall</title></head><body><header class='header-nav'><nav><a href='/'>Home</a>"
                f"<div class='story'><h1>Harbour board decides</h1>{paragraphs}</div></nav></header>"
                f"<main><div class='promo'>{promo}</div></main></body></html>")
        assert SENTENCES[0] not in (trafilatura.extract(html, include_comments=False) or "")
        result = clean_html(html)
        assert all(s in result.text for s in story[:count]) is back, count
        assert result.stats["paragraphs_recovered"] == (count if back else 0)


def _prose(*texts):
    return tuple(Prose(t, -1) for t in texts)


def test_left_out_prose_must_outweigh_the_text_and_reach_the_minimum():
    kept = _words(MIN_WORDS, "kept")
    equal, more = _words(MIN_WORDS, "gone"), _words(MIN_WORDS + 1, "gone")
    assert recover(kept, _prose(kept, equal)) == (kept, 0)
    assert recover(kept, _prose(kept, more)) == (f"{kept}\n\n{more}", 1)
    short = _words(MIN_WORDS - 1, "gone")
    assert recover("", _prose(short)) == ("", 0) and recover("", _prose(more)) == (more, 1)


def test_each_paragraph_goes_after_the_one_it_follows_on_the_page_and_only_once():
    a, b, c = _words(30, "a"), _words(30, "b"), _words(30, "c")
    gone_1, gone_2 = _words(40, "x"), _words(40, "y")
    text = f"{a}\n\nA heading\n\n{b}\n\n{c}"
    prose = _prose(gone_1, a, b, gone_2, gone_2, c)
    assert recover(text, prose) == (f"{gone_1}\n\n{a}\n\nA heading\n\n{b}\n\n{gone_2}\n\n{c}", 2)


def test_only_prose_of_the_kept_article_counts_where_there_is_one():
    kept, own, other = _words(20, "k"), _words(150, "own"), _words(150, "other")
    prose = (Prose(kept, 0), Prose(own, 0), Prose(other, 1))
    assert recover(kept, prose) == (f"{kept}\n\n{own}", 1)
    assert recover(kept, (Prose(kept, 0), Prose(other, 1))) == (kept, 0)


def test_a_kept_paragraph_inside_a_longer_one_is_still_found_for_placing():
    a, inner, gone = _words(30, "a"), _words(30, "b"), _words(150, "x")
    text = f"{a}\n\nSome words before. {inner}\n\n{_words(10, 'c')}"
    assert recover(text, _prose(a, inner, gone))[0].split("\n\n") == [a, f"Some words before. {inner}", gone, _words(10, "c")]


def test_a_page_of_more_prose_paragraphs_than_one_article_has_gets_nothing_back():
    from pipeline.html.recover import MAX_PARAGRAPHS

    kept = _words(30, "k")
    gone = tuple(Prose(_words(25, f"p{n}x"), -1) for n in range(MAX_PARAGRAPHS))
    assert recover(kept, (Prose(kept, -1),) + gone) == (kept, 0)
    assert recover(kept, (Prose(kept, -1),) + gone[:-1])[1] == MAX_PARAGRAPHS - 1


def test_prose_between_two_kept_paragraphs_of_an_article_goes_back_however_little_it_is():
    a, b = _words(30, "a"), _words(30, "b")
    gone, more = _words(20, "x"), _words(20, "y")  # together far below MIN_WORDS and the text's length
    text = f"{a}\n\n{b}"

    def article(*texts, number=0):
        return tuple(Prose(t, number) for t in texts)

    assert recover(text, article(a, gone, b)) == (f"{a}\n\n{gone}\n\n{b}", 1)
    assert recover(text, article(a, gone, more, b)) == (f"{a}\n\n{gone}\n\n{more}\n\n{b}", 2)
    assert recover(text, article(gone, a, b, more)) == (text, 0)  # before the first, after the last: not between
    # a page with no <article>: its text is one story
    assert recover(text, article(a, gone, b, number=-1)) == (f"{a}\n\n{gone}\n\n{b}", 1)
    # ... but an <article> set in it is another one
    assert recover(text, (Prose(a, -1), Prose(gone, 0), Prose(b, -1))) == (text, 0)


def test_prose_between_kept_paragraphs_goes_back_only_within_their_article():
    a, b, gone = _words(30, "a"), _words(30, "b"), _words(20, "x")
    text = f"{a}\n\n{b}"
    assert recover(text, (Prose(a, 1), Prose(gone, 1), Prose(b, 1))) == (f"{a}\n\n{gone}\n\n{b}", 1)
    assert recover(text, (Prose(a, 0), Prose(gone, 1), Prose(b, 0))) == (text, 0)  # another story set in it
    assert recover(text, (Prose(a, 0), Prose(gone, 0), Prose(b, 1))) == (text, 0)  # it ends one story


def test_a_section_that_trafilatura_skipped_inside_the_article_comes_back():
    # trafilatura drops a block whose class says "footer", even in the middle of an article
    story = SENTENCES[:4]
    for where, back, tag in (("middle", True, "article"), ("end", False, "article"), ("middle", True, "div"), ("end", False, "div")):
        middle = f"<div class='footer'><p>{story[2]}</p></div>" if where == "middle" else ""
        end = f"<div class='footer'><p>{story[2]}</p></div>" if where == "end" else ""
        html = (f"<html><head><title>Sea wall</title></head><body><{tag}><h1>Harbour board decides</h1>"
                f"<div class='part'><p>{story[0]}</p><p>{story[1]}</p></div>{middle}<div class='part'><p>{story[3]}</p></div>"
                f"{end}</{tag}></body></html>")
        assert story[2] not in (trafilatura.extract(html, include_comments=False) or "")
        result = clean_html(html)
        assert (story[2] in result.text) is back, (where, tag)
        if back:
            assert result.text.index(story[1]) < result.text.index(story[2]) < result.text.index(story[3])
        assert result.stats["paragraphs_recovered"] == int(back)

def test_a_box_or_a_dialog_between_kept_paragraphs_stays_out():
    # between two kept paragraphs, on a page without <article>: a box floated beside the text
    # (another story) and a modal dialog are no part of the story; the same prose in a plain
    # section that trafilatura discards ("footer") is
    story = SENTENCES[:4]
    for box, back in (("<div class='footer'>{}</div>", True), ("<div class='art-ins factbox floatRHS footer'>{}</div>", False),
                      ("<div class='footer'><dialog open>{}</dialog></div>", False)):
        middle = box.format(f"<p>{story[2]}</p>")
        html = (f"<html><head><title>Sea wall</title></head><body><div><h1>Harbour board decides</h1>"
                f"<div class='part'><p>{story[0]}</p><p>{story[1]}</p></div>{middle}<div class='part'><p>{story[3]}</p></div>"
                f"</div></body></html>")
        assert story[2] not in (trafilatura.extract(html, include_comments=False) or "")
        result = clean_html(html)
        assert (story[2] in result.text) is back, box
        assert story[3] in result.text


def test_a_style_set_inside_a_paragraph_that_goes_back_is_no_text():
    story = SENTENCES[:4]
    middle = f"<div class='footer'><p><style>.css-1jwcxx3{{font-style:italic;}}</style><em>Harbour</em>: {story[2]}</p></div>"
    html = (f"<html><head><title>Sea wall</title></head><body><div><h1>Harbour board decides</h1>"
            f"<div class='part'><p>{story[0]}</p><p>{story[1]}</p></div>{middle}<div class='part'><p>{story[3]}</p></div>"
            f"</div></body></html>")
    result = clean_html(html)
    assert f"Harbour: {story[2]}" in result.text and "font-style" not in result.text
