"""The single adapter around trafilatura's internals: its parser settings and ``load_html``, its
options and settings object, its selectors, its extraction sequence, its title rules and the
jusText stop list it builds lazily. Nothing else in ``pipeline`` imports from ``trafilatura``.

Written for trafilatura ``TRAFILATURA_VERSION`` (pinned in pyproject.toml): when the pin moves,
re-check every name imported here, ``trafilatura_body`` against ``bare_extraction`` and the
swapped selectors against trafilatura's (tests/html/test_html.py, test_selectors.py).
"""
from __future__ import annotations

from justext.core import define_stoplist
from lxml import etree
from lxml import html as lxml_html
from trafilatura import external
from trafilatura import xpaths as trafilatura_xpaths
from trafilatura.core import trafilatura_sequence
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url
from trafilatura.settings import Extractor
from trafilatura.utils import is_dubious_html, repair_faulty_html

from . import selectors

TRAFILATURA_VERSION = "2.3.1"  # tests/html/test_adapter.py checks that this is the one installed

# trafilatura with every option stated (as ``bare_extraction`` takes them): the main text only,
# tables kept, no markup, no deduplication across documents (it would make output depend on
# processing order). The text is made from trafilatura's output tree (``extract._body_text``);
# with format "python" trafilatura would also serialise that tree to a text nothing reads, with
# "txt" it does not, and the format changes nothing else.
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
    output_format="txt",
)

# The recall check's options (``extract.extract_html``): recall mode, and without the
# readability/jusText comparison, which would cost as much again.
RECALL_OPTIONS = {**TRAFILATURA_OPTIONS, "favor_recall": True, "fast": True}


# trafilatura's parser settings with lxml's element classes chosen in C: lxml.html's own lookup
# is a Python call for every element object made (thousands per page, in trafilatura's passes
# over the tree as well as ours); it also gives form controls their own classes, which nothing
# here uses. Same trees, same output, less time.
def _parser(huge: bool = False) -> lxml_html.HTMLParser:
    parser = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                  remove_pis=True, huge_tree=huge)  # as trafilatura.utils.HTML_PARSER
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))
    return parser


PARSER = _parser()


# Without XML_PARSE_HUGE libxml2 stops at about 10 MB of text (or script, comment, attribute value)
# held at once and loses the rest of the page; the memory that limit guards, max_input_bytes bounds.
HUGE_PARSER = _parser(huge=True)


def load_html(html: str, parser=PARSER):
    """trafilatura's ``load_html`` for a decoded page, with the parser above: the same repairs,
    the same fallback to bytes, the same refusal of a lone fragment that does not say html."""
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = repair_faulty_html(html, beginning)
    tree, by_bytes = None, False
    try:
        tree = lxml_html.fromstring(html, parser=parser)
    except ValueError:  # a str that declares its encoding: lxml wants bytes
        tree, by_bytes = _from_bytes(html, parser), True
    except Exception:  # lxml found nothing to parse
        tree = None
    if (tree is None or len(tree) < 1) and not by_bytes:
        tree = _from_bytes(html, parser)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _from_bytes(html: str, parser):
    try:
        return lxml_html.fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except Exception:
        return None


def _extractor(options: dict) -> Extractor:
    """trafilatura's settings object for ``bare_extraction`` keyword arguments, made once (not per
    page). Only options that need none of bare_extraction's steps around the extraction itself."""
    if options["target_language"] or options["with_metadata"] or options["only_with_metadata"] or options["deduplicate"]:
        raise ValueError("language, metadata and deduplication options need trafilatura.bare_extraction")
    return Extractor(output_format=options["output_format"], fast=options["fast"], precision=options["favor_precision"],
                     recall=options["favor_recall"], comments=options["include_comments"],
                     formatting=options["include_formatting"], links=options["include_links"],
                     images=options["include_images"], tables=options["include_tables"], dedup=False, lang=None,
                     with_metadata=False, only_with_metadata=False)


_EXTRACTORS = {False: _extractor(TRAFILATURA_OPTIONS), True: _extractor(RECALL_OPTIONS)}

# trafilatura's selectors (pruning, and finding the article's element), swapped for their Python
# translations while trafilatura runs here (pipeline.html.selectors: the same elements, in the same
# order; the XPaths' EXSLT ``re:test`` calls back into Python for every element, a large part of
# trafilatura's time). Outside our calls trafilatura is left as it is.
SWAPPED_SELECTORS = ("RAW_TREE_PRUNE_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH", "REMOVE_COMMENTS_XPATH", "BODY_XPATH",
                     "OVERALL_DISCARD_XPATH", "DISCARD_IMAGE_ELEMENTS", "TEASER_DISCARD_XPATH", "PRECISION_DISCARD_XPATH")
_SELECTORS = [(getattr(trafilatura_xpaths, name),
               selectors.translate_all(getattr(trafilatura_xpaths, name), {"re": trafilatura_xpaths.REGEXP_NS}))
              for name in SWAPPED_SELECTORS]


def trafilatura_body(tree, recall: bool = False):
    """trafilatura's output tree for ``tree`` (``<body>`` with ``<p>``, ``<list>``, ``<table>``...),
    or None: the ``.body`` of ``bare_extraction(tree, **TRAFILATURA_OPTIONS)`` (``RECALL_OPTIONS``
    with ``recall``), by the same steps, less one: given a parsed tree, bare_extraction first
    copies all of it to leave the caller's tree as it was, and nothing here reads the tree again.
    trafilatura is pinned; a test compares the two on every HTML fixture. ``tree`` is changed."""
    options = _EXTRACTORS[recall]
    try:
        with selectors.swapped(_SELECTORS):
            body, text, _comments_body, comments = trafilatura_sequence(tree, options, None)
        if options.max_tree_size and len(body) > options.max_tree_size:
            etree.strip_tags(body, "hi")
            if len(body) > options.max_tree_size:
                return None
    except (TypeError, ValueError):  # bare_extraction's "discarding data"
        return None
    if len(text) < options.min_output_size and len(comments) < options.min_output_comm_size:
        return None
    return body


def trafilatura_title(tree) -> str:
    """The title by trafilatura's rules (a lone h1, the <title> less the site's name, ...), or ''."""
    return extract_title(tree) or ""


_WARM = False


def trafilatura_metadata(tree) -> tuple[str, str]:
    """The page's URL (canonical link, og:url …) and author as trafilatura's meta-tag and JSON-LD
    passes find them, or "". (Its full ``extract_metadata`` also runs htmldate, which costs as much
    as cleaning the page; the date is read from meta tags in extract.py instead.)"""
    found = examine_meta(tree)
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # trafilatura guards this call too: its JSON-LD reader fails on odd pages
        pass
    url = found.url or extract_url(tree) or ""
    return url, found.author or ""


def warm_up() -> None:
    """Build what trafilatura builds lazily on first use, so that processes forked from this one
    share it: the stop list of its jusText fallback (every language, about 150,000 words) and
    jusText's lower-cased set of it. Luigi with ``--workers N`` forks a new process for every
    batch; without this, each batch that meets a page needing jusText builds the list again.
    Harmless if trafilatura's internals move: nothing is warmed then."""
    global _WARM
    if _WARM:
        return
    _WARM = True
    build = getattr(external, "jt_stoplist_init", None)
    if build is None:
        return
    define_stoplist(getattr(external, "JT_STOPLIST", None) or build())
