"""Charts of a fitted PLS path model (:mod:`crmlab.pls`): path diagram and 0–100 index bars.

``plot_path_diagram(model)`` draws constructs as ellipses (name and R²) and
paths as arrows labelled with their coefficients; given a bootstrap result,
paths whose percentile interval covers 0 are drawn dashed and grey.
``plot_index(result)`` draws the ACSI-style indices as bars with bootstrap
confidence intervals; ``plot_plspredict`` the out-of-sample RMSE of PLS against the
linear-model benchmark; ``plot_mga`` two groups' paths.  All follow
``plot_x(result, *, ax=None, lang="en") -> Axes``.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.patches import Ellipse

from ..i18n import check_lang, t
from ..results import pair_label
from ..pls import PLSBootstrapResult, PLSMultigroupResult, PLSPathModel, PLSPredictResult
from ..validation import CrmlabValueError, check_is_fitted
from . import FIGSIZE_WIDE, new_axes

NODE_WIDTH = 1.0
NODE_HEIGHT = 0.46
EXOGENOUS_COLOR = "#dbe7f3"
ENDOGENOUS_COLOR = "#f6e3cf"
ARROW_COLOR = "#1f5a96"
WEAK_COLOR = "#9e9e9e"


def default_positions(model: PLSPathModel) -> dict[str, tuple[float, float]]:
    """Constructs on an ellipse, left to right in causal order, alternating above and below.

    All nodes lie on one convex curve, so no straight arrow passes through another
    construct whatever the paths are.
    """
    cons = list(model.path_coefficients_.index)
    k = len(cons)
    x = np.linspace(-1.0, 1.0, k)
    side = np.where(np.arange(k) % 2 == 1, 1.0, -1.0)
    y = side * np.sqrt(np.clip(1 - x**2, 0, None))
    return {c: (2.6 * xi, 1.15 * yi) for c, xi, yi in zip(cons, x, y)}


def _boundary(center, toward, width, height):
    """Point where the segment center -> toward leaves the ellipse around center."""
    d = np.asarray(toward, float) - np.asarray(center, float)
    scale = 1.0 / np.sqrt((d[0] / (width / 2)) ** 2 + (d[1] / (height / 2)) ** 2)
    return np.asarray(center, float) + d * scale


def _segment_distance(point, a, b) -> float:
    d = b - a
    u = np.clip(np.dot(point - a, d) / np.dot(d, d), 0, 1)
    return float(np.hypot(*(point - (a + u * d))))


def _label_point(k, segments, placed, min_gap: float = 0.32, line_gap: float = 0.12):
    """Point along arrow ``k`` for its label: off other labels and other arrows when possible."""
    start, end = segments[k]
    candidates = [start + f * (end - start) for f in (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75)]
    others = [seg for j, seg in enumerate(segments) if j != k]
    for point in candidates:
        if all(np.hypot(*(point - q)) >= min_gap for q in placed) and \
                all(_segment_distance(point, a, b) >= line_gap for a, b in others):
            return point
    for point in candidates:
        if all(np.hypot(*(point - q)) >= min_gap for q in placed):
            return point
    return candidates[0]


def _labels(names, labels: Mapping[str, str] | None, lang: str) -> dict[str, str]:
    """Display names: ``labels[name]`` where given (e.g. a bundled model's terms), else the name as the user gave it."""
    return {n: str((labels or {}).get(n, n)) for n in names}


def plot_path_diagram(model: PLSPathModel, *, bootstrap: PLSBootstrapResult | None = None,
                      positions: Mapping[str, tuple[float, float]] | None = None,
                      labels: Mapping[str, str] | None = None, decimals: int = 2, ax=None, lang: str = "en"):
    """Path diagram of a fitted model: ellipses with R², arrows labelled with path coefficients.

    ``positions`` maps constructs to (x, y) (default :func:`default_positions`);
    ``labels`` overrides displayed construct names (default: the i18n term when the
    construct name is a term key).  With ``bootstrap``, paths whose CI covers 0 are dashed.
    """
    check_lang(lang)
    if not isinstance(model, PLSPathModel):
        raise CrmlabValueError(f"plot_path_diagram needs a fitted PLSPathModel, got {type(model).__name__}")
    check_is_fitted(model, "path_coefficients_")
    cons = list(model.path_coefficients_.index)
    pos = dict(default_positions(model) if positions is None else positions)
    missing = [c for c in cons if c not in pos]
    if missing:
        raise CrmlabValueError(f"positions has no (x, y) for construct(s) {missing}")
    names = _labels(cons, labels, lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    r2 = model.inner_summary_["r_squared"]
    endogenous = model.inner_summary_["type"] == "Endogenous"
    for c in cons:
        ax.add_patch(Ellipse(pos[c], NODE_WIDTH, NODE_HEIGHT, facecolor=ENDOGENOUS_COLOR if endogenous[c] else EXOGENOUS_COLOR,
                             edgecolor="#555555", linewidth=1.0, zorder=3))
        text = names[c] + (f"\n{t('pls_r2', lang)} = {r2[c]:.{decimals}f}" if endogenous[c] else "")
        ax.text(*pos[c], text, ha="center", va="center", fontsize=9, zorder=4)
    weak = set()
    if bootstrap is not None:
        p = bootstrap.paths
        weak = set(p.index[(p["ci_lower"] <= 0) & (p["ci_upper"] >= 0)])
    segments = [(_boundary(pos[a], pos[b], NODE_WIDTH, NODE_HEIGHT), _boundary(pos[b], pos[a], NODE_WIDTH, NODE_HEIGHT))
                for a, b in zip(model.inner_model_["source"], model.inner_model_["target"])]
    placed: list[np.ndarray] = []
    for k, (_, row) in enumerate(model.inner_model_.iterrows()):
        a, b = row["source"], row["target"]
        start, end = segments[k]
        is_weak = pair_label(a, b) in weak
        color = WEAK_COLOR if is_weak else ARROW_COLOR
        ax.annotate("", xy=end, xytext=start, zorder=2,
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=1.2 + 2.5 * min(abs(row["estimate"]), 1),
                                    linestyle="--" if is_weak else "-", shrinkA=0, shrinkB=2, mutation_scale=14))
        mid = _label_point(k, segments, placed)
        placed.append(mid)
        ax.text(*mid, f"{row['estimate']:.{decimals}f}", ha="center", va="center", fontsize=8.5, color=color, zorder=5,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.9))
    xs, ys = np.array([pos[c] for c in cons]).T
    ax.set_xlim(xs.min() - 0.75 * NODE_WIDTH, xs.max() + 0.75 * NODE_WIDTH)
    ax.set_ylim(ys.min() - 1.2 * NODE_HEIGHT, ys.max() + 1.2 * NODE_HEIGHT)
    ax.set_aspect("equal")
    ax.axis("off")
    title = t("pls_path_title", lang)
    title += f"  (GoF = {model.gof_:.{decimals}f})"
    ax.set_title(title)
    if weak:
        ax.text(0.0, 0.0, t("pls_ci_covers_zero", lang).format(level=bootstrap.level), transform=ax.transAxes,
                fontsize=8, color=WEAK_COLOR, va="bottom")
    return ax


