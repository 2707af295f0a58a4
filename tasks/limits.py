"""A time limit for cleaning one document, so that one page cannot stall a worker."""
from __future__ import annotations

import signal
import threading


class TimeLimitExceeded(BaseException):
    """Cleaning one document took longer than its time limit.

    A BaseException, like KeyboardInterrupt, so that the ``except Exception`` blocks inside
    the extraction libraries cannot swallow it and return a half-done result."""


class TimeLimit:
    """A time limit for each of many documents in a row: ``with TimeLimit(seconds) as limit:``
    installs the SIGALRM handler once, then ``limit.start()`` before each document and
    ``limit.stop()`` after it (in a ``finally``) arm and clear the timer. (Installing a handler
    costs several times what arming the timer does: a batch pays it once, not once per
    document.) Outside the main thread, without SIGALRM or with ``seconds`` 0 or less,
    there is no limit and start and stop do nothing.

    SIGALRM interrupts Python code and ``re``; a single call into C code that never returns to
    Python (none is known in the cleaning path) would end only when it returns."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.usable = seconds > 0 and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
        self._previous = None

    def __enter__(self) -> "TimeLimit":
        if self.usable:
            self._previous = signal.signal(signal.SIGALRM, self._expire)
        return self

    def __exit__(self, *exc) -> None:
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)

    def start(self) -> None:
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _expire(self, signum, frame):
        raise TimeLimitExceeded(f"cleaning took longer than the time limit of {self.seconds:g} s")
