"""The promises of RELIABILITY.md that a quick test can show: one current record per document
after a run that stopped half-way, claims between overlapping runs, limits that hold inside C code,
one failure per document, output names that never collide, inputs that are never touched."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import luigi
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, SEEDS

from tasks import CleanBatch
from tasks.plan import make_plan, output_name
from tasks.settings import clean_config, config_as_dict
from tasks.storage import owner_token

LUIGI = [sys.executable, "-c", "import sys; from luigi.cmdline import luigi_run; luigi_run(sys.argv[1:])"]
SEED = SEEDS / "000_d0a6f78d1ae77ada.txt"


def build(*tasks):
    luigi.task_register.Register.clear_instance_cache()
    return luigi.build(list(tasks), local_scheduler=True, detailed_summary=True, log_level="WARNING")


def clean(**params):
    from tasks import Clean

    return build(Clean(**params))


def record_rows(out: Path) -> list[dict]:
    rows = []
    for path in sorted((out / "_newsclean" / "records").glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return rows


def last_run(out: Path) -> dict:
    return json.loads((out / "_newsclean" / "last-run.json").read_text())


def stories(raw: Path, count: int, version: str = "first") -> None:
    raw.mkdir(exist_ok=True)
    for n in range(count):
        (raw / f"story{n:03d}.txt").write_text(
            f"Story {n}, {version} version: the council met on Tuesday and voted on the harbour budget.\n")


def test_a_run_stopped_after_its_first_batches_leaves_one_record_per_document_after_the_next(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    stories(raw, 30)
    assert clean(input_dir=str(raw), output_dir=str(out), batch_size=4).status.name == "SUCCESS"
    stories(raw, 30, "second")
    # a re-run that is killed after two batches: planned, two batches done, never summed up
    config = clean_config(luigi.task_register.Register.get_task_cls("Clean")())
    plan = make_plan(raw, out, config_as_dict(config), config.fingerprint(), 4)
    first_two = [CleanBatch(batch_id=b, output_dir=str(out), input_dir=str(raw)) for b, _, _ in plan.batches[:2]]
    assert build(*first_two)
    assert len(record_rows(out)) > 30  # old and new records side by side, as a kill leaves them
    assert clean(input_dir=str(raw), output_dir=str(out), batch_size=4).status.name == "SUCCESS"
    rows = record_rows(out)
    assert sorted(r["source"] for r in rows) == sorted(f"story{n:03d}.txt" for n in range(30))
    assert all("second version" in r["text"] for r in rows)


def test_a_batch_leaves_out_documents_another_run_holds_or_has_cleaned(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    stories(raw, 12)
    config = clean_config(luigi.task_register.Register.get_task_cls("Clean")())
    # two planners that cut the folder differently (another batch size)
    plan_a = make_plan(raw, out, config_as_dict(config), config.fingerprint(), 3)
    plan_b = make_plan(raw, out, config_as_dict(config), config.fingerprint(), 5)
    assert {b for b, _, _ in plan_a.batches}.isdisjoint(b for b, _, _ in plan_b.batches)
    # a live run holds story000.txt: its claim names a process that is alive (this one)
    claims = out / "_newsclean" / "claims"
    claims.mkdir(parents=True)
    (claims / "elsewhere.json").write_text(json.dumps({"owner": owner_token(out), "batch": "elsewhere",
                                                        "sources": ["story000.txt"]}))
    for plan, run in ((plan_a, "run-a"), (plan_b, "run-b")):  # two runs (their manifests name them)
        assert build(*[CleanBatch(batch_id=b, output_dir=str(out), input_dir=str(raw), run_by=run)
                       for b, _, _ in plan.batches])
    sources = [r["source"] for r in record_rows(out)]
    assert sorted(sources) == [f"story{n:03d}.txt" for n in range(1, 12)]  # each once; the held one by no one here
    (claims / "elsewhere.json").unlink()


def test_a_claim_of_a_dead_process_holds_nothing(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    stories(raw, 3)
    claims = out / "_newsclean" / "claims"
    claims.mkdir(parents=True)
    (claims / "dead.json").write_text(json.dumps({"owner": "gone.1.abc", "batch": "dead", "sources": ["story000.txt"]}))
    (out / "_newsclean" / "records").mkdir()
    (out / "_newsclean" / "records" / "dead.jsonl").write_text('{"source": "story000.txt"}\n')  # killed before its manifest
    assert clean(input_dir=str(raw), output_dir=str(out)).status.name == "SUCCESS"
    assert sorted(r["source"] for r in record_rows(out)) == ["story000.txt", "story001.txt", "story002.txt"]
    assert not (claims / "dead.json").exists()


def test_each_run_is_a_task_of_its_own_for_the_scheduler():
    """A re-run within the central scheduler's cooldown must run: its Clean task has a new id."""
    code = "import tasks; print(tasks.Clean().task_id)"
    ids = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
           for _ in range(2)}
    assert len(ids) == 2