def plot_index(result: PLSBootstrapResult | pd.Series, *, labels: Mapping[str, str] | None = None,
               ax=None, lang: str = "en"):
    """Bar chart of the 0–100 index per construct with bootstrap percentile CIs as error bars.

    ``result`` is a :class:`~crmlab.pls.PLSBootstrapResult` of a model fitted with
    ``scale=`` (its ``index`` table) or the Series of :meth:`PLSPathModel.index_0_100`
    (bars without intervals).
    """
    check_lang(lang)
    if isinstance(result, PLSBootstrapResult):
        if result.index is None:
            raise CrmlabValueError("this bootstrap has no index table: fit the model with scale=(min, max) first")
        table = result.index
        values = table["estimate"]
        err = np.vstack([values - table["ci_lower"], table["ci_upper"] - values])
        level = result.level
    elif isinstance(result, pd.Series):
        values, err, level = result, None, None
    else:
        raise CrmlabValueError(f"plot_index needs a PLSBootstrapResult or a Series of indices, got {type(result).__name__}")
    names = _labels(list(values.index), labels, lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    x = np.arange(len(values))
    ax.bar(x, values.to_numpy(), color="#1f5a96", alpha=0.85, width=0.6)
    if err is not None:
        ax.errorbar(x, values.to_numpy(), yerr=err, fmt="none", ecolor="#333333", capsize=5, lw=1.2,
                    label=t("pls_ci", lang).format(level=level))
        ax.legend(loc="upper right")
    top = values.to_numpy() if err is None else (values + err[1]).to_numpy()
    for xi, v, tp in zip(x, values.to_numpy(), top):
        if np.isfinite(v):
            ax.text(xi, tp + 1.5, f"{v:.1f}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, [names[c] for c in values.index], rotation=0 if len(x) <= 6 else 30,
                  ha="center" if len(x) <= 6 else "right")
    ax.set_ylim(0, 100)
    ax.set_ylabel(t("index_0_100", lang))
    ax.set_xlabel(t("pls_construct", lang))
    ax.set_title(t("pls_index_title", lang))
    ax.grid(axis="x", visible=False)
    return ax


def plot_plspredict(result: PLSPredictResult, *, ax=None, lang: str = "en"):
    """Out-of-sample RMSE per endogenous item: PLS against the linear-model benchmark (Shmueli et al. 2019).

    Items where PLS predicts better (lower RMSE) than the benchmark have the PLS bar in
    full colour; the title carries the number of folds and repetitions.
    """
    check_lang(lang)
    if not isinstance(result, PLSPredictResult):
        raise CrmlabValueError(f"plot_plspredict needs the PLSPredictResult of PLSPathModel.plspredict, got {type(result).__name__}")
    table = result.table
    fig, ax = new_axes(ax, figsize=(max(6.0, 0.45 * len(table) + 2), 4.8))
    x = np.arange(len(table))
    better = table["rmse_below_lm"].to_numpy()
    ax.bar(x - 0.2, table["rmse"], width=0.4, color=np.where(better, ARROW_COLOR, "#8fb0d3"), label=t("pls_predict_pls", lang))
    ax.bar(x + 0.2, table["lm_rmse"], width=0.4, color=WEAK_COLOR, label=t("pls_predict_lm", lang))
    ax.set_xticks(x, list(table.index), rotation=45 if len(x) > 8 else 0, ha="right" if len(x) > 8 else "center")
    ax.set_xlabel(t("item", lang))
    ax.set_ylabel(t("pls_rmse", lang))
    s = result.settings
    ax.set_title(f"{t('pls_predict_title', lang)}\n(k = {s['n_folds']}, × {s['n_repeats']})")
    ax.legend(loc="upper right")
    ax.grid(axis="x", visible=False)
    return ax


def plot_mga(result: PLSMultigroupResult, *, labels: Mapping[str, str] | None = None, group_title: str | None = None,
             ax=None, lang: str = "en"):
    """Path coefficients of the two groups side by side; ``*`` marks a significant permutation difference.

    ``group_title`` titles the legend (default: the group column's name, as given).
    """
    check_lang(lang)
    if not isinstance(result, PLSMultigroupResult):
        raise CrmlabValueError(f"plot_mga needs the PLSMultigroupResult of crmlab.pls.multigroup_analysis, got {type(result).__name__}")
    paths = result.paths
    fig, ax = new_axes(ax, figsize=(8.0, 0.5 * len(paths) + 1.8))
    y = np.arange(len(paths))[::-1]
    g1, g2 = result.settings["groups"]
    ax.barh(y + 0.2, paths["estimate_1"], height=0.4, color=ARROW_COLOR, label=str(g1))
    ax.barh(y - 0.2, paths["estimate_2"], height=0.4, color="#d98c3f", label=str(g2))
    names = []
    for path in paths.index:
        a, b = path.split(" -> ")
        shown = _labels([a, b], labels, lang)
        names.append(f"{shown[a]} → {shown[b]}" + ("  *" if paths.loc[path, "significant"] else ""))
    ax.set_yticks(y, names)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_xlabel(t("pls_path_coefficient", lang))
    ax.set_title(t("pls_mga_title", lang))
    ax.legend(loc="lower right", title=result.settings["group_column"] if group_title is None else group_title)
    if paths["significant"].any():
        ax.text(0.0, -0.12, t("pls_mga_significant", lang).format(level=1 - result.settings["level"]),
                transform=ax.transAxes, fontsize=8, color="0.3")
    ax.grid(axis="y", visible=False)
    return ax
