"""The Luigi tasks: ``Clean`` plans a run and fans out to ``CleanBatch`` tasks, one per batch
of documents (never one per article), then sums up what happened."""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import resource
import stat
import time
from collections import Counter
from pathlib import Path

import luigi

from pipeline import InputError, clean_bytes, record
from pipeline.limits import TimeLimit, TimeLimitExceeded
from pipeline.model import CleanResult
from pipeline.records import error_record

from .plan import Plan, load_plan, make_plan, state_path
from .settings import CleanSettings, clean_config, config_as_dict, config_from_dict
from .storage import (
    FileLock,
    jsonl_bytes,
    owner_token,
    read_jsonl,
    sweep_temps,
    sync_written,
    write_atomic,
)

log = logging.getLogger("luigi-interface")


class DocumentsFailed(RuntimeError):
    """Some documents of the run could not be cleaned (they are listed in the summary)."""


class CleanBatch(luigi.Task):
    """Clean the documents listed in one plan file; done when its manifest exists.

    Only ``batch_id`` identifies the task: processes on several machines that mount the folders
    at different paths still agree on the task and the central scheduler runs it once.
    """

    batch_id = luigi.Parameter()
    output_dir = luigi.Parameter(significant=False)
    input_dir = luigi.Parameter(significant=False)
    time_limit = luigi.FloatParameter(default=60.0, significant=False)
    run_by = luigi.Parameter(default="", significant=False)  # the luigi process that planned it
    input_bytes = luigi.IntParameter(default=0, significant=False)  # the batch's size, for its priority

    @property
    def priority(self) -> int:
        """Bigger batches first (the scheduler runs higher priorities first): batch sizes vary, and
        a big batch started last would leave the other workers idle at the end of the run."""
        return self.input_bytes // 1024

    def output(self):
        return luigi.LocalTarget(str(state_path(Path(self.output_dir), "manifest", self.batch_id)))

    def run(self):
        out = Path(self.output_dir)
        # Two runs that share no scheduler may both reach this batch: the second waits here and
        # then finds the manifest written, so no document is cleaned twice.
        with FileLock(state_path(out, "plans", self.batch_id)):
            if self.output().exists():
                return
            self._clean_batch(out)

    def _clean_batch(self, out: Path) -> None:
        started = time.monotonic()
        token = owner_token(out)
        plan = load_plan(out, self.batch_id)
        config = config_from_dict(plan["config"])
        input_dir = Path(self.input_dir)
        files = plan["files"]
        records: list[bytes] = []  # each record as its JSON line: a batch may hold 1,500 of them
        manifest = []
        failed = 0
        last_report = 0.0
        number = 0
        with TimeLimit(self.time_limit) as limit:
            for group in read_groups(input_dir, out, files, config.max_input_bytes):
                for doc in group:
                    clean_read(doc, config, limit)
                for doc in group:
                    row, stamps = write_cleaned(doc, token)
                    records.append(jsonl_bytes([row]))
                    manifest.append(manifest_row(doc.item, row, stamps, plan["fingerprint"], self.run_by or token))
                    failed += row["status"] != "ok"
                number += len(group)
                if time.monotonic() - last_report > 1.0 or number == len(files):
                    last_report = time.monotonic()
                    self.set_progress_percentage(int(100 * number / len(files)))
                    self.set_status_message(f"{number}/{len(files)} documents cleaned, {failed} failed")
        sync_written()  # every text file is on disk before the manifest says the batch is done
        write_atomic(state_path(out, "records", self.batch_id), b"".join(records), token)
        write_atomic(state_path(out, "manifest", self.batch_id), jsonl_bytes(manifest), token)
        stats = {
            "batch": self.batch_id, "documents": len(files), "failed": failed,
            "bytes_in": sum(max(r["size"], 0) for r in manifest), "seconds": round(time.monotonic() - started, 3),
            "peak_rss_mb": peak_rss_mb(),
            "worker": token, "finished_at": time.time(),
        }
        write_atomic(out / "_newsclean" / "batches" / f"{self.batch_id}.json", json.dumps(stats).encode(), token,
                     durable=False)


def batches_fork() -> bool:
    """Whether Luigi runs each batch in a process forked from this one (Luigi's own conditions:
    more than one worker, ``force_multiprocessing``, or a worker timeout). Only then is it worth
    warming trafilatura up front; in one process it warms itself on first use, once, and a run
    whose pages never need its jusText fallback saves 0.1 to 0.3 s. In doubt: yes. (Read from the
    command line and luigi.cfg; ``luigi.build(..., workers=N)`` passes its settings around them,
    and its forked batches then build the list where a page needs it, which is only slower.)"""
    try:
        from luigi.interface import core
        from luigi.worker import worker

        settings = worker()
        return (core().workers > 1 or settings.force_multiprocessing or bool(settings.timeout)
                or CleanBatch.worker_timeout is not None)
    except Exception:  # Luigi's settings moved: warm up, as before
        return True


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


