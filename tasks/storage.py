"""Writing files whole or not at all, and cleaning up after writers that were killed.

Every file is written to a temp file beside its target and renamed over it, so a reader sees the
old file or the new one, never a part. A temp file's name carries its writer's token,
``.newsclean-tmp-<token>-<random>``; each writing process holds a lock on
``OUT/_newsclean/owners/<token>.lock`` for as long as it lives. A writer killed mid-write (SIGKILL,
power cut) leaves its temp file behind; ``sweep_temps`` removes exactly the temp files whose
owner lock is free, so a live writer in another process or machine never loses a file.
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import socket
from pathlib import Path
from typing import Iterable

TEMP_PREFIX = ".newsclean-tmp-"
OWNERS = Path("_newsclean") / "owners"

_owners: dict[str, str] = {}  # output dir -> this process's token there (its lock stays open)
_owners_pid = os.getpid()


def owner_token(output_dir: Path) -> str:
    """This process's token in ``output_dir``, with its owner lock taken on first use (again after
    a fork). The lock file lives in the folder whose temp files it vouches for."""
    global _owners_pid
    if _owners_pid != os.getpid():
        _owners.clear()
        _owners_pid = os.getpid()
    key = str(output_dir.resolve())
    if key not in _owners:
        host = "".join(c if c.isalnum() else "_" for c in socket.gethostname())[:24]
        token = f"{host}.{os.getpid()}.{secrets.token_hex(3)}"
        folder = output_dir / OWNERS
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / f"{token}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        _owners[key] = token
    return _owners[key]


def write_atomic(path: Path | str, data: bytes, token: str = "", durable: bool = True) -> None:
    """Write ``data`` to ``path`` whole or not at all. ``durable`` fsyncs the file before the rename;
    bulk writers pass False and call ``sync_written`` once before they record the work as done.
    (Plain ``os`` calls: this runs once per document, and creating a file is most of its cost.)"""
    fd, temp = _open_temp(path, token)
    try:
        try:
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def _open_temp(path: Path | str, token: str) -> tuple[int, str]:
    """A new temp file beside ``path`` (its folder made if it is new), and its name."""
    folder = os.path.dirname(path) or "."  # a bare file name is in the working folder
    temp = os.path.join(folder, f"{TEMP_PREFIX}{token}-{secrets.token_hex(6)}")
    try:
        return os.open(temp, _CREATE, 0o644), temp
    except FileNotFoundError:  # the folder is new (or went away): make it, once
        os.makedirs(folder, exist_ok=True)
        return os.open(temp, _CREATE, 0o644), temp


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class AtomicWriter:
    """``write_atomic`` for data that comes in parts: ``with AtomicWriter(path, token) as out:
    out.write(part) ...; out.commit()`` writes every part to a temp file and renames it over
    ``path`` on commit (no fsync: the caller syncs once for many files); leaving the block without
    a commit removes the temp file, so ``path`` keeps its old content or stays absent."""

    def __init__(self, path: Path | str, token: str = "") -> None:
        self.path = str(path)
        self.fd, self.temp = _open_temp(self.path, token)

    def __enter__(self) -> "AtomicWriter":
        return self

    def write(self, data: bytes) -> None:
        _write_all(self.fd, data)

    def commit(self) -> None:
        os.close(self.fd)
        self.fd = -1
        os.replace(self.temp, self.path)

    def __exit__(self, *exc) -> None:
        if self.fd != -1:
            os.close(self.fd)
            try:
                os.unlink(self.temp)
            except FileNotFoundError:
                pass


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def sync_written() -> None:
    """Flush every file written so far to disk (one call per batch instead of one fsync per file)."""
    os.sync()


def jsonl_bytes(rows: Iterable[dict]) -> bytes:
    """JSON lines in UTF-8; a row holding a file name that is not valid UTF-8 is written with
    ASCII escapes instead, so the file stays valid UTF-8 and the name round-trips."""
    out = []
    for row in rows:
        try:
            out.append((_JSON_UTF8.encode(row) + "\n").encode("utf-8"))
        except UnicodeEncodeError:
            out.append((_JSON_ASCII.encode(row) + "\n").encode("ascii"))
    return b"".join(out)


# What json.dumps(row, ensure_ascii=...) writes, with encoders made once (dumps makes one per call
# when an option is not the default) and no check for cycles (rows are trees of plain values):
# the same text in less time, once per document.
_JSON_UTF8 = json.JSONEncoder(ensure_ascii=False, check_circular=False)
_JSON_ASCII = json.JSONEncoder(ensure_ascii=True, check_circular=False)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, "rb") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def owner_alive(folder: Path, token: str) -> bool:
    """Whether the process that owns ``token`` still holds its lock."""
    try:
        fd = os.open(folder / f"{token}.lock", os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also releases the lock if we took it
    return False


def sweep_temps(output_dir: Path) -> int:
    """Remove temp files left by writers that died; return how many. Skips live writers' files."""
    folder = output_dir / OWNERS
    alive: dict[str, bool] = {}
    removed = 0
    for root, dirs, files in os.walk(output_dir):
        for name in files:
            if not name.startswith(TEMP_PREFIX):
                continue
            token = name[len(TEMP_PREFIX):].rpartition("-")[0]
            if token not in alive:
                alive[token] = bool(token) and owner_alive(folder, token)
            if not alive[token]:
                try:
                    os.unlink(os.path.join(root, name))
                    removed += 1
                except FileNotFoundError:
                    pass
    if folder.is_dir():  # forget owners that are gone
        for lock in folder.glob("*.lock"):
            token = lock.name[: -len(".lock")]
            if token not in _owners.values() and not owner_alive(folder, token):
                try:
                    lock.unlink()
                except FileNotFoundError:
                    pass
    return removed


class FileLock:
    """An exclusive ``flock`` on an existing file, released on exit (or when the process dies)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> "FileLock":
        self.fd = os.open(self.path, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)
