"""The trafilatura that pipeline.html.adapter was written for is the one installed."""
from importlib.metadata import version

from pipeline.html.adapter import TRAFILATURA_VERSION


def test_the_installed_trafilatura_is_the_one_the_adapter_was_written_for():
    installed = version("trafilatura")
    assert installed == TRAFILATURA_VERSION, (
        f"trafilatura {installed} is installed; pipeline/html/adapter.py was written for {TRAFILATURA_VERSION}. "
        "Before moving TRAFILATURA_VERSION (and the pin in pyproject.toml): re-check every name adapter.py imports "
        "from trafilatura, that trafilatura_body still gives bare_extraction's body and that every swapped selector "
        "is still translated (tests/html/test_html.py, tests/html/test_selectors.py), that warm_up still finds "
        "the jusText stop list, then update the golden files on purpose (--update-golden).")
