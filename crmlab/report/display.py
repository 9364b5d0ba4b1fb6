"""What a notebook shows a reader: labelled, readably formatted tables, notes on skipped sections, the summary.

* :func:`show` — a table labelled in the reader's language (:func:`crmlab.i18n.label_table`)
  and formatted for reading: counts without decimals, shares and rates as percentages, yes/no for flags,
  ordinary numbers with fixed decimals (never scientific notation; values too small to
  show print as "<0.001"), text never truncated.
* :func:`skipped` — the one-line note a section prints when the user's data does not
  include its input (the section is skipped, never filled from bundled data).
* :func:`show_summary` — the manager's summary, built from the results the notebook
  recorded (:func:`crmlab.report.results.recorded`) by the notebook's summary function in
  :mod:`crmlab.report.summaries`.  The cell calling it is tagged ``summary``; the HTML
  report shows that cell first.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..i18n import check_lang, label_table, t

PERCENT_SUFFIXES = ("_share", "_rate", "share", "_pct")
SUMMARY_TAG = "summary"


def _number(x, decimals: int) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return "–"
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    x = float(x)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    smallest = 10.0 ** -decimals
    if x != 0 and abs(x) < smallest:
        return f"<{smallest:.{decimals}f}" if x > 0 else f">−{smallest:.{decimals}f}"
    return f"{x:,.{decimals}f}"


def _percent(x, decimals: int) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return "–"
    return f"{100 * float(x):,.{decimals}f}%"


def is_percent_column(name) -> bool:
    """Shares and rates (names ending in ``_share``, ``_rate``, …) are shown as percentages."""
    return isinstance(name, str) and (name.endswith(PERCENT_SUFFIXES) or name.startswith("share_"))


def show(table: pd.DataFrame | pd.Series, lang: str = "en", *, context: str | None = None, user_columns: bool = False,
         percent: Iterable[str] = (), integer: Iterable[str] = (), decimals: int = 3):
    """A copy of the table labelled in ``lang`` with its numbers as readable text (for display only).

    ``percent`` / ``integer`` name extra columns to show as percentages / whole numbers
    (share and rate columns are found by name); other numbers get ``decimals`` decimals.
    Pandas escapes the text when the notebook shows it; set ``pd.set_option("display.max_colwidth",
    None)`` once so no text is cut (the notebooks' setup cell does).
    """
    check_lang(lang)
    frame = table.to_frame() if isinstance(table, pd.Series) else table.copy()
    percent, integer = set(percent), set(integer)
    out = frame.astype(object)
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_bool_dtype(s):  # yes / no in the reader's language, not Python's True / False
            out[col] = [t("yes" if x else "no", lang) for x in s]
            continue
        if not pd.api.types.is_numeric_dtype(s):
            continue
        if col in percent or is_percent_column(col):
            out[col] = [_percent(x, max(decimals - 2, 1)) for x in s]
        elif col in integer or pd.api.types.is_integer_dtype(s):
            out[col] = [_number(int(x), 0) if pd.notna(x) else "–" for x in s]
        else:
            out[col] = [_number(x, decimals) for x in s]
    return label_table(out, lang, context=context, user_columns=user_columns)


def skipped(section: str, need: str, lang: str = "en"):
    """The note of a section skipped because the user's data lacks its input (``section`` and ``need`` are term keys)."""
    from IPython.display import Markdown

    return Markdown(f"*{t('section_skipped', lang).format(section=t(section, lang), need=t(need, lang))}*")


def show_summary(notebook: str, lang: str = "en"):
    """The manager's summary of ``notebook`` from the results it recorded (Markdown; the cell is tagged ``summary``)."""
    from IPython.display import Markdown

    from .results import recorded
    from .summaries import summary_markdown

    return Markdown(summary_markdown(notebook, recorded(), lang))
