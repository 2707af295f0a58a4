"""Claims: no document is cleaned twice by runs that overlap.

Two runs over one folder (two commands, two machines, a scraper adding files between their plans)
cut different batches, so a lock per batch cannot keep them apart. Before a batch cleans, it takes
its documents under one lock for the whole output folder: it leaves out those that a live batch of
another run holds, and those that a manifest written since its plan lists as cleaned from the same
input with the same configuration; then it writes what it holds to ``claims/<batch>.json``. The
claim names the process's owner token (storage.py), so a claim of a process that died is void;
it is removed once the batch's manifest is written.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .manifest import STATE_DIR, remove_orphan_records
from .storage import OWNERS, FileLock, owner_alive, write_atomic

# Manifests whose file changed this long before a plan was made are read too (clocks of machines
# that share a folder differ a little).
CLOCK_SLACK_SECONDS = 10


def _folder(output_dir: Path) -> Path:
    return output_dir / STATE_DIR / "claims"


def _lock(output_dir: Path) -> FileLock:
    path = output_dir / STATE_DIR / "claims.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return FileLock(path)


def live_claims(output_dir: Path, remove_dead: bool = True) -> dict[str, set[str]]:
    """batch id -> the sources it holds, for the batches of live processes (call under the lock)."""
    claims: dict[str, set[str]] = {}
    folder = _folder(output_dir)
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return claims
    for name in names:
        if not name.endswith(".json"):
            continue
        path = folder / name
        try:
            claim = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))
        except (OSError, ValueError):
            continue  # being replaced, or removed meanwhile
        if owner_alive(output_dir / OWNERS, claim["owner"]):
            claims[name[: -len(".json")]] = set(claim["sources"])
        elif remove_dead:
            path.unlink(missing_ok=True)
    return claims


def claim(output_dir: Path, batch_id: str, items: list[dict], fingerprint: str, planned_at: float,
          token: str, run: str) -> list[dict]:
    """The items this batch is to clean: its plan's, less those another run holds or has cleaned
    (``run``: the token its run's manifests name as their worker)."""
    with _lock(output_dir):
        held: set[str] = set()
        for other, sources in live_claims(output_dir).items():
            if other != batch_id:
                held |= sources
        cleaned = _cleaned_since(output_dir, planned_at - CLOCK_SLACK_SECONDS, fingerprint, run)
        mine = [item for item in items if item["source"] not in held
                and (item["source"], item["size"], item["mtime_ns"]) not in cleaned]
        payload = {"owner": token, "batch": batch_id, "sources": [item["source"] for item in mine]}
        write_atomic(_folder(output_dir) / f"{batch_id}.json",
                     json.dumps(payload, ensure_ascii=True).encode("ascii"), token, durable=False)
    return mine


def sweep(output_dir: Path) -> int:
    """Remove the claims of dead processes, and the records files their batches left without a
    manifest (killed between the two); return how many records files went."""
    with _lock(output_dir):
        return remove_orphan_records(output_dir, set(live_claims(output_dir)))


def release(output_dir: Path, batch_id: str) -> None:
    (_folder(output_dir) / f"{batch_id}.json").unlink(missing_ok=True)


def _cleaned_since(output_dir: Path, since: float, fingerprint: str, run: str) -> set[tuple[str, int, int]]:
    """(source, size, mtime_ns) of the inputs cleaned well (with ``fingerprint``) in manifests
    that other runs wrote since ``since``. A manifest of this run is known by its first row and
    not read further: the batches of one plan share no document, and a run of many batches would
    otherwise read all its earlier manifests again at every batch."""
    cleaned: set[tuple[str, int, int]] = set()
    try:
        entries = list(os.scandir(output_dir / STATE_DIR / "manifest"))
    except FileNotFoundError:
        return cleaned
    for entry in entries:
        try:
            if not entry.name.endswith(".jsonl") or entry.stat().st_mtime < since:
                continue
            with open(entry.path, "rb") as handle:
                first = handle.readline()
                if not first.strip() or json.loads(first).get("worker") == run:
                    continue
                rows = [json.loads(first)] + [json.loads(line) for line in handle if line.strip()]
        except FileNotFoundError:
            continue
        for row in rows:
            if row["status"] == "ok" and row["fingerprint"] == fingerprint:
                cleaned.add((row["source"], row["size"], row["mtime_ns"]))
    return cleaned
