"""Planning a run: find the input files, drop those already clean, cut the rest into batches.

State lives in the output folder, beside the text files:

    OUT/_newsclean/plans/<batch>.json       the files of one batch and the config to clean them with
    OUT/_newsclean/records/<batch>.jsonl    one record per document of the batch
    OUT/_newsclean/manifest/<batch>.jsonl   written last: the batch is done (source, size, mtime, fingerprint)

A file is up to date when some manifest lists it with its current size, mtime and the current
config fingerprint. Batch ids hash the batch's files, their stamps and the fingerprint, so every
planner that sees the same folder makes the same batches.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .storage import read_jsonl, write_atomic

STATE_DIR = "_newsclean"
SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class InputFile:
    source: str  # path relative to the input dir, POSIX separators
    size: int
    mtime_ns: int

    @property
    def kind(self) -> str:
        return SUFFIXES[Path(self.source).suffix.lower()]


@dataclass(frozen=True)
class Plan:
    batches: tuple[tuple[str, tuple[dict, ...]], ...]  # (batch id, items)
    up_to_date: int
    total: int


def state_path(output_dir: Path, part: str, batch_id: str) -> Path:
    suffix = ".json" if part == "plans" else ".jsonl"
    return output_dir / STATE_DIR / part / f"{batch_id}{suffix}"


def scan(input_dir: Path, output_dir: Path) -> list[InputFile]:
    """Every *.txt, *.html, *.htm under input_dir (not following directory links), sorted."""
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input dir {input_dir} does not exist or is not a directory")
    skip = output_dir.resolve()
    if skip == input_dir.resolve():
        raise ValueError(f"output dir {output_dir} is the input dir: outputs would overwrite inputs")
    found: list[InputFile] = []
    for root, dirs, files in os.walk(input_dir):
        dirs[:] = sorted(d for d in dirs if (Path(root) / d).resolve() != skip)
        for name in files:
            if Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = Path(root) / name
            try:
                stat = path.stat()
            except OSError:
                continue  # vanished or a dangling link: not an input any more
            found.append(InputFile(path.relative_to(input_dir).as_posix(), stat.st_size, stat.st_mtime_ns))
    found.sort(key=lambda f: f.source)
    return found


def output_names(files: list[InputFile]) -> dict[str, str]:
    """RAW/a/b.txt -> a/b.txt and RAW/a/b.html -> a/b.txt; when two inputs would share a name
    (a/b.txt beside a/b.html), the one that is not a plain ``.txt`` keeps its suffix: a/b.html.txt."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    plain = [f for f in files if f.source.endswith(".txt")]
    others = [f for f in files if not f.source.endswith(".txt")]
    for f in plain + others:
        name = f.source[: -len(Path(f.source).suffix)] + ".txt"
        if name in taken:
            name = f.source + ".txt"
        taken.add(name)
        names[f.source] = name
    return names


def load_done(output_dir: Path) -> set[tuple[str, int, int, str]]:
    """(source, size, mtime_ns, fingerprint) of every document some finished batch handled."""
    done = set()
    folder = output_dir / STATE_DIR / "manifest"
    if not folder.is_dir():
        return done
    for path in folder.glob("*.jsonl"):
        for row in read_jsonl(path):
            done.add((row["source"], row["size"], row["mtime_ns"], row["fingerprint"]))
    return done


def make_plan(input_dir: Path, output_dir: Path, config: dict, fingerprint: str, batch_size: int) -> Plan:
    files = scan(input_dir, output_dir)
    done = load_done(output_dir)
    names = output_names(files)
    todo = [f for f in files if (f.source, f.size, f.mtime_ns, fingerprint) not in done]
    batches = []
    for start in range(0, len(todo), batch_size):
        chunk = todo[start : start + batch_size]
        items = tuple(
            {"source": f.source, "output": names[f.source], "kind": f.kind, "size": f.size, "mtime_ns": f.mtime_ns}
            for f in chunk
        )
        batch_id = _batch_id(input_dir, fingerprint, items)
        _write_plan(output_dir, batch_id, input_dir, config, fingerprint, items)
        batches.append((batch_id, items))
    return Plan(tuple(batches), up_to_date=len(files) - len(todo), total=len(files))


def load_plan(output_dir: Path, batch_id: str) -> dict:
    with open(state_path(output_dir, "plans", batch_id), encoding="utf-8", errors="surrogateescape") as handle:
        return json.load(handle)


def _batch_id(input_dir: Path, fingerprint: str, items: tuple[dict, ...]) -> str:
    payload = json.dumps([str(input_dir.resolve()), fingerprint, items], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _write_plan(output_dir, batch_id, input_dir, config, fingerprint, items) -> None:
    path = state_path(output_dir, "plans", batch_id)
    if path.exists():
        return  # same id, same content: another planner wrote it already
    plan = {"batch": batch_id, "input_dir": str(input_dir.resolve()), "fingerprint": fingerprint,
            "config": config, "files": list(items)}
    write_atomic(path, json.dumps(plan, ensure_ascii=True).encode("ascii"))
