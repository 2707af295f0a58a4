"""The Luigi tasks: ``Clean`` plans a run and fans out to ``CleanBatch`` tasks, one per batch
of documents (never one per article), then sums up what happened."""
from __future__ import annotations

import json
import logging
import time
from collections import Counter
from pathlib import Path

import luigi

from pipeline import InputError, clean_bytes, record
from pipeline.records import error_record

from .plan import Plan, load_plan, make_plan, state_path
from .settings import CleanSettings, clean_config, config_as_dict, config_from_dict
from .storage import read_jsonl, write_atomic, write_jsonl_atomic

log = logging.getLogger("luigi-interface")


class CleanBatch(luigi.Task):
    """Clean the documents listed in one plan file; done when its manifest exists."""

    output_dir = luigi.Parameter()
    batch_id = luigi.Parameter()

    def output(self):
        return luigi.LocalTarget(str(state_path(Path(self.output_dir), "manifest", self.batch_id)))

    def run(self):
        out = Path(self.output_dir)
        plan = load_plan(out, self.batch_id)
        config = config_from_dict(plan["config"])
        input_dir = Path(plan["input_dir"])
        records, manifest = [], []
        files = plan["files"]
        last_report = 0.0
        for number, item in enumerate(files, start=1):
            row = clean_one(input_dir, out, item, config)
            records.append(row)
            manifest.append({"source": item["source"], "size": item["size"], "mtime_ns": item["mtime_ns"],
                             "fingerprint": plan["fingerprint"], "status": row["status"], "output": item["output"]})
            if time.monotonic() - last_report > 1.0 or number == len(files):
                last_report = time.monotonic()
                self.set_progress_percentage(int(100 * number / len(files)))
                self.set_status_message(f"{number}/{len(files)} documents cleaned")
        write_jsonl_atomic(state_path(out, "records", self.batch_id), records)
        write_jsonl_atomic(state_path(out, "manifest", self.batch_id), manifest)


def clean_one(input_dir: Path, out: Path, item: dict, config) -> dict:
    """Clean one document and write its text; any failure becomes an error record."""
    doc_id = item["output"][: -len(".txt")]
    try:
        path = input_dir / item["source"]
        size = path.stat().st_size
        if size > config.max_input_bytes:
            raise InputError(f"input is {size:,} bytes, over the limit of {config.max_input_bytes:,}")
        with open(path, "rb") as handle:
            data = handle.read(config.max_input_bytes + 1)
        result = clean_bytes(data, kind=item["kind"], config=config)
        write_atomic(out / item["output"], result.text.encode("utf-8"))
    except Exception as error:  # one bad document never stops the batch: it is recorded instead
        return error_record(f"{type(error).__name__}: {error}", doc_id, item["source"], item["output"])
    return record(result, doc_id, item["source"], item["output"])


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
            self._plan = make_plan(Path(self.input_dir), Path(self.output_dir), config_as_dict(config),
                                   config.fingerprint(), self.batch_size)
            log.info("newsclean: planned %d batch(es) for %d file(s), %d up to date, in %.2fs",
                     len(self._plan.batches), self._plan.total, self._plan.up_to_date, time.monotonic() - started)
        return self._plan

    def requires(self):
        return [CleanBatch(output_dir=self.output_dir, batch_id=batch_id) for batch_id, _ in self.plan().batches]

    def complete(self):
        return self._finished

    def run(self):
        summary = self.summarise()
        self._finished = True
        print(format_summary(summary), flush=True)
        write_atomic(Path(self.output_dir) / "_newsclean" / "last-run.json",
                     json.dumps(summary, indent=2, ensure_ascii=False).encode("utf-8", "surrogateescape"))

    def summarise(self) -> dict:
        out = Path(self.output_dir)
        cleaned = failed = 0
        by_rule: Counter[str] = Counter()
        failures = []
        for batch_id, _ in self.plan().batches:
            for row in read_jsonl(state_path(out, "records", batch_id)):
                if row["status"] == "ok":
                    cleaned += 1
                    by_rule.update(row["counts"]["removals_by_rule"])
                else:
                    failed += 1
                    failures.append({"source": row["source"], "error": row["error"]})
        return {"input_dir": self.input_dir, "output_dir": self.output_dir, "cleaned": cleaned,
                "up_to_date": self.plan().up_to_date, "failed": failed, "failures": failures,
                "removals_by_rule": dict(sorted(by_rule.items()))}


def format_summary(summary: dict) -> str:
    lines = [f"newsclean: {summary['cleaned']} cleaned, {summary['up_to_date']} up to date, {summary['failed']} failed"]
    if summary["removals_by_rule"]:
        lines.append("  removals: " + ", ".join(f"{k} {v}" for k, v in summary["removals_by_rule"].items()))
    for failure in summary["failures"][:20]:
        lines.append(f"  failed: {failure['source']}: {failure['error']}")
    if len(summary["failures"]) > 20:
        lines.append(f"  ... and {len(summary['failures']) - 20} more failures (see _newsclean/last-run.json)")
    return "\n".join(lines)
