"""The Luigi tasks: ``Clean`` plans a run and fans out to ``CleanBatch`` tasks, one per batch
of documents (never one per article), then sums up what happened."""
from __future__ import annotations

import atexit
import dataclasses
import errno
import functools
import json
import logging
import os
import resource
import secrets
import stat
import time
from collections import Counter
from pathlib import Path

import luigi

from pipeline import InputError, clean_bytes, record
from pipeline.model import CleanResult
from pipeline.records import error_record

from . import claims
from .limits import TimeLimit, TimeLimitExceeded
from .manifest import STATE_DIR, compact, error_kind, load_done
from .plan import Plan, check_folders, load_plan, make_plan, state_path
from .runner import Child, Failed, supervise
from .settings import MEMORY_LIMIT_MB, CleanSettings, clean_config, config_as_dict, config_from_dict
from .storage import AtomicWriter, FileLock, jsonl_bytes, owner_token, read_jsonl, sweep_temps, sync_written, write_atomic

log = logging.getLogger("luigi-interface")
RUN_ID = secrets.token_hex(6)  # this process's run (see Clean.run_id)


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
    memory_limit = luigi.IntParameter(default=MEMORY_LIMIT_MB, significant=False)
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
        # Two runs that cut the same batch wait for each other here, and the second then finds the
        # manifest written; runs that cut other batches are kept apart by claims (claims.py).
        with FileLock(state_path(out, "plans", self.batch_id)):
            if self.output().exists():
                return
            self._clean_batch(out)

    def _clean_batch(self, out: Path) -> None:
        started = time.monotonic()
        token = owner_token(out)
        plan = load_plan(out, self.batch_id)
        config = config_from_dict(plan["config"])
        files = claims.claim(out, self.batch_id, plan["files"], plan["fingerprint"], plan.get("planned_at", 0.0), token)
        manifest = []
        failed = 0
        last_report = 0.0
        peak_mb = 0.0  # of the processes that cleaned
        work = functools.partial(_clean_in_child, Path(self.input_dir), out, files, config, plan["fingerprint"],
                                 self.time_limit)
        with AtomicWriter(state_path(out, "records", self.batch_id), token) as records:
            for index, result in supervise(len(files), work, self.time_limit, self.memory_limit):
                if index == PEAK_RSS:
                    peak_mb = max(peak_mb, result)
                    continue
                if isinstance(result, Failed):
                    item = files[index]
                    row, stamps = failure_record(item, result.error, (item["size"], item["mtime_ns"]), read=True, out=out)
                    result = (jsonl_bytes([row]), manifest_row(item, row, stamps, plan["fingerprint"]))
                line, entry = result
                records.write(line)
                entry["worker"] = self.run_by or token
                manifest.append(entry)
                failed += entry["status"] != "ok"
                if time.monotonic() - last_report > 1.0 or len(manifest) == len(files):
                    last_report = time.monotonic()
                    self.set_progress_percentage(int(100 * len(manifest) / max(1, len(files))))
                    self.set_status_message(f"{len(manifest)}/{len(files)} documents cleaned, {failed} failed")
            sync_written()  # every text file is on disk before the manifest says the batch is done
            records.commit()
        write_atomic(state_path(out, "manifest", self.batch_id), jsonl_bytes(manifest), token)
        claims.release(out, self.batch_id)
        stats = {
            "batch": self.batch_id, "documents": len(files), "taken_by_other_runs": len(plan["files"]) - len(files),
            "failed": failed, "bytes_in": sum(max(r["size"], 0) for r in manifest),
            "seconds": round(time.monotonic() - started, 3), "peak_rss_mb": max(peak_mb, peak_rss_mb()), "worker": token,
            "finished_at": time.time(),
        }
        write_atomic(out / STATE_DIR / "batches" / f"{self.batch_id}.json", json.dumps(stats).encode(), token,
                     durable=False)


