"""Speed benchmark of the Luigi pipeline, end to end (not a test; figures go into BENCHMARKS.md).

    python benchmarks/speed.py                       # the full set (tens of minutes)
    python benchmarks/speed.py --text-docs 2000 --html-pages 60 --no-scale   # a smoke run
    python benchmarks/speed.py --text-docs 0 --no-scale --html-batch-size 200 # HTML only, smaller batches

It builds corpora under --workdir, runs ``luigi --module tasks Clean`` on them as a user would
(a new output folder per run, local scheduler, 1 and 2 worker processes) and prints:

- documents per second and input MB per second, end to end (process start to exit);
- planning time (from the run's summary) and planning time of 100,000 files on its own;
- peak memory per worker process (each batch records its process's peak RSS, VmHWM);
- for HTML, trafilatura alone on the same pages in the same run (read, extract, write), just
  before and just after newsclean's one-worker run; the ratio of a round is to their mean.

The timed runs go in rounds (``--repeat``, default 3): each round runs every configuration once,
so a ratio compares runs made within minutes of each other on a machine whose speed drifts.
Each round also prints two probes of the machine's speed at the time: creating a file, and
cleaning a seed in a process of its own.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
LUIGI = [sys.executable, "-c", "import sys; from luigi.cmdline import luigi_run; luigi_run(sys.argv[1:])"]


def build_text_corpus(folder: Path, count: int) -> None:
    """``count`` seed-sized articles: the two seeds under distinct names, each with one line that
    makes it a distinct document, spread over 100 day folders."""
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == str(count):
        return
    remove_and_settle(folder)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for n in range(count):
        head, _, body = seeds[n % 2].partition("\n\n")
        day = folder / f"2026-{n % 100:03d}"
        day.mkdir(parents=True, exist_ok=True)
        (day / f"{n:06d}.txt").write_text(f"{head}\n\nReport {n} was filed this morning, editors said.\n\n{body}",
                                           encoding="utf-8")
    marker.write_text(str(count))


def bench_pages(bench: Path, limit: int) -> list[str]:
    pages = []
    for name in ("wcxb-dev-articles.jsonl.gz", "trafilatura-eval.jsonl.gz"):
        with gzip.open(bench / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                pages.append(json.loads(line)["html"])
                if len(pages) >= limit:
                    return pages
    return pages


def build_html_corpus(folder: Path, pages: list[str]) -> None:
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == str(len(pages)):
        return
    remove_and_settle(folder)
    folder.mkdir(parents=True)
    for n, html in enumerate(pages):
        (folder / f"page-{n:05d}.html").write_text(html, encoding="utf-8", errors="surrogatepass")
    marker.write_text(str(len(pages)))


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.suffix in (".txt", ".html"))


_runs = itertools.count(1)


def new_output(work: Path) -> Path:
    """A new, empty output folder for one timed run. Earlier runs' folders are not deleted until
    the benchmark ends: an ext4 without a journal skips every inode freed in the last 60 seconds
    when it allocates a new one (``recently_deleted`` in the kernel's ialloc.c), so after a large
    delete creating a file costs many times more: the cleanup of one run would be charged to the
    next. The disk is synced
    first, so that the previous run's writes are not flushed during this one."""
    out = work / "runs" / f"out-{next(_runs):03d}"
    os.sync()
    time.sleep(2)
    return out


def file_creation_us(work: Path, files: int = 300) -> float:
    """Microseconds to create, write (3 KB) and rename one file in a new folder under ``work``,
    as each document's output is written. A diagnostic printed with every round: it varies
    widely with the disk's state, and a document's whole budget at 1,000 docs/s is 1,000 us.
    The probe's files stay until the runs' folders are cleared (a delete would slow the next run)."""
    folder = work / "runs" / f"probe-{next(_runs):03d}"
    folder.mkdir(parents=True)
    data = b"x" * 3000
    started = time.perf_counter()
    for n in range(files):
        temp, final = folder / f"t{n}", folder / f"f{n}"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, data)
        os.close(fd)
        os.replace(temp, final)
    return (time.perf_counter() - started) / files * 1e6


def cleaning_us() -> float:
    """Microseconds to clean one seed in a process of its own, no files and no Luigi (the best of
    five runs of 300): a diagnostic printed with every round, for the machine's speed at the
    time, which drifts on a shared machine."""
    code = f"""
import glob, sys, time
sys.path.insert(0, {str(ROOT)!r})
from pipeline import clean_bytes
docs = [open(p, "rb").read() for p in sorted(glob.glob({str(SEEDS / "*.txt")!r}))]
for d in docs:
    clean_bytes(d, kind="text")
best = float("inf")
for _ in range(5):
    started = time.perf_counter()
    for n in range(300):
        clean_bytes(docs[n % len(docs)], kind="text")
    best = min(best, (time.perf_counter() - started) / 300)
print(best * 1e6)
"""
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def clear_runs(work: Path) -> None:
    """Delete the output folders of earlier runs, then wait for the disk to settle."""
    remove_and_settle(work / "runs")


