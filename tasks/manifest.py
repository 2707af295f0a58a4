"""What the manifests say is done, and keeping one current record per document.

Each finished batch leaves ``manifest/<batch>.jsonl`` (one small row per document it cleaned) and
``records/<batch>.jsonl`` (the documents' records, in the same order). A document cleaned again
(its input or the configuration changed, or two runs overlapped) has rows in several batches: the
newest row (by ``cleaned_at``, then by batch name) is its current one. ``compact`` drops every
other row from the manifests and the records, and removes outputs that no current row names any
more; every run compacts when it plans and when it ends, so a run that was killed, or that raced
another, leaves at most what the next run removes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .storage import FileLock, jsonl_bytes, read_jsonl, write_atomic

STATE_DIR = "_newsclean"


class Latest(NamedTuple):
    """A document's newest manifest row, kept small: a run over 100,000 files holds 100,000."""

    size: int
    mtime_ns: int
    fingerprint: str
    ok: bool
    manifest: str  # the manifest file's name
    cleaned_at: int
    output: str
    last_good: tuple[int, int] | None  # (size, mtime_ns) of the input its current output came from
    error_kind: str  # of a failed row: the error's type ("FileNotFoundError")
    failures: int  # of a failed row: how many runs in a row failed the same way on this input


# A document that failed is cleaned again by the next run, once: a file that vanished or could not
# be read for a moment is worth another try; one that failed the same way twice is left until it
# changes (or --retry-failed).
RETRY_AFTER_FAILURES = 2


@dataclass
class Done:
    rows: dict[str, Latest] = field(default_factory=dict)
    stale_manifests: set[str] = field(default_factory=set)  # manifests that hold a superseded row
    stale_outputs: dict[str, int] = field(default_factory=dict)  # output name -> when it was superseded

    def state(self, source: str, size: int, mtime_ns: int, fingerprint: str, retry_failed: bool) -> str:
        """'ok', 'failed' (not to be retried) or 'todo'."""
        row = self.rows.get(source)
        if row is None or (row.size, row.mtime_ns, row.fingerprint) != (size, mtime_ns, fingerprint):
            return "todo"
        if row.ok:
            return "ok"
        return "todo" if retry_failed or row.failures < RETRY_AFTER_FAILURES else "failed"


def error_kind(error: str) -> str:
    """The type of a recorded error, "FileNotFoundError" of "FileNotFoundError: [Errno 2] ..."."""
    return error.partition(":")[0]


def load_done(output_dir: Path) -> Done:
    """Every document's newest row, and which manifests and outputs the other rows leave behind."""
    done = Done()
    folder = output_dir / STATE_DIR / "manifest"
    if not folder.is_dir():
        return done
    good: dict[str, tuple[int, int, int]] = {}  # source -> (cleaned_at, size, mtime_ns) of its newest good row
    for path in folder.glob("*.jsonl"):
        name = path.name
        try:
            rows = read_jsonl(path)
        except FileNotFoundError:  # compacted away by another run meanwhile
            continue
        for row in rows:
            source, at, ok = row["source"], row.get("cleaned_at", 0), row["status"] == "ok"
            if ok and at >= good.get(source, (-1,))[0]:
                good[source] = (at, row["size"], row["mtime_ns"])
            latest = Latest(row["size"], row["mtime_ns"], row["fingerprint"], ok, name, at, row.get("output", ""),
                            None, "" if ok else error_kind(row.get("error", "")), row.get("failures", 1))
            current = done.rows.get(source)
            if current is None:
                done.rows[source] = latest
                continue
            older, newer = sorted((current, latest), key=lambda r: (r.cleaned_at, r.manifest))
            done.rows[source] = newer
            done.stale_manifests.add(older.manifest)
            if older.output and older.output != newer.output:
                done.stale_outputs[older.output] = newer.cleaned_at
    for source, row in done.rows.items():  # manifests come in any order: the good stamps are joined last
        if source in good:
            done.rows[source] = row._replace(last_good=good[source][1:])
    for row in done.rows.values():  # an output another document now writes is no one's leftover
        done.stale_outputs.pop(row.output, None)
    return done


def compact(output_dir: Path, token: str, done: Done | None = None) -> int:
    """Drop every superseded row from the manifests and records, and remove outputs no current row
    names; return how many rows went. A manifest left with no rows stays, empty (its batch stays
    done), and its batch loses its plan and records."""
    done = done if done is not None else load_done(output_dir)
    if not done.stale_manifests and not done.stale_outputs:
        return 0
    state = output_dir / STATE_DIR
    lock = state / "compact.lock"
    lock.touch()
    dropped = 0
    with FileLock(lock):
        for name in sorted(done.stale_manifests):
            dropped += _compact_batch(state, name[: -len(".jsonl")], done, token)
        for output, superseded_at in done.stale_outputs.items():
            _remove_leftover(output_dir, output, superseded_at)
    return dropped


def _compact_batch(state: Path, batch_id: str, done: Done, token: str) -> int:
    manifest_path = state / "manifest" / f"{batch_id}.jsonl"
    try:
        rows = read_jsonl(manifest_path)
    except FileNotFoundError:
        return 0
    name = manifest_path.name

    def current(row: dict) -> bool:
        latest = done.rows.get(row["source"])  # rows newer than what load_done saw stay: only older ones go
        return latest is None or (row.get("cleaned_at", 0), name) >= (latest.cleaned_at, latest.manifest)

    keep = [row for row in rows if current(row)]
    if len(keep) == len(rows):
        return 0
    records_path = state / "records" / f"{batch_id}.jsonl"
    # records first: killed in between, the manifest still lists the rows, and the next run drops them again
    if keep:
        sources = {row["source"] for row in keep}
        try:
            write_atomic(records_path, jsonl_bytes(r for r in read_jsonl(records_path) if r["source"] in sources), token)
        except FileNotFoundError:
            pass
    else:
        for path in (records_path, state / "plans" / f"{batch_id}.json"):
            _unlink(path)
    write_atomic(manifest_path, jsonl_bytes(keep), token)
    return len(rows) - len(keep)


def _remove_leftover(output_dir: Path, output: str, superseded_at: int) -> None:
    """An output that its document no longer writes (it is written under another name now). Left
    alone if it was written after its document moved on: another document may be writing it."""
    parts = [part for part in output.split("/") if part not in ("", ".", "..")]
    if not parts or parts[0] == STATE_DIR:
        return
    path = output_dir.joinpath(*parts)
    try:
        if path.is_file() and not path.is_symlink() and path.stat().st_mtime_ns <= superseded_at:
            path.unlink()
    except OSError:
        pass


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def remove_orphan_records(output_dir: Path, live_batches: set[str]) -> int:
    """Records files without a manifest whose batch no live process holds: a batch killed between
    writing its records and its manifest. Its documents are cleaned again; these rows must go."""
    state = output_dir / STATE_DIR
    removed = 0
    try:
        names = os.listdir(state / "records")
    except FileNotFoundError:
        return 0
    for name in names:
        batch_id = name[: -len(".jsonl")]
        if (name.endswith(".jsonl") and batch_id not in live_batches
                and not (state / "manifest" / name).exists()):
            _unlink(state / "records" / name)
            removed += 1
    return removed
