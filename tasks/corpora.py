"""Collections: a ``.jsonl`` or ``.jsonl.gz`` input file holds many documents, one JSON object a
line with an ``id`` and a ``text`` or ``html`` (other fields are carried into the record, under
``fields``; a ``url`` field becomes the record's URL); a ``.warc`` or ``.warc.gz`` file holds
pages, its HTML response records (id and URL: the target URI; date: the WARC date; read with
warcio). Records of other types and responses that are not HTML are not documents. Each document is planned, batched, cleaned
and recorded as a file would be, under the name ``<file>#<id>``; its text goes to
``<output of the file, without .txt>.d/<id, percent-encoded>.txt``. A document is up to date
while its file is unchanged; a changed file's documents are all cleaned again.

The planner reads a collection line by line (memory: one line) and notes where each line starts;
a batch reads a plain file at those offsets, and a gzip file once per process (the last one is
kept decompressed). A line that is not a JSON object with a text, or a file that ends in the
middle of its gzip stream, is an error record of its own; the other documents are cleaned."""
from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

SUFFIXES = (".jsonl", ".jsonl.gz", ".warc", ".warc.gz")
_MAX_NAME_CHARS = 200  # a longer encoded id is cut and given a hash of the whole (a file name has 255 bytes)


def is_collection(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def _lines(path: str) -> Iterator[bytes]:
    """The lines of a plain or gzip file; a gzip stream that breaks off gives the lines before the
    break, then raises EOFError (gzip.open would lose the last block's lines with it)."""
    if not path.lower().endswith(".gz"):
        with open(path, "rb") as handle:
            yield from handle
        return
    rest = b""
    for chunk in _gunzip(path):
        *whole, rest = (rest + chunk).split(b"\n")
        for line in whole:
            yield line + b"\n"
    if rest:
        yield rest


def _gunzip(path: str, size: int = 1 << 20) -> Iterator[bytes]:
    """The decompressed bytes of a gzip file (several members too), chunk by chunk; EOFError
    after the last whole chunk if the file breaks off."""
    with open(path, "rb") as handle:
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while data := handle.read(size):
            while data:
                yield inflate.decompress(data)
                data = inflate.unused_data
                if inflate.eof and data:  # the next gzip member
                    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        if not inflate.eof:
            raise EOFError("the gzip stream ends before its end marker")


def _is_warc(path: str) -> bool:
    return path.lower().endswith((".warc", ".warc.gz"))


def members(path: str) -> Iterator[tuple[str, int, int, str, str]]:
    """(id, line number, offset, kind, error) of each document of the collection at ``path``, in
    order; ``kind`` "text" or "html"; ``error`` "" or why the line is no document. Ids that repeat
    get their line number: every document of a file has a name of its own."""
    if _is_warc(path):
        yield from _warc_members(path)
        return
    seen: set[str] = set()
    offset, number = 0, 0
    try:
        for number, line in enumerate(_lines(path), start=1):
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            doc_id, kind, error = _read_line(line, number)
            if doc_id in seen:
                doc_id = f"{doc_id}~{number}"
            seen.add(doc_id)
            yield doc_id, number, start, kind, error
    except (EOFError, OSError, zlib.error) as broken:  # a truncated or corrupt gzip stream
        yield f"~broken-after-line-{number}", number + 1, offset, "text", f"the file breaks off after line {number}: {broken}"


def _warc_members(path: str) -> Iterator[tuple[str, int, int, str, str]]:
    seen: set[str] = set()
    number = 0
    try:
        with open(path, "rb") as handle:
            records = ArchiveIterator(handle)
            for number, record in enumerate(records, start=1):
                if record.rec_type != "response":
                    continue
                content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if "html" not in content_type.lower():
                    continue
                doc_id = record.rec_headers.get_header("WARC-Target-URI") or str(number)
                if doc_id in seen:
                    doc_id = f"{doc_id}~{number}"
                seen.add(doc_id)
                body = _block_size(record)  # (read before the offset: asking for it reads the record out)
                offset = records.get_record_offset()
                expected = record.length - getattr(record.http_headers, "total_len", 0)
                error = ("a WARC response record without a body" if body == 0 else
                         f"the WARC record is cut off ({body:,} of {expected:,} bytes)" if body < expected else "")
                yield doc_id, number, offset, "html", error
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error) as broken:
        yield f"~broken-after-record-{number}", number + 1, 0, "html", f"the WARC file breaks off after record {number}: {broken}"