def manifest_row(item: dict, row: dict, stamps: tuple[int, int], fingerprint: str, worker: str) -> dict:
    """The small per-document line that marks the work done (and feeds the summary)."""
    entry = {"source": item["source"], "output": item["output"], "size": stamps[0], "mtime_ns": stamps[1],
             "fingerprint": fingerprint, "status": row["status"], "cleaned_at": time.time_ns(), "worker": worker}
    if row["status"] == "ok":
        entry["removals_by_rule"] = row["counts"]["removals_by_rule"]
    else:
        entry["error"] = row["error"]
    return entry


# A batch reads a group of documents, cleans them, then writes them: the cleaning runs without
# system calls between documents, with the caches warm for it (one worker over 10,000 seed-sized
# documents: 9% more documents a second than read, clean, write one at a time; median of four
# runs each, alternated). A group ends at 64 documents or 8 MB read, so memory stays bounded
# whatever the batch size.
GROUP_DOCUMENTS = 64
GROUP_BYTES = 8_000_000


@dataclasses.dataclass
class Document:
    """One document on its way through a batch: read, cleaned, written, or failed on the way."""

    item: dict
    stamps: tuple[int, int]  # (size, mtime_ns) of the input as read; the plan's until then
    target: str | None = None
    data: bytes | None = None
    result: CleanResult | None = None
    error: str | None = None
    read: bool = False


def read_groups(input_dir: Path, out: Path, items: list[dict], max_bytes: int):
    """The batch's documents, read, in groups of GROUP_DOCUMENTS or GROUP_BYTES at most."""
    group: list[Document] = []
    size = 0
    for item in items:
        doc = read_document(input_dir, out, item, max_bytes)
        group.append(doc)
        size += len(doc.data or b"")
        if len(group) >= GROUP_DOCUMENTS or size >= GROUP_BYTES:
            yield group
            group, size = [], 0
    if group:
        yield group


def read_document(input_dir: Path, out: Path, item: dict, max_bytes: int) -> Document:
    doc = Document(item, (item["size"], item["mtime_ns"]))
    try:
        doc.target = safe_target(out, item["output"])
        doc.data, doc.stamps = read_input(os.path.join(input_dir, item["source"]), max_bytes)
        doc.read = True
    except Exception as error:  # one bad document never stops the batch: it is recorded
        doc.error = f"{type(error).__name__}: {error}"
    return doc


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
    doc.data = None  # the group holds results, not inputs too


def write_cleaned(doc: Document, token: str) -> tuple[dict, tuple[int, int]]:
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
    doc_id = os.path.splitext(item["output"])[0]
    if doc.error is not None:
        row = error_record(doc.error, doc_id, item["source"], item["output"])
        if doc.read and item.get("last_ok") != list(doc.stamps) and _drop_stale(doc.target):
            row["stale_output"] = "removed (it was made from an older version of the input)"
        return row, doc.stamps
    return record(doc.result, doc_id, item["source"], item["output"]), doc.stamps


def safe_target(out: Path | str, relative: str) -> str:
    """The path of output ``relative`` under ``out``, refused if the name would lead outside the
    output folder or into its state folder."""
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if not parts or relative.startswith("/") or ".." in parts or parts[0] == "_newsclean":
        raise ValueError(f"output name {relative!r} would leave the output folder")
    return os.path.join(out, *parts)


