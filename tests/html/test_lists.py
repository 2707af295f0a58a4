"""Lists and headings that trafilatura left out go back (pipeline.html.lists), and nothing else does."""
import trafilatura

from invariants import check_invariants
from prose import SENTENCES
from prose import words as _words
from pipeline import clean_html
from pipeline.html.lists import ListRun, Part, page_lists, restore_lists


INTRO = "The board chose three measures for the northern section:"
ITEMS = ["Stone from the old quarry above the town", "Steel piles driven along the northern section",
         "A new footpath on top of the wall"]


def loose_page(lst: str, intro: str = INTRO, after: str = "", around: str = "{}") -> str:
    """A page with no article element: trafilatura reads its loose paragraphs and, on this
    path, leaves its lists out."""
    body = (f"<p>{SENTENCES[0]} {SENTENCES[1]}</p><p>{SENTENCES[2]} {SENTENCES[3]}</p><p>{intro}</p>"
            f"{around.format(lst)}{after}")
    return f"<html><head><title>Sea wall</title></head><body><div class='page'>{body}</div></body></html>"


def items_list(items=ITEMS, link: bool = False, marks: str = "") -> str:
    cells = (f'<a href="/{n}">{item}</a>' if link else f"<strong>{item.split()[0]}</strong> {item.split(' ', 1)[1]}"
             for n, item in enumerate(items))
    return f"<ul{marks}>" + "".join(f"<li>{cell}</li>" for cell in cells) + "</ul>"


def test_a_list_introduced_by_a_kept_paragraph_goes_back_after_it():
    html = loose_page(items_list(), after=f"<p>{SENTENCES[4]} {SENTENCES[1]}</p>")
    assert ITEMS[1] not in (trafilatura.extract(html, include_comments=False) or "")  # the case to mend
    result = clean_html(html)
    paragraphs = result.text.split("\n\n")
    start = paragraphs.index(INTRO)
    assert paragraphs[start + 1] == "\n".join(ITEMS)  # in place, one item a line
    assert paragraphs[start + 2].startswith(SENTENCES[4])
    assert result.stats["lists_restored"] == 1
    check_invariants(result)


def test_a_list_between_two_kept_paragraphs_goes_back_without_an_introduction():
    intro = "The board chose three measures for the northern section after the debate."
    result = clean_html(loose_page(items_list(), intro=intro, after=f"<p>{SENTENCES[4]} {SENTENCES[1]}</p>"))
    assert all(item in result.text for item in ITEMS) and result.stats["lists_restored"] == 1


def test_headings_and_lists_between_two_kept_paragraphs_go_back_in_page_order():
    intro = "The board weighed the two plans for the northern section after the debate."
    cons = ["The quarry road is closed in winter", "Piles need a crane on the quay"]
    run = f"<h3>What speaks for it</h3>{items_list()}<h3>What speaks against it</h3>{items_list(cons)}"
    html = loose_page(run, intro=intro, after=f"<p>{SENTENCES[4]} {SENTENCES[1]}</p>")
    assert "What speaks for it" not in (trafilatura.extract(html, include_comments=False) or "")
    result = clean_html(html)
    paragraphs = result.text.split("\n\n")
    start = paragraphs.index(intro)
    assert paragraphs[start + 1:start + 5] == ["What speaks for it", "\n".join(ITEMS), "What speaks against it", "\n".join(cons)]
    assert paragraphs[start + 5].startswith(SENTENCES[4])
    assert result.stats["lists_restored"] == 2


def test_headings_between_kept_paragraphs_go_back_where_trafilatura_kept_none_beside_lists():
    intro = "The board weighed the two plans for the northern section after the debate."
    middle = f"<p>{SENTENCES[4]} {SENTENCES[3]}</p>"
    after = f"<p>{SENTENCES[4]} {SENTENCES[1]}</p>"
    html = loose_page(f"<h3>What the engineers said</h3>{middle}{items_list()}", intro=intro, after=after)
    assert "What the engineers said" not in (trafilatura.extract(html, include_comments=False) or "")
    paragraphs = clean_html(html).text.split("\n\n")
    assert paragraphs[paragraphs.index(intro) + 1] == "What the engineers said"
    assert "\n".join(ITEMS) in paragraphs
    # in an element without such a list, a heading that trafilatura left out stays out
    alone = clean_html(loose_page(f"<h3>What the engineers said</h3>{middle}", intro=intro,
                                  after=f"{after}<div>{items_list()}</div>"))
    assert "What the engineers said" not in alone.text and SENTENCES[3] in alone.text


