"""Refusals are true and cheap: a page is refused only for what really stops it, with a message
that says what that is, and before the costly work when that can be known up front."""
import codecs
import encodings
import encodings.aliases
import pkgutil

import pytest

from pipeline import CleanConfig, InputError, clean_bytes, clean_text
from pipeline.__main__ import EXIT_BAD_INPUT, main
from pipeline.text.decode import decode
from pipeline.html.cost import MAX_ATTRIBUTES, MAX_ELEMENTS, crowded_element, too_many_elements
from pipeline.html.extract import parse_page

HELLO = "Hello world, this is a test page."
STORY = "<article><p>" + "The harbour wall will be rebuilt next year, the council said on Tuesday. " * 8 + "</p></article>"


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


# 1. A meta charset that names a codec no page is written in counts as no label at all.

NOT_CHARSETS = ["base64", "base_64", "hex", "zlib", "zip", "bz2", "uu", "quopri", "quoted-printable", "rot13",
                "punycode", "idna", "undefined", "unicode_escape", "raw_unicode_escape"]


@pytest.mark.parametrize("label", NOT_CHARSETS)
def test_a_label_of_a_codec_that_is_no_charset_is_ignored(label):
    data = f'<meta charset="{label}"><p>{HELLO}</p>'.encode()
    assert decode(data, is_html=True).encoding == "utf-8"
    assert clean_bytes(data, kind="html").text == HELLO + "\n"


@pytest.mark.parametrize("label", ["base64", "zlib", "rot13", "idna"])
@pytest.mark.parametrize("flags", [[], ["--html"]])
def test_the_command_line_cleans_such_a_page(tmp_path, capsys, label, flags):
    path = tmp_path / "page.html"
    path.write_bytes(f'<meta charset="{label}"><p>{HELLO}</p>'.encode())
    assert main([*flags, str(path)]) == 0
    assert HELLO in capsys.readouterr().out


def test_no_codec_python_knows_makes_decoding_raise():
    labels = set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values())
    labels |= {module.name for module in pkgutil.iter_modules(encodings.__path__)}
    bodies = [b"<p>plain ascii</p>", "<p>caf\u00e9 \u20ac5</p>".encode("cp1252"), bytes(range(32, 256))]
    for label in sorted(labels):
        for body in bodies:
            data = b'<meta charset="' + label.encode() + b'">' + body
            assert isinstance(decode(data, is_html=True).text, str), label


def test_a_real_charset_label_still_decides():
    data = f'<meta charset="koi8-r"><p>{"Привет, мир. " * 5}</p>'.encode("koi8-r")
    decoded = decode(data, is_html=True)
    assert (decoded.encoding, decoded.method) == (codecs.lookup("koi8-r").name, "meta") and "Привет" in decoded.text


# 2. Text beyond libxml2's 10 MB buffer is read (with XML_PARSE_HUGE); deep nesting is still refused as such.

def test_a_text_node_over_10_mb_is_read_whole():
    tree, _ = parse_page(page("<p>" + "word " * 2_200_000 + "</p>"))
    assert len(tree.find(".//p").text) == 11_000_000


def test_a_page_behind_an_11_mb_comment_is_cleaned():
    result = clean_bytes(page("<!--" + "c" * 11_000_000 + "-->" + STORY).encode(), kind="html")
    assert "The harbour wall will be rebuilt" in result.text


@pytest.mark.parametrize("before", ["", "<p>" + "word " * 2_200_000 + "</p>"])
def test_nesting_over_256_levels_is_refused_as_nesting(before):
    deep = before + "<div>" * 300 + "<p>Deep.</p>" + "</div>" * 300
    with pytest.raises(InputError, match="nested deeper than the parser's limit of 256 levels"):
        clean_bytes(page(deep).encode(), kind="html")


def test_100000_levels_are_refused_as_nesting_not_as_elements():
    deep = "<div>" * 100_000 + "<p>Deep.</p>" + "</div>" * 100_000
    with pytest.raises(InputError, match="nested deeper"):
        clean_bytes(page(deep).encode(), kind="html")


def test_256_levels_are_read():
    deep = "<div>" * 253 + "<p>Deep enough.</p>" + "</div>" * 253  # html, body, 253 divs, p
    assert clean_bytes(page(deep).encode(), kind="html").text == "Deep enough.\n"