def _clean_in_child(input_dir: Path, out: Path, files: list[dict], config, fingerprint: str, time_limit: float,
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


def manifest_row(item: dict, row: dict, stamps: tuple[int, int], fingerprint: str) -> dict:
    """The small per-document line that marks the work done (and feeds the summary); the batch's
    process adds the worker."""
    entry = {"source": item["source"], "output": item["output"], "size": stamps[0], "mtime_ns": stamps[1],
             "fingerprint": fingerprint, "status": row["status"], "cleaned_at": time.time_ns()}
    if row["status"] == "ok":
        entry["removals_by_rule"] = row["counts"]["removals_by_rule"]
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
        doc.data, doc.stamps = read_input(os.path.join(input_dir, item["source"]), max_bytes, root)
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
    return record(doc.result, _doc_id(item), item["source"], item["output"]), doc.stamps


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
    """The document's id: its output name without ".txt" (unique, as output names are)."""
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


def read_input(path: Path | str, limit: int, root: str | None = None) -> tuple[bytes, tuple[int, int]]:
    """The bytes of a regular file, refused over ``limit``; never blocks on a FIFO or device.
    A file link is followed only to a file inside ``root`` (the input folder, resolved)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW)
    except OSError as error:
        if error.errno != errno.ELOOP:  # ELOOP: the name is a link
            raise
        target = os.path.realpath(path)
        if root is not None and not target.startswith(root.rstrip(os.sep) + os.sep):
            raise LinkOutside(f"a link that leads out of the input folder (to {target}); not read") from None
        fd = os.open(target, flags)
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


class Clean(CleanSettings, luigi.Task):
    """Clean every raw article under --input-dir into --output-dir, incrementally."""

    # Each command is a run of its own: the central scheduler keeps a finished task as done for a
    # while (stable_done_cooldown_secs), and a re-run under the same id would not be run at all.
    run_id = luigi.Parameter(default=RUN_ID, description="an id of this run (each process makes one up)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plan: Plan | None = None
        self._finished = False

    def plan(self) -> Plan:
        if self._plan is None:
            try:
                config = clean_config(self)
                started = time.monotonic()
                out = Path(self.output_dir)
                check_folders(Path(self.input_dir), out)  # before anything is written anywhere
                out.mkdir(parents=True, exist_ok=True)
                token = owner_token(out)
                swept = sweep_temps(out) + claims.sweep(out)
                done = load_done(out)
                compact(out, token, done)  # what killed or overlapping runs left behind
                plan = make_plan(Path(self.input_dir), out, config_as_dict(config), config.fingerprint(),
                                 self.batch_size, retry_failed=self.retry_failed, done=done)
            except (ValueError, OSError) as error:  # a bad folder, batch size or rule name
                raise RunRefused(f"run refused: {error}") from None
            self._plan = dataclasses.replace(plan, seconds=time.monotonic() - started)
            log.info("newsclean: planned %d batch(es) for %d file(s), %d up to date, in %.2fs (%d stale temp "
                     "file(s) removed)", len(plan.batches), plan.total, plan.up_to_date, self._plan.seconds, swept)
            _unfinished_runs.append((out, self.run_id, tuple(b for b, _, _ in plan.batches)))
        return self._plan

    def requires(self):
        plan = self.plan()  # first: a refused run writes nothing
        run_by = owner_token(Path(self.output_dir))
        if plan.html_documents and batches_fork():
            from pipeline.htmlextract import warm_up  # loads trafilatura: HTML runs only

            warm_up()  # here, in the process that forks the batches' processes
        return [CleanBatch(batch_id=batch_id, output_dir=self.output_dir, input_dir=self.input_dir,
                           time_limit=self.time_limit, memory_limit=self.memory_limit, run_by=run_by,
                           input_bytes=size)
                for batch_id, _, size in plan.batches]

    def complete(self):
        return self._finished

    def run(self):
        out = Path(self.output_dir)
        summary = self.summarise()
        compact(out, owner_token(out))
        self._finished = True
        print(format_summary(summary), flush=True)
        write_atomic(out / STATE_DIR / "last-run.json",
                     json.dumps(summary, indent=2, ensure_ascii=True).encode("ascii"), owner_token(out))
        if summary["failed"]:
            raise DocumentsFailed(
                f"{summary['failed']} document(s) failed; they are listed above and in "
                f"{out / STATE_DIR / 'last-run.json'}. Once fixed, changed files are cleaned "
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
        planned = sum(count for _, count, _ in plan.batches)
        return {"run_id": self.run_id, "input_dir": self.input_dir, "output_dir": self.output_dir, "cleaned": cleaned,
                "up_to_date": plan.up_to_date, "failed": failed, "failed_before": plan.failed_before,
                "taken_by_other_runs": planned - cleaned - failed, "skipped": dict(plan.skipped),
                "failures": failures, "removals_by_rule": dict(sorted(by_rule.items())),
                "documents_by_worker": dict(sorted(by_worker.items())), "planning_seconds": round(plan.seconds, 3)}


class RunRefused(ValueError):
    """The run cannot start (bad folders or parameters); nothing was written."""


# Runs planned in this process: (output folder, run id, batch ids). A run whose Clean did not run
# here (its last batches were cleaned by another process through the central scheduler) says so.
_unfinished_runs: list[tuple[Path, str, tuple[str, ...]]] = []


@atexit.register
def _say_if_another_process_finishes() -> None:
    for out, run_id, batches in _unfinished_runs:
        try:
            last = json.loads((out / STATE_DIR / "last-run.json").read_text())
        except (OSError, ValueError):
            last = {}
        if last.get("run_id") == run_id:
            continue
        missing = {b for b in batches if not state_path(out, "manifest", b).exists()}
        if missing and not missing & set(claims.live_claims(out, remove_dead=False)):
            continue  # a batch failed here: Luigi has said so
        print(f"newsclean: the last batches of this run were cleaned by another process, whose run writes the "
              f"summary; run again for a summary of {out}", flush=True)


class _OneLine(logging.Filter):
    """Expected outcomes (documents failed, a run refused) as one line, not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, (DocumentsFailed, RunRefused)):
            record.msg, record.args, record.exc_info, record.exc_text = f"newsclean: {error}", (), None, None
        elif isinstance(record.msg, str) and record.msg.startswith("Will not run") and "RunRefused: " in record.msg:
            record.msg, record.args = "newsclean: " + record.msg.rpartition("RunRefused: ")[2].strip(), ()
        return True