def test_spacer_paragraphs_neither_end_a_run_nor_stand_for_its_neighbour():
    # page builders put "<p>&zwj;</p>" between blocks; read as Latin-1 it is "â\x80\x8d"
    spacer = "<p>\u00e2\u0080\u008d</p>"
    intro = "The board weighed the two plans for the northern section after the debate."
    run = f"{spacer}<h3>What speaks for it</h3>{spacer}{items_list()}{spacer}"
    result = clean_html(loose_page(run, intro=intro, after=f"<p>{SENTENCES[4]} {SENTENCES[1]}</p>"))
    assert all(item in result.text for item in ITEMS) and result.stats["lists_restored"] == 1
    assert "What speaks for it" in result.text


def test_a_list_after_a_kept_paragraph_that_does_not_introduce_it_stays_out():
    intro = "The board chose three measures for the northern section after the debate."
    result = clean_html(loose_page(items_list(), intro=intro))  # nothing kept after it
    assert ITEMS[1] not in result.text and result.stats["lists_restored"] == 0


def test_menus_and_lists_in_boilerplate_stay_out():
    after = f"<p>{SENTENCES[4]} {SENTENCES[1]}</p>"
    for html in (loose_page(items_list(link=True), after=after),
                 loose_page(items_list(marks=' class="sidebar-list"'), after=after),
                 loose_page(items_list(marks=' id="menu-main"'), after=after),
                 loose_page(items_list(), after=after, around="<nav>{}</nav>")):
        result = clean_html(html)
        assert ITEMS[1] not in result.text and result.stats["lists_restored"] == 0


def test_a_list_beside_a_kept_paragraph_goes_back_whatever_the_layout_around_them_is_called():
    # the page's grid is named for its sidebar; the article's column is inside it
    html = loose_page(items_list(), after=f"<p>{SENTENCES[4]} {SENTENCES[1]}</p>").replace(
        "<div class='page'>", "<div class='l-grid l-grid--sidebar'><div class='page'>").replace("</body>", "</div></body>")
    result = clean_html(html)
    assert SENTENCES[0] in result.text and all(item in result.text for item in ITEMS)
    assert result.stats["lists_restored"] == 1


def test_restore_lists_repeats_nothing_and_needs_its_neighbours_kept():
    before, after, other = _words(8, "b") + ":", _words(8, "a"), _words(8, "o")
    items = Part(("one item here", "two items here"), True)
    block = ListRun((items,), before, after)
    assert restore_lists(f"{before}\n\n{after}", (block,)) == (f"{before}\n\none item here\ntwo items here\n\n{after}", 1)
    # an item already in the text is not repeated; a list wholly there is left alone
    assert restore_lists(f"{before}\n\none item here\n\n{after}", (block,))[0].count("one item here") == 1
    assert restore_lists(f"{before}\n\none item here\ntwo items here", (block,))[1] == 0
    # the same list twice on the page goes back once
    assert restore_lists(f"{before}\n\n{after}", (block, block))[1] == 1
    # the paragraph before it must be in the text, and long enough to say so
    assert restore_lists(f"{other}\n\n{after}", (block,))[1] == 0
    assert restore_lists("Intro:\n\nx", (ListRun((Part(("one item here", "two"), True),), "Intro:", ""),))[1] == 0
    # without an introduction, the paragraph after it must be kept too
    plain = ListRun((items,), before[:-1] + ".", after)
    assert restore_lists(f"{plain.before}\n\n{after}", (plain,))[1] == 1
    assert restore_lists(f"{plain.before}\n\n{other}", (plain,))[1] == 0
    assert restore_lists("", (block,)) == ("", 0)


