"""The slow reliability cases (``make stress``, not part of ``make test``): kill loops, overlapping
runs with files arriving, re-runs through a real luigid inside its cooldown, pathological HTML and
big batches under time and memory bounds. Each case prints one ``STRESS {...}`` line of figures;
RELIABILITY.md holds the latest ones."""
import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT
from test_scale import LUIGI, central_env, current_records, luigid, outputs  # noqa: F401 (luigid: a fixture)

pytestmark = pytest.mark.stress


def report(case: str, **figures) -> None:
    print("STRESS " + json.dumps({"case": case, **figures}), flush=True)


def corpus(raw: Path, count: int, version: str, start: int = 0) -> None:
    """``count`` short stories over 20 folders; ``version`` is in every text."""
    for n in range(start, start + count):
        folder = raw / f"day{n % 20:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"story{n:05d}.txt").write_text(
            f"Story {n} ({version}): the council met on Tuesday and voted on the harbour budget, officials said.\n\n"
            f"The vote on story {n} was close, and the budget goes to the regional government next week.\n")


def clean(raw: Path, out: Path, *args: str, env=None, **popen) -> subprocess.Popen:
    return subprocess.Popen(LUIGI + ["--module", "tasks", "Clean", "--input-dir", str(raw), "--output-dir", str(out),
                                     *args], cwd=ROOT, env=env, text=True, **popen)


def finish(proc: subprocess.Popen, timeout: float = 1200) -> tuple[int, str, str]:
    stdout, stderr = proc.communicate(timeout=timeout)
    return proc.returncode, stdout or "", stderr or ""


def batch_stats(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in (out / "_newsclean" / "batches").glob("*.json")]


