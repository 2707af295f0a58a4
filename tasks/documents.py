"""One batch's documents on their way: read, cleaned and written in the child process that
runner.py watches, each with its record line and manifest row; any failure on the way becomes that
document's error record."""
from __future__ import annotations

import dataclasses
import errno
import os
import resource
import stat
import time
from pathlib import Path

from pipeline import InputError, clean_bytes, record
from pipeline.model import CleanResult
from pipeline.records import error_record

from .limits import TimeLimit, TimeLimitExceeded
from .corpora import read_member
from .manifest import STATE_DIR, error_kind
from .runner import Child
from .storage import jsonl_bytes, owner_token, write_atomic


def clean_in_child(input_dir: Path, out: Path, files: list[dict], config, fingerprint: str, time_limit: float,
                    indexes: list[int], child: Child) -> bool:
    """The child's work (runner.py): read, clean and write the documents in groups, sending each
    document's record line and manifest row. True when a document ran out of memory: the parent
    then goes on in a fresh process."""
    token = owner_token(out)  # the child's own: its temp files are swept if it is killed
    out_of_memory = False
    with TimeLimit(time_limit) as limit:
        for group in read_groups(input_dir, out, [(i, files[i]) for i in indexes], config.max_input_bytes, child):
            for doc in group:
                child.at(doc.index)
                clean_read(doc, config, limit)
                out_of_memory = out_of_memory or (doc.error or "").startswith("MemoryError")
            for doc in group:
                child.at(doc.index)
                row, stamps = write_cleaned(doc, token, out)
                child.send(doc.index, (jsonl_bytes([row]), manifest_row(doc.item, row, stamps, fingerprint)))
            if out_of_memory:
                break
    child.send(PEAK_RSS, peak_rss_mb())
    return out_of_memory


PEAK_RSS = -1  # the index under which a child sends its peak memory, once it is done


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM where Linux has it: unlike ru_maxrss it is not
    inherited across exec from the process that started luigi."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def manifest_row(item: dict, row: dict, stamps: tuple[int, int], fingerprint: str) -> dict:
    """The small per-document line that marks the work done (and feeds the summary); the batch's
    process adds the worker."""
    entry = {"source": item["source"], "output": item["output"], "size": stamps[0], "mtime_ns": stamps[1],
             "fingerprint": fingerprint, "status": row["status"], "cleaned_at": time.time_ns()}
    if row["status"] == "ok":
        entry["removals_by_rule"] = row["counts"]["removals_by_rule"]
        entry["removals_by_code"] = row["counts"]["removals_by_code"]
        entry["language"] = row["language"]
    else:
        entry["error"] = row["error"]
        kind, times = item.get("failed_before", ("", 0))
        same_input = [item["size"], item["mtime_ns"]] == list(stamps)
        entry["failures"] = times + 1 if same_input and kind == error_kind(row["error"]) else 1
    return entry


# A batch reads a group of documents, cleans them, then writes them: the cleaning runs without
# system calls between documents, with the caches warm for it. A group ends at 64 documents or
# 8 MB read, so memory stays bounded whatever the batch size.
GROUP_DOCUMENTS = 64
GROUP_BYTES = 8_000_000


@dataclasses.dataclass
class Document:
    """One document on its way through a batch: read, cleaned, written, or failed on the way."""

    index: int  # in the batch's list of files
    item: dict
    stamps: tuple[int, int]  # (size, mtime_ns) of the input as read; the plan's until then
    target: str | None = None
    data: bytes | None = None
    result: CleanResult | None = None
    error: str | None = None
    read: bool = False
    fields: dict | None = None  # a collection's document: its other JSON fields


def read_groups(input_dir: Path, out: Path, items: list[tuple[int, dict]], max_bytes: int, child: Child | None = None):
    """The batch's documents, read, in groups of GROUP_DOCUMENTS or GROUP_BYTES at most."""
    group: list[Document] = []
    size = 0
    root = os.path.realpath(input_dir)
    for index, item in items:
        if child is not None:
            child.at(index)
        doc = read_document(input_dir, root, out, index, item, max_bytes)
        group.append(doc)
        size += len(doc.data or b"")
        if len(group) >= GROUP_DOCUMENTS or size >= GROUP_BYTES:
            yield group
            group, size = [], 0
    if group:
        yield group


def read_document(input_dir: Path, root: str, out: Path, index: int, item: dict, max_bytes: int) -> Document:
    doc = Document(index, item, (item["size"], item["mtime_ns"]))
    try:
        doc.target = safe_target(out, item["output"])
        if "container" in item:
            doc.data, doc.stamps, doc.fields = read_collection_member(input_dir, root, item, max_bytes)
        else:
            doc.data, doc.stamps = read_input(os.path.join(input_dir, item["source"]), max_bytes, root)
        doc.read = True
    except Exception as error:  # one bad document never stops the batch: it is recorded
        doc.error = f"{type(error).__name__}: {error}"
    return doc