@pytest.fixture
def raw_with_three(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEED, raw / name)
    return raw


def _fault_in(monkeypatch, name: str, fault):
    """Make cleaning the document whose bytes contain ``name``'s marker fail with ``fault``."""
    import tasks.documents as task_module

    real = task_module.clean_bytes

    def faulty(data, kind, config):
        if data.startswith(b"FAULT"):
            fault()
        return real(data, kind=kind, config=config)

    monkeypatch.setattr(task_module, "clean_bytes", faulty)


def _stuck_in_c_code():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as a long call into C code: no alarm gets in
    time.sleep(60)


def test_the_time_limit_holds_inside_code_the_alarm_cannot_interrupt(raw_with_three, tmp_path, monkeypatch):
    (raw_with_three / "b.txt").write_bytes(b"FAULT " + SEED.read_bytes())
    _fault_in(monkeypatch, "b.txt", _stuck_in_c_code)
    out = tmp_path / "out"
    started = time.monotonic()
    clean(input_dir=str(raw_with_three), output_dir=str(out), time_limit=0.5)
    assert time.monotonic() - started < 20
    rows = {r["source"]: r for r in record_rows(out)}
    assert "longer than the time limit of 0.5 s and was stopped by force" in rows["b.txt"]["error"]
    assert rows["a.txt"]["status"] == rows["c.txt"]["status"] == "ok"


def test_a_document_that_needs_too_much_memory_fails_alone(raw_with_three, tmp_path, monkeypatch):
    (raw_with_three / "b.txt").write_bytes(b"FAULT " + SEED.read_bytes())
    _fault_in(monkeypatch, "b.txt", lambda: bytearray(400 * 1024 * 1024))
    out = tmp_path / "out"
    clean(input_dir=str(raw_with_three), output_dir=str(out), memory_limit=200)
    rows = {r["source"]: r for r in record_rows(out)}
    assert rows["b.txt"]["error"].startswith("MemoryError: cleaning needed more memory than the limit")
    assert rows["a.txt"]["status"] == rows["c.txt"]["status"] == "ok"


def test_a_document_that_kills_its_worker_is_recorded_and_its_batch_goes_on(raw_with_three, tmp_path, monkeypatch):
    (raw_with_three / "b.txt").write_bytes(b"FAULT " + SEED.read_bytes())
    _fault_in(monkeypatch, "b.txt", lambda: os.kill(os.getpid(), signal.SIGKILL))
    out = tmp_path / "out"
    clean(input_dir=str(raw_with_three), output_dir=str(out))
    rows = {r["source"]: r for r in record_rows(out)}
    assert rows["b.txt"]["error"].startswith("WorkerDied: the process cleaning this document was killed by SIGKILL")
    assert rows["a.txt"]["status"] == rows["c.txt"]["status"] == "ok"
    assert last_run(out)["failed"] == 1


def test_an_output_path_taken_by_a_folder_fails_that_document_only(raw_with_three, tmp_path):
    out = tmp_path / "out"
    (out / "b.txt").mkdir(parents=True)  # someone made a folder where b's text goes
    (out / "b.txt" / "keep").write_text("not ours")
    clean(input_dir=str(raw_with_three), output_dir=str(out))
    rows = {r["source"]: r for r in record_rows(out)}
    assert rows["b.txt"]["status"] == "error" and rows["a.txt"]["status"] == rows["c.txt"]["status"] == "ok"
    assert (out / "b.txt" / "keep").read_text() == "not ours"


def test_inputs_whose_names_look_alike_get_outputs_of_their_own(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "a.txt").mkdir(parents=True)  # a folder named like a text file, beside a page of that stem
    names = ["x.html", "x.html.txt", "x.txt", "a.html", "a.txt/b.txt", "X.HTML", "y.htm.txt.txt"]
    for n, name in enumerate(names):
        path = raw / name
        if name.endswith((".html", ".HTML")):
            path.write_text(f"<html><body><p>Page {n} says the harbour wall will be rebuilt next year.</p></body></html>")
        else:
            path.write_text(f"Text {n} says the harbour wall will be rebuilt next year.\n")
    clean(input_dir=str(raw), output_dir=str(out))
    rows = {r["source"]: r for r in record_rows(out)}
    assert set(rows) == set(names) and all(r["status"] == "ok" for r in rows.values())
    assert len({r["output"] for r in rows.values()}) == len(names) and len({r["id"] for r in rows.values()}) == len(names)
    for source, row in rows.items():
        n = names.index(source)
        assert f" {n} says" in (out / row["output"]).read_text(), source