# 3. Pages with too many attributes on one element, or too many elements, are refused before parsing.

def attributes(count: int, template: str = ' a{0}="{0}"') -> str:
    return "".join(template.format(i) for i in range(count))


def test_an_element_over_the_attribute_limit_is_refused():
    html = page(f"<div{attributes(MAX_ATTRIBUTES + 1)}>x</div>" + STORY)
    with pytest.raises(InputError, match=f"<div> has {MAX_ATTRIBUTES + 1:,} attributes, over the limit of {MAX_ATTRIBUTES:,}"):
        clean_bytes(html.encode(), kind="html")


def test_an_element_at_the_attribute_limit_is_cleaned():
    html = page(f"<div{attributes(MAX_ATTRIBUTES)}>x</div>" + STORY)
    assert "The harbour wall will be rebuilt" in clean_bytes(html.encode(), kind="html").text


def test_300000_attributes_are_refused_before_parsing():
    html = page(f"<div{attributes(300_000)}>x</div>" + STORY)
    with pytest.raises(InputError, match="has 300,000 attributes"):
        clean_bytes(html.encode(), kind="html")


@pytest.mark.parametrize("template", [
    '/a{0}="{0}"',  # a slash separates attributes
    ' a{0}=">{0}"',  # a quoted ">" does not end the tag
    ' a{0}="{0}"b{0}',  # no space after a quoted value (two attributes each)
    "\na{0}\t",  # names only, any whitespace
])
def test_attributes_are_counted_as_the_parser_reads_them(template):
    assert crowded_element(page(f"<div{attributes(MAX_ATTRIBUTES + 1, template)}>x</div>")) is not None
    assert crowded_element(page(f"<div{attributes(MAX_ATTRIBUTES // 2, template)}>x</div>")) is None


def test_tags_in_a_script_are_text():
    script = f"<script>var t = '<div{attributes(MAX_ATTRIBUTES + 1, ' a{0}')}';</script>"
    assert crowded_element(page(STORY, head=script)) is None
    assert crowded_element(page(STORY + script.replace("script", "span"))) is not None


def test_a_page_over_the_element_limit_is_refused():
    html = page("<p>x</p>" * MAX_ELEMENTS)  # html, head and body make three more
    with pytest.raises(InputError, match=f"HTML with {MAX_ELEMENTS + 3:,} elements, over the limit of {MAX_ELEMENTS:,}"):
        clean_bytes(html.encode(), kind="html")


def test_a_page_at_the_element_limit_passes_the_check():
    assert too_many_elements(page("<p>x</p>" * (MAX_ELEMENTS - 3))) is None
    assert too_many_elements(page("<p>x</p>" * (MAX_ELEMENTS - 2))) == MAX_ELEMENTS + 1


def test_the_command_line_exits_3_for_a_refused_page(tmp_path, capsys):
    path = tmp_path / "page.html"
    path.write_text(page("<p>x</p>" * MAX_ELEMENTS))
    assert main(["--html", str(path)]) == EXIT_BAD_INPUT
    assert "over the limit of" in capsys.readouterr().err


# 4. Disabling a rule removes nothing under its name, whichever rule found it.

MENU = "Home\nWorld\nPolitics\nBusiness\nSport\nCulture\nWeather\nSign in\n\n"
HEADLINE = "Harbour city votes to rebuild its old sea wall after winter storms"
BODY = "\n\n".join(f"The city council voted on Tuesday to rebuild the old sea wall, part {i}, after storms damaged "
                   "it badly during the winter and flooded homes near the port." for i in range(8))
FULL_PAGE = MENU + HEADLINE + "\n\n" + BODY + "\n\nAbout us\nContact\nPrivacy\n"


def test_body_region_finds_the_headline_by_default():
    result = clean_text(FULL_PAGE)
    assert result.title == HEADLINE and HEADLINE not in result.text
    assert any(r.rule == "title" and r.code == "title.above-body" for r in result.removals)


def test_disabling_title_keeps_the_headline_in_the_body():
    result = clean_text(FULL_PAGE, CleanConfig(disabled_rules=("title",)))
    assert result.text.startswith(HEADLINE + "\n\nThe city council voted")
    assert result.title == "" and all(r.rule != "title" for r in result.removals)
    assert any(r.rule == "body-region" for r in result.removals)  # the menus still go
