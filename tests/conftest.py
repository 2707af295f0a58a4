import os
from pathlib import Path

import pytest
from hypothesis import settings

# The property tests draw the same examples on every run, so a red test run is a regression and
# not a new random draw. HYPOTHESIS_PROFILE=hunt draws new examples each time, to look for bugs
# (that is how the soft-hyphen mojibake case in test_encoding.py was found).
settings.register_profile("fixed", derandomize=True)
settings.register_profile("hunt", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

ROOT = Path(__file__).resolve().parent.parent
# The project's luigi.cfg ([core] autoload_range, [retcode]) wherever pytest is started from.
os.environ.setdefault("LUIGI_CONFIG_PATH", str(ROOT / "luigi.cfg"))
SEEDS = ROOT / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = Path(__file__).resolve().parent / "cases"


def load_rows(path: Path) -> list[dict]:
    """The rows of a JSON Lines file."""
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.json from the current output")


@pytest.fixture
def update_golden(request):
    return request.config.getoption("--update-golden")
