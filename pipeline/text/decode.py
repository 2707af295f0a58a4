"""Raw bytes to text: BOM, then the HTML meta charset, then UTF-8, then detection.

Never raises on undecodable bytes: the last resort decodes with replacement characters and says
so. It does refuse data that is not text at all (images, archives, PDFs), with an ``InputError``
that names what the bytes look like.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer


class InputError(ValueError):
    """The input cannot be cleaned (not text, too large, ...). The message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the Python codec name used
    method: str  # "bom", "meta", "utf-8", "utf-16-nul-pattern", "detected", "fallback"


_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC = (  # signatures of formats that are never text
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
# WHATWG: these labels mean windows-1252 in practice.
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp819"}
# Python text codecs no page is written in: they fail on most bytes, or read backslashes as escapes.
_NOT_CHARSETS = {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b") + b"\x7f"
_SNIFF = 8192


def decode(data: bytes, is_html: bool = False) -> Decoded:
    """Decode ``data`` into text; raises InputError only for non-text data."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(codec, errors="replace"), codec, "bom")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(data.decode(utf16, errors="replace"), utf16, "utf-16-nul-pattern")
    _refuse_binary(data)
    if is_html:
        declared = _meta_charset(data)
        if declared:
            decoded = _decode_declared(data, declared)
            if decoded:
                return decoded
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    codec = _codec_name(best.encoding) if best is not None and best.encoding else None
    if codec is None:
        return Decoded(data.decode("cp1252", errors="replace"), "cp1252", "fallback")
    text = data.decode(codec, errors="replace")
    if codec != "cp1252" and _single_byte(codec):
        # Detection is unreliable on short Western text (it says cp1250 or cp1257 for French or
        # German in cp1252): keep cp1252, the commonest legacy codec, unless the detected codec
        # reads more plausibly.
        western = data.decode("cp1252", errors="replace")
        if _plausibility(western) >= _plausibility(text):
            return Decoded(western, "cp1252", f"detected (cp1252 over {codec})")
    return Decoded(text, codec, "detected")


_WORD = re.compile(r"\w+")
_TYPOGRAPHY = set("“”‘’„‚–—…€«»·°§©®™• £")


def _plausibility(text: str) -> float:
    """Share of non-ASCII tokens that look like real words or typography (1.0 = all of them)."""
    good = bad = 0
    for word in _WORD.findall(text[:65536]):
        if word.isascii():
            continue
        scripts = {unicodedata.name(c, "X").split()[0] for c in word if c.isalpha()}
        foreign = sum(1 for c in word if not c.isascii())
        if scripts == {"LATIN"} and foreign * 2 > len(word):
            bad += 1  # "Ïðèâåò": another script read as Latin-1
        elif len(scripts) > 1 or not word.isalpha() and any(not c.isascii() and not c.isalpha() for c in word):
            bad += 1
        else:
            good += 1
    for char in set(text[:65536]):
        if not char.isascii() and not char.isalnum() and not char.isspace():
            good, bad = (good + 1, bad) if char in _TYPOGRAPHY else (good, bad + 1)
    return good / (good + bad) if good + bad else 1.0


def _single_byte(codec: str) -> bool:
    """One byte, one character: every legacy code page, no CJK multi-byte codec."""
    try:
        return len(bytes(range(256)).decode(codec, errors="replace")) == 256
    except (LookupError, UnicodeError):
        return False


def _decode_declared(data: bytes, label: str) -> Decoded | None:
    codec = _codec_name(label)
    if codec is None:
        return None
    if codec in ("cp1252", "latin-1") and not data.isascii():
        # Pages re-saved as UTF-8 often keep their old meta tag: valid multi-byte UTF-8 wins.
        try:
            return Decoded(data.decode("utf-8"), "utf-8", f"utf-8 (meta said {label})")
        except UnicodeDecodeError:
            pass
    if codec.startswith(("utf-16", "utf-32")):
        return None  # a meta tag read as ASCII cannot be right about a 16/32-bit encoding
    return Decoded(data.decode(codec, errors="replace"), codec, "meta")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_SNIFF])
    return match.group(1).decode("ascii").lower() if match else None


def _codec_name(label: str) -> str | None:
    """The Python codec for a charset label, or None when no page can be written in it."""
    label = label.strip().lower()
    if label in _LATIN1_LABELS:
        return "cp1252"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # The flag bytes.decode itself checks: base64, hex, zlib, rot13... turn bytes into bytes.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte (for Latin script)."""
    head = data[:_SNIFF]
    if len(head) < 4 or head.count(0) < len(head) // 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.4 * len(head) / 2 and even < odd / 8:
        return "utf-16-le"
    if even > 0.4 * len(head) / 2 and odd < even / 8:
        return "utf-16-be"
    return None


def _refuse_binary(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary data ({what}), not text")
    head = data[:_SNIFF]
    if head:
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
        if controls >= 8 and controls > 0.1 * len(head):
            raise InputError(f"binary data ({controls} control bytes in the first {len(head)}), not text")
