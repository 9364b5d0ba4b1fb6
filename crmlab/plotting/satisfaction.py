"""Charts for SPEC §1: SERVQUAL gaps, Kano, Better–Worse, loyalty curve, fuzzy result, PCA/CSI.

Every function has the shape ``plot_x(result, *, ax=None, lang="en") -> Axes``, takes the
result object that the matching ``crmlab.satisfaction`` / ``crmlab.kano`` call returns, labels
through :mod:`crmlab.i18n` and never shows the figure.  The path diagram and the index bars of
the PLS models live in :mod:`crmlab.plotting.pls`; :func:`index_model_positions` gives them the
classic ACSI/ECSI layout.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import check_lang, label, t
from ..kano import CATEGORIES, CATEGORY_KEYS
from . import FIGSIZE_SQUARE, FIGSIZE_WIDE, new_axes

KANO_COLORS = {"A": "#3a9d5d", "O": "#1f5a96", "M": "#c0392b", "I": "#9e9e9e", "R": "#7d5ba6", "Q": "#d9822b"}


def _label(key: str, lang: str, labels=None) -> str:
    """``labels[key]`` when given (display names of a bundled dataset), else the name exactly as the user gave it."""
    if labels is not None and key in labels:
        return str(labels[key])
    return str(key)


# ------------------------------------------------------------ index-model layout

# Classic drawings of the index models (Fornell et al. 1996 Fig. 1; ECSI: Tenenhaus et al. 2005 Fig. 1),
# for ``crmlab.plotting.pls.plot_path_diagram(model, positions=...)``.
ACSI_LAYOUT = {"EXPE": (0.0, 1.1), "QUAL": (0.0, -1.1), "VAL": (1.6, 0.0), "SAT": (3.2, 0.0),
               "COMP": (4.8, 1.1), "LOY": (4.8, -1.1)}
ECSI_LAYOUT = {"IMAG": (0.0, 1.5), "EXPE": (0.0, 0.0), "QUAL": (0.0, -1.5), "VAL": (1.6, -1.5),
               "SAT": (3.0, 0.0), "LOY": (4.4, 1.5), "COMP": (4.4, -1.5)}


def index_model_positions(constructs) -> dict[str, tuple[float, float]] | None:
    """Positions of the classic ACSI / ECSI drawing when ``constructs`` belong to it, else ``None``
    (then ``plot_path_diagram`` uses its generic layout)."""
    constructs = list(constructs)
    layout = ECSI_LAYOUT if "IMAG" in constructs else ACSI_LAYOUT
    return {c: layout[c] for c in constructs} if set(constructs) <= set(layout) else None


# ------------------------------------------------------------ SERVQUAL


def plot_servqual_gaps(result, *, labels=None, ax=None, lang: str = "en"):
    """Horizontal bars of the P − E gap per item, grouped and coloured by dimension, with dimension means.

    ``labels`` maps dimensions to displayed names (default: the term of a bundled dimension key).
    """
    check_lang(lang)
    items = result.items
    fig, ax = new_axes(ax, figsize=(FIGSIZE_WIDE[0], max(4.5, 0.26 * len(items) + 1.5)))
    dims = list(dict.fromkeys(items["dimension"]))
    colors = dict(zip(dims, ["#1f5a96", "#d9822b", "#3a9d5d", "#c0392b", "#7d5ba6", "#8c6d31", "#e377c2"]))
    y = np.arange(len(items))[::-1]
    ax.barh(y, items["gap"], color=[colors[d] for d in items["dimension"]], alpha=0.85, height=0.7)
    for d in dims:
        ys = y[(items["dimension"] == d).to_numpy()]
        g = result.dimensions.loc[d, "gap"]
        ax.plot([g, g], [ys.min() - 0.4, ys.max() + 0.4], color=colors[d], lw=2.2, ls="--")
        ax.text(0.02, ys.mean(), f"{_label(d, lang, labels)}: {g:+.2f}", transform=ax.get_yaxis_transform(),
                va="center", ha="left", fontsize=8.5, color=colors[d])
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, list(items.index), fontsize=7.5)
    ax.set_xlabel(t("gap_pe", lang))
    ax.set_ylabel(t("item", lang))
    sub = f"{t('overall_unweighted', lang)} {result.overall_unweighted:+.2f}"
    if result.overall_weighted is not None:
        sub += f";  {t('overall_weighted', lang)} {result.overall_weighted:+.2f}"
    ax.set_title(f"{t('servqual_title', lang)}\n{sub}", fontsize=11)
    lo = min(items["gap"].min(), 0)
    ax.set_xlim(lo * 1.15 - 0.1, max(items["gap"].max(), 0) + 0.5)
    return ax


# ------------------------------------------------------------ Kano


def plot_kano_shares(result, *, labels=None, ax=None, lang: str = "en"):
    """Stacked horizontal bars of the A/O/M/I/R/Q shares per attribute, with the assigned category.

    ``labels`` maps attributes to displayed names (default: the attribute names, as given).
    """
    check_lang(lang)
    table = result.table
    fig, ax = new_axes(ax, figsize=(FIGSIZE_WIDE[0], 0.55 * len(table) + 1.8))
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    for c in CATEGORIES:
        share = table[f"share_{c}"].to_numpy()
        ax.barh(y, share, left=left, color=KANO_COLORS[c], label=t(CATEGORY_KEYS[c], lang), height=0.65)
        for yi, l, s in zip(y, left, share):
            if s >= 0.08:
                ax.text(l + s / 2, yi, f"{s:.0%}", ha="center", va="center", color="white", fontsize=8)
        left += share
    ax.set_yticks(y, [f"{(labels or {}).get(a, a)}  [{c}]" for a, c in zip(table.index, table["category"])])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel(t("share", lang))
    ax.set_ylabel(t("attribute", lang))
    ax.set_title(t("kano_shares_title", lang))
    ax.legend(ncol=6, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.4 / len(table)), fontsize=8)
    ax.grid(axis="y", visible=False)
    return ax


def plot_better_worse(chart_data: pd.DataFrame, *, labels=None, ax=None, lang: str = "en"):
    """Better–Worse scatter (x = |Worse|, y = Better) with the quadrant threshold lines and labels.

    ``chart_data``: output of :func:`crmlab.kano.better_worse_chart_data`; ``labels`` maps attributes to
    displayed names (default: the attribute names, as given).
    """
    from adjustText import adjust_text

    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_SQUARE)
    thr = float(chart_data["threshold"].iloc[0])
    for c, g in chart_data.groupby("category", sort=False):
        first = c.split("/")[0]
        ax.scatter(g["abs_worse"], g["better"], s=70, color=KANO_COLORS.get(first, "#333333"),
                   label=t(CATEGORY_KEYS[first], lang) if first in CATEGORY_KEYS else c, zorder=3)
    texts = [ax.text(x, y, (labels or {}).get(name, name), fontsize=8.5) for name, x, y in
             zip(chart_data.index, chart_data["abs_worse"], chart_data["better"])]
    ax.axvline(thr, color="#555555", lw=0.9, ls="--")
    ax.axhline(thr, color="#555555", lw=0.9, ls="--")
    for (qx, qy), key in {(0.02, 0.97): "kano_attractive", (0.98, 0.97): "kano_one_dimensional",
                          (0.98, 0.03): "kano_must_be", (0.02, 0.03): "kano_indifferent"}.items():
        ax.text(qx, qy, t(key, lang), transform=ax.transAxes, ha="left" if qx < 0.5 else "right",
                va="top" if qy > 0.5 else "bottom", fontsize=9, color="#777777")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(t("worse_abs", lang))
    ax.set_ylabel(t("better", lang))
    ax.set_title(t("better_worse_title", lang))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    adjust_text(texts, ax=ax)
    return ax


# ------------------------------------------------------------ loyalty


def plot_loyalty_curve(curve, *, loyalty_label: str = "share_of_wallet", labels=None, ax=None, lang: str = "en"):
    """Binned loyalty means (± SE) and LOWESS smoothers per market, with the zone of indifference shaded.

    ``labels`` maps market values to displayed names (default: the values as given).
    """
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    market_col = curve.binned.columns[0]
    colors = ["#c0392b", "#1f5a96", "#3a9d5d", "#7d5ba6"]
    lo, hi = curve.settings["thresholds"]
    ax.axvspan(lo, hi, color="#dddddd", alpha=0.5, lw=0)
    ax.text((lo + hi) / 2, 0.02, t("zone_of_indifference", lang), transform=ax.get_xaxis_transform(),
            ha="center", va="bottom", fontsize=8.5, color="#555555")
    for color, (m, g) in zip(colors, curve.binned.groupby(market_col, sort=True)):
        s = curve.smooth[curve.smooth[market_col] == m]
        ax.plot(s["satisfaction"], s["loyalty_smooth"], color=color, lw=2, label=f"{_label(m, lang, labels)} ({t('lowess', lang)})")
        ax.errorbar(g["satisfaction_mean"], g["loyalty_mean"], yerr=g["se"], fmt="o", color=color, capsize=3,
                    ms=5, alpha=0.8, label=f"{_label(m, lang, labels)} ({t('binned_mean', lang)})")
    ax.set_xlabel(t("satisfaction", lang))
    ax.set_ylabel(label(loyalty_label, lang))
    ax.set_title(t("loyalty_curve_title", lang))
    ax.legend(loc="upper left", fontsize=8)
    return ax


# ------------------------------------------------------------ fuzzy, CSI, PCA


def plot_fuzzy_result(result, *, labels=None, ax=None, lang: str = "en"):
    """Bars of the normalised result vector B over the grades, with the score in the title.

    ``labels`` maps grade names to displayed names (default: the grades as given).
    """
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    b = result.b_normalized
    x = np.arange(len(b))
    bars = ax.bar(x, b.to_numpy(), color="#1f5a96", alpha=0.85, width=0.6)
    bars[int(np.argmax(b.to_numpy()))].set_color("#d9822b")
    for xi, v in zip(x, b):
        ax.text(xi, v + 0.01, f"{v:.3f}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, [_label(g, lang, labels) for g in b.index])
    ax.set_ylim(0, max(b.max() * 1.2, 0.1))
    ax.set_xlabel(t("grade", lang))
    ax.set_ylabel(t("membership", lang))
    title = f"{t('fuzzy_title', lang)}  [{result.settings['operator']}]"
    if result.score is not None:
        title += f"\n{t('score', lang)} = {result.score:.2f}"
    ax.set_title(title, fontsize=11.5)
    return ax


def plot_pca_index(pca, *, axes=None, lang: str = "en"):
    """Two panels: explained-variance ratio per component (kept ones highlighted) and the item weights."""
    import matplotlib.pyplot as plt

    from . import use_style

    check_lang(lang)
    if axes is None:
        use_style()
        fig, axes = plt.subplots(1, 2, figsize=(FIGSIZE_WIDE[0] + 1, 4.3))
    ev = pca.explained_variance()
    ax1, ax2 = axes
    x = np.arange(len(ev))
    ax1.bar(x, ev["explained_ratio"], color=np.where(ev["kept"], "#1f5a96", "#bbbbbb"))
    ax1.plot(x, ev["cumulative_ratio"], "o-", color="#d9822b", ms=4)
    ax1.set_xticks(x, list(ev.index), fontsize=8, rotation=45)
    ax1.set_ylim(0, 1.05)
    ax1.set_xlabel(t("component", lang, context="satisfaction"))
    ax1.set_ylabel(t("explained_ratio", lang))
    w = pca.weights_
    ax2.barh(np.arange(len(w))[::-1], w.to_numpy(), color="#3a9d5d")
    ax2.set_yticks(np.arange(len(w))[::-1], list(w.index))
    ax2.set_xlabel(t("weight", lang))
    ax2.set_ylabel(t("item", lang))
    ax1.figure.suptitle(f"{t('pca_title', lang)}\n{t('index_0_100', lang)} = {pca.index_100_:.1f}", fontsize=11.5)
    return axes


def plot_csi(result, *, ax=None, lang: str = "en"):
    """Horizontal bars of each item's contribution wᵢ sᵢ to the weighted CSI."""
    check_lang(lang)
    items = result.items
    fig, ax = new_axes(ax, figsize=(FIGSIZE_WIDE[0], 0.35 * len(items) + 1.8))
    y = np.arange(len(items))[::-1]
    ax.barh(y, items["contribution"], color="#1f5a96", alpha=0.85)
    for yi, c, wt, m in zip(y, items["contribution"], items["weight"], items["mean"]):
        ax.text(c, yi, f"  {wt:.2f} · {m:.2f}", va="center", fontsize=8)
    ax.set_yticks(y, list(items.index))
    ax.set_xlim(0, items["contribution"].max() * 1.45)
    ax.set_xlabel(t("contribution", lang, context="satisfaction"))
    ax.set_ylabel(t("item", lang))
    ax.set_title(f"{t('csi_title', lang)}\nCSI = {result.csi:.2f}  ({result.csi_100:.1f} / 100)", fontsize=11.5)
    return ax
