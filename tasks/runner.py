"""A batch's documents are cleaned in a child process that the batch's own process watches.

A document can hold its worker in ways the worker cannot stop from inside: a call into C code
(libxml2 on an element with 300,000 attributes) runs on past the alarm that stops Python code,
and a page can grow the process until the system kills it. So the batch's process forks a child
that does the work and sends each document's result back through a pipe; before each step on a
document the child writes the document's index and the time into a page shared with its parent.

- Time: the parent kills the child once a step has run ``HARD_LIMIT_FACTOR`` times the time limit
  and a second (the child's own alarm stops Python code on time; the kill is for C code).
- Memory: the child may grow by ``memory_mb`` of address space; a document that needs more fails
  to allocate (MemoryError), and its child is replaced after it, to start from a clean heap.
- A document that kills its child (a crash, the system's OOM killer) is found in the shared page.

The document in hand is recorded as failed, and a new child goes on with the documents whose
results did not come back; no other document of the batch is lost.
"""
from __future__ import annotations

import mmap
import os
import pickle
import resource
import signal
import struct
import time
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any, Callable, Iterator, Sequence

HARD_LIMIT_FACTOR = 1.5
HARD_LIMIT_GRACE = 1.0  # seconds
POLL_SECONDS = 0.2
RESTART = 3  # a child's exit status: it finished the results it had and wants a fresh process
_MARK = struct.Struct("<qd")  # (index of the document in hand or -1, time.monotonic() at its step)


@dataclass(frozen=True)
class Failed:
    """A document its child did not survive, and why."""

    error: str


class Child:
    """The child's side: ``at(i)`` before each step on document i, ``send(i, result)`` after it."""

    def __init__(self, mark: mmap.mmap, conn: Connection) -> None:
        self._mark, self._conn = mark, conn

    def at(self, index: int) -> None:
        _MARK.pack_into(self._mark, 0, index, time.monotonic())

    def send(self, index: int, result: Any) -> None:
        self._conn.send_bytes(pickle.dumps((index, result), pickle.HIGHEST_PROTOCOL))


Work = Callable[[Sequence[int], Child], bool]  # runs in the child; True: replace the child after it


def supervise(count: int, work: Work, time_limit: float, memory_mb: int) -> Iterator[tuple[int, Any]]:
    """(index, result) for each of ``count`` documents as results arrive, or (index, Failed) for a
    document that stopped its child. ``work(indexes, child)`` cleans the given documents in the
    child, calling ``child.send`` for each."""
    hard_limit = time_limit * HARD_LIMIT_FACTOR + HARD_LIMIT_GRACE if time_limit > 0 else 0.0
    todo = list(range(count))
    while todo:
        done: set[int] = set()
        for index, result in _one_child(todo, work, hard_limit, time_limit, memory_mb):
            done.add(index)
            yield index, result
        todo = [i for i in todo if i not in done]


def _one_child(todo: list[int], work: Work, hard_limit: float, time_limit: float,
               memory_mb: int) -> Iterator[tuple[int, Any]]:
    mark = mmap.mmap(-1, _MARK.size)
    _MARK.pack_into(mark, 0, -1, time.monotonic())
    reader, writer = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            reader.close()
            _limit_memory(memory_mb)
            status = RESTART if work(todo, Child(mark, writer)) else 0
            writer.close()
        except BaseException:  # (the parent records the document in hand as failed)
            status = 1
        finally:
            os._exit(status)
    writer.close()
    killed_for_time = ended = False
    received = 0
    try:
        while True:
            if reader.poll(POLL_SECONDS):
                try:
                    index, result = pickle.loads(reader.recv_bytes())
                except EOFError:
                    ended = True
                    break
                received += index >= 0
                yield index, result
                continue
            index, started = _MARK.unpack_from(mark, 0)
            if hard_limit and index >= 0 and time.monotonic() - started > hard_limit:
                killed_for_time = True
                break
    finally:
        if not ended:  # over time, or the batch stopped reading (an error of its own)
            os.kill(pid, signal.SIGKILL)
        reader.close()
        _, status = os.waitpid(pid, 0)
    index, _ = _MARK.unpack_from(mark, 0)
    mark.close()
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) in (0, RESTART) and received:
        return  # (a child that sent nothing has its first document recorded: every round makes progress)
    culprit = index if index in todo else todo[0]  # (died before its first step: the first document)
    yield culprit, Failed(_why(status, killed_for_time, time_limit, memory_mb))


def _why(status: int, killed_for_time: bool, time_limit: float, memory_mb: int) -> str:
    if killed_for_time:
        return (f"TimeLimitExceeded: cleaning took longer than the time limit of {time_limit:g} s "
                "and was stopped by force (inside a call into compiled code)")
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        hint = f" (the system may have run out of memory; the limit per document is {memory_mb:,} MB)" \
            if number == signal.SIGKILL else ""
        return f"WorkerDied: the process cleaning this document was killed by {name}{hint}"
    return f"WorkerDied: the process cleaning this document ended (status {os.WEXITSTATUS(status)}) without its result"


def _limit_memory(memory_mb: int) -> None:
    """Let this process grow by ``memory_mb`` of address space from here (0: no limit)."""
    if memory_mb <= 0:
        return
    with open("/proc/self/statm", encoding="ascii") as statm:
        size = int(statm.read().split()[0]) * mmap.PAGESIZE
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = size + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))
