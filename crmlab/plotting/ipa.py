"""Importance–performance charts (SPEC §2): the four-quadrant chart, method/crosshair comparisons, stability bars.

Every chart names its importance method and crosshair, shades and names the
quadrants in English or Chinese (``lang``), and labels every attribute with
non-overlapping labels (adjustText).  Functions return the Axes (or the Figure
for multi-panel comparisons) and never show anything.
"""
from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from adjustText import adjust_text
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, Rectangle
from scipy import stats

from ..i18n import check_lang, is_term, label, t
from ..ipa import QUADRANTS, IPAResult, QuadrantStability
from ..validation import CrmlabValueError
from . import FIGSIZE_SQUARE, new_axes, use_style

QUADRANT_COLORS = {"A": "#3a9d5d", "B": "#c0392b", "C": "#7f7f7f", "D": "#1f5a96"}
COMPETITOR_COLOR = "#d9822b"


def method_label(method: str, lang: str = "en") -> str:
    """Display name of an importance method (its term when crmlab has one, else the name as given)."""
    return label(f"method_{method}", lang) if is_term(f"method_{method}") else str(method)


def describe_crosshair(result: IPAResult, lang: str = "en") -> str:
    """One-line description of a result's crosshair: rules and positions on both axes."""
    parts = []
    axes = (("ipa_performance_index", "ipa_total_effect") if result.settings["method"] == "pls_total_effect"
            else ("ipa_performance", "ipa_importance"))
    for axis, key, rule in zip(("performance", "importance"), axes, result.settings["crosshair"]):
        name = t(f"crosshair_{rule}", lang) if isinstance(rule, str) else t("crosshair_given", lang)
        parts.append(f"{t(key, lang)}{'：' if lang == 'zh' else ': '}{name} = {result.crosshair[axis]:.3g}")
    return ("；" if lang == "zh" else "; ").join(parts)


def _labels(attributes, labels: Mapping[str, str] | None) -> list[str]:
    labels = labels or {}
    return [labels.get(a, a) for a in attributes]


def _axis_titles(result: IPAResult, lang: str, labels: Mapping[str, str] | None = None) -> tuple[str, str]:
    s = result.settings
    if s["method"] == "pls_total_effect":
        y = t("ipa_total_effect", lang)
        if s["target"]:
            y += f" → {(labels or {}).get(s['target'], s['target'])}"
        return t("ipa_performance_index", lang), y
    x = t("ipa_performance", lang)
    if s["performance_scale"] is not None:
        lo, hi = s["performance_scale"]
        x += f" ({t('ipa_scale', lang)} {lo:g}–{hi:g})"
    y = f"{t('ipa_importance', lang)}: {method_label(s['method'], lang)}"
    if s["importance_scale"] is not None:
        lo, hi = s["importance_scale"]
        y += f" ({t('ipa_scale', lang)} {lo:g}–{hi:g})"
    return x, y


def _limits(values: list[np.ndarray], pad: float = 0.12) -> tuple[float, float]:
    v = np.concatenate([np.atleast_1d(np.asarray(x, dtype=float)) for x in values])
    lo, hi = v.min(), v.max()
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return lo - pad * span, hi + pad * span


def _ellipse_extent(stability: QuadrantStability, scale_factor: float):
    tab = stability.table
    half_x = np.sqrt(tab["var_performance"].to_numpy() * scale_factor)
    half_y = np.sqrt(tab["var_importance"].to_numpy() * scale_factor)
    return half_x, half_y


