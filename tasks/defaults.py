"""The Luigi settings newsclean needs wherever it is started (cron, another folder, an installed
command): the local scheduler unless a scheduler is configured, and exit codes that tell cron
what happened. A setting that any luigi.cfg Luigi reads (``/etc/luigi/luigi.cfg``,
``./luigi.cfg``, ``LUIGI_CONFIG_PATH``) or the command line gives wins over these."""
from __future__ import annotations

import sys
from typing import Sequence

from luigi.configuration import get_config

DEFAULTS = {
    "core": {"local_scheduler": "true", "autoload_range": "false", "log_level": "WARNING"},
    # Without these a failed run exits 0 (README, Exit status).
    "retcode": {"already_running": "10", "missing_data": "20", "not_run": "25", "task_failed": "30",
                "scheduling_error": "35", "unhandled_exception": "40"},
}
_SCHEDULER_FLAGS = ("--scheduler-host", "--scheduler-port", "--scheduler-url",
                    "--core-scheduler-host", "--core-scheduler-port", "--core-scheduler-url")


def apply(argv: Sequence[str] = ()) -> None:
    """Fill in what no configuration file says; ``argv``: the command line (a scheduler named
    there means no local scheduler)."""
    config = get_config()
    remote = (any(arg.split("=")[0] in _SCHEDULER_FLAGS for arg in argv)
              or any(config.has_option("core", key) for key in ("scheduler_host", "scheduler_url", "default-scheduler-host")))
    for section, values in DEFAULTS.items():
        for key, value in values.items():
            if key == "local_scheduler" and remote:
                continue
            if not config.has_section(section):
                config.add_section(section)
            if not config.has_option(section, key):
                config.set(section, key, value)


apply(sys.argv)