def remove_and_settle(folder: Path) -> None:
    """Delete a folder (an old corpus, old runs) and wait until creating files is fast again:
    synced, the freed inodes are no longer skipped 60 s after the delete (``new_output``)."""
    if folder.exists():
        shutil.rmtree(folder)
        os.sync()
        time.sleep(65)


def run_clean(raw: Path, out: Path, workers: int, batch_size: int) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(LUIGI + ["--module", "tasks", "Clean", "--input-dir", str(raw), "--output-dir", str(out),
                                   "--workers", str(workers), "--batch-size", str(batch_size), "--no-lock"],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"Clean failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}")
    summary = json.loads((out / "_newsclean" / "last-run.json").read_text())
    batches = [json.loads(p.read_text()) for p in (out / "_newsclean" / "batches").glob("*.json")]
    return {
        "docs": summary["cleaned"] + summary["failed"], "failed": summary["failed"], "seconds": seconds,
        "planning_seconds": summary["planning_seconds"],
        "worker_peak_mb": max(b["peak_rss_mb"] for b in batches),
        "batch_seconds": sum(b["seconds"] for b in batches),
        "batches": sorted((b["seconds"] for b in batches), reverse=True),
    }


def trafilatura_alone(raw: Path, out: Path) -> float:
    """Read each page, ``trafilatura.extract`` it with default options, write the text."""
    code = f"""
import sys, time, pathlib, trafilatura
raw, out = pathlib.Path({str(raw)!r}), pathlib.Path({str(out)!r})
out.mkdir(parents=True, exist_ok=True)
started = time.perf_counter()
for path in sorted(raw.glob('*.html')):
    text = trafilatura.extract(path.read_bytes()) or ''
    (out / (path.stem + '.txt')).write_text(text, encoding='utf-8')
print(time.perf_counter() - started)
"""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    total = time.perf_counter() - started
    return total, float(proc.stdout.strip())