def plot_ipa(
    result: IPAResult,
    *,
    ax=None,
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    stability: QuadrantStability | None = None,
    show_competitor: bool = True,
    title: str | None = None,
    adjust_labels: bool = True,
):
    """Four-quadrant importance–performance chart of an :class:`~crmlab.ipa.IPAResult`.

    Crosshair lines at the result's crosshair, shaded and named quadrants (A 优势区,
    B 修补区, C 机会区, D 维持区), every attribute labelled (``labels`` maps attribute,
    or construct and map target, -> display name), axis labels with scale and importance method, the crosshair
    rule in the subtitle.  ``stability`` adds bootstrap confidence ellipses (at
    ``stability.settings["level"]``) and each label's share of resamples in the same quadrant;
    a competitor, when rated, is drawn as hollow markers with arrows to our position.
    Diagonal zoning draws the iso-priority line.  ``adjust_labels=False`` skips the label
    placement (adjustText, which needs a full draw of the figure) and sets each label just
    above and right of its point — for quick redraws (the what-if panel).  Returns the Axes.
    """
    check_lang(lang)
    if not isinstance(result, IPAResult):
        raise CrmlabValueError(f"result must be an IPAResult, got {type(result).__name__}")
    fig, ax = new_axes(ax, figsize=FIGSIZE_SQUARE)
    table = result.table
    perf, imp = table["performance"].to_numpy(), table["importance"].to_numpy()
    x0, y0 = result.crosshair["performance"], result.crosshair["importance"]
    has_comp = show_competitor and "competitor_performance" in table

    xs, ys = [perf, [x0]], [imp, [y0]]
    if has_comp:
        xs.append(table["competitor_performance"].to_numpy())
    chi2 = None
    if stability is not None:
        if list(stability.table.index) != list(table.index):
            raise CrmlabValueError("stability must come from the same attributes as result (bootstrap of the same model)")
        chi2 = stats.chi2.ppf(stability.settings["level"], df=2)
        hx, hy = _ellipse_extent(stability, chi2)
        xs += [perf - hx, perf + hx]
        ys += [imp - hy, imp + hy]
    xlim, ylim = _limits(xs), _limits(ys, pad=0.2)  # headroom for the quadrant names
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)

    # shaded, named quadrants
    corners = {"A": (x0, y0, xlim[1], ylim[1]), "B": (xlim[0], y0, x0, ylim[1]),
               "C": (xlim[0], ylim[0], x0, y0), "D": (x0, ylim[0], xlim[1], y0)}
    zone_texts = []
    for q, (xa, ya, xb, yb) in corners.items():
        ax.add_patch(Rectangle((xa, ya), xb - xa, yb - ya, facecolor=QUADRANT_COLORS[q], alpha=0.07, lw=0, zorder=0))
        right, top = q in "AD", q in "AB"
        zone_texts.append(ax.text(xb if right else xa, yb if top else ya, t(QUADRANTS.loc[q, "zone"], lang).replace(": ", "\n"),
                ha="right" if right else "left", va="top" if top else "bottom", color=QUADRANT_COLORS[q],
                multialignment="right" if right else "left",
                fontsize=9.5, alpha=0.9, zorder=1,
                bbox=dict(boxstyle="square,pad=0.4", fc="none", ec="none")))
    ax.axvline(x0, color="0.35", lw=1.1, ls="--", zorder=1)
    ax.axhline(y0, color="0.35", lw=1.1, ls="--", zorder=1)
    ax.grid(False)

    handles = []
    if result.settings["zoning"] == "diagonal":
        xx = np.array(xlim)
        ax.plot(xx, y0 + result.settings["diagonal_slope"] * (xx - x0), color="0.2", lw=1.2, ls=":", zorder=1)
        handles.append(Line2D([], [], color="0.2", ls=":", label=t("iso_priority_line", lang)))

    colors = [QUADRANT_COLORS[q] for q in table["quadrant"]]
    if chi2 is not None:
        tab = stability.table
        for (px, py), vx, vy, cxy, c in zip(zip(perf, imp), tab["var_performance"], tab["var_importance"], tab["cov"], colors):
            evals, evecs = np.linalg.eigh(np.array([[vx, cxy], [cxy, vy]]))
            evals = np.clip(evals, 0, None)
            angle = np.degrees(np.arctan2(evecs[1, 1], evecs[0, 1]))
            ax.add_patch(Ellipse((px, py), 2 * np.sqrt(chi2 * evals[1]), 2 * np.sqrt(chi2 * evals[0]), angle=angle,
                                 facecolor=c, edgecolor=c, alpha=0.15, lw=0.8, zorder=2))
        handles.append(Ellipse((0, 0), 1, 1, facecolor="0.5", alpha=0.3,
                               label=f"{t('ipa_stability', lang)} ({stability.settings['level']:.0%}, n={stability.settings['n_boot']})"))
    if has_comp:
        comp = table["competitor_performance"].to_numpy()
        ax.scatter(comp, imp, s=38, facecolor="white", edgecolor=COMPETITOR_COLOR, lw=1.4, zorder=3)
        for cx, px, py in zip(comp, perf, imp):
            ax.annotate("", xy=(px, py), xytext=(cx, py), zorder=3,
                        arrowprops=dict(arrowstyle="->", color=COMPETITOR_COLOR, lw=1.0, shrinkA=3, shrinkB=5))
        handles.append(Line2D([], [], marker="o", ls="", mfc="white", mec=COMPETITOR_COLOR,
                              label=f"{t('ipa_competitor', lang)} ({t('ipa_competitor_arrow', lang)})"))
    ax.scatter(perf, imp, s=46, c=colors, edgecolor="white", lw=0.8, zorder=4)

    names = _labels(table.index, labels)
    if stability is not None:
        names = [f"{n} ({s:.0%})" for n, s in zip(names, stability.table["share_same_quadrant"])]
    if adjust_labels:
        texts = [ax.text(px, py, n, fontsize=8.5, zorder=5, ha="center", va="center") for n, px, py in zip(names, perf, imp)]
    else:
        for n, px, py in zip(names, perf, imp):
            ax.annotate(n, (px, py), xytext=(4, 3), textcoords="offset points", fontsize=8.5, zorder=5, ha="left", va="bottom")

    x_title, y_title = _axis_titles(result, lang, labels)
    ax.set_xlabel(x_title)
    ax.set_ylabel(y_title)
    head = title if title is not None else (t("ipa_map_title", lang) if result.settings["method"] == "pls_total_effect" else t("ipa_title", lang))
    ax.set_title(f"{head}\n{t('ipa_crosshair', lang)} — {describe_crosshair(result, lang)}", fontsize=11)
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(handles), fontsize=8)
    if not adjust_labels:
        return ax
    fig.canvas.draw()
    # labels are pushed away from our points and from the competitor markers and arrows
    avoid_x, avoid_y = [perf], [imp]
    if has_comp:
        for frac in np.linspace(0.0, 0.8, 5):
            avoid_x.append(comp + frac * (perf - comp))
            avoid_y.append(imp)
    adjust_text(texts, x=np.concatenate(avoid_x), y=np.concatenate(avoid_y), objects=zone_texts, ax=ax, expand=(1.15, 1.4), force_text=(0.3, 0.5),
                arrowprops=dict(arrowstyle="-", color="0.45", lw=0.6))
    return ax


