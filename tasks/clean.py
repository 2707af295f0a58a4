"""The Luigi tasks: ``Clean`` plans a run and fans out to ``CleanBatch`` tasks, one per batch
of documents (never one per article), then sums up what happened."""
from __future__ import annotations

import atexit
import dataclasses
import functools
import json
import logging
import secrets
import time
from collections import Counter
from pathlib import Path

import luigi
from luigi.interface import core
from luigi.worker import worker

from . import claims, progress
from .report import write_report
from .documents import PEAK_RSS, clean_in_child, failure_record, manifest_row, peak_rss_mb
from .manifest import STATE_DIR, compact, load_done
from .plan import Plan, check_folders, load_plan, make_plan, state_path
from .runner import Failed, supervise
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
            try:
                self._clean_batch(out)
            finally:  # after the manifest, or after a failure of the batch itself: others may take them
                claims.release(out, self.batch_id)
                progress.forget(out, self.batch_id)

    def _clean_batch(self, out: Path) -> None:
        started = time.monotonic()
        token = owner_token(out)
        plan = load_plan(out, self.batch_id)
        config = config_from_dict(plan["config"])
        files = claims.claim(out, self.batch_id, plan["files"], plan["fingerprint"], plan.get("planned_at", 0.0), token,
                             self.run_by or token)
        manifest = []
        failed = 0
        last_report = 0.0
        peak_mb = 0.0  # of the processes that cleaned
        work = functools.partial(clean_in_child, Path(self.input_dir), out, files, config, plan["fingerprint"],
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
                    progress.report(out, self.batch_id, len(manifest) + len(plan["files"]) - len(files), token)
            sync_written()  # every text file is on disk before the manifest says the batch is done
            records.commit()
        write_atomic(state_path(out, "manifest", self.batch_id), jsonl_bytes(manifest), token)
        stats = {
            "batch": self.batch_id, "documents": len(files), "taken_by_other_runs": len(plan["files"]) - len(files),
            "failed": failed, "bytes_in": sum(max(r["size"], 0) for r in manifest),
            "seconds": round(time.monotonic() - started, 3), "peak_rss_mb": max(peak_mb, peak_rss_mb()), "worker": token,
            "finished_at": time.time(),
        }
        write_atomic(out / STATE_DIR / "batches" / f"{self.batch_id}.json", json.dumps(stats).encode(), token,
                     durable=False)


def batches_fork() -> bool:
    """Whether Luigi runs each batch in a process forked from this one (Luigi's own conditions:
    more than one worker, ``force_multiprocessing``, or a worker timeout). Only then is it worth
    warming trafilatura up front; in one process it warms itself on first use, once, and a run
    whose pages never need its jusText fallback never builds the stop list. In doubt: yes.
    (Read from the command line and luigi.cfg; ``luigi.build(..., workers=N)`` passes its
    settings around them, and its forked batches then build the list where a page needs it,
    which is only slower.)"""
    try:
        settings = worker()
        return (core().workers > 1 or settings.force_multiprocessing or bool(settings.timeout)
                or CleanBatch.worker_timeout is not None)
    except Exception:  # Luigi's settings moved: warm up (in doubt: yes)
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
        self._progress: progress.ProgressLine | None = None

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
            self._progress = progress.start(out, plan.batches)  # on a terminal only
        return self._plan

    def requires(self):
        plan = self.plan()  # first: a refused run writes nothing
        run_by = owner_token(Path(self.output_dir))
        if plan.html_documents and batches_fork():
            from pipeline.html.adapter import warm_up  # loads trafilatura: HTML runs only

            warm_up()  # here, in the process that forks the batches' processes
        return [CleanBatch(batch_id=batch_id, output_dir=self.output_dir, input_dir=self.input_dir,
                           time_limit=self.time_limit, memory_limit=self.memory_limit, run_by=run_by,
                           input_bytes=size)
                for batch_id, _, size in plan.batches]

    def complete(self):
        return self._finished

    def run(self):
        out = Path(self.output_dir)
        if self._progress is not None:
            self._progress.stop()
        summary = self.summarise()
        compact(out, owner_token(out))
        self._finished = True
        print(format_summary(summary), flush=True)
        write_atomic(out / STATE_DIR / "last-run.json",
                     json.dumps(summary, indent=2, ensure_ascii=True).encode("ascii"), owner_token(out))
        write_report(out, summary, [batch_id for batch_id, _, _ in self.plan().batches], owner_token(out))
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
        by_code: Counter[str] = Counter()
        by_worker: Counter[str] = Counter()
        by_language: Counter[str] = Counter()
        failures = []
        for batch_id, *_ in plan.batches:
            for row in read_jsonl(state_path(out, "manifest", batch_id)):
                by_worker[row["worker"]] += 1
                if row["status"] == "ok":
                    cleaned += 1
                    by_rule.update(row["removals_by_rule"])
                    by_code.update(row.get("removals_by_code", {}))
                    by_language[row.get("language", "und")] += 1
                else:
                    failed += 1
                    failures.append({"source": row["source"], "error": row["error"]})
        planned = sum(count for _, count, _ in plan.batches)
        return {"run_id": self.run_id, "input_dir": self.input_dir, "output_dir": self.output_dir, "cleaned": cleaned,
                "up_to_date": plan.up_to_date, "failed": failed, "failed_before": plan.failed_before,
                "taken_by_other_runs": planned - cleaned - failed, "skipped": dict(plan.skipped),
                "failures": failures, "removals_by_rule": dict(sorted(by_rule.items())),
                "removals_by_code": dict(sorted(by_code.items())),
                "documents_by_language": dict(by_language.most_common()),
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
