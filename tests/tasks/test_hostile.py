"""Hostile input and faults: every bad document gets a clear recorded error, good documents are
still cleaned, inputs are never touched, nothing is written outside the output folder."""
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import luigi
import pytest

from conftest import GOLDEN, ROOT, SEEDS
from tasks.plan import output_name

LUIGI = [sys.executable, "-c", "import sys; from luigi.cmdline import luigi_run; luigi_run(sys.argv[1:])"]
SEED = SEEDS / "000_d0a6f78d1ae77ada.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n" + bytes(range(256)) * 8 + b"\nendstream\n"
ARTICLE = ("<html><head><title>Harbour wall</title></head><body><article>"
           + "<p>The council voted on Tuesday to rebuild the old harbour wall, which has protected the town for a century.</p>"
           * 3 + "</article></body></html>")


def hostile_corpus(raw: Path) -> dict[str, str]:
    """The files, and what each must come to: 'ok' or the words its error must contain."""
    raw.mkdir()
    expect = {}

    def put(name: str, data: bytes, outcome: str) -> None:
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[name] = outcome

    put("good/seed.txt", SEED.read_bytes(), "ok")
    put("good/article.html", ARTICLE.encode(), "ok")
    put("empty.txt", b"", "empty file")
    put("empty.html", b"", "empty file")
    put("blank.txt", b"  \n\t\n   \n", "only whitespace")
    put("image.html", PNG, "PNG")
    put("image.txt", PNG, "PNG")
    put("paper.txt", PDF, "PDF")
    put("archive.html", gzip.compress(ARTICLE.encode()), "gzip")
    put("bad-utf8.txt", SEED_TEXT.encode("utf-8")[:400] + b"\xff\xfe\xc3(" + SEED_TEXT.encode("utf-8")[400:], "ok")
    put("cp1252.txt", "Der Bürgermeister sagte, die Straße werde für 2 Mio. € saniert – „rasch“.\n".encode("cp1252"), "ok")
    put("latin1.txt", "Le maire a déclaré que la rénovation coûtera cher à la ville.\n".encode("latin-1"), "ok")
    put("utf16-bom.txt", SEED_TEXT.encode("utf-16"), "ok")
    put("utf16-nobom.txt", SEED_TEXT.encode("utf-16-le"), "ok")
    put("nul-inside.txt", SEED_TEXT[:300].encode() + b"\x00\x00" + SEED_TEXT[300:].encode(), "ok")
    put("nul-only.txt", b"\x00" * 4096, "binary")
    put("deep.html", b"<html><body>" + b"<div>" * 100_000 + b"<p>Deep.</p>" + b"</div>" * 100_000 + b"</body></html>",
        "nested deeper")
    put("unterminated.html", b"<html><body><p>The harbour wall will be rebuilt next year, the council said on Tuesday.<div <p class=\"x",
        "ok")
    put("one-line.txt", ("The council met again and voted on the harbour budget, officials said. " * 70_000).encode()[:5_000_000],
        "ok")
    put("huge.html", b"<html><body>" + b"<p>Paragraph of a very large page.</p>" * (52_500_000 // 38) + b"</body></html>",
        "over the limit")
    put("story one.txt", SEED.read_bytes(), "ok")
    put("nachricht-über.txt", SEED.read_bytes(), "ok")
    put("line\nbreak.txt", SEED.read_bytes(), "ok")
    put("日本語/記事.html", ARTICLE.encode(), "ok")
    os.symlink("loop-b.txt", raw / "loop-a.txt")
    os.symlink("loop-a.txt", raw / "loop-b.txt")
    expect["loop-a.txt"] = expect["loop-b.txt"] = "symbolic links"
    os.symlink("nowhere.txt", raw / "dangling.txt")
    expect["dangling.txt"] = "No such file"
    os.mkfifo(raw / "pipe.txt")
    expect["pipe.txt"] = "not a regular file"
    return expect


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under folder with its kind, stamps and content hash (links not followed)."""
    state = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            info = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else ""
            state[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return state


def records_by_source(out: Path) -> dict[str, dict]:
    rows = {}
    for path in (out / "_newsclean" / "records").glob("*.jsonl"):
        for line in path.read_bytes().decode("utf-8").splitlines():  # strict UTF-8
            row = json.loads(line)
            rows[row["source"]] = row
    return rows


def run(*args):
    return subprocess.run(LUIGI + ["--module", "tasks", "Clean", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def test_every_bad_document_is_recorded_and_every_good_one_cleaned(tmp_path):
    raw = tmp_path / "raw"
    expect = hostile_corpus(raw)
    before = snapshot(raw)
    out = tmp_path / "out"
    outside = set(os.listdir(tmp_path))
    proc = run("--input-dir", str(raw), "--output-dir", str(out), "--batch-size", "4")
    assert proc.returncode == 30, proc.stderr  # some documents failed: [retcode] task_failed
    rows = records_by_source(out)
    assert set(rows) == set(expect)
    for source, outcome in expect.items():
        row = rows[source]
        if outcome == "ok":
            assert row["status"] == "ok", (source, row.get("error"))
            assert (out / row["output"]).read_text(encoding="utf-8") == row["text"]
            assert row["text"].strip(), source
        else:
            assert row["status"] == "error" and outcome in row["error"], (source, row)
            assert row["output"] is None and not (out / output_name(source)).exists()
            assert f"failed: {source}" in proc.stdout  # the summary names the file and the error
    # the good documents are cleaned exactly as on their own
    golden = (GOLDEN / "000_d0a6f78d1ae77ada.txt").read_bytes()
    for name in ("good/seed.txt", "story one.txt", "nachricht-über.txt", "line\nbreak.txt", "utf16-bom.txt",
                 "utf16-nobom.txt"):
        assert (out / name).read_bytes() == golden, name
    assert "Bürgermeister" in (out / "cp1252.txt").read_text(encoding="utf-8")
    assert "déclaré" in (out / "latin1.txt").read_text(encoding="utf-8")
    assert "\x00" not in (out / "nul-inside.txt").read_text(encoding="utf-8")
    assert (out / "日本語" / "記事.html.txt").exists()
    # inputs untouched; nothing written beside the output folder; summary counts match
    assert snapshot(raw) == before
    assert set(os.listdir(tmp_path)) == outside | {"out"}
    summary = json.loads((out / "_newsclean" / "last-run.json").read_text())
    failed = sum(1 for outcome in expect.values() if outcome != "ok")
    assert (summary["cleaned"], summary["failed"]) == (len(expect) - failed, failed)
    assert not [p for p in out.rglob(".newsclean-tmp-*")]


def test_exit_status_and_retrying_failed_documents(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    (raw / "broken.html").write_bytes(PNG)
    out = tmp_path / "out"
    first = run("--input-dir", str(raw), "--output-dir", str(out))
    assert first.returncode == 30 and "failed: broken.html: InputError: binary data (a PNG image)" in first.stdout
    assert "--retry-failed" in first.stderr  # the error tells how to retry
    # a failure is tried once more by the next run (a file may have been away for a moment) ...
    again = run("--input-dir", str(raw), "--output-dir", str(out))
    assert again.returncode == 30 and "0 cleaned, 1 up to date, 1 failed" in again.stdout, again.stdout
    # ... and, failed the same way twice, left alone: the run has nothing new to fail on
    third = run("--input-dir", str(raw), "--output-dir", str(out))
    assert third.returncode == 0 and "1 failed before and unchanged" in third.stdout, third.stdout
    # retried on request, still broken: fails again
    retry = run("--input-dir", str(raw), "--output-dir", str(out), "--retry-failed")
    assert retry.returncode == 30 and "0 cleaned, 1 up to date, 1 failed" in retry.stdout, retry.stdout
    # fixed: the next plain run picks it up because it changed
    (raw / "broken.html").write_text(ARTICLE)
    fixed = run("--input-dir", str(raw), "--output-dir", str(out))
    assert fixed.returncode == 0 and "1 cleaned, 1 up to date, 0 failed" in fixed.stdout, fixed.stdout
    assert "harbour wall" in (out / "broken.html.txt").read_text()
    assert len([r for r in records_by_source(out).values() if r["source"] == "broken.html"]) == 1


def cleaned_seed(tmp_path) -> tuple[Path, Path]:
    """A folder with the seed as story.txt, cleaned once."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(SEED, raw / "story.txt")
    assert run("--input-dir", str(raw), "--output-dir", str(out)).returncode == 0
    assert (out / "story.txt").exists()
    return raw, out


def test_a_document_that_now_fails_loses_its_stale_output(tmp_path):
    raw, out = cleaned_seed(tmp_path)
    (raw / "story.txt").write_bytes(PDF)  # the scraper overwrote it with junk
    proc = run("--input-dir", str(raw), "--output-dir", str(out))
    assert proc.returncode == 30
    row = records_by_source(out)["story.txt"]
    assert row["status"] == "error" and row["stale_output"].startswith("removed")
    assert not (out / "story.txt").exists()  # no reader takes the old text for the current input


def test_a_config_change_that_fails_keeps_the_output_of_the_same_input(tmp_path):
    raw, out = cleaned_seed(tmp_path)
    proc = run("--input-dir", str(raw), "--output-dir", str(out), "--disable-rules", "signoff", "--time-limit", "1e-9")
    assert proc.returncode == 30 and "time limit" in proc.stdout, proc.stdout
    assert (out / "story.txt").read_bytes() == (GOLDEN / "000_d0a6f78d1ae77ada.txt").read_bytes()


def test_time_limit_turns_a_slow_page_into_a_recorded_error(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    big = b"<html><body>" + b"".join(b"<p>Paragraph %d of an enormous page, one sentence long.</p>\n" % i
                                     for i in range(60_000)) + b"</body></html>"
    (raw / "slow.html").write_bytes(big)
    shutil.copy(SEED, raw / "fast.txt")
    out = tmp_path / "out"
    proc = run("--input-dir", str(raw), "--output-dir", str(out), "--time-limit", "0.5")
    assert proc.returncode == 30
    rows = records_by_source(out)
    assert "longer than the time limit of 0.5 s" in rows["slow.html"]["error"]
    assert rows["fast.txt"]["status"] == "ok"


def test_one_time_limit_serves_a_batch_of_documents():
    import signal
    import time

    from tasks.limits import TimeLimit, TimeLimitExceeded

    before = signal.getsignal(signal.SIGALRM)
    outcomes = []
    with TimeLimit(0.05) as limit:
        for seconds in (0.0, 0.2, 0.0):  # a quick document, one over the limit, a quick one again
            limit.start()
            try:
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    pass
                outcomes.append("done")
            except TimeLimitExceeded as error:
                outcomes.append(str(error))
            finally:
                limit.stop()
        time.sleep(0.1)  # stopped: no alarm between documents
    assert outcomes == ["done", "cleaning took longer than the time limit of 0.05 s", "done"]
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def build(**params):
    from tasks import Clean

    luigi.task_register.Register.clear_instance_cache()
    return luigi.build([Clean(**params)], local_scheduler=True, detailed_summary=True, log_level="WARNING")


def test_files_that_vanish_or_become_unreadable_during_the_run(tmp_path, monkeypatch):
    import tasks.clean as task_module
    import tasks.documents as documents

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a-vanishes.txt", "b-unreadable.txt", "c-fine.txt"):
        shutil.copy(SEED, raw / name)
    real_plan, real_read = task_module.make_plan, documents.read_input

    def plan_then_break(*args, **kwargs):  # the files change after planning, before cleaning
        plan = real_plan(*args, **kwargs)
        (raw / "a-vanishes.txt").unlink()
        (raw / "b-unreadable.txt").chmod(0)
        return plan

    def read_as_unprivileged(path, limit, root=None):  # root may read a mode-000 file; the scraper's user may not
        path = Path(path)
        if path.name == "b-unreadable.txt" and path.stat().st_mode & 0o777 == 0:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path, limit, root)

    monkeypatch.setattr(task_module, "make_plan", plan_then_break)
    monkeypatch.setattr(documents, "read_input", read_as_unprivileged)
    out = tmp_path / "out"
    result = build(input_dir=str(raw), output_dir=str(out))
    assert result.status == luigi.execution_summary.LuigiStatusCode.FAILED
    rows = records_by_source(out)
    assert "FileNotFoundError" in rows["a-vanishes.txt"]["error"]
    assert "Permission denied" in rows["b-unreadable.txt"]["error"]
    assert rows["c-fine.txt"]["status"] == "ok"


@pytest.mark.parametrize("name", ["../escape.txt", "a/../../escape.txt", "/etc/escape.txt"])
def test_an_output_name_that_would_leave_the_output_folder_is_refused(tmp_path, name):
    from tasks.documents import safe_target

    # scan() only yields names inside the input folder; a hand-edited plan is refused as well
    with pytest.raises(ValueError):
        safe_target(tmp_path / "out", name)
    assert Path(safe_target(tmp_path / "out", "a/b c.txt")) == tmp_path / "out" / "a" / "b c.txt"
    with pytest.raises(ValueError):  # nor into the state folder, however the name is written
        safe_target(tmp_path / "out", "./_newsclean/manifest/x.jsonl")