def plot_ipa_comparison(
    results: Mapping[str, IPAResult],
    *,
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    ncols: int = 2,
    panel_size: tuple[float, float] = (6.2, 5.6),
    show_competitor: bool = False,
):
    """Side-by-side quadrant charts (one panel per named result, e.g. per importance method or crosshair); returns the Figure.

    Competitor arrows are off by default so the panels compare the zoning only.
    """
    check_lang(lang)
    if not results:
        raise CrmlabValueError("results must name at least one IPAResult")
    use_style()
    n = len(results)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows), squeeze=False)
    for ax, (name, result) in zip(axes.flat, results.items()):
        plot_ipa(result, ax=ax, lang=lang, labels=labels, title=name, show_competitor=show_competitor)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def plot_stability(stability: QuadrantStability, *, ax=None, lang: str = "en", labels: Mapping[str, str] | None = None):
    """Horizontal bars: share of bootstrap resamples that keep each attribute in its quadrant (coloured by quadrant)."""
    check_lang(lang)
    fig, ax = new_axes(ax)
    tab = stability.table.sort_values("share_same_quadrant")
    names = _labels(tab.index, labels)
    ax.barh(names, tab["share_same_quadrant"], color=[QUADRANT_COLORS[q] for q in tab["quadrant"]])
    for y, (share, q) in enumerate(zip(tab["share_same_quadrant"], tab["quadrant"])):
        ax.text(share + 0.01, y, f"{q} {share:.0%}", va="center", fontsize=8.5)
    ax.axvline(0.9, color="0.3", ls="--", lw=1)
    ax.set_xlim(0, 1.12)
    ax.set_xlabel(t("ipa_share_same", lang))
    ax.set_ylabel(t("ipa_attribute", lang))
    ax.set_title(f"{t('ipa_stability_title', lang)} — {method_label(stability.settings['method'], lang)}, "
                 f"{stability.settings['n_boot']} {t('ipa_resamples', lang)}")
    handles = [Rectangle((0, 0), 1, 1, color=QUADRANT_COLORS[q], label=t(QUADRANTS.loc[q, "zone"], lang)) for q in "ABCD"]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8)
    return ax
