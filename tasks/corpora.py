"""Collections: a ``.jsonl`` or ``.jsonl.gz`` input file holds many documents, one JSON object a
line with an ``id`` and a ``text`` or ``html`` (other fields are carried into the record, under
``fields``; a ``url`` field becomes the record's URL). Each document is planned, batched, cleaned
and recorded as a file would be, under the name ``<file>#<id>``; its text goes to
``<output of the file, without .txt>.d/<id, percent-encoded>.txt``. A document is up to date
while its file is unchanged; a changed file's documents are all cleaned again.

The planner reads a collection line by line (memory: one line) and notes where each line starts;
a batch reads a plain file at those offsets, and a gzip file once per process (the last one is
kept decompressed). A line that is not a JSON object with a text, or a file that ends in the
middle of its gzip stream, is an error record of its own; the other documents are cleaned."""
from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

SUFFIXES = (".jsonl", ".jsonl.gz")
_MAX_ID_CHARS = 200  # longer ids are cut (a file name has 255 bytes at most)


def is_collection(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def _open(path: str):
    return gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")


def members(path: str) -> Iterator[tuple[str, int, int, str, str]]:
    """(id, line number, offset, kind, error) of each document of the collection at ``path``, in
    order; ``kind`` "text" or "html"; ``error`` "" or why the line is no document. Ids that repeat
    get their line number: every document of a file has a name of its own."""
    seen: set[str] = set()
    offset, number = 0, 0
    try:
        with _open(path) as handle:
            for number, line in enumerate(handle, start=1):
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
    return f"{base}.d/{quote(doc_id[:_MAX_ID_CHARS], safe='')}.txt"


_cache: dict[str, bytes] = {}  # the last gzip collection read whole, in this process


def read_member(path: str, offset: int, max_bytes: int) -> tuple[bytes, str, dict]:
    """(the text or HTML as UTF-8, its kind, the other fields) of the document at ``offset``."""
    if path.lower().endswith(".gz"):
        data = _cache.get(path)
        if data is None:
            _cache.clear()
            with gzip.open(path, "rb") as handle:
                data = _cache[path] = handle.read()
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


def container_path(input_dir: Path, source: str) -> str:
    return str(input_dir / source.partition("#")[0])