paths = st.lists(st.lists(st.sampled_from(["a", "a.txt", "a.txt_", "a.d", "b.html", "b.html.txt", "b.htm", "B.HTML", "c.TXT",
                                           "c.txt.txt", "d.html.txt.txt"]), min_size=1, max_size=3),
                 min_size=1, max_size=12)


@given(paths)
def test_output_names_never_collide(parts_list):
    inputs = {"/".join(parts) for parts in parts_list if parts[-1].lower().endswith((".txt", ".html", ".htm"))}
    folders = {"/".join(parts[:i]) for parts in parts_list for i in range(1, len(parts))}
    inputs -= folders  # a name is a file or a folder, not both
    outputs = {output_name(source) for source in inputs}
    assert len(outputs) == len(inputs)
    out_folders = {"/".join(output_name(source + "/x.txt").split("/")[:-1]) for source in folders}
    assert outputs.isdisjoint(out_folders)


def test_an_input_folder_inside_the_output_folder_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    raw = out / "raw"
    raw.mkdir(parents=True)
    shutil.copy(SEED, raw / "story.txt")
    (raw / ".newsclean-tmp-keep").write_text("an input that looks like a temp file")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    proc = subprocess.run(LUIGI + ["--module", "tasks", "Clean", "--input-dir", str(raw), "--output-dir", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 35
    assert "inside the output dir" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_the_same_folder_twice_is_refused_in_one_line_and_leaves_no_lock_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / "story.txt")
    proc = subprocess.run(LUIGI + ["--module", "tasks", "Clean", "--input-dir", str(raw), "--output-dir", str(raw)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 35 and "Traceback" not in proc.stderr, proc.stderr
    assert "is the input dir" in proc.stderr
    assert sorted(p.name for p in raw.rglob("*")) == ["story.txt"]


def test_a_link_that_leads_out_of_the_input_folder_is_not_read(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("A private note that lives outside the input folder and must stay there.\n")
    (raw / "link.txt").symlink_to(secret)
    shutil.copy(SEED, raw / "story.txt")
    (raw / "inside.txt").symlink_to(raw / "story.txt")  # a link inside the folder is an input like any other
    clean(input_dir=str(raw), output_dir=str(out))
    rows = {r["source"]: r for r in record_rows(out)}
    assert rows["link.txt"]["status"] == "error" and "leads out of the input folder" in rows["link.txt"]["error"]
    assert "private note" not in json.dumps(rows) and not (out / "link.txt").exists()
    assert rows["inside.txt"]["status"] == "ok"


def test_a_file_that_was_away_for_a_moment_is_cleaned_by_the_next_run(raw_with_three, tmp_path, monkeypatch):
    import tasks.documents as task_module

    real = task_module.read_input

    def away(path, limit, root=None):
        if str(path).endswith("b.txt"):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real(path, limit, root)

    out = tmp_path / "out"
    monkeypatch.setattr(task_module, "read_input", away)
    clean(input_dir=str(raw_with_three), output_dir=str(out))
    assert last_run(out)["failed"] == 1
    monkeypatch.setattr(task_module, "read_input", real)
    assert clean(input_dir=str(raw_with_three), output_dir=str(out)).status.name == "SUCCESS"
    assert (last_run(out)["cleaned"], last_run(out)["failed"]) == (1, 0)
    assert [r["status"] for r in record_rows(out)].count("ok") == 3


def test_files_of_other_kinds_are_counted_in_the_summary(raw_with_three, tmp_path):
    (raw_with_three / "notes.md").write_text("# notes")
    (raw_with_three / "data.json").write_text("{}")
    out = tmp_path / "out"
    clean(input_dir=str(raw_with_three), output_dir=str(out))
    assert last_run(out)["skipped"] == {".json": 1, ".md": 1}


def test_an_empty_disable_rules_on_the_command_line_clears_the_config_file(tmp_path):
    cfg = tmp_path / "luigi.cfg"
    cfg.write_text((ROOT / "luigi.cfg").read_text().replace("[Clean]", "[Clean]\ndisable_rules = signoff"))
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / "story.txt")
    env = dict(os.environ, LUIGI_CONFIG_PATH=str(cfg))
    for extra, signed in (([], True), (["--disable-rules", ""], False)):
        out = tmp_path / f"out{len(extra)}"
        proc = subprocess.run(LUIGI + ["--module", "tasks", "Clean", "--input-dir", str(raw), "--output-dir", str(out),
                                       *extra], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
        assert proc.returncode == 0, proc.stderr
        assert (out / "story.txt").read_text().rstrip().endswith("EFE") == signed
