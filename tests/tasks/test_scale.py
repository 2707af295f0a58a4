"""Corpus-scale behaviour through the real command: SIGKILL and resume, a central scheduler with
two worker processes, overlapping runs, --workers, compaction of re-cleaned records."""
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import CASES, ROOT, SEEDS

LUIGI = [sys.executable, "-c", "import sys; from luigi.cmdline import luigi_run; luigi_run(sys.argv[1:])"]
LUIGID = [sys.executable, "-c", "import sys; from luigi.cmdline import luigid; luigid(sys.argv[1:])"]


def make_corpus(folder: Path, copies: int, paragraphs: int = 1) -> Path:
    """Seed-like articles under distinct names (some in subfolders), and the HTML fixtures."""
    folder.mkdir(parents=True)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for n in range(copies):
        text = seeds[n % len(seeds)]
        head, _, body = text.partition("\n\n")
        # Distinct documents: a numbered sentence, and the body repeated for bigger documents.
        body = "\n\n".join([body] * paragraphs)
        doc = f"{head}\n\nStory number {n} was filed on the wire this morning, editors said.\n\n{body}"
        sub = folder / f"day{n % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"story {n:04d}.txt").write_text(doc, encoding="utf-8")
    for html in sorted((CASES / "html").glob("*.html")):
        shutil.copy(html, folder / html.name)
    return folder


