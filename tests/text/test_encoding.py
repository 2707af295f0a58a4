"""Decoding raw bytes and repairing text: BOMs, meta charsets, detection, mojibake, entities."""
import codecs

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252", as browsers decode)
import pytest

from invariants import check_invariants
from pipeline import InputError, clean_bytes, clean_text
from pipeline.text.decode import decode

BODY = "Café owners in Zürich said the naïve “plan” would cost €5 million — too much, they said."


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_undeclared_bytes_decode(encoding):
    result = clean_bytes(BODY.encode(encoding), kind="text")
    assert result.text == BODY + "\n"


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF8, "utf-8")])
def test_bom_decides(bom, codec):
    result = clean_bytes(bom + BODY.encode(codec), kind="text")
    assert result.text == BODY + "\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec):
    assert decode(BODY.encode(codec)).text == BODY


def test_meta_charset_is_read():
    page = f'<html><head><meta charset="windows-1252"><title>T</title></head><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>'
    decoded = decode(page.encode("cp1252"), is_html=True)
    assert decoded.method == "meta" and BODY in decoded.text


def test_mojibake_is_repaired_and_recorded():
    mangled = BODY.encode("utf-8").decode("sloppy-windows-1252")
    assert mangled != BODY
    result = clean_text(mangled)
    assert result.text == BODY + "\n"
    assert any("mojibake" in fixer and count >= 1 for fixer, count in result.repairs)


def test_entities_controls_and_zero_width_are_repaired():
    result = clean_text("Tom &amp; Jerry\u200b went\x07 home\r\nagain &eacute;t&eacute;.\r\n")
    assert result.text == "Tom & Jerry went home\nagain été.\n"
    check_invariants(result)


@pytest.mark.parametrize("line", ["\xadÂ\x80", "Preis: 5 \xadÂ\x80 pro Stück", "x\u200bÂ\x80y"])
def test_an_invisible_character_inside_mojibake_does_not_hide_it(line):
    """ftfy does not see "Â€" (mojibake of a C1 byte) with a soft hyphen or zero-width space in front;
    once those are stripped it does: repair goes on until the line is stable, so that repairing
    the output again changes nothing (a case found by the property test)."""
    result = clean_text(line + "\n")
    assert "Â" not in result.text
    check_invariants(result, line + "\n")


def test_curly_quotes_dashes_and_ligatures_are_kept():
    text = "“Quoted” — ‘single’ – the ﬁnal ＡＢＣ word."
    assert clean_text(text).text == text + "\n"


def test_nfc():
    assert clean_text("Cafe\u0301 society.").text == "Café society.\n"


def test_undecodable_bytes_do_not_crash():
    result = clean_bytes(b"Valid start \xff\xfe\xfa and \x81\x8d more text here.", kind="text")
    assert "Valid start" in result.text


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(100), b"%PDF-1.7\n" + bytes(100), b"\x1f\x8b\x08" + bytes(100)])
def test_binary_is_refused_with_a_clear_error(data):
    with pytest.raises(InputError, match="binary data"):
        clean_bytes(data, kind="text")


def test_a_stray_a_circumflex_left_by_a_lost_non_breaking_space_goes():
    # UTF-8 "\xa0" read as cp1252 is "Â\xa0"; HTML extraction trims the space at a paragraph end
    html = "<html><body><article><p>Insurance cost $32.21 a month for cats in 2024.Â\xa0</p>" + \
        "<p>" + "The premium depends on the breed, the age and the place where the pet lives. " * 4 + "</p>" + \
        "<p>São Paulo, ÂNGELO and CÂ keep their capitals.</p></article></body></html>"
    result = clean_bytes(html.encode("utf-8"), kind="html")
    assert "for cats in 2024.\n" in result.text + "\n" and "Â\n" not in result.text
    assert "ÂNGELO and CÂ keep" in result.text
    assert any("stray Â" in fixer for fixer, _ in result.repairs)
