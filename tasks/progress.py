"""A progress line for a run on a terminal: documents done of the planned total, documents a
second, time left. Each batch writes how many of its documents are done to
``OUT/_newsclean/progress/<batch>`` about once a second (its status on luigid says the same);
the process that planned the run sums them. Nothing is printed when stderr is not a terminal."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from .manifest import STATE_DIR
from .storage import write_atomic

INTERVAL_SECONDS = 1.0


def _path(output_dir: Path, batch_id: str) -> Path:
    return output_dir / STATE_DIR / "progress" / batch_id


def report(output_dir: Path, batch_id: str, done: int, token: str) -> None:
    write_atomic(_path(output_dir, batch_id), str(done).encode("ascii"), token, durable=False)


def forget(output_dir: Path, batch_id: str) -> None:
    _path(output_dir, batch_id).unlink(missing_ok=True)


def done_of(output_dir: Path, batches: tuple[tuple[str, int, int], ...]) -> int:
    """Documents done in ``batches`` ((id, documents, bytes)): a finished batch counts whole."""
    done = 0
    for batch_id, count, _ in batches:
        if (output_dir / STATE_DIR / "manifest" / f"{batch_id}.jsonl").exists():
            done += count
            continue
        try:
            done += int(_path(output_dir, batch_id).read_text())
        except (OSError, ValueError):
            pass
    return done


class ProgressLine(threading.Thread):
    """Rewrites one line of stderr until ``stop()``; a daemon, so it never holds the process."""

    def __init__(self, output_dir: Path, batches: tuple[tuple[str, int, int], ...], stream=None) -> None:
        super().__init__(daemon=True)
        self.output_dir, self.batches = output_dir, batches
        self.total = sum(count for _, count, _ in batches)
        self.stream = stream or sys.stderr
        self._stopped = threading.Event()
        self._began = time.monotonic()

    def run(self) -> None:
        while not self._stopped.wait(INTERVAL_SECONDS):
            if self._draw() >= self.total:  # all done (the summary may come from another process)
                self.stop()

    def stop(self) -> None:
        if not self._stopped.is_set():
            self._stopped.set()
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> int:
        done = done_of(self.output_dir, self.batches)
        seconds = max(time.monotonic() - self._began, 1e-6)
        rate = done / seconds
        left = f", {_clock((self.total - done) / rate)} left" if rate and done < self.total else ""
        self.stream.write(f"\rnewsclean: {done:,}/{self.total:,} documents, {rate:,.0f}/s{left}   ")
        self.stream.flush()
        return done


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def start(output_dir: Path, batches: tuple[tuple[str, int, int], ...]) -> ProgressLine | None:
    """A progress line if stderr is a terminal and there is work, else None."""
    if not batches or not sys.stderr.isatty():
        return None
    line = ProgressLine(output_dir, batches)
    line.start()
    return line
