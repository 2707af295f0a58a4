import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's luigi.cfg ([core] autoload_range, [retcode]) wherever pytest is started from.
os.environ.setdefault("LUIGI_CONFIG_PATH", str(ROOT / "luigi.cfg"))
SEEDS = ROOT / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = Path(__file__).resolve().parent / "cases"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.json from the current output")


@pytest.fixture
def update_golden(request):
    return request.config.getoption("--update-golden")