def test_a_run_of_headings_and_lists_between_kept_paragraphs_goes_back_in_order():
    before, after = _words(8, "b") + ".", _words(8, "a")
    pros, cons = Part(("Fast to set up", "Cheap to run"), True), Part(("Hard to extend", "Few plugins"), True)
    run = ListRun((Part(("Advantages",), False), pros, Part(("Disadvantages",), False), cons), before, after)
    text = f"{before}\n\n{after}"
    assert restore_lists(text, (run,)) == (
        f"{before}\n\nAdvantages\n\nFast to set up\nCheap to run\n\nDisadvantages\n\nHard to extend\nFew plugins\n\n{after}", 2)
    # a heading already in the text stays where it is, and what follows it goes after it
    text = f"{before}\n\nDisadvantages\n\n{after}"
    assert restore_lists(text, (run,))[0].split("\n\n") == [
        before, "Advantages", "Fast to set up\nCheap to run", "Disadvantages", "Hard to extend\nFew plugins", after]
    # headings alone do not go back
    done = f"{before}\n\nFast to set up\nCheap to run\n\nHard to extend\nFew plugins\n\n{after}"
    assert restore_lists(done, (run,)) == (done, 0)
    more = ListRun((Part(("Open on Sundays", "Closed in August"), True),), after, "")
    assert restore_lists(done + ":", (run, ListRun(more.parts, after + ":", "")))[0] == done + ":\n\nOpen on Sundays\nClosed in August"
    # headings alone go back only where trafilatura kept no heading on the page
    lone = ListRun((Part(("Advantages",), False),), before, after)
    assert restore_lists(text, (lone,)) == (text, 0)
    assert restore_lists(f"{before}\n\n{after}", (lone,), headings=True) == (f"{before}\n\nAdvantages\n\n{after}", 0)
    # not between two kept paragraphs: only a list right after a kept introduction goes back
    intro = before[:-1] + ":"
    assert restore_lists(intro, (ListRun(run.parts, intro, ""),))[1] == 0
    assert restore_lists(intro, (ListRun((pros, Part(("Disadvantages",), False), cons), intro, ""),)) == (
        f"{intro}\n\nFast to set up\nCheap to run", 1)


def test_a_list_right_after_a_heading_that_trafilatura_kept_goes_back_after_it():
    from lxml import html as lxml_html

    from pipeline.html.extract import _PROTECTED, _is_boilerplate
    from pipeline.html.page import Ancestry

    # a review's pros and cons open their own section: nothing stands before the run
    tree = lxml_html.fromstring("<html><body><section><h3>Pros &amp; Cons</h3><h4>Pros</h4><ul><li>Fast to set up</li>"
                                "<li>Cheap to run</li></ul><h4>Cons</h4><ul><li>Hard to extend</li><li>Few plugins</li>"
                                "</ul></section></body></html>")
    runs = page_lists(tree, Ancestry(_is_boilerplate, _PROTECTED))
    assert [[part.lines for part in run.parts] for run in runs] == [
        [("Pros & Cons",), ("Pros",), ("Fast to set up", "Cheap to run"), ("Cons",), ("Hard to extend", "Few plugins")]]
    assert runs[0].before == ""
    a, b = _words(30, "a"), _words(30, "b")
    text = f"{a}\n\nPros & Cons\n\nPros\n\nCons\n\n{b}"
    assert restore_lists(text, runs) == (
        f"{a}\n\nPros & Cons\n\nPros\n\nFast to set up\nCheap to run\n\nCons\n\nHard to extend\nFew plugins\n\n{b}", 2)
    # the heading left out, or only inside a longer paragraph: the list has nothing to go after
    assert restore_lists(f"{a}\n\n{b}", runs) == (f"{a}\n\n{b}", 0)
    inside = f"{a}\n\nPros of the plan were discussed at length\n\n{b}"
    assert restore_lists(inside, runs) == (inside, 0)
    # headings alone have no list to introduce
    lone = ListRun((Part(("Pros",), False),), "", "")
    assert restore_lists(text, (lone,), headings=True) == (text, 0)
