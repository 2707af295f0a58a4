"""Planning a run: find the input files, drop those already clean, cut the rest into batches.

State lives in the output folder, beside the text files:

    OUT/_newsclean/corpus.json              a random id of this output folder (made once)
    OUT/_newsclean/plans/<batch>.json       the files of one batch and the config to clean them with
    OUT/_newsclean/records/<batch>.jsonl    one record per document of the batch (text, removals, ...)
    OUT/_newsclean/manifest/<batch>.jsonl   written last: the batch is done (one small row per document)
    OUT/_newsclean/claims/<batch>.json      the documents a running batch holds (see claims.py)
    OUT/_newsclean/owners/*.lock            held by live writers (see storage.py)

A file is up to date when its newest manifest row (manifest.py) lists it with its current size,
mtime and the current config fingerprint, and cleaned it; a failed row counts too once the same
input has failed the same way twice, unless the run retries failures.

Batches come out the same in every planner that looks at the same folder, so that runs on several
machines usually agree on the work (claims keep them apart where they do not). A batch ends after a file whose name hashes to 0 modulo the batch size (content-defined edges: a
new or changed file changes only its own batch, and finished batches do not shift the others),
or after three times the batch size. Batch ids hash the corpus id, the fingerprint and the items.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .manifest import STATE_DIR, Done, Latest, load_done
from .corpora import is_collection, member_output, members
from .storage import TEMP_PREFIX, owner_token, sync_written, write_atomic

SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}
MAX_BATCH_FACTOR = 3


@dataclass(frozen=True, slots=True)
class InputFile:
    source: str  # path relative to the input dir, POSIX separators; "<file>#<id>" in a collection
    size: int
    mtime_ns: int
    member: tuple | None = None  # in a collection (corpora.py): (file, line, offset, kind, error)

    @property
    def kind(self) -> str:
        return self.member[3] if self.member else SUFFIXES[os.path.splitext(self.source)[1].lower()]


@dataclass(frozen=True)
class Plan:
    batches: tuple[tuple[str, int, int], ...]  # (batch id, number of documents, bytes of input)
    up_to_date: int
    total: int
    failed_before: int  # failed earlier, input unchanged, not retried
    seconds: float = 0.0
    html_documents: int = 0  # of the documents to clean, those read as HTML
    skipped: tuple[tuple[str, int], ...] = ()  # files of other kinds: (suffix, count)


def state_path(output_dir: Path, part: str, batch_id: str) -> Path:
    suffix = ".json" if part == "plans" else ".jsonl"
    return output_dir / STATE_DIR / part / f"{batch_id}{suffix}"


def scan(input_dir: Path, output_dir: Path) -> list[InputFile]:
    """Every *.txt, *.html, *.htm under input_dir (not following directory links), and every
    document of its *.jsonl and *.jsonl.gz collections, sorted."""
    return [f for f, _ in walk(input_dir, output_dir)]


class FoldersRefused(ValueError):
    """The input and output folders cannot be used together (nothing was written)."""


def check_folders(input_dir: Path, output_dir: Path) -> None:
    """Refuse folders that would let outputs or state land on inputs: the same folder, or the input
    folder inside the output folder (its files would be overwritten or swept as temp files). An
    output folder inside the input folder is fine: the walk leaves it out."""
    if not input_dir.is_dir():
        raise FoldersRefused(f"input dir {input_dir} does not exist or is not a directory")
    source, target = input_dir.resolve(), output_dir.resolve()
    if source == target:
        raise FoldersRefused(f"output dir {output_dir} is the input dir: outputs would overwrite inputs")
    if target in source.parents:
        raise FoldersRefused(f"input dir {input_dir} is inside the output dir {output_dir}: "
                             "outputs and temp files would land among the inputs")


def walk(input_dir: Path, output_dir: Path, skipped: Counter | None = None,
         expansions: dict | None = None) -> Iterator[tuple[InputFile, str]]:
    """The input files with their output names, in the order of their relative paths, one folder
    listing in memory at a time (a run over 100,000 files never holds all of them). ``skipped``
    counts the files of other kinds, by suffix.

    A folder's files and subfolders are visited in the order of ``name`` and ``name + "/"``: every
    path inside a folder starts with that, so the walk gives the sorted order of whole paths.
    The folders are checked at the call, before the first file is asked for."""
    check_folders(input_dir, output_dir)
    return _walk_folder(input_dir, "", output_dir.resolve(), skipped if skipped is not None else Counter(),
                        expansions if expansions is not None else {})


def _walk_folder(input_dir: Path, prefix: str, skip: Path, skipped: Counter,
                 expansions: dict) -> Iterator[tuple[InputFile, str]]:
    files: list[InputFile] = []
    folders: list[str] = []
    try:
        entries = os.scandir(os.path.join(input_dir, prefix) if prefix else input_dir)
    except OSError:
        return  # unreadable or vanished folder: its files are not inputs this time
    with entries:
        for entry in entries:
            relative = f"{prefix}/{entry.name}" if prefix else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if Path(entry.path).resolve() != skip:
                        folders.append(relative)
                    continue
                suffix = os.path.splitext(entry.name)[1].lower()
                if suffix not in SUFFIXES and not is_collection(entry.name):
                    skipped[suffix or "(none)"] += 1
                    continue
                info = entry.stat()  # follows a file link (whether it leads out is checked when read)
            except OSError:
                # A dangling or looping link, or a file that vanished: still listed, so that
                # cleaning it records what is wrong (a vanished file records that it vanished).
                files.append(InputFile(relative, -1, -1))
                continue
            files.append(InputFile(relative, info.st_size, info.st_mtime_ns))
    order = sorted([(f.source, f) for f in files] + [(folder + "/", folder) for folder in folders])
    del files, folders
    for _, item in order:
        if isinstance(item, InputFile) and is_collection(item.source):
            yield from _members(input_dir, item, expansions)
        elif isinstance(item, InputFile):
            yield item, output_name(item.source)
        else:
            yield from _walk_folder(input_dir, item, skip, skipped, expansions)


def _members(input_dir: Path, collection: InputFile, expansions: dict) -> Iterator[tuple[InputFile, str]]:
    """The documents of a collection file, each an input of its own (corpora.py). ``expansions``
    (source -> [size, mtime_ns, members]: what the last plan read; "seen" holds this plan's)
    spares reading again a file that has not changed since the last plan read it."""
    own = output_name(collection.source)
    known = expansions.get(collection.source)
    if known is not None and known[:2] == [collection.size, collection.mtime_ns]:
        listed = [tuple(member) for member in known[2]]
    else:
        listed = list(members(os.path.join(input_dir, collection.source)))
    if collection.size >= 0:
        expansions.setdefault("seen", {})[collection.source] = [collection.size, collection.mtime_ns,
                                                                [list(m) for m in listed]]
    for doc_id, line, offset, kind, error in listed:
        member = (collection.source, line, offset, kind, error)
        yield (InputFile(f"{collection.source}#{doc_id}", collection.size, collection.mtime_ns, member),
               member_output(own, doc_id))


_ESCAPED_STEMS = (".txt", ".html", ".htm")
_TXT_FOLDER = re.compile(r"\.(?:txt|d)_*$", re.IGNORECASE)  # (".d": a collection's documents' folder)


def output_name(source: str) -> str:
    """The output path of an input path, the same whatever else the folder holds, and never the
    output of another input (nor a folder's name):

    - a ``.txt`` input keeps its name (``a/b.txt``), unless its name without ``.txt`` ends in
      ``.txt``, ``.html`` or ``.htm`` (``a/b.html.txt``): such a name gets ``.txt`` appended;
    - any other input gets ``.txt`` appended (``a/b.html`` -> ``a/b.html.txt``);
    - a folder whose name ends in ``.txt`` or ``.d`` (and any underscores) gets an underscore
      appended (``.d`` folders hold a collection's documents: corpora.py).

    Appending is one-to-one, and a kept name is never an appended one, so no two inputs share an
    output; file outputs all end in ``.txt`` and renamed folders never do."""
    *folders, name = source.split("/")
    stem, suffix = os.path.splitext(name)
    if suffix.lower() != ".txt" or stem.lower().endswith(_ESCAPED_STEMS):
        name += ".txt"
    return "/".join([f"{folder}_" if _TXT_FOLDER.search(folder) else folder for folder in folders] + [name])


def corpus_id(output_dir: Path) -> str:
    """The id of this output folder, made once by whichever planner comes first."""
    path = output_dir / STATE_DIR / "corpus.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # a temp name that the sweep of a later run removes if this process dies right here
        temp = path.with_name(f"{TEMP_PREFIX}{owner_token(output_dir)}-{secrets.token_hex(6)}")
        temp.write_text(json.dumps({"id": secrets.token_hex(8)}))
        try:
            os.link(temp, path)  # atomic create-if-absent: the first planner wins
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    return json.loads(path.read_text())["id"]


def chunk(files: Iterable[InputFile], batch_size: int) -> list[list[InputFile]]:
    """Content-defined batches of ``batch_size`` documents' work on average: a batch ends after a
    file whose name hashes to 0 modulo the batch size (an HTML page counts HTML_WEIGHT times: the
    modulus is the batch size over its weight), or once its work reaches MAX_BATCH_FACTOR times
    the batch size."""
    return [[f for f, _ in part] for part in chunks(((f, "") for f in files), batch_size)]


# An HTML page costs many times what a seed-sized text document does to clean (extraction): it
# counts 10 times in a batch, so that with the default batch size an HTML batch holds about 50
# pages (a few seconds of work), and a folder of a few hundred pages still makes several batches
# for --workers to share instead of one that a single worker cleans alone.
HTML_WEIGHT = 10


def chunks(pairs: Iterable[tuple[InputFile, str]], batch_size: int) -> Iterator[list[tuple[InputFile, str]]]:
    """``chunk`` for a stream of (file, output name): one batch in memory at a time."""
    current: list[tuple[InputFile, str]] = []
    work = 0
    html_modulus = max(1, batch_size // HTML_WEIGHT)
    for pair in pairs:
        current.append(pair)
        html = pair[0].kind == "html"
        work += HTML_WEIGHT if html else 1
        edge = int.from_bytes(hashlib.blake2b(pair[0].source.encode("utf-8", "surrogateescape"), digest_size=8).digest(), "big")
        if edge % (html_modulus if html else batch_size) == 0 or work >= MAX_BATCH_FACTOR * batch_size:
            yield current
            current = []
            work = 0
    if current:
        yield current


def make_plan(input_dir: Path, output_dir: Path, config: dict, fingerprint: str, batch_size: int,
              retry_failed: bool = False, done: Done | None = None) -> Plan:
    """List the input files, drop those already clean, and write a plan file per batch of the
    rest. The files stream through: memory holds one folder listing and one batch, plus one
    small row per document that some manifest lists (``done``, read here unless given)."""
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, not {batch_size}")
    planned_at = time.time()  # before the manifests are read: a batch reads those written since
    skipped: Counter[str] = Counter()
    expansions = load_expansions(output_dir)
    files = walk(input_dir, output_dir, skipped, expansions)  # checks the folders before anything is written
    done = done if done is not None else load_done(output_dir)
    corpus = corpus_id(output_dir)
    counts = {"total": 0, "failed_before": 0, "html": 0}

    def todo() -> Iterator[tuple[InputFile, str]]:
        for f, name in files:
            counts["total"] += 1
            state = done.state(f.source, f.size, f.mtime_ns, fingerprint, retry_failed)
            if state == "ok":
                continue
            if state == "failed":
                counts["failed_before"] += 1
                continue
            yield f, name

    token = owner_token(output_dir)
    batches = []
    for part in chunks(todo(), batch_size):
        items = tuple(_item(f, name, done.rows.get(f.source)) for f, name in part)
        counts["html"] += sum(item["kind"] == "html" for item in items)
        batch_id = _batch_id(corpus, fingerprint, items)
        _write_plan(output_dir, batch_id, config, fingerprint, items, token, planned_at)
        batches.append((batch_id, len(items), sum(max(f.size, 0) for f, _ in part)))
    save_expansions(output_dir, expansions.get("seen", {}), token)  # the files of this walk only
    if batches:
        sync_written()  # plans are on disk before any batch that reads them runs
    todo_count = sum(count for _, count, _ in batches)
    return Plan(tuple(batches), up_to_date=counts["total"] - todo_count - counts["failed_before"], total=counts["total"],
                failed_before=counts["failed_before"], html_documents=counts["html"],
                skipped=tuple(sorted(skipped.items())))


def _item(f: InputFile, output: str, row: Latest | None) -> dict:
    item = {"source": f.source, "output": output, "kind": f.kind, "size": f.size, "mtime_ns": f.mtime_ns}
    if f.member:
        item["container"], item["line"], item["offset"], _, error = f.member
        if error:
            item["error"] = error
    if row is None:
        return item
    if row.last_good is not None:
        item["last_ok"] = list(row.last_good)  # stamps of the input its current output was made from
    if not row.ok and (row.size, row.mtime_ns) == (f.size, f.mtime_ns):
        item["failed_before"] = [row.error_kind, row.failures]  # the same input failed so before
    return item


def _expansions_path(output_dir: Path) -> Path:
    return output_dir / STATE_DIR / "collections.json"


def load_expansions(output_dir: Path) -> dict:
    """What the last plan read in each collection file (a cache: lost or broken, files are read)."""
    try:
        loaded = json.loads(_expansions_path(output_dir).read_text(encoding="utf-8", errors="surrogateescape"))
    except (OSError, ValueError):
        return {}
    return {source: entry for source, entry in loaded.items() if isinstance(entry, list) and len(entry) == 3}


def save_expansions(output_dir: Path, expansions: dict, token: str) -> None:
    if expansions or _expansions_path(output_dir).exists():
        write_atomic(_expansions_path(output_dir), json.dumps(expansions, ensure_ascii=True).encode("ascii"), token,
                     durable=False)


def load_plan(output_dir: Path, batch_id: str) -> dict:
    with open(state_path(output_dir, "plans", batch_id), encoding="utf-8", errors="surrogateescape") as handle:
        return json.load(handle)


def _batch_id(corpus: str, fingerprint: str, items: tuple[dict, ...]) -> str:
    payload = json.dumps([corpus, fingerprint, items], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _write_plan(output_dir, batch_id, config, fingerprint, items, token, planned_at) -> None:
    path = state_path(output_dir, "plans", batch_id)
    if path.exists():
        return  # same id, same work: another planner wrote it already
    plan = {"batch": batch_id, "fingerprint": fingerprint, "config": config, "files": list(items),
            "planned_at": planned_at}
    write_atomic(path, json.dumps(plan, ensure_ascii=True).encode("ascii"), token, durable=False)