def run(*args, env=None, timeout=600):
    return subprocess.run(LUIGI + ["--module", "tasks", "Clean", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.txt")}


def current_records(out: Path) -> dict[str, dict]:
    rows = {}
    for path in (out / "_newsclean" / "records").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert row["source"] not in rows, f"two records for {row['source']}"
            rows[row["source"]] = row
    return rows


def manifest_rows(out: Path) -> list[dict]:
    rows = []
    for path in (out / "_newsclean" / "manifest").glob("*.jsonl"):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return rows


def count_outputs(out: Path) -> int:
    total = 0
    for folder in [out, *[out / f"day{n}" for n in range(3)]]:
        try:
            total += sum(1 for entry in os.scandir(folder) if entry.name.endswith(".txt"))
        except FileNotFoundError:
            pass
    return total


def temp_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.startswith(".newsclean-tmp-")]


@pytest.mark.slow
def test_sigkill_at_any_moment_then_resume_equals_an_uninterrupted_run(tmp_path):
    raw = make_corpus(tmp_path / "raw", copies=1500, paragraphs=3)
    ref = tmp_path / "ref"
    started = time.monotonic()
    proc = run("--input-dir", str(raw), "--output-dir", str(ref), "--batch-size", "20")
    seconds = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    expected = outputs(ref)
    assert len(expected) == 1500 + len(list((CASES / "html").glob("*.html")))

    out = tmp_path / "out"
    rng = random.Random()
    moments = []
    # Kill during start-up or planning, then at random points while documents are being written.
    for attempt, (workers, share) in enumerate([("1", None), ("1", rng.uniform(0.05, 0.3)),
                                                ("2", rng.uniform(0.4, 0.7)), ("1", rng.uniform(0.8, 0.99))]):
        child = subprocess.Popen(
            LUIGI + ["--module", "tasks", "Clean", "--input-dir", str(raw), "--output-dir", str(out),
                     "--batch-size", "20", "--workers", workers],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        started = time.monotonic()
        if share is None:
            time.sleep(rng.uniform(0.1, 0.5) * seconds)
        else:
            while count_outputs(out) < share * len(expected) and child.poll() is None:
                time.sleep(0.01)
        os.killpg(child.pid, signal.SIGKILL)  # the luigi process and its worker processes
        child.wait()
        moments.append((round(time.monotonic() - started, 2), count_outputs(out)))
    proc = run("--input-dir", str(raw), "--output-dir", str(out), "--batch-size", "20")
    assert proc.returncode == 0, (moments, proc.stderr)
    assert outputs(out) == expected, moments
    assert temp_files(out) == [], moments
    ref_records, got = current_records(ref), current_records(out)
    assert got.keys() == ref_records.keys()
    for source, row in got.items():
        assert row == ref_records[source], source
    # every document is done exactly once in the manifests, however many runs were killed
    sources = [row["source"] for row in manifest_rows(out)]
    assert len(sources) == len(set(sources)) == len(expected)
    print(f"uninterrupted run {seconds:.1f} s; killed at (seconds, outputs present):", moments)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def luigid(tmp_path):
    port = free_port()
    logs = tmp_path / "luigid"
    logs.mkdir()
    server = subprocess.Popen(LUIGID + ["--address", "127.0.0.1", "--port", str(port), "--state-path",
                                        str(logs / "state.pickle"), "--logdir", str(logs)],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("luigid did not start")
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=10)


def scheduler_api(port: int, method: str, **data) -> dict:
    query = urllib.parse.urlencode({"data": json.dumps(data)})
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/{method}?{query}", timeout=10) as response:
        return json.loads(response.read())["response"]


def central_env(port: int) -> dict:
    env = dict(os.environ)
    env["LUIGI_CONFIG_PATH"] = str(ROOT / "deploy" / "central.cfg")
    return env


@pytest.mark.slow
def test_two_processes_through_luigid_split_the_work_and_clean_each_file_once(tmp_path, luigid):
    raw = make_corpus(tmp_path / "raw", copies=400, paragraphs=25)
    (raw / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))  # one document fails
    out = tmp_path / "out"
    args = LUIGI + ["--module", "tasks", "Clean", "--input-dir", str(raw), "--output-dir", str(out),
                    "--batch-size", "10", "--scheduler-host", "127.0.0.1", "--scheduler-port", str(luigid),
                    "--no-lock"]  # two "machines" on one host: Luigi's per-host pid lock would stop the second
    first = subprocess.Popen(args, cwd=ROOT, env=central_env(luigid), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(args, cwd=ROOT, env=central_env(luigid), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [p.communicate(timeout=600) for p in (first, second)]  # both end: no one waits for a retry
    rows = manifest_rows(out)
    sources = [row["source"] for row in rows]
    total = 401 + len(list((CASES / "html").glob("*.html")))
    assert len(sources) == len(set(sources)) == total  # every file cleaned exactly once
    workers = {row["worker"] for row in rows}
    assert len(workers) == 2, workers  # both processes took batches
    assert len(outputs(out)) == total - 1
    # a run whose last batch another process is cleaning says so; the run that finishes sums up
    summaries = [stdout for stdout, _ in results if " cleaned, " in stdout]
    assert summaries and all(f"{total - 1} cleaned" in summary for summary in summaries)
    assert all(stdout in summaries or "cleaned by another process" in stdout for stdout, _ in results)
    assert all("failed: broken.html" in summary for summary in summaries)
    # a run that summed up reports the failed document (exit 30); one that did not exits 0
    assert [p.returncode for p in (first, second)] == [30 if " cleaned, " in out else 0 for out, _ in results], results
    # the scheduler saw each batch's progress (shown on luigid's web page)
    done = scheduler_api(luigid, "task_list", status="DONE", upstream_status="", search="CleanBatch")
    assert len(done) >= 2
    some_batch = next(iter(done))
    assert scheduler_api(luigid, "get_task_progress_percentage", task_id=some_batch)["progressPercentage"] == 100
    assert "documents cleaned" in scheduler_api(luigid, "get_task_status_message", task_id=some_batch)["statusMessage"]


@pytest.mark.slow
def test_overlapping_runs_without_a_scheduler_do_no_duplicate_work(tmp_path):
    raw = make_corpus(tmp_path / "raw", copies=300, paragraphs=10)
    out = tmp_path / "out"
    args = LUIGI + ["--module", "tasks", "Clean", "--input-dir", str(raw), "--output-dir", str(out), "--batch-size", "10"]
    # The same command twice: Luigi's pid lock turns the second away (exit 10, already running).
    # With --no-lock (or two different commands) both run, and the batch locks keep them apart.
    runs = [subprocess.Popen(args + extra, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for extra in (["--no-lock"], ["--no-lock", "--workers", "2"])]
    results = [p.communicate(timeout=600) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], results
    sources = [row["source"] for row in manifest_rows(out)]
    total = 300 + len(list((CASES / "html").glob("*.html")))
    assert len(sources) == len(set(sources)) == total
    assert temp_files(out) == []
    for stdout, _ in results:
        assert f"{total} cleaned" in stdout or "up to date" in stdout


def test_workers_option_uses_processes_and_gives_the_same_outputs(tmp_path):
    raw = make_corpus(tmp_path / "raw", copies=120)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run("--input-dir", str(raw), "--output-dir", str(one), "--batch-size", "8").returncode == 0
    proc = run("--input-dir", str(raw), "--output-dir", str(two), "--batch-size", "8", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    assert outputs(one) == outputs(two)
    stats = [json.loads(p.read_text()) for p in (two / "_newsclean" / "batches").glob("*.json")]
    assert len({s["worker"] for s in stats}) > 1  # batches ran in separate worker processes


def test_a_recleaned_document_keeps_one_current_record(tmp_path):
    raw = make_corpus(tmp_path / "raw", copies=40)
    out = tmp_path / "out"
    assert run("--input-dir", str(raw), "--output-dir", str(out), "--batch-size", "8").returncode == 0
    changed = raw / "day1" / "story 0001.txt"
    changed.write_text("A short new version of the story, with one sentence.\n", encoding="utf-8")
    untouched = {p: p.stat().st_mtime_ns for p in out.rglob("*.txt") if p.name != "story 0001.txt"}
    proc = run("--input-dir", str(raw), "--output-dir", str(out), "--batch-size", "8")
    assert proc.returncode == 0 and "1 cleaned" in proc.stdout, proc.stdout
    rows = current_records(out)  # asserts one record per source
    assert rows["day1/story 0001.txt"]["text"] == "A short new version of the story, with one sentence.\n"
    assert len([r for r in manifest_rows(out) if r["source"] == "day1/story 0001.txt"]) == 1
    assert {p: p.stat().st_mtime_ns for p in untouched} == untouched  # nothing else rewritten