def record_counts(out: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in (out / "_newsclean" / "records").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            source = json.loads(line)["source"]
            counts[source] = counts.get(source, 0) + 1
    return counts


def test_killed_reruns_leave_one_current_record_per_document(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    documents, rounds = 3000, 3
    corpus(raw, documents, "v0")
    started = time.monotonic()
    assert finish(clean(raw, out, "--batch-size", "50", stdout=subprocess.PIPE, stderr=subprocess.PIPE))[0] == 0
    worst = time.monotonic() - started
    rng = random.Random(7)
    kills = 0
    for round_number in range(1, rounds + 1):
        version = f"v{round_number}"
        corpus(raw, documents, version)
        manifests = out / "_newsclean" / "manifest"
        before = {p.name for p in manifests.glob("*.jsonl")}
        child = clean(raw, out, "--batch-size", "50", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                      start_new_session=True)
        wanted = rng.randint(1, 20)  # killed right after its first manifests
        while len({p.name for p in manifests.glob("*.jsonl")} - before) < wanted and child.poll() is None:
            time.sleep(0.005)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        kills += 1
        started = time.monotonic()
        code, stdout, stderr = finish(clean(raw, out, "--batch-size", "50", stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        worst = max(worst, time.monotonic() - started)
        assert code == 0, stderr
        counts = record_counts(out)
        duplicates = sum(1 for c in counts.values() if c > 1)
        stale = sum(1 for row in current_records_tolerant(out) if version not in row["text"])
        assert len(counts) == documents and duplicates == 0 and stale == 0, (duplicates, stale)
        assert all(version in text.decode() for text in outputs(out).values())
    report("killed re-runs", documents=documents, runs=2 * rounds + 1, kills=kills, duplicates=0, stale_records=0,
           worst_run_seconds=round(worst, 1))


def current_records_tolerant(out: Path) -> list[dict]:
    rows = []
    for path in (out / "_newsclean" / "records").glob("*.jsonl"):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return rows


def cleaned_twice(out: Path, documents: int) -> int:
    """Documents cleaned more than once, from every batch's statistics (compaction hides the rows)."""
    return sum(s["documents"] for s in batch_stats(out)) - documents


def test_overlapping_runs_with_other_cuts_and_arriving_files_clean_each_document_once(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    documents = 4000
    corpus(raw, documents, "v0")
    started = time.monotonic()
    runs = [clean(raw, out, "--batch-size", size, "--no-lock", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for size in ("40", "70")]
    results = [finish(run) for run in runs]
    seconds = time.monotonic() - started
    assert [code for code, _, _ in results] == [0, 0], results
    twice_cuts = cleaned_twice(out, documents)
    assert twice_cuts == 0 and len(current_records(out)) == documents

    # the same command twice (--no-lock) with five files arriving between the two plans
    out2 = tmp_path / "out2"
    first = clean(raw, out2, "--batch-size", "40", "--no-lock", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    plans = out2 / "_newsclean" / "plans"
    while not (plans.is_dir() and any(plans.iterdir())) and first.poll() is None:
        time.sleep(0.005)
    corpus(raw, 5, "late", start=documents)
    second = clean(raw, out2, "--batch-size", "40", "--no-lock", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results2 = [finish(first), finish(second)]
    assert [code for code, _, _ in results2] == [0, 0], results2
    twice_arriving = cleaned_twice(out2, documents + 5)
    assert twice_arriving == 0 and len(current_records(out2)) == documents + 5
    report("overlapping runs", documents=documents, runs=4, cleaned_twice_other_cuts=twice_cuts,
           cleaned_twice_files_arriving=twice_arriving, seconds_two_runs=round(seconds, 1),
           taken_by_other_runs=sum(s.get("taken_by_other_runs", 0) for s in batch_stats(out)))


def test_a_rerun_through_luigid_inside_its_cooldown_runs_and_sums_up(tmp_path, luigid):  # noqa: F811
    raw, out = tmp_path / "raw", tmp_path / "out"
    corpus(raw, 400, "v0")
    args = ["--batch-size", "20", "--workers", "2", "--scheduler-host", "127.0.0.1", "--scheduler-port", str(luigid)]
    env = central_env(luigid)
    code, stdout, _ = finish(clean(raw, out, *args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    assert code == 0 and "400 cleaned" in stdout, stdout
    first_run = json.loads((out / "_newsclean" / "last-run.json").read_text())["run_id"]
    changed = raw / "day03" / "story00003.txt"
    changed.write_text("A new version of story 3, with one sentence that ends here.\n")
    started = time.monotonic()
    code, stdout, stderr = finish(clean(raw, out, *args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    seconds = time.monotonic() - started
    assert code == 0 and "1 cleaned, 399 up to date" in stdout, (stdout, stderr)
    last = json.loads((out / "_newsclean" / "last-run.json").read_text())
    assert last["run_id"] != first_run and last["cleaned"] == 1
    rows = current_records(out)  # (asserts one record per source)
    assert rows["day03/story00003.txt"]["text"].startswith("A new version of story 3")
    report("re-run inside luigid's cooldown", documents=400, runs=2, workers=2, rerun_seconds=round(seconds, 1),
           duplicates=0)


def pathological_pages() -> dict[str, bytes]:
    attributes = b" ".join(b'a%d="x"' % n for n in range(300_000))
    return {
        "attributes.html": b"<html><body><div " + attributes + b"><p>Text.</p></div></body></html>",
        "million.html": b"<html><body>" + b"<p>x</p>" * 1_000_000 + b"</body></html>",
        "text-node.html": b"<html><body><p>" + b"word " * 2_200_000 + b"</p></body></html>",
        "deep.html": b"<html><body>" + b"<div>" * 200_000 + b"<p>Deep.</p>" + b"</div>" * 200_000 + b"</body></html>",
        "one-line.txt": b"The council voted on the harbour budget again, officials said. " * 600_000,
    }


def test_pathological_pages_stay_within_time_and_memory(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    pages = pathological_pages()
    for name, data in pages.items():
        (raw / name).write_bytes(data)
    corpus(raw, 20, "good")
    limit = 5.0
    started = time.monotonic()
    code, stdout, stderr = finish(clean(raw, out, "--time-limit", str(limit), stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    seconds = time.monotonic() - started
    rows = current_records(out)
    outcomes = {name: rows[name].get("error", "ok")[:120] for name in pages}
    assert all(rows[f"day{n % 20:02d}/story{n:05d}.txt"]["status"] == "ok" for n in range(20))
    peak = max(s["peak_rss_mb"] for s in batch_stats(out))
    assert peak < 1024, peak
    # each page ends within its limit (and the force kill's grace); the run within their sum
    assert seconds < len(pages) * (limit * 1.5 + 1) + 60, seconds
    report("pathological pages", documents=len(pages) + 20, seconds=round(seconds, 1), peak_rss_mb=peak,
           time_limit=limit, outcomes=outcomes, exit_code=code)


def test_a_batch_of_big_documents_keeps_memory_flat(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    paragraph = "The council voted on the harbour budget again on Tuesday, officials said, and the vote was close. "
    for n in range(300):
        (raw / f"big{n:03d}.txt").write_text(f"Big story {n}.\n\n" + (paragraph * 10 + "\n\n") * 1000)
    started = time.monotonic()
    code, _, stderr = finish(clean(raw, out, "--batch-size", "500", stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    assert code == 0, stderr
    stats = batch_stats(out)
    peak = max(s["peak_rss_mb"] for s in stats)
    assert peak < 400, peak
    report("big documents", documents=300, megabytes_each=round((raw / "big000.txt").stat().st_size / 1e6, 2),
           batches=len(stats), peak_rss_mb=peak, seconds=round(time.monotonic() - started, 1))
