"""The one bridge from Luigi parameters (command line > luigi.cfg [Clean] > defaults) to the
library's CleanConfig."""
from __future__ import annotations

from dataclasses import asdict

import luigi
from luigi.cmdline_parser import CmdlineParser

from pipeline import CleanConfig

_DEFAULTS = CleanConfig()
# The most address space one document may add to the process that cleans it: with the process's
# own size, a worker stays under 1 GB.
MEMORY_LIMIT_MB = 768


class ListParameter(luigi.Parameter):
    """A comma-separated list where an empty value on the command line means an empty list: Luigi
    drops an empty command-line value (``--disable-rules ""``) and would take luigi.cfg's list."""

    def _value_iterator(self, task_name, param_name):
        parser = CmdlineParser.get_instance()
        if parser is not None:
            args = parser.known_args
            local = getattr(args, "root_task", None) == task_name and getattr(args, param_name, None) == ""
            if local or getattr(args, self._parser_global_dest(param_name, task_name), None) == "":
                yield "", None
        yield from super()._value_iterator(task_name, param_name)


class CleanSettings(luigi.Config):
    """Parameters shared by every way of running Clean; luigi.cfg section [Clean] sets them too."""

    input_dir = luigi.Parameter(default="seeds", description="folder of raw articles (*.txt, *.html, *.htm), read recursively")
    output_dir = luigi.Parameter(default="data/clean", description="folder for the clean text and the records")
    batch_size = luigi.IntParameter(default=500, description="documents per Luigi task (an HTML page counts 10)")
    prune_html = luigi.BoolParameter(default=_DEFAULTS.prune_html, parsing=luigi.BoolParameter.EXPLICIT_PARSING,
                                     description="prune structural boilerplate from the HTML tree (true/false)")
    html_recall_check = luigi.BoolParameter(default=_DEFAULTS.html_recall_check, parsing=luigi.BoolParameter.EXPLICIT_PARSING,
                                            description="also try trafilatura's recall mode on every page (not only where "
                                            "little text was found) and keep it when it finds half as much text again "
                                            "(true/false; slower)")
    disable_rules = ListParameter(default="", description="comma-separated rule names to skip (\"\" for none)")
    over_removal_ratio = luigi.FloatParameter(default=_DEFAULTS.over_removal_ratio,
                                              description="warn when more than this share of a document is removed")
    max_input_bytes = luigi.IntParameter(default=_DEFAULTS.max_input_bytes,
                                         description="refuse larger input files (a recorded error)")
    time_limit = luigi.FloatParameter(default=60.0, description="seconds one document may take; 0: no limit")
    memory_limit = luigi.IntParameter(default=MEMORY_LIMIT_MB, description="MB of memory one document may take "
                                      "while it is cleaned; 0: no limit")
    retry_failed = luigi.BoolParameter(default=False, description="clean again documents that failed before "
                                       "and have not changed since")


def clean_config(settings: CleanSettings) -> CleanConfig:
    rules = tuple(name.strip() for name in settings.disable_rules.split(",") if name.strip())
    return CleanConfig(
        prune_html=settings.prune_html,
        html_recall_check=settings.html_recall_check,
        disabled_rules=rules,
        over_removal_ratio=settings.over_removal_ratio,
        max_input_bytes=settings.max_input_bytes,
    )


def config_from_dict(values: dict) -> CleanConfig:
    values = dict(values)
    values["disabled_rules"] = tuple(values.get("disabled_rules", ()))
    return CleanConfig(**values)


def config_as_dict(config: CleanConfig) -> dict:
    values = asdict(config)
    values["disabled_rules"] = list(config.disabled_rules)
    return values
