"""report.html: a run's page, opened in a real headless browser (Chromium, Debian's package
``chromium``), shows the run's totals, removals per rule with samples, languages and failures."""
import shutil
import subprocess

import luigi
import pytest
from lxml import html

from conftest import SEEDS
from tasks import Clean

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (apt-get install chromium)")
def test_the_report_page_shows_the_run(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, raw / seed.name)
    (raw / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    luigi.task_register.Register.clear_instance_cache()
    luigi.build([Clean(input_dir=str(raw), output_dir=str(out))], local_scheduler=True, log_level="WARNING")
    page = out / "_newsclean" / "report.html"
    shown = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                           capture_output=True, text=True, timeout=120, check=True).stdout
    dom = html.fromstring(shown)
    assert dom.get_element_by_id("cleaned").text_content() == "2 cleaned"
    assert dom.get_element_by_id("failed").text_content() == "1 failed"
    rules = {row[0].text_content(): row for row in dom.get_element_by_id("rules").iter("tr")}
    assert rules["caption"][1].text_content() == "2"
    assert "photo caption ending in an agency" in rules["caption"][2].text_content()  # a sample and its reason
    assert rules["caption"][2].find(".//span").get("style").startswith("width:")  # its bar
    languages = {row[0].text_content(): row[1].text_content() for row in dom.get_element_by_id("languages").iter("tr")}
    assert languages == {"en": "2"}
    failures = dom.get_element_by_id("failures").text_content()
    assert "broken.html" in failures and "PNG" in failures