log.addFilter(_OneLine())


def format_summary(summary: dict) -> str:
    lines = [f"newsclean: {summary['cleaned']} cleaned, {summary['up_to_date']} up to date, {summary['failed']} failed"]
    if summary["failed_before"]:
        lines[0] += f" ({summary['failed_before']} failed before and unchanged: --retry-failed cleans them again)"
    if summary["removals_by_rule"]:
        lines.append("  removals: " + ", ".join(f"{k} {v}" for k, v in summary["removals_by_rule"].items()))
    if len(summary["documents_by_worker"]) > 1:
        lines.append("  by worker: " + ", ".join(f"{k} {v}" for k, v in summary["documents_by_worker"].items()))
    if summary["taken_by_other_runs"]:
        lines.append(f"  {summary['taken_by_other_runs']} document(s) of this run's plan were cleaned by another run")
    if summary["skipped"]:
        kinds = ", ".join(f"{suffix} {count}" for suffix, count in summary["skipped"].items())
        lines.append(f"  skipped: {sum(summary['skipped'].values())} file(s) of other kinds ({kinds}); "
                     "inputs are *.txt, *.html, *.htm")
    for failure in summary["failures"][:20]:
        lines.append(f"  failed: {failure['source']}: {failure['error']}")
    if len(summary["failures"]) > 20:
        lines.append(f"  ... and {len(summary['failures']) - 20} more failures (see _newsclean/last-run.json)")
    return "\n".join(lines)