def read_input(path: Path | str, limit: int) -> tuple[bytes, tuple[int, int]]:
    """The bytes of a regular file, refused over ``limit``; never blocks on a FIFO or device."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
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
    return True


class Clean(CleanSettings, luigi.Task):
    """Clean every raw article under --input-dir into --output-dir, incrementally."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plan: Plan | None = None
        self._finished = False

    def plan(self) -> Plan:
        if self._plan is None:
            config = clean_config(self)
            started = time.monotonic()
            out = Path(self.output_dir)
            out.mkdir(parents=True, exist_ok=True)
            swept = sweep_temps(out)
            plan = make_plan(Path(self.input_dir), out, config_as_dict(config), config.fingerprint(),
                             self.batch_size, retry_failed=self.retry_failed)
            self._plan = dataclasses.replace(plan, seconds=time.monotonic() - started)
            log.info("newsclean: planned %d batch(es) for %d file(s), %d up to date, in %.2fs (%d stale temp "
                     "file(s) removed)", len(plan.batches), plan.total, plan.up_to_date, self._plan.seconds, swept)
        return self._plan

    def requires(self):
        run_by = owner_token(Path(self.output_dir))
        if self.plan().html_documents and batches_fork():
            from pipeline.htmlextract import warm_up  # loads trafilatura: HTML runs only

            warm_up()  # here, in the process that forks the batches' processes
        return [CleanBatch(batch_id=batch_id, output_dir=self.output_dir, input_dir=self.input_dir,
                           time_limit=self.time_limit, run_by=run_by, input_bytes=size)
                for batch_id, _, size in self.plan().batches]

    def complete(self):
        return self._finished

    def run(self):
        summary = self.summarise()
        compact(Path(self.output_dir), self.plan())
        self._finished = True
        print(format_summary(summary), flush=True)
        write_atomic(Path(self.output_dir) / "_newsclean" / "last-run.json",
                     json.dumps(summary, indent=2, ensure_ascii=True).encode("ascii"), owner_token(Path(self.output_dir)))
        if summary["failed"]:
            raise DocumentsFailed(
                f"{summary['failed']} document(s) failed; they are listed above and in "
                f"{Path(self.output_dir) / '_newsclean' / 'last-run.json'}. Once fixed, changed files are cleaned "
                "by the next run; unchanged ones with --retry-failed."
            )

    def summarise(self) -> dict:
        out = Path(self.output_dir)
        plan = self.plan()
        cleaned = failed = 0
        by_rule: Counter[str] = Counter()
        by_worker: Counter[str] = Counter()
        failures = []
        for batch_id, *_ in plan.batches:
            for row in read_jsonl(state_path(out, "manifest", batch_id)):
                by_worker[row["worker"]] += 1
                if row["status"] == "ok":
                    cleaned += 1
                    by_rule.update(row["removals_by_rule"])
                else:
                    failed += 1
                    failures.append({"source": row["source"], "error": row["error"]})
        return {"input_dir": self.input_dir, "output_dir": self.output_dir, "cleaned": cleaned,
                "up_to_date": plan.up_to_date, "failed": failed, "failed_before": plan.failed_before,
                "failures": failures, "removals_by_rule": dict(sorted(by_rule.items())),
                "documents_by_worker": dict(sorted(by_worker.items())), "planning_seconds": round(plan.seconds, 3)}


def compact(out: Path, plan: Plan) -> None:
    """Drop the rows that this run's batches superseded from older manifests and records, so that
    every document has one current record. A batch left with no rows keeps an empty manifest
    (it stays done) and loses its plan and records."""
    if not plan.stale:
        return
    latest: dict[str, int] = {}
    for batch_id, *_ in plan.batches:
        for row in read_jsonl(state_path(out, "manifest", batch_id)):
            latest[row["source"]] = max(latest.get(row["source"], 0), row["cleaned_at"])
    token = owner_token(out)
    lock = out / "_newsclean" / "compact.lock"
    lock.touch()
    with FileLock(lock):
        for name in plan.stale:
            batch_id = name[: -len(".jsonl")]
            manifest_path = state_path(out, "manifest", batch_id)
            try:
                rows = read_jsonl(manifest_path)
            except FileNotFoundError:
                continue
            keep = [r for r in rows if r.get("cleaned_at", 0) >= latest.get(r["source"], 0)
                    or r["source"] not in latest]
            if len(keep) == len(rows):
                continue
            sources = {r["source"] for r in keep}
            records_path = state_path(out, "records", batch_id)
            if keep:
                kept_records = [r for r in read_jsonl(records_path) if r["source"] in sources]
                write_atomic(records_path, jsonl_bytes(kept_records), token)
            else:
                for path in (records_path, state_path(out, "plans", batch_id)):
                    try:
                        path.unlink()
                    except FileNotFoundError:
                        pass
            write_atomic(manifest_path, jsonl_bytes(keep), token)


def format_summary(summary: dict) -> str:
    lines = [f"newsclean: {summary['cleaned']} cleaned, {summary['up_to_date']} up to date, {summary['failed']} failed"]
    if summary["failed_before"]:
        lines[0] += f" ({summary['failed_before']} failed before and unchanged: --retry-failed cleans them again)"
    if summary["removals_by_rule"]:
        lines.append("  removals: " + ", ".join(f"{k} {v}" for k, v in summary["removals_by_rule"].items()))
    if len(summary["documents_by_worker"]) > 1:
        lines.append("  by worker: " + ", ".join(f"{k} {v}" for k, v in summary["documents_by_worker"].items()))
    for failure in summary["failures"][:20]:
        lines.append(f"  failed: {failure['source']}: {failure['error']}")
    if len(summary["failures"]) > 20:
        lines.append(f"  ... and {len(summary['failures']) - 20} more failures (see _newsclean/last-run.json)")
    return "\n".join(lines)
