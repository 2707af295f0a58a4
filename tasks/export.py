"""``newsclean export OUT``: the current records of an output folder as one corpus file or shards,
in a fixed schema that `datasets`, pandas, DuckDB and datatrove read as they are (JSON Lines, or
Parquet through pyarrow, the ``parquet`` extra). One row per document, the newest record of each;
per-rule and per-code counts are lists of entries, so every row has the same columns.

    newsclean export OUT [--format jsonl|parquet] [--shard-size N] [--to DIR]
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Iterator

from .manifest import STATE_DIR, load_done
from .storage import AtomicWriter, jsonl_bytes, read_jsonl

# The columns, in order, and what each holds (docs: README, Output).
COLUMNS = (
    "id", "source", "output", "status", "error", "kind", "encoding", "language", "language_confidence",
    "title", "url", "author", "date", "fields", "text", "text_sha256", "removals", "restored", "repairs", "warnings",
    "removals_by_rule", "removals_by_code", "input_bytes", "chars_in", "chars_out", "paragraphs_out",
    "paragraphs_recovered", "lists_restored",
)
_COUNTS = ("input_bytes", "chars_in", "chars_out", "paragraphs_out", "paragraphs_recovered", "lists_restored")


def row_of(record: dict) -> dict:
    """A record in the export schema: every column, null where the record has none."""
    counts = record.get("counts", {})
    row = {column: record.get(column) for column in COLUMNS if column not in _COUNTS}
    for name in ("removals", "restored", "repairs", "warnings"):
        row[name] = row[name] or []
    row["removals_by_rule"] = [{"rule": k, "count": v} for k, v in counts.get("removals_by_rule", {}).items()]
    row["removals_by_code"] = [{"code": k, "count": v} for k, v in counts.get("removals_by_code", {}).items()]
    for name in _COUNTS:
        row[name] = counts.get(name)
    # a collection's other fields vary from corpus to corpus: one JSON text keeps the columns fixed
    row["fields"] = None if record.get("fields") is None else json.dumps(record["fields"], ensure_ascii=False)
    return {column: row[column] for column in COLUMNS}


def current_records(output_dir: Path) -> Iterator[dict]:
    """The newest record of each document (compaction keeps one; a run that was killed may have
    left an older one beside it until the next run: it is skipped here)."""
    done = load_done(output_dir)
    folder = output_dir / STATE_DIR / "records"
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else ():
        for record in read_jsonl(path):
            latest = done.rows.get(record["source"])
            if latest is None or latest.manifest == path.name:
                yield record


def export(output_dir: Path, to: Path, fmt: str = "jsonl", shard_size: int = 0) -> list[Path]:
    """Write the corpus; return the files written (whole or not at all, each)."""
    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"format must be jsonl or parquet, not {fmt!r}")
    if not (output_dir / STATE_DIR).is_dir():
        raise FileNotFoundError(f"{output_dir} holds no newsclean records (no {STATE_DIR}/ folder)")
    rows = [row_of(record) for record in current_records(output_dir)]
    size = shard_size if shard_size > 0 else max(1, len(rows))
    shards = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
    to.mkdir(parents=True, exist_ok=True)
    written = []
    for number, shard in enumerate(shards):
        name = "corpus" if len(shards) == 1 else f"corpus-{number:05d}-of-{len(shards):05d}"
        path = to / f"{name}.{fmt}"
        _write_parquet(path, shard) if fmt == "parquet" else _write_jsonl(path, shard)
        written.append(path)
    return written


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with AtomicWriter(path) as out:
        out.write(jsonl_bytes(rows))
        out.commit()


def _write_parquet(path: Path, rows: list[dict]) -> None:
    try:
        import pyarrow as pa  # the parquet extra: only this format needs it
        import pyarrow.parquet as pq
    except ImportError:
        raise SystemExit("newsclean export --format parquet needs pyarrow: pip install 'newsclean[parquet]'") from None
    temp = path.with_name(f".newsclean-tmp-export-{os.getpid()}-{path.name}")
    pq.write_table(pa.Table.from_pylist(rows, schema=_schema(pa)), temp)
    os.replace(temp, path)


def _schema(pa):
    counted = lambda key: pa.list_(pa.struct([(key, pa.string()), ("count", pa.int64())]))  # noqa: E731
    return pa.schema([
        ("id", pa.string()), ("source", pa.string()), ("output", pa.string()), ("status", pa.string()),
        ("error", pa.string()), ("kind", pa.string()), ("encoding", pa.string()), ("language", pa.string()),
        ("language_confidence", pa.float64()), ("title", pa.string()), ("url", pa.string()),
        ("author", pa.string()), ("date", pa.string()), ("fields", pa.string()), ("text", pa.string()), ("text_sha256", pa.string()),
        ("removals", pa.list_(pa.struct([("rule", pa.string()), ("code", pa.string()), ("reason", pa.string()),
                                         ("text", pa.string()), ("lines", pa.list_(pa.int64())),
                                         ("lines_of", pa.string())]))),
        ("restored", pa.list_(pa.struct([("kind", pa.string()), ("text", pa.string())]))),
        ("repairs", pa.list_(pa.struct([("fixer", pa.string()), ("count", pa.int64())]))),
        ("warnings", pa.list_(pa.string())),
        ("removals_by_rule", counted("rule")), ("removals_by_code", counted("code")),
        *[(name, pa.int64()) for name in _COUNTS],
    ])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="newsclean export", description="Write the current records of OUT as a corpus.")
    parser.add_argument("output_dir", metavar="OUT", type=Path, help="a folder newsclean has written (--output-dir)")
    parser.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    parser.add_argument("--shard-size", type=int, default=0, metavar="N", help="documents per file (0: one file)")
    parser.add_argument("--to", type=Path, help="folder for the files (default: OUT/_newsclean/export)")
    args = parser.parse_args(argv)
    try:
        files = export(args.output_dir, args.to or args.output_dir / STATE_DIR / "export", args.format, args.shard_size)
    except (OSError, ValueError) as error:
        print(f"newsclean export: {error}", flush=True)
        return 2
    for path in files:
        print(path)
    return 0