def _block_size(record) -> int:
    """The bytes of a record's payload that are there (a file that breaks off has fewer)."""
    size = 0
    while part := record.raw_stream.read(65536):
        size += len(part)
    return size


def _read_line(line: bytes, number: int) -> tuple[str, str, str]:
    try:
        obj = json.loads(line)
    except ValueError:
        return str(number), "text", f"line {number} is not JSON"
    if not isinstance(obj, dict):
        return str(number), "text", f"line {number} is not a JSON object"
    raw_id = obj.get("id")
    doc_id = str(raw_id) if raw_id not in (None, "") else str(number)
    if isinstance(obj.get("html"), str):
        return doc_id, "html", ""
    if isinstance(obj.get("text"), str):
        return doc_id, "text", ""
    return doc_id, "text", f"line {number} has no 'text' or 'html' string"


def member_output(collection_output: str, doc_id: str) -> str:
    """``a/b.jsonl.txt`` (the file's own output name) and ``x/1`` -> ``a/b.jsonl.d/x%2F1.txt``."""
    base = collection_output[: -len(".txt")] if collection_output.endswith(".txt") else collection_output
    name = quote(doc_id, safe="")
    if len(name) > _MAX_NAME_CHARS:
        name = f"{name[:_MAX_NAME_CHARS - 17]}~{hashlib.sha1(doc_id.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"
    return f"{base}.d/{name}.txt"


_cache: dict[str, bytes] = {}  # the last gzip collection read whole, in this process


def read_member(path: str, offset: int, max_bytes: int, number: int = 0) -> tuple[bytes, str, dict]:
    """(the text or HTML as UTF-8, its kind, the other fields) of the document at ``offset`` (a
    WARC record: also its ``number``, for a file gzipped whole, where offsets cannot be sought)."""
    if _is_warc(path):
        return _read_warc_record(path, offset, number, max_bytes)
    if path.lower().endswith(".gz"):
        data = _cache.get(path)
        if data is None:
            _cache.clear()
            parts: list[bytes] = []
            try:
                for chunk in _gunzip(path):
                    parts.append(chunk)
            except EOFError:
                pass  # the documents before the break are whole; the break itself has its record
            data = _cache[path] = b"".join(parts)
        end = data.find(b"\n", offset)
        line = data[offset: None if end < 0 else end + 1]
    else:
        with open(path, "rb") as handle:
            handle.seek(offset)
            line = handle.readline(max_bytes + 1)
    if len(line) > max_bytes:
        raise ValueError(f"the document is over the limit of {max_bytes:,} bytes")
    obj = json.loads(line)
    kind = "html" if isinstance(obj.get("html"), str) else "text"
    body = obj.pop(kind)
    obj.pop("text" if kind == "html" else "html", None)
    obj.pop("id", None)
    return body.encode("utf-8", "surrogatepass"), kind, obj


def _read_warc_record(path: str, offset: int, number: int, max_bytes: int) -> tuple[bytes, str, dict]:
    with open(path, "rb") as handle:
        handle.seek(offset)
        try:
            record = next(iter(ArchiveIterator(handle)))
        except (ArchiveLoadFailed, StopIteration, zlib.error, OSError):
            handle.seek(0)  # gzipped as a whole: no record starts at an offset; count from the start
            record = next(r for n, r in enumerate(ArchiveIterator(handle), start=1) if n == number)
        body = record.content_stream().read(max_bytes + 1)
        if len(body) > max_bytes:
            raise ValueError(f"the page is over the limit of {max_bytes:,} bytes")
        headers = record.rec_headers
        fields = {"url": headers.get_header("WARC-Target-URI"), "date": headers.get_header("WARC-Date"),
                  "warc_record_id": headers.get_header("WARC-Record-ID")}
        return body, "html", {key: value for key, value in fields.items() if value}
