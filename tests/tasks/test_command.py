"""The installed ``newsclean`` command, and ``luigi --module tasks Clean`` started outside the
repository: the package carries the Luigi settings it needs (tasks/defaults.py)."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import GOLDEN, ROOT, SEEDS

BIN = Path(sys.executable).parent
SEED = SEEDS / "000_d0a6f78d1ae77ada.txt"


def elsewhere(tmp_path) -> dict:
    """An environment with no luigi.cfg of the repository in sight."""
    env = dict(os.environ)
    env.pop("LUIGI_CONFIG_PATH", None)
    return env


def command(*args, cwd, env, stdin=None):
    return subprocess.run([str(BIN / "newsclean"), *args], cwd=cwd, env=env, input=stdin, capture_output=True,
                          text=True, timeout=300)


def test_newsclean_cleans_files_and_prints_its_version(tmp_path):
    env = elsewhere(tmp_path)
    assert command("--version", cwd=tmp_path, env=env).stdout.startswith("newsclean ")
    proc = command(str(SEED), cwd=tmp_path, env=env)
    assert proc.returncode == 0 and proc.stdout == (GOLDEN / SEED.name).read_text(encoding="utf-8")
    proc = command("--json", str(SEED), str(tmp_path / "missing.txt"), cwd=tmp_path, env=env)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 3 and [r["status"] for r in rows] == ["ok", "error"]  # the rest is still cleaned


def test_newsclean_run_works_from_any_folder_with_the_exit_codes(tmp_path):
    env = elsewhere(tmp_path)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / "story.txt")
    proc = command("run", "--input-dir", "raw", "--output-dir", "out", "--workers", "2", cwd=tmp_path, env=env)
    assert proc.returncode == 0 and "1 cleaned" in proc.stdout, proc.stderr
    assert (tmp_path / "out" / "story.txt").read_bytes() == (GOLDEN / SEED.name).read_bytes()
    (raw / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    luigi = subprocess.run([str(BIN / "luigi"), "--module", "tasks", "Clean", "--input-dir", "raw", "--output-dir", "out"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert luigi.returncode == 30 and "failed: broken.html" in luigi.stdout, luigi.stderr  # not a hang, not 0


def local_scheduler(*argv: str, config: str | None = None) -> str:
    code = ("import sys; sys.argv = ['luigi', *sys.argv[1:]]; import tasks; from luigi.configuration import get_config; "
            "print(get_config().get('core', 'local_scheduler', fallback='unset'))")
    env = dict(os.environ)
    env.pop("LUIGI_CONFIG_PATH", None)
    if config:
        env["LUIGI_CONFIG_PATH"] = config
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT.parent, env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_local_scheduler_is_the_default_unless_a_scheduler_is_named():
    assert local_scheduler() == "true"
    assert local_scheduler("--scheduler-host", "10.0.0.1") == "unset"
    assert local_scheduler(config=str(ROOT / "deploy" / "central.cfg")) == "false"


def test_a_run_on_a_terminal_shows_a_progress_line_and_one_in_cron_does_not(tmp_path):
    import pty

    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(40):
        (raw / f"story{n}.txt").write_text(SEED.read_text(encoding="utf-8") + f"\n\nStory {n}.\n", encoding="utf-8")
    env = elsewhere(tmp_path)
    args = [str(BIN / "newsclean"), "run", "--input-dir", "raw", "--batch-size", "5"]
    main, side = pty.openpty()
    proc = subprocess.Popen(args + ["--output-dir", "tty"], cwd=tmp_path, env=env, stdin=side, stdout=side, stderr=side)
    os.close(side)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    assert proc.wait(timeout=300) == 0
    assert b"\rnewsclean: 40/40 documents, " in shown and b"40 cleaned" in shown
    piped = subprocess.run(args + ["--output-dir", "cron"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and "documents, " not in piped.stderr + piped.stdout  # cron's log gets the summary only