def read_collection_member(input_dir: Path, root: str, item: dict, max_bytes: int) -> tuple[bytes, tuple[int, int], dict]:
    """A document of a collection file: its text or HTML, the file's stamps, its other fields."""
    if item.get("error"):
        raise InputError(item["error"])
    target = _inside(os.path.join(input_dir, item["container"]), root)
    info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file")
    data, _, fields = read_member(target, item["offset"], max_bytes, item["line"])
    return data, (info.st_size, info.st_mtime_ns), fields


def clean_read(doc: Document, config, limit: TimeLimit) -> None:
    """Clean a document that was read, under the batch's time limit (entered)."""
    if doc.error is not None:
        return
    try:
        limit.start()
        try:
            doc.result = clean_bytes(doc.data, kind=doc.item["kind"], config=config)
        finally:
            limit.stop()
    except (Exception, TimeLimitExceeded) as error:
        doc.error = f"{type(error).__name__}: {error}"
        if isinstance(error, MemoryError):
            doc.error = "MemoryError: cleaning needed more memory than the limit per document"
    doc.data = None  # the group holds results, not inputs too


def write_cleaned(doc: Document, token: str, out: Path) -> tuple[dict, tuple[int, int]]:
    """Write a cleaned document's text; any failure on its way becomes an error record. Returns
    the record and the (size, mtime_ns) of the input as read (the plan's when it could not be
    read). Paths are plain strings here: this runs once per document."""
    item = doc.item
    if doc.error is None:
        try:
            text = doc.result.text.encode("utf-8")
            if not _same_content(doc.target, text):  # an unchanged output is not rewritten
                write_atomic(doc.target, text, token, durable=False)
        except Exception as error:
            doc.error = f"{type(error).__name__}: {error}"
    if doc.error is not None:
        return failure_record(item, doc.error, doc.stamps, doc.read, out)
    row = record(doc.result, _doc_id(item), item["source"], item["output"])
    if doc.fields is not None:
        row["fields"] = doc.fields
        for key in ("url", "date"):  # what the collection says, where the page itself says nothing
            if row[key] is None and isinstance(doc.fields.get(key), str):
                row[key] = doc.fields[key]
    return row, doc.stamps


def failure_record(item: dict, error: str, stamps: tuple[int, int], read: bool, out: Path) -> tuple[dict, tuple[int, int]]:
    """The error record of a document, and its old output removed if that came from other input."""
    row = error_record(error, _doc_id(item), item["source"])
    if read and item.get("last_ok") != list(stamps):
        try:
            if _drop_stale(safe_target(out, item["output"])):
                row["stale_output"] = "removed (it was made from an older version of the input)"
        except ValueError:
            pass
    return row, stamps


def _doc_id(item: dict) -> str:
    """The document's id: its output name without ".txt" (unique, as output names are); in a
    collection, "<file>#<id>"."""
    if "container" in item:
        return item["source"]
    output = item["output"]
    return output[: -len(".txt")] if output.endswith(".txt") else output


def safe_target(out: Path | str, relative: str) -> str:
    """The path of output ``relative`` under ``out``, refused if the name would lead outside the
    output folder or into its state folder."""
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if not parts or relative.startswith("/") or ".." in parts or parts[0] == STATE_DIR:
        raise ValueError(f"output name {relative!r} would leave the output folder")
    return os.path.join(out, *parts)


class LinkOutside(InputError):
    """A file link that leads out of the input folder."""


def _inside(path: Path | str, root: str) -> str:
    """``path`` resolved, refused if it leads out of ``root`` (the input folder, resolved)."""
    target = os.path.realpath(path)
    if not target.startswith(root.rstrip(os.sep) + os.sep):
        raise LinkOutside(f"a link that leads out of the input folder (to {target}); not read")
    return target


def read_input(path: Path | str, limit: int, root: str | None = None) -> tuple[bytes, tuple[int, int]]:
    """The bytes of a regular file, refused over ``limit``; never blocks on a FIFO or device.
    A file link is followed only to a file inside ``root`` (the input folder, resolved)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW)
    except OSError as error:
        if error.errno != errno.ELOOP:  # ELOOP: the name is a link
            raise
        fd = os.open(_inside(path, root) if root is not None else os.path.realpath(path), flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file")
        if info.st_size > limit:
            raise InputError(f"input is {info.st_size:,} bytes, over the limit of {limit:,}")
        parts, left = [], limit + 1
        while left > 0:  # a file can grow while it is read: read to its end, or just past the limit
            wanted = min(left, max(info.st_size + 1, 65536))
            part = os.read(fd, wanted)
            parts.append(part)
            left -= len(part)
            if len(part) < wanted:  # a short read of a regular file: its end
                break
    finally:
        os.close(fd)
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    if len(data) > limit:
        raise InputError(f"input grew past the limit of {limit:,} bytes while it was read")
    return data, (info.st_size, info.st_mtime_ns)


def _same_content(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _drop_stale(target: str | None) -> bool:
    """A failed document's old output came from other input: it goes, so no reader takes it for current."""
    if target is None:
        return False
    try:
        os.unlink(target)
    except FileNotFoundError:
        return False
    except OSError:  # a folder of that name, or no right to remove it: nothing of this document's
        return False
    return True
