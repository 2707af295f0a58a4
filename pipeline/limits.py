"""A time limit for cleaning one document, so that one page cannot stall a worker."""
from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator


class TimeLimitExceeded(BaseException):
    """Cleaning one document took longer than its time limit.

    A BaseException, like KeyboardInterrupt, so that the ``except Exception`` blocks inside
    the extraction libraries cannot swallow it and return a half-done result."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block after ``seconds`` of wall time (0 or less: no limit).

    Uses SIGALRM, so it works in the main thread of a process (Luigi runs each task there); in
    any other thread, or where SIGALRM does not exist, the block runs without a limit. Python code
    and ``re`` are interrupted; a single call into C code that never returns to Python (none is
    known in the cleaning path) would end only when it returns.
    """
    usable = seconds > 0 and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded(f"cleaning took longer than the time limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
