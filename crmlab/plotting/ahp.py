"""Charts of AHP results (:mod:`crmlab.ahp`): the synthesis of alternatives under a hierarchy.

``plot_ahp_synthesis(result)`` draws each alternative's global priority as a horizontal
bar split into the criteria's contributions; follows ``plot_x(result, *, ax=None, lang="en") -> Axes``.
"""
from __future__ import annotations

import numpy as np

from ..ahp import AHPSynthesis
from ..i18n import check_lang, t, translate_labels
from ..validation import CrmlabValueError
from . import new_axes

PALETTE = ["#1f5a96", "#d98c3f", "#3a9d5d", "#7d5ba6", "#b5443b", "#5b8fa8", "#a6893a", "#777777"]


def plot_ahp_synthesis(result: AHPSynthesis, *, ax=None, lang: str = "en", labels: dict | None = None):
    """Global priority per alternative (best on top), stacked by criterion contribution, rank and CR status in labels.

    ``labels``: display names of criteria and alternatives; given (even empty), names not in it are
    shown as they are (a user's names); ``None``: names that are crmlab terms are translated."""
    check_lang(lang)
    if not isinstance(result, AHPSynthesis):
        raise CrmlabValueError(f"plot_ahp_synthesis needs the AHPSynthesis of crmlab.ahp.ahp_synthesis, got {type(result).__name__}")
    order = result.table.sort_values("priority").index
    contrib = result.contributions.loc[order]
    fig, ax = new_axes(ax, figsize=(8.0, 0.45 * len(order) + 1.8))
    y = np.arange(len(order))
    left = np.zeros(len(order))
    shown = (lambda xs: translate_labels(xs, lang)) if labels is None else (lambda xs: [labels.get(x, x) for x in xs])
    names = shown(list(contrib.columns))
    for k, (c, name) in enumerate(zip(contrib.columns, names)):
        ax.barh(y, contrib[c], left=left, color=PALETTE[k % len(PALETTE)], label=name)
        left += contrib[c].to_numpy()
    for yy, v in zip(y, left):
        ax.text(v, yy, f" {v:.3f}", va="center", fontsize=8)
    ax.set_yticks(y, shown(list(order)))
    ax.set_xlim(0, left.max() * 1.15)
    ax.set_xlabel(t("ahp_global_priority", lang))
    ax.set_ylabel(t("ahp_alternative", lang))
    ax.set_title(t("ahp_synthesis_title", lang))
    ax.legend(loc="lower right", title=t("criterion", lang))
    ax.grid(axis="y", visible=False)
    return ax