def planning_only(raw: Path, out: Path) -> tuple[float, float]:
    """Planning time alone for the files under raw: a fresh output folder, then one where every
    file is already done (the daily case: everything up to date)."""
    code = f"""
import json, pathlib, sys, time
sys.path.insert(0, {str(ROOT)!r})
from pipeline import CleanConfig
from tasks.plan import make_plan
from tasks.settings import config_as_dict
raw, out = pathlib.Path({str(raw)!r}), pathlib.Path({str(out)!r})
config = CleanConfig()
started = time.perf_counter()
plan = make_plan(raw, out, config_as_dict(config), config.fingerprint(), 500)
print(json.dumps([time.perf_counter() - started, len(plan.batches), plan.total]))
"""
    return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                     cwd=ROOT).stdout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newsclean-speed"))
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--text-docs", type=int, default=20_000, help="seed-sized documents for the worker runs")
    parser.add_argument("--html-pages", type=int, default=300)
    parser.add_argument("--html-batch-size", type=int, default=500,
                        help="--batch-size of the HTML runs (Clean's default; a page counts as 10 documents, "
                             "so about 50 pages a batch)")
    parser.add_argument("--scale", type=str, default="1000,10000,100000",
                        help="document counts for the memory and planning scale runs")
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of runs; the best run of each configuration is reported, and ratios per round")
    args = parser.parse_args(argv)
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    clear_runs(work)  # left by an interrupted benchmark
    print(f"newsclean speed benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, work dir {work}")

    # Rounds: each runs every timed configuration once, one after the other, so that the ratios
    # (two workers / one, newsclean / trafilatura) compare runs made minutes apart at most: a
    # shared machine's speed drifts within an hour. The best run of each configuration and the
    # median of the per-round ratios are reported.
    text = work / f"text-{args.text_docs}"
    if args.text_docs:
        build_text_corpus(text, args.text_docs)
        text_size = corpus_bytes(text)
    html = work / f"html-{args.html_pages}"
    if args.html_pages:
        build_html_corpus(html, bench_pages(args.bench, args.html_pages))
        html_size = corpus_bytes(html)
    rounds = []
    for number in range(1, args.repeat + 1):
        r = {"create_us": file_creation_us(work), "clean_us": cleaning_us()}
        if args.text_docs:
            r["text1"] = run_clean(text, new_output(work), 1, 500)
            r["text2"] = run_clean(text, new_output(work), 2, 500)
        if args.html_pages:
            # trafilatura alone just before and just after newsclean's one-worker run: the ratio
            # takes their mean, so a machine that speeds up or slows down during the round does not
            # favour either side.
            before = trafilatura_alone(html, new_output(work))
            r["html1"] = run_clean(html, new_output(work), 1, args.html_batch_size)
            after = trafilatura_alone(html, new_output(work))
            r["alone"] = tuple((a + b) / 2 for a, b in zip(before, after))
            r["alone_runs"] = (before, after)
            r["html2"] = run_clean(html, new_output(work), 2, args.html_batch_size)
        rounds.append(r)
        line = f"round {number} (creating a file: {r['create_us']:.0f} us; cleaning a seed in-process: {r['clean_us']:.0f} us):"
        if args.text_docs:
            line += (f" text 1 worker {args.text_docs / r['text1']['seconds']:.0f} docs/s, "
                     f"2 workers {r['text1']['seconds'] / r['text2']['seconds']:.2f}x;")
        if args.html_pages:
            line += (f" trafilatura alone {r['alone_runs'][0][0]:.2f} s before, {r['alone_runs'][1][0]:.2f} s after; "
                     f"html 1 worker {r['html1']['seconds']:.2f} s = "
                     f"{r['html1']['seconds'] / r['alone'][0]:.2f}x trafilatura, 2 workers "
                     f"{r['html1']['seconds'] / r['html2']['seconds']:.2f}x ({len(r['html2']['batches'])} batches, "
                     f"longest {r['html2']['batches'][0]:.1f} s; the workers were inside batches "
                     f"{r['html2']['batch_seconds'] / (2 * r['html2']['seconds']):.0%} of the run)")
        print(line, flush=True)

    def best(key):
        return min((r[key] for r in rounds), key=lambda run: run["seconds"])

    def median_ratio(a, b, field="seconds"):
        return statistics.median(r[a][field] / r[b][field] for r in rounds)

    for workers in (1, 2) if args.text_docs else ():
        r = best(f"text{workers}")
        print(f"text  {args.text_docs:>7} docs, {workers} worker(s): {r['seconds']:6.2f} s end to end = "
              f"{r['docs'] / r['seconds']:7.0f} docs/s, {text_size / 1e6 / r['seconds']:5.2f} MB/s; planning "
              f"{r['planning_seconds']:.2f} s; inside the batches {r['docs'] / r['batch_seconds']:6.0f} docs/s per worker; "
              f"peak RSS per worker {r['worker_peak_mb']:.0f} MB")
    if args.text_docs:
        print(f"text  2 workers / 1 worker: {best('text1')['seconds'] / best('text2')['seconds']:.2f}x best runs, "
              f"{median_ratio('text1', 'text2'):.2f}x median of the rounds")

    if args.html_pages:
        for workers in (1, 2):
            r = best(f"html{workers}")
            print(f"html  {args.html_pages:>7} pages, {workers} worker(s): {r['seconds']:6.2f} s end to end = "
                  f"{r['docs'] / r['seconds']:6.1f} pages/s, {html_size / 1e6 / r['seconds']:5.2f} MB/s; inside the batches "
                  f"{r['docs'] / r['batch_seconds']:5.1f} pages/s per worker; peak RSS per worker "
                  f"{r['worker_peak_mb']:.0f} MB" + (f"; {r['failed']} failed" if r["failed"] else ""))
        print(f"html  2 workers / 1 worker: {best('html1')['seconds'] / best('html2')['seconds']:.2f}x best runs, "
              f"{median_ratio('html1', 'html2'):.2f}x median of the rounds")
        alone = min((run for r in rounds for run in r["alone_runs"]), key=lambda t: t[0])
        one = best("html1")
        in_loop = statistics.median(r["html1"]["batch_seconds"] / r["alone"][1] for r in rounds)
        end_to_end = statistics.median(r["html1"]["seconds"] / r["alone"][0] for r in rounds)
        print(f"html  trafilatura alone, 1 process: {alone[0]:6.2f} s end to end ({alone[1]:.2f} s in the loop) = "
              f"{args.html_pages / alone[0]:6.1f} pages/s; newsclean 1 worker / trafilatura: "
              f"{one['seconds'] / alone[0]:.2f}x end to end and {one['batch_seconds'] / alone[1]:.2f}x inside the loop "
              f"(best runs); {end_to_end:.2f}x and {in_loop:.2f}x (median of the rounds)")

    # Scale: memory and planning from 1,000 to 100,000 documents
    if not args.no_scale:
        for count in [int(c) for c in args.scale.split(",")]:
            raw = work / f"text-{count}"
            build_text_corpus(raw, count)
            plan = planning_only(raw, new_output(work))
            out = new_output(work)
            r = run_clean(raw, out, 1, 500)
            print(f"scale {count:>7} docs, 1 worker: {r['seconds']:7.2f} s = {r['docs'] / r['seconds']:6.0f} docs/s; "
                  f"planning alone {plan[0]:.2f} s ({plan[1]} batches); peak RSS per worker {r['worker_peak_mb']:.0f} MB")
            again = run_rerun(raw, out)
            print(f"scale {count:>7} docs, re-run with everything up to date: {again:.2f} s end to end")
    clear_runs(work)


def run_rerun(raw: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(LUIGI + ["--module", "tasks", "Clean", "--input-dir", str(raw), "--output-dir", str(out), "--no-lock"],
                   cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
