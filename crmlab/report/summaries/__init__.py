"""Managers' summaries: each notebook's key findings, in the reader's language, built from its recorded results.

A summary function takes the results a notebook recorded (:func:`crmlab.report.results.recorded`,
the same values that reach ``<notebook>.results.json``) and the language, and returns the
findings as short Markdown sentences — each a number and what it implies for action.  Results
a run did not produce (a section skipped on user data) are simply left out.  Functions
register under the notebook's name with :func:`summary`; one module per theme.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from ...i18n import check_lang, t
from ...validation import CrmlabValueError

_SUMMARIES: dict[str, Callable[[dict, str], list[str]]] = {}


def summary(notebook: str):
    """Register the decorated function as ``notebook``'s summary: ``f(results, lang) -> list of Markdown sentences``."""
    def register(func):
        _SUMMARIES[notebook] = func
        return func
    return register


def _load() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def summary_markdown(notebook: str, results: dict, lang: str = "en") -> str:
    """The summary of ``notebook`` as Markdown: a heading and one bullet per finding."""
    check_lang(lang)
    _load()
    if notebook not in _SUMMARIES:
        raise CrmlabValueError(f"no summary is registered for notebook {notebook!r}; known: {sorted(_SUMMARIES)}")
    findings = _SUMMARIES[notebook](results, lang)
    if not findings:
        findings = [t("summary_nothing", lang)]
    return f"## {t('summary_title', lang)}\n\n" + "\n".join(f"- {f}" for f in findings)
