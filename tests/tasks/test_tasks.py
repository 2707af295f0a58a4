"""The Luigi layer: batches, layout, records, incremental re-runs and exit codes."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import luigi
import pytest

from conftest import CASES, GOLDEN, ROOT, SEEDS
from tasks import Clean
from tasks.plan import chunk, scan

LUIGI = [sys.executable, "-c", "import sys; from luigi.cmdline import luigi_run; luigi_run(sys.argv[1:])"]


def build(**params):
    # Luigi reuses task instances with equal parameters inside one process; a scheduled run is
    # one process, so each build here starts from a clean cache the way a new process would.
    luigi.task_register.Register.clear_instance_cache()
    return luigi.build([Clean(**params)], local_scheduler=True, detailed_summary=True, log_level="WARNING")


def records(out: Path) -> list[dict]:
    rows = []
    for path in sorted((out / "_newsclean" / "records").glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return rows


@pytest.fixture
def raw(tmp_path):
    raw = tmp_path / "raw"
    (raw / "wire" / "deep").mkdir(parents=True)
    shutil.copy(SEEDS / "000_d0a6f78d1ae77ada.txt", raw / "wire" / "efe.txt")
    shutil.copy(SEEDS / "004_80a3f7a29bb85b9c.txt", raw / "wire" / "deep" / "afp.txt")
    shutil.copy(CASES / "html" / "div_soup.html", raw / "railway.html")
    shutil.copy(CASES / "html" / "article_with_boxes.html", raw / "harbour.htm")
    (raw / "notes.md").write_text("not an input")
    return raw


def test_clean_writes_text_and_records(raw, tmp_path):
    out = tmp_path / "out"
    result = build(input_dir=str(raw), output_dir=str(out), batch_size=2)
    assert result.status == luigi.execution_summary.LuigiStatusCode.SUCCESS
    assert (out / "wire" / "efe.txt").read_bytes() == (GOLDEN / "000_d0a6f78d1ae77ada.txt").read_bytes()
    assert (out / "wire" / "deep" / "afp.txt").read_bytes() == (GOLDEN / "004_80a3f7a29bb85b9c.txt").read_bytes()
    assert "mountain railway reopened" in (out / "railway.html.txt").read_text(encoding="utf-8")
    assert (out / "harbour.htm.txt").exists() and not (out / "notes.txt").exists() and not (out / "notes.md.txt").exists()
    rows = records(out)
    batches = chunk(scan(raw, out), 2)  # content-defined batches of 2 on average
    assert len(rows) == 4 and len(list((out / "_newsclean" / "records").glob("*.jsonl"))) == len(batches) > 1
    efe = next(r for r in rows if r["source"] == "wire/efe.txt")
    assert efe["id"] == "wire/efe" and efe["output"] == "wire/efe.txt" and efe["status"] == "ok"
    assert efe["title"].startswith("Russian delegation") and efe["text"] == (out / "wire" / "efe.txt").read_text(encoding="utf-8")
    assert {r["rule"] for r in efe["removals"]} == {"caption", "title", "signoff"}
    assert all(set(r) == {"rule", "code", "reason", "text", "lines", "lines_of"} for r in efe["removals"])
    assert efe["counts"]["removals_by_rule"] == {"caption": 2, "signoff": 1, "title": 1}
    assert "repairs" in efe and "encoding" in efe
    summary = json.loads((out / "_newsclean" / "last-run.json").read_text())
    assert summary["cleaned"] == 4 and summary["failed"] == 0


def test_rerun_is_incremental(raw, tmp_path):
    out = tmp_path / "out"
    build(input_dir=str(raw), output_dir=str(out))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.txt")}
    build(input_dir=str(raw), output_dir=str(out))
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.txt")} == before
    assert json.loads((out / "_newsclean" / "last-run.json").read_text())["up_to_date"] == 4
    # a changed file and a new file are cleaned; nothing else is rewritten
    (raw / "wire" / "efe.txt").write_text("Breaking story in one sentence that ends here.\n\nAdvertisement\n")
    (raw / "new.txt").write_text("A new story arrived today with a sentence.\n")
    build(input_dir=str(raw), output_dir=str(out))
    summary = json.loads((out / "_newsclean" / "last-run.json").read_text())
    assert (summary["cleaned"], summary["up_to_date"]) == (2, 3)
    assert (out / "wire" / "efe.txt").read_text() == "Breaking story in one sentence that ends here.\n"
    assert (out / "wire" / "deep" / "afp.txt").stat().st_mtime_ns == before[out / "wire" / "deep" / "afp.txt"]


def test_another_config_recleans(raw, tmp_path):
    out = tmp_path / "out"
    build(input_dir=str(raw), output_dir=str(out))
    build(input_dir=str(raw), output_dir=str(out), disable_rules="signoff")
    summary = json.loads((out / "_newsclean" / "last-run.json").read_text())
    assert summary["cleaned"] == 4
    assert (out / "wire" / "efe.txt").read_text(encoding="utf-8").endswith("Beijing and Moscow. EFE\n")


def test_a_change_to_the_cleaning_code_recleans(raw, tmp_path, monkeypatch):
    import pipeline.config

    out = tmp_path / "out"
    build(input_dir=str(raw), output_dir=str(out))
    monkeypatch.setattr(pipeline.config, "code_digest", lambda: "another-version-of-the-rules")
    build(input_dir=str(raw), output_dir=str(out))
    summary = json.loads((out / "_newsclean" / "last-run.json").read_text())
    assert (summary["cleaned"], summary["up_to_date"]) == (4, 0)


def test_the_code_digest_follows_the_cleaning_sources_only(tmp_path):
    from pipeline.config import code_digest, source_digest

    package = tmp_path / "pipeline"
    shutil.copytree(ROOT / "pipeline", package, ignore=shutil.ignore_patterns("__pycache__"))
    assert source_digest(package) == code_digest()
    command = package / "__main__.py"
    command.write_text(command.read_text() + "\n# a comment in the command line\n")
    assert source_digest(package) == code_digest()  # the command line does not shape outputs
    pack = package / "lang" / "en.toml"  # the language packs shape outputs
    pack.write_text(pack.read_text().replace("'advertisements?'", "'adverts?'"))
    assert source_digest(package) != code_digest()
    shutil.copy(ROOT / "pipeline" / "lang" / "en.toml", pack)
    assert source_digest(package) == code_digest()
    phrases = package / "lang" / "phrases.py"
    phrases.write_text(phrases.read_text() + "\n# a comment in the cleaning code\n")
    assert source_digest(package) != code_digest()


def test_txt_and_html_with_one_stem_do_not_collide(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "story.txt").write_text("The plain text story has one sentence.\n")
    shutil.copy(CASES / "html" / "div_soup.html", raw / "story.html")
    out = tmp_path / "out"
    build(input_dir=str(raw), output_dir=str(out))
    assert (out / "story.txt").read_text() == "The plain text story has one sentence.\n"
    assert "mountain railway" in (out / "story.html.txt").read_text()


def test_a_bad_document_is_recorded_and_the_rest_are_cleaned(raw, tmp_path):
    (raw / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    out = tmp_path / "out"
    build(input_dir=str(raw), output_dir=str(out))
    rows = {r["source"]: r for r in records(out)}
    assert rows["image.html"]["status"] == "error" and "PNG" in rows["image.html"]["error"]
    assert not (out / "image.html.txt").exists() and rows["image.html"]["output"] is None
    assert sum(r["status"] == "ok" for r in rows.values()) == 4


def test_output_equal_to_input_is_refused(raw):
    result = build(input_dir=str(raw), output_dir=str(raw))
    assert result.status != luigi.execution_summary.LuigiStatusCode.SUCCESS
    assert sorted(p.name for p in raw.rglob("*.txt")) == ["afp.txt", "efe.txt"]


def test_records_load_with_any_jsonl_reader(raw, tmp_path):
    out = tmp_path / "out"
    build(input_dir=str(raw), output_dir=str(out))
    sources = []
    for path in (out / "_newsclean" / "records").glob("*.jsonl"):
        for line in path.read_bytes().split(b"\n")[:-1]:
            sources.append(json.loads(line.decode("utf-8"))["source"])  # strict UTF-8, one object per line
    assert len(sources) == 4  # (no records file would check nothing)


def run_luigi(*args, cwd=ROOT):
    return subprocess.run(LUIGI + ["--module", "tasks", "Clean", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_command_default_cleans_the_seeds(tmp_path):
    out = tmp_path / "clean"
    proc = run_luigi("--output-dir", str(out))
    assert proc.returncode == 0, proc.stderr
    for golden in GOLDEN.glob("*.txt"):
        assert (out / golden.name).read_bytes() == golden.read_bytes()
    assert "2 cleaned" in proc.stdout


def test_command_fails_with_non_zero_exit(tmp_path):
    proc = run_luigi("--input-dir", str(tmp_path / "missing"), "--output-dir", str(tmp_path / "out"))
    assert proc.returncode == 35, proc.stderr  # [retcode] scheduling_error in luigi.cfg
    assert "does not exist" in proc.stderr
    proc = run_luigi("--input-dir", str(SEEDS), "--output-dir", str(tmp_path / "o"), "--disable-rules", "no-such-rule")
    assert proc.returncode != 0


def test_an_unexpected_error_in_one_document_is_recorded(raw, tmp_path, monkeypatch):
    import tasks.documents as task_module

    real = task_module.clean_bytes

    def flaky(data, kind, config):
        if b"mountain railway" in data:
            raise RuntimeError("parser bug")
        return real(data, kind=kind, config=config)

    monkeypatch.setattr(task_module, "clean_bytes", flaky)
    out = tmp_path / "out"
    result = build(input_dir=str(raw), output_dir=str(out))
    assert result.status == luigi.execution_summary.LuigiStatusCode.FAILED  # the run says a document failed
    rows = {r["source"]: r for r in records(out)}
    assert rows["railway.html"] == {"id": "railway.html", "source": "railway.html", "output": None,
                                    "status": "error", "error": "RuntimeError: parser bug"}
    assert sum(r["status"] == "ok" for r in rows.values()) == 3


def test_a_batch_reads_cleans_and_writes_in_groups(tmp_path, monkeypatch):
    """Groups of three documents (or of the bytes of one seed): every document of the batch is
    cleaned once, in the plan's order, a failure inside a group stays its own, and the outputs
    equal those of a batch cleaned one document at a time."""
    import tasks.documents as task_module

    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(11):
        shutil.copy(SEEDS / ("000_d0a6f78d1ae77ada.txt" if n % 2 else "004_80a3f7a29bb85b9c.txt"), raw / f"doc-{n:02d}.txt")
    (raw / "doc-04.txt").write_bytes(b"")  # empty: an error in the middle of the second group
    one = tmp_path / "one-at-a-time"
    monkeypatch.setattr(task_module, "GROUP_DOCUMENTS", 1)
    build(input_dir=str(raw), output_dir=str(one), batch_size=100)
    for documents, size in ((3, 10**9), (100, 4000)):  # groups cut by count, then by bytes read
        monkeypatch.setattr(task_module, "GROUP_DOCUMENTS", documents)
        monkeypatch.setattr(task_module, "GROUP_BYTES", size)
        out = tmp_path / f"groups-{documents}"
        build(input_dir=str(raw), output_dir=str(out), batch_size=100)
        for path in (out / "_newsclean" / "records").glob("*.jsonl"):  # each batch in its plan's order
            sources = [json.loads(line)["source"] for line in path.read_text(encoding="utf-8").splitlines()]
            assert sources == sorted(sources)
        rows = sorted(records(out), key=lambda r: r["source"])
        assert [r["source"] for r in rows] == [f"doc-{n:02d}.txt" for n in range(11)]
        assert [r["status"] for r in rows] == ["ok"] * 4 + ["error"] + ["ok"] * 6
        assert "empty file" in rows[4]["error"]
        for n in range(11):
            name = f"doc-{n:02d}.txt"
            assert (out / name).exists() == (n != 4)
            if n != 4:
                assert (out / name).read_bytes() == (one / name).read_bytes()
        assert rows == sorted(records(one), key=lambda r: r["source"])


def test_bigger_batches_run_first(tmp_path):
    """Batches of content-defined sizes: the scheduler gets their input size as priority, so a
    big batch is not left for last while the other workers have nothing to do."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(60):
        (raw / f"doc-{n:03d}.txt").write_text(f"Report {n} was filed this morning.\n\n" + "A line of the report. " * (60 * (n % 7 + 1)))
    out = tmp_path / "out"
    assert build(input_dir=str(raw), output_dir=str(out), batch_size=4)
    stats = [json.loads(p.read_text()) for p in (out / "_newsclean" / "batches").glob("*.json")]
    assert len(stats) >= 5 and len({s["bytes_in"] // 1024 for s in stats}) >= 3
    in_run_order = [s["bytes_in"] // 1024 for s in sorted(stats, key=lambda s: s["finished_at"])]
    assert in_run_order == sorted(in_run_order, reverse=True)


def test_the_streaming_walk_lists_files_in_the_order_of_their_paths(tmp_path):
    """The planner walks folder by folder; the files must still come in the sorted order of whole
    paths (batch edges and ids depend on it): 'a/b.txt' < 'a/b/c.txt' < 'a/b0.txt'."""
    raw = tmp_path / "raw"
    names = ["a/b.txt", "a/b.html", "a/b-x.txt", "a/b0.txt", "a/b/c.txt", "a/b/c.htm", "a.txt", "A.txt",
             "a b/ü.txt", "z/y/x/w.html", "b.HTML", "a/b/d/e.txt", "a0/f.txt", "a-/g.txt"]
    for name in names:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text("text")
    (raw / "a" / "notes.md").write_text("not an input")
    found = [f.source for f in scan(raw, tmp_path / "out")]
    assert found == sorted(names)
    assert len(chunk(scan(raw, tmp_path / "out"), 3)) >= 2


def test_an_html_page_counts_as_ten_documents_in_a_batch():
    """With the default batch size a folder of a few hundred HTML pages still makes several batches
    for the workers to share; text documents count once; a batch ends once its work reaches three
    batches' (so it exceeds that by less than one page)."""
    from tasks.plan import HTML_WEIGHT, MAX_BATCH_FACTOR, InputFile

    pages = chunk([InputFile(f"2026/{n:05d}.html", 90_000, 0) for n in range(300)], 500)
    texts = chunk([InputFile(f"2026/{n:05d}.txt", 3_000, 0) for n in range(300)], 500)
    assert HTML_WEIGHT == 10 and len(pages) >= 3 and len(texts) <= 2
    assert sum(map(len, pages)) == 300 and max(map(len, pages)) * HTML_WEIGHT <= MAX_BATCH_FACTOR * 500
    mixed = chunk(sorted([InputFile(f"m/{n:05d}.txt", 1, 0) for n in range(2000)]
                         + [InputFile(f"m/{n:05d}.html", 1, 0) for n in range(200)], key=lambda f: f.source), 500)
    assert all(sum(HTML_WEIGHT if f.kind == "html" else 1 for f in part) < MAX_BATCH_FACTOR * 500 + HTML_WEIGHT
               for part in mixed)


def test_luigi_settings_reach_the_cleaning_config():
    from tasks.settings import CleanSettings, clean_config

    luigi.task_register.Register.clear_instance_cache()
    config = clean_config(CleanSettings(html_recall_check=True, prune_html=False, disable_rules="signoff, caption"))
    assert (config.html_recall_check, config.prune_html, config.disabled_rules) == (True, False, ("caption", "signoff"))
    assert config.fingerprint() != clean_config(CleanSettings()).fingerprint()


def test_the_planner_warms_the_html_extractor_only_for_html_work(tmp_path, monkeypatch):
    """The warm-up runs in the process that forks the batch processes, and only when a batch
    holds HTML (it costs 0.1 to 0.3 s)."""
    import pipeline.html.adapter
    import tasks.clean

    calls = []
    monkeypatch.setattr(pipeline.html.adapter, "warm_up", lambda: calls.append(1))
    monkeypatch.setattr(tasks.clean, "batches_fork", lambda: True)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEEDS / "000_d0a6f78d1ae77ada.txt", raw / "efe.txt")
    assert build(input_dir=str(raw), output_dir=str(tmp_path / "out"))
    assert calls == []
    shutil.copy(CASES / "html" / "div_soup.html", raw / "railway.html")
    assert build(input_dir=str(raw), output_dir=str(tmp_path / "out"))
    assert calls
    calls.clear()
    assert build(input_dir=str(raw), output_dir=str(tmp_path / "out"))  # all up to date
    assert calls == []


@pytest.mark.parametrize("argv, forks", [
    ([], False),
    (["--workers", "2"], True),
    (["--workers", "1", "--worker-force-multiprocessing"], True),
    (["--workers", "1", "--worker-timeout", "600"], True),
])
def test_batches_fork_follows_luigis_own_conditions(argv, forks):
    """Luigi runs a batch in a forked process with more than one worker, with
    force_multiprocessing or with a worker timeout; in one process the warm-up is skipped (a run
    whose pages never need jusText saves its 0.1 to 0.3 s)."""
    from luigi.cmdline_parser import CmdlineParser

    from tasks.clean import batches_fork

    luigi.task_register.Register.clear_instance_cache()
    with CmdlineParser.global_instance(["Clean", *argv]):
        assert batches_fork() is forks
    luigi.task_register.Register.clear_instance_cache()


def test_a_text_run_never_loads_trafilatura():
    """Loading trafilatura costs every run about 0.1 s of start-up: only HTML work pays it."""
    code = ("import sys, tasks, pipeline; pipeline.clean_text('Advertisement\\n\\nThe minister spoke.'); "
            "assert 'trafilatura' not in sys.modules, 'text loaded trafilatura'; "
            "pipeline.clean_html('<html><body><p>The minister spoke on Tuesday.</p></body></html>'); "
            "assert 'trafilatura' in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_summary_counts_removals_per_rule_and_per_code(raw, tmp_path):
    out = tmp_path / "out"
    build(input_dir=str(raw), output_dir=str(out))
    summary = json.loads((out / "_newsclean" / "last-run.json").read_text())
    by_code = summary["removals_by_code"]
    assert by_code["caption.agency-credit"] >= 2 and by_code["signoff"] == 1
    for rule, count in summary["removals_by_rule"].items():  # the codes of a rule add up to its count
        assert sum(n for code, n in by_code.items() if code.partition(".")[0] == rule) == count
    rows = {r["source"]: r for r in records(out)}
    page = rows["harbour.htm"]
    assert {r["lines_of"] for r in page["removals"]} <= {"html-source", "extracted-text"}
    assert all(r["lines_of"] == "input" for r in rows["wire/efe.txt"]["removals"])
    assert all(set(item) == {"kind", "text"} for item in page["restored"])
