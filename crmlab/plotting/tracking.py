"""Tracking charts: the 0–100 indices over the waves, quadrant migration with arrows, tier KPIs by period.

Functions take the result objects of :mod:`crmlab.tracking`, label through :mod:`crmlab.i18n` (``lang``), show
user-given names (constructs, attributes, wave and period labels) as given unless ``labels`` maps them to
display names, and return the Axes.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from adjustText import adjust_text
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..i18n import check_lang, t
from ..ipa import QUADRANTS
from ..tracking import Changes, QuadrantMigration, TierKPITrack, WaveIndices
from ..validation import CrmlabValueError
from . import FIGSIZE_SQUARE, FIGSIZE_WIDE, new_axes
from .ipa import QUADRANT_COLORS, _axis_titles, _limits, describe_crosshair

CONTEXT = "tracking"
LINE_COLORS = ("#1f5a96", "#c0392b", "#3a9d5d", "#d9822b", "#7b4ea3", "#7f7f7f", "#17becf", "#8c564b")


def _name(key, labels: Mapping[str, str] | None) -> str:
    return (labels or {}).get(key, key)


def plot_index_tracking(indices: WaveIndices, *, changes: Changes | None = None, labels: Mapping[str, str] | None = None,
                        ax=None, lang: str = "en"):
    """The 0–100 index of every construct over the waves, with the bootstrap interval of each wave.

    ``changes`` (:func:`crmlab.tracking.index_changes`, consecutive waves) marks each significant change with a
    star between the two waves.  Returns the Axes.
    """
    check_lang(lang)
    if not isinstance(indices, WaveIndices):
        raise CrmlabValueError(f"indices must be a WaveIndices, got {type(indices).__name__}")
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    waves = indices.settings["waves"]
    est, low, high = (indices.wide(c) for c in ("estimate", "ci_lower", "ci_upper"))
    x = np.arange(len(waves))
    offsets = np.linspace(-0.12, 0.12, len(est)) if len(est) > 1 else np.zeros(1)
    for k, (construct, row) in enumerate(est.iterrows()):
        color = LINE_COLORS[k % len(LINE_COLORS)]
        xs = x + offsets[k]
        err = np.vstack([row - low.loc[construct], high.loc[construct] - row])
        ax.errorbar(xs, row.to_numpy(), yerr=err, color=color, marker="o", ms=5, lw=1.6, capsize=3,
                    label=_name(construct, labels))
        if changes is not None:
            sig = changes.table[(changes.table["significant"]) & (changes.table.index.get_level_values("construct") == construct)]
            for _, r in sig.iterrows():
                i, j = waves.index(r["from_wave"]), waves.index(r["to_wave"])
                if j == i + 1:
                    ax.text((xs[i] + xs[j]) / 2, (row.iloc[i] + row.iloc[j]) / 2, "*", color=color, fontsize=17,
                            ha="center", va="bottom")
    ax.set_xticks(x, waves)
    span = np.nanmax(high.to_numpy()) - np.nanmin(low.to_numpy())
    ax.set_ylim(max(0.0, np.nanmin(low.to_numpy()) - 0.25 * span), min(100.0, np.nanmax(high.to_numpy()) + 0.25 * span))
    ax.set_xlabel(t("wave", lang, context=CONTEXT))
    ax.set_ylabel(t("index_0_100", lang))
    note = t("pls_ci", lang).format(level=indices.settings["level"])
    if changes is not None:
        note += "; " + t("significant_change_star", lang, context=CONTEXT)
    ax.set_title(f"{t('index_tracking_title', lang, context=CONTEXT)}\n{note}", fontsize=11)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, title=t("pls_construct", lang))
    ax.grid(axis="x", visible=False)
    return ax


def _shade_quadrants(ax, x0: float, y0: float, xlim, ylim, lang: str) -> list:
    """Shade and name the four zones around the crosshair (x0, y0); returns the zone texts."""
    corners = {"A": (x0, y0, xlim[1], ylim[1]), "B": (xlim[0], y0, x0, ylim[1]),
               "C": (xlim[0], ylim[0], x0, y0), "D": (x0, ylim[0], xlim[1], y0)}
    texts = []
    for q, (xa, ya, xb, yb) in corners.items():
        ax.add_patch(Rectangle((xa, ya), xb - xa, yb - ya, facecolor=QUADRANT_COLORS[q], alpha=0.07, lw=0, zorder=0))
        right, top = q in "AD", q in "AB"
        texts.append(ax.text(xb if right else xa, yb if top else ya, f" {t(QUADRANTS.loc[q, 'zone'], lang).split(':')[0]} ",
                             ha="right" if right else "left", va="top" if top else "bottom", color=QUADRANT_COLORS[q],
                             fontsize=9.5, zorder=1))
    return texts


def plot_quadrant_migration(migration: QuadrantMigration, *, labels: Mapping[str, str] | None = None, ax=None,
                            lang: str = "en", adjust_labels: bool = True):
    """Importance–performance chart of the waves with an arrow from each attribute's position in one wave to the next.

    Zones are shaded around the last wave's crosshair (dashed); earlier waves' crosshairs, when they differ, are
    dotted.  An attribute that changed quadrant between two consecutive waves gets a coloured arrow and its label
    says the move (e.g. "B → A"); the others' arrows are grey.  ``adjust_labels=False`` skips the label placement
    (adjustText needs a full draw) for quick redraws.  Returns the Axes.
    """
    check_lang(lang)
    if not isinstance(migration, QuadrantMigration):
        raise CrmlabValueError(f"migration must be a QuadrantMigration, got {type(migration).__name__}")
    fig, ax = new_axes(ax, figsize=FIGSIZE_SQUARE)
    results = migration.results
    waves = list(results)
    last = results[waves[-1]]
    attrs = list(last.table.index)
    perf = np.array([results[w].table["performance"].reindex(attrs).to_numpy() for w in waves])  # (waves, attributes)
    imp = np.array([results[w].table["importance"].reindex(attrs).to_numpy() for w in waves])
    cross = np.array([[results[w].crosshair["performance"], results[w].crosshair["importance"]] for w in waves])
    xlim, ylim = _limits([perf.ravel(), cross[:, 0]]), _limits([imp.ravel(), cross[:, 1]], pad=0.2)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.grid(False)
    zone_texts = _shade_quadrants(ax, *cross[-1], xlim, ylim, lang)
    for k, (cx, cy) in enumerate(cross[:-1]):
        if not np.allclose([cx, cy], cross[-1]):
            ax.axvline(cx, color="0.6", lw=0.9, ls=":", zorder=1)
            ax.axhline(cy, color="0.6", lw=0.9, ls=":", zorder=1)
    ax.axvline(cross[-1, 0], color="0.35", lw=1.1, ls="--", zorder=1)
    ax.axhline(cross[-1, 1], color="0.35", lw=1.1, ls="--", zorder=1)
    quad = np.array([results[w].table["quadrant"].reindex(attrs).to_numpy() for w in waves])
    sizes = np.linspace(18, 46, len(waves))
    for k in range(len(waves)):
        face = [QUADRANT_COLORS[q] for q in quad[k]] if k == len(waves) - 1 else "white"
        ax.scatter(perf[k], imp[k], s=sizes[k], c=face, edgecolor=[QUADRANT_COLORS[q] for q in quad[k]], lw=1.0,
                   alpha=1.0 if k == len(waves) - 1 else 0.8, zorder=4)
    moves = {}
    for k in range(len(waves) - 1):
        for j, a in enumerate(attrs):
            moved = quad[k, j] != quad[k + 1, j]
            if moved:
                moves.setdefault(a, []).append(f"{quad[k, j]} → {quad[k + 1, j]}")
            ax.annotate("", xy=(perf[k + 1, j], imp[k + 1, j]), xytext=(perf[k, j], imp[k, j]), zorder=3,
                        arrowprops=dict(arrowstyle="-|>", color=QUADRANT_COLORS[quad[k + 1, j]] if moved else "0.55",
                                        lw=1.8 if moved else 0.9, shrinkA=3, shrinkB=4, mutation_scale=11))
    names = [f"{_name(a, labels)} ({', '.join(moves[a])})" if a in moves else _name(a, labels) for a in attrs]
    if adjust_labels:
        texts = [ax.text(px, py, n, fontsize=9.5 if a in moves else 8.5, zorder=5, ha="center", va="center",
                         color=QUADRANT_COLORS[q] if a in moves else "black")
                 for n, a, q, px, py in zip(names, attrs, quad[-1], perf[-1], imp[-1])]
    else:
        for n, a, q, px, py in zip(names, attrs, quad[-1], perf[-1], imp[-1]):
            ax.annotate(n, (px, py), xytext=(4, 3), textcoords="offset points", fontsize=9.5 if a in moves else 8.5, zorder=5,
                        color=QUADRANT_COLORS[q] if a in moves else "black")
    x_title, y_title = _axis_titles(last, lang, labels)
    ax.set_xlabel(x_title)
    ax.set_ylabel(y_title)
    basis = t(f"crosshair_basis_{migration.settings['crosshair_basis']}", lang, context=CONTEXT)
    ax.set_title(f"{t('migration_title', lang, context=CONTEXT)}: {waves[0]} → {waves[-1]}\n"
                 f"{t('ipa_crosshair', lang)} ({basis}) — {describe_crosshair(last, lang)}", fontsize=10.5)
    handles = [Line2D([], [], marker="o", ls="", mfc="white", mec="0.4", ms=np.sqrt(sizes[0]), label=waves[0]),
               Line2D([], [], marker="o", ls="", mfc="0.4", mec="0.4", ms=np.sqrt(sizes[-1]), label=waves[-1]),
               Line2D([], [], color="0.3", lw=1.8, label=t("migration_arrow", lang, context=CONTEXT))]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8)
    if adjust_labels:
        fig.canvas.draw()
        trail_x = np.concatenate([perf[k] + f * (perf[k + 1] - perf[k]) for k in range(len(waves) - 1) for f in (0.0, 0.5)]
                                 + [perf[-1]])
        trail_y = np.concatenate([imp[k] + f * (imp[k + 1] - imp[k]) for k in range(len(waves) - 1) for f in (0.0, 0.5)]
                                 + [imp[-1]])
        adjust_text(texts, x=trail_x, y=trail_y, objects=zone_texts, ax=ax, expand=(1.15, 1.4), force_text=(0.3, 0.5),
                    arrowprops=dict(arrowstyle="-", color="0.45", lw=0.6))
    return ax


def plot_kpi_tracking(track: TierKPITrack, *, ax=None, lang: str = "en",
                      metrics=("new_customer_rate", "churn_rate", "upgrade_rate", "downgrade_rate")):
    """Grouped bars: the tier KPIs (rates, %) of each pair of periods, oldest first.  Returns the Axes."""
    check_lang(lang)
    if not isinstance(track, TierKPITrack):
        raise CrmlabValueError(f"track must be a TierKPITrack, got {type(track).__name__}")
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    rates = track.rates.loc[list(metrics)]
    pairs = list(rates.columns)
    x = np.arange(len(metrics))
    width = 0.8 / len(pairs)
    for k, pair in enumerate(pairs):
        bars = ax.bar(x + (k - (len(pairs) - 1) / 2) * width, 100 * rates[pair].to_numpy(), width=width * 0.95,
                      color=LINE_COLORS[k % len(LINE_COLORS)], alpha=0.35 + 0.65 * (k + 1) / len(pairs), label=pair)
        ax.bar_label(bars, fmt="%.1f", fontsize=8, padding=2)
    ax.set_xticks(x, [t(m, lang) for m in metrics])
    ax.set_ylabel(t("rate_percent", lang, context=CONTEXT))
    ax.set_title(t("kpi_tracking_title", lang, context=CONTEXT).format(value=t(track.settings["value"], lang).lower()))
    ax.legend(title=t("period_pair", lang, context=CONTEXT), fontsize=9)
    ax.grid(axis="x", visible=False)
    return ax
