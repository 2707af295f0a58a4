"""newsclean export: the current records of an output folder as one corpus, in a fixed schema."""
import json
import shutil

import luigi
import pytest

from conftest import CASES, SEEDS, load_rows
from tasks import Clean
from tasks.export import COLUMNS, export


@pytest.fixture
def cleaned(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(SEEDS / "000_d0a6f78d1ae77ada.txt", raw / "efe.txt")
    shutil.copy(SEEDS / "004_80a3f7a29bb85b9c.txt", raw / "afp.txt")
    shutil.copy(CASES / "html" / "div_soup.html", raw / "railway.html")
    (raw / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    luigi.task_register.Register.clear_instance_cache()
    luigi.build([Clean(input_dir=str(raw), output_dir=str(out), batch_size=2)], local_scheduler=True, log_level="WARNING")
    return out


def test_jsonl_export_has_one_row_per_document_and_the_same_columns_in_every_row(cleaned, tmp_path):
    (path,) = export(cleaned, tmp_path / "corpus")
    rows = load_rows(path)
    assert sorted(r["source"] for r in rows) == ["afp.txt", "broken.html", "efe.txt", "railway.html"]
    assert all(list(r) == list(COLUMNS) for r in rows)
    efe = next(r for r in rows if r["source"] == "efe.txt")
    assert efe["text"] == (cleaned / "efe.txt").read_text(encoding="utf-8")
    assert {"rule": "caption", "count": 2} in efe["removals_by_rule"]
    broken = next(r for r in rows if r["source"] == "broken.html")
    assert broken["status"] == "error" and broken["text"] is None and "PNG" in broken["error"]


def test_shards_and_parquet(cleaned, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    shards = export(cleaned, tmp_path / "shards", shard_size=3)
    assert [p.name for p in shards] == ["corpus-00000-of-00002.jsonl", "corpus-00001-of-00002.jsonl"]
    assert sum(len(load_rows(p)) for p in shards) == 4
    (path,) = export(cleaned, tmp_path / "parquet", fmt="parquet")
    table = pq.read_table(path)
    assert table.num_rows == 4 and table.schema.names == list(COLUMNS)
    jsonl = load_rows(export(cleaned, tmp_path / "one")[0])
    assert sorted(table.to_pylist(), key=lambda r: r["source"]) == sorted(jsonl, key=lambda r: r["source"])


def test_export_of_a_folder_without_records_says_so(tmp_path):
    from tasks.cli import main

    assert main(["export", str(tmp_path)]) == 2
