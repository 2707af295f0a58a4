"""Writing files whole or not at all: write a temp file beside the target, fsync, rename."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Iterable

TEMP_PREFIX = ".newsclean-tmp-"


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def write_jsonl_atomic(path: Path, rows: Iterable[dict]) -> None:
    lines = (json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n" for row in rows)
    write_atomic(path, "".join(lines).encode("utf-8", "surrogateescape"))


def read_jsonl(path: Path) -> list[dict]:
    with open(path, "rb") as handle:
        return [json.loads(line) for line in handle if line.strip()]
