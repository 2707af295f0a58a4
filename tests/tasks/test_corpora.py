"""Collections: JSON Lines files (plain or gzip) hold documents that are planned, cleaned and
recorded one by one; broken lines and a cut-off gzip stream are error records of their own."""
import gzip
import json

import luigi

from conftest import GOLDEN, SEEDS, load_rows
from tasks import Clean
from tasks.export import export

SEED = SEEDS / "000_d0a6f78d1ae77ada.txt"
PAGE = "<html><body><p>The council voted on Tuesday to rebuild the old harbour wall, officials said.</p></body></html>"


def run(raw, out):
    luigi.task_register.Register.clear_instance_cache()
    luigi.build([Clean(input_dir=str(raw), output_dir=str(out), batch_size=3)], local_scheduler=True, log_level="WARNING")
    return json.loads((out / "_newsclean" / "last-run.json").read_text())


def records(out):
    rows = {}
    for path in (out / "_newsclean" / "records").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert row["source"] not in rows
            rows[row["source"]] = row
    return rows


def test_documents_of_json_lines_files_are_cleaned_one_by_one(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    lines = [json.dumps({"id": "efe-1", "text": SEED.read_text(encoding="utf-8"), "url": "https://x.example/1", "lang": "en"}),
             json.dumps({"id": "page/2", "html": PAGE}),
             "{not json",
             json.dumps({"id": "efe-1", "text": "A second document under the same id, one sentence long."}),
             json.dumps({"id": "no-text", "title": "only a title"})]
    (raw / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(raw / "pages.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:2]) + "\n")
    broken = gzip.compress(("\n".join(lines) + "\n").encode())
    (raw / "cut.jsonl.gz").write_bytes(broken[: len(broken) // 2])
    summary = run(raw, out)
    rows = records(out)
    assert (summary["cleaned"], summary["failed"]) == (5, 3)
    efe = rows["wire.jsonl#efe-1"]
    assert efe["text"] == (GOLDEN / SEED.name).read_text(encoding="utf-8") == (out / efe["output"]).read_text(encoding="utf-8")
    assert efe["output"] == "wire.jsonl.d/efe-1.txt" and efe["url"] == "https://x.example/1"
    assert efe["fields"] == {"url": "https://x.example/1", "lang": "en"}
    assert rows["wire.jsonl#page/2"]["kind"] == "html" and rows["wire.jsonl#page/2"]["output"] == "wire.jsonl.d/page%2F2.txt"
    assert rows["wire.jsonl#efe-1~4"]["status"] == "ok"  # a repeated id keeps a name of its own
    assert "not JSON" in rows["wire.jsonl#3"]["error"] and "no 'text' or 'html'" in rows["wire.jsonl#no-text"]["error"]
    assert rows["pages.jsonl.gz#page/2"]["text"] == rows["wire.jsonl#page/2"]["text"]
    assert any(source.startswith("cut.jsonl.gz#") and "breaks off" in row["error"] for source, row in rows.items())
    # unchanged files: up to date; a changed file's documents are cleaned again, one record each
    assert run(raw, out)["cleaned"] == 0
    (raw / "wire.jsonl").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    assert run(raw, out)["cleaned"] == 2
    assert len([s for s in records(out) if s.startswith("wire.jsonl#efe-1")]) >= 1
    exported = {row["source"]: row for row in load_rows(export(out, tmp_path / "corpus")[0])}
    assert json.loads(exported["wire.jsonl#efe-1"]["fields"]) == {"url": "https://x.example/1", "lang": "en"}


def write_warc(path, pages, gzip_records=True):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        for url, body, content_type in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.0")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def test_html_responses_of_warc_files_are_pages_with_their_url_and_date(tmp_path):
    from conftest import CASES

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    page = (CASES / "html" / "div_soup.html").read_bytes()
    pages = [("https://news.example/a", page, "text/html"), ("https://news.example/logo", b"\x89PNG", "image/png"),
             ("https://news.example/empty", b"", "text/html"), ("https://news.example/b", page, "text/html; charset=utf-8")]
    write_warc(raw / "crawl.warc.gz", pages)
    write_warc(raw / "plain.warc", pages[:1], gzip_records=False)
    whole = (raw / "crawl.warc.gz").read_bytes()
    (raw / "cut.warc.gz").write_bytes(whole[: int(len(whole) * 0.95)])  # breaks off inside the last page
    summary = run(raw, out)
    rows = records(out)
    assert set(rows) == {"crawl.warc.gz#https://news.example/a", "crawl.warc.gz#https://news.example/empty",
                         "crawl.warc.gz#https://news.example/b", "plain.warc#https://news.example/a",
                         "cut.warc.gz#https://news.example/a", "cut.warc.gz#https://news.example/empty",
                         "cut.warc.gz#https://news.example/b"}  # the image is no document
    page_a = rows["crawl.warc.gz#https://news.example/a"]
    assert page_a["status"] == "ok" and "mountain railway reopened" in page_a["text"]
    assert page_a["url"] == "https://news.example/a" and page_a["date"] and page_a["fields"]["warc_record_id"]
    assert page_a["output"] == "crawl.warc.gz.d/https%3A%2F%2Fnews.example%2Fa.txt"
    assert rows["plain.warc#https://news.example/a"]["text"] == page_a["text"]
    assert "without a body" in rows["crawl.warc.gz#https://news.example/empty"]["error"]
    assert "cut off" in rows["cut.warc.gz#https://news.example/b"]["error"]
    assert rows["cut.warc.gz#https://news.example/a"]["status"] == "ok"
    assert (summary["cleaned"], summary["failed"]) == (4, 3)


def test_a_gzip_file_that_breaks_off_keeps_the_documents_before_the_break(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    lines = [json.dumps({"id": f"n{i}", "text": f"Story {i} says the council voted on the harbour budget on Tuesday."})
             for i in range(200)]
    whole = gzip.compress(("\n".join(lines) + "\n").encode())
    (raw / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    summary = run(raw, out)
    rows = records(out)
    broken = [row for row in rows.values() if row["status"] == "error"]
    assert len(broken) == 1 and "breaks off after line" in broken[0]["error"]
    assert summary["cleaned"] == len(rows) - 1 > 50  # every whole line before the break is a document
    assert rows["cut.jsonl.gz#n0"]["text"].startswith("Story 0 says")


def test_an_unchanged_collection_is_not_read_again_to_plan(tmp_path, monkeypatch):
    import tasks.plan

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "wire.jsonl").write_text(json.dumps({"id": "1", "text": "A story of one sentence, filed today."}) + "\n")
    assert run(raw, out)["cleaned"] == 1
    monkeypatch.setattr(tasks.plan, "members", lambda path: (_ for _ in ()).throw(AssertionError("read again")))
    assert run(raw, out)["up_to_date"] == 1  # the last plan's reading of it is used
    monkeypatch.undo()
    (raw / "wire.jsonl").write_text(json.dumps({"id": "2", "text": "Another story, filed later, one sentence."}) + "\n")
    assert run(raw, out)["cleaned"] == 1
