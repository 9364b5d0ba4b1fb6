"""Every crmlab chart: one style, bilingual labels, figures returned not shown.

Plot functions follow seaborn's shape: ``plot_x(result, *, ax=None, lang="en")``
returns the ``Axes`` and never calls ``plt.show()``.  Call :func:`use_style`
once (notebooks do it in their set-up cell); plot functions apply the style
themselves through :func:`new_axes` too.

Chinese labels use *Noto Sans CJK SC* Regular and Bold (SIL Open Font License
1.1), shipped with crmlab as a GB2312 subset (:mod:`crmlab.fonts`), registered
with matplotlib's font manager as a per-glyph fallback behind DejaVu Sans, so
Chinese renders on a machine with no system CJK font and Latin text keeps its
usual look.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import font_manager

from ..fonts import CJK_BOLD, CJK_REGULAR
from ..validation import check_choice

STYLE_PATH = Path(__file__).with_name("crmlab.mplstyle")
CJK_FONT_NAME = "Noto Sans CJK SC"
FIGSIZE_WIDE = (9.0, 5.0)
FIGSIZE_SQUARE = (7.0, 6.5)


def cjk_font_path(weight: str = "regular") -> Path:
    """Path of the bundled Noto Sans CJK SC font file (``weight`` "regular" or "bold")."""
    paths = {"regular": CJK_REGULAR, "bold": CJK_BOLD}
    check_choice(weight, "weight", paths)
    if not paths[weight].is_file():
        raise RuntimeError(f"CJK font file missing from the crmlab package: {paths[weight]} (reinstall crmlab)")
    return paths[weight]


@cache
def register_cjk_font() -> str:
    """Add the CJK font (Regular and Bold) to matplotlib's font manager, once, and return its family name."""
    for weight in ("regular", "bold"):
        font_manager.fontManager.addfont(str(cjk_font_path(weight)))
    return CJK_FONT_NAME


def use_style() -> None:
    """Apply crmlab's matplotlib style and the Latin + CJK font fallback chain globally."""
    plt.style.use(STYLE_PATH)
    family = register_cjk_font()
    # A list of families gives per-glyph fallback (matplotlib >= 3.6): Latin from
    # DejaVu Sans, anything it lacks (Chinese) from the CJK font.
    mpl.rcParams["font.family"] = ["DejaVu Sans", family]
    mpl.rcParams["svg.fonttype"] = "path"


def new_axes(ax=None, *, figsize=None):
    """Return ``(fig, ax)``: the given Axes and its figure, or a new styled figure."""
    if ax is not None:
        return ax.figure, ax
    use_style()
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def save_figure(fig, path_stem, *, formats=("png", "svg")) -> list[Path]:
    """Save ``fig`` as ``path_stem.png`` / ``.svg`` (and any other formats) and return the paths."""
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        p = stem.with_suffix(f".{fmt}")
        fig.savefig(p, format=fmt)
        paths.append(p)
    return paths
