"""python -m pipeline: one article from a file or stdin, body or JSON record out."""
import json
import subprocess
import sys

from conftest import CASES, GOLDEN, ROOT, SEEDS

SEED = SEEDS / "000_d0a6f78d1ae77ada.txt"


def run(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, input=stdin, capture_output=True, timeout=120)


def test_file_argument_prints_the_body():
    proc = run(str(SEED))
    assert proc.returncode == 0 and proc.stdout == (GOLDEN / SEED.name).read_bytes()


def test_stdin_and_json_record():
    proc = run("--json", stdin=SEED.read_bytes())
    assert proc.returncode == 0
    record = json.loads(proc.stdout)
    assert record["title"].startswith("Russian delegation") and record["kind"] == "text"
    assert [r["rule"] for r in record["removals"]] == ["caption", "title", "caption", "signoff"]


def test_html_is_detected_or_forced():
    page = (CASES / "html" / "div_soup.html").read_bytes()
    detected, forced = run(stdin=page), run("--html", stdin=page)
    assert detected.returncode == forced.returncode == 0
    assert detected.stdout == forced.stdout and b"mountain railway reopened" in detected.stdout


def test_disable_a_rule():
    proc = run("--disable", "signoff", str(SEED))
    assert proc.stdout.endswith(b"Beijing and Moscow. EFE\n")


def test_bad_input_exits_3_with_a_message():
    proc = run(stdin=b"%PDF-1.5\n" + bytes(64))
    assert proc.returncode == 3 and b"binary data" in proc.stderr
    proc = run("/no/such/file.txt")
    assert proc.returncode == 3 and b"No such file" in proc.stderr
