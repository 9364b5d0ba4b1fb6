"""What-if panel of the value-segmentation notebook: move the criterion weights, move the value-matrix split.

* :func:`redraw_weights` — AHP weight sensitivity: the weight of one criterion (current value)
  is set to a number in [0, 1] and the others keep their proportions (the rule of
  :func:`crmlab.ahp.weight_sensitivity`); the global weights (criterion × local weight,
  Saaty 1980) are redrawn and, given the customers' standardised indicator scores, every
  customer's total value Σ global weight × score is re-ranked.
* :func:`redraw_value_matrix` — the value-matrix split: the fitted matrix's scores are
  split at the mean, the median or given cut-offs (:meth:`crmlab.segmentation.ValueMatrix.with_split`)
  and the matrix and its class table are redrawn.  Nothing is re-estimated.

Each callback clears the Axes it is given, draws on it and returns the table; the
ipywidgets panels (:func:`weights_panel`, :func:`split_panel`) call them in JupyterLab only.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..ahp import global_weights, proportional_weights
from ..i18n import check_lang, t
from ..segmentation import ValueMatrix
from ..validation import CrmlabValueError, check_choice, check_is_fitted, check_numeric, check_scalar

CLASS_COLUMNS = ["count", "customer_share", "mean_current_value", "mean_potential_value", "strategy"]


@dataclass
class WeightsWhatIf:
    """Result of :func:`redraw_weights`: the global weights at the tested weight and, with alternatives, the ranking."""

    weights: pd.DataFrame
    ranking: pd.DataFrame | None
    settings: dict


def redraw_weights(criterion_weights, local_weights: Mapping[str, object], weight: float, *, criterion: str = "current",
                   alternatives: pd.DataFrame | None = None, ax, lang: str = "en", labels: Mapping[str, str] | None = None
                   ) -> WeightsWhatIf:
    """Callback: global weights (and the ranking of ``alternatives``) with ``criterion``'s weight set to ``weight``.

    ``criterion_weights``/``local_weights`` as in :func:`crmlab.ahp.global_weights` (the AHP
    result); the other criteria keep their proportions (:func:`crmlab.ahp.proportional_weights`).
    ``alternatives``: customers × sub-criteria scores (e.g. ``ValueMatrix.standardized_``);
    ``ranking`` holds each customer's total value Σ global weight × score and rank at ``weight``,
    its rank at the AHP weights and the change (positive = moved up), best first.  Draws the
    global-weights chart (:func:`crmlab.plotting.segmentation.plot_ahp_weights`) on ``ax``; when
    ``ax`` already holds this chart from an earlier call, its bars are resized in place (same order).
    """
    check_lang(lang)
    weight = check_scalar(weight, "weight", low=0, high=1)
    base = global_weights(criterion_weights, local_weights)
    cw = base.drop_duplicates("criterion").set_index("criterion")["criterion_weight"]
    if criterion not in cw.index:
        raise CrmlabValueError(f"criterion {criterion!r} is not one of {list(cw.index)}")
    new = proportional_weights(cw, criterion, weight)
    weights = base.assign(criterion_weight=new[base["criterion"]].to_numpy())
    weights["global_weight"] = weights["criterion_weight"] * weights["local_weight"]
    weights["global_rank"] = weights["global_weight"].rank(ascending=False, method="min").astype(int)
    ranking = None
    if alternatives is not None:
        leaves = list(base["sub_criterion"])
        if not isinstance(alternatives, pd.DataFrame):
            raise CrmlabValueError(f"alternatives must be a DataFrame (rows = alternatives, columns = sub-criteria), "
                                   f"got {type(alternatives).__name__}")
        unknown = [c for c in leaves if c not in alternatives.columns]
        if unknown:
            raise CrmlabValueError(f"alternatives has no column(s) {unknown} for sub-criteria")
        check_numeric(alternatives, leaves, name="alternatives")
        x = alternatives[leaves].to_numpy(dtype=float)
        now = pd.Series(x @ weights["global_weight"].to_numpy(), index=alternatives.index)
        before = pd.Series(x @ base["global_weight"].to_numpy(), index=alternatives.index)
        ranking = pd.DataFrame({"total_value": now, "rank": now.rank(ascending=False, method="min").astype(int),
                                "rank_at_ahp_weights": before.rank(ascending=False, method="min").astype(int)})
        ranking["rank_change"] = ranking["rank_at_ahp_weights"] - ranking["rank"]
        ranking = ranking.sort_values(["rank", "total_value"], ascending=[True, False], kind="mergesort")
        ranking.index.name = "customer"
    _draw_weights(weights, ax=ax, lang=lang, labels=labels)
    return WeightsWhatIf(weights=weights, ranking=ranking,
                         settings={"criterion": criterion, "ahp_weight": float(cw[criterion]), "tested_weight": weight,
                                   "rule": "other criteria keep their proportions: w_k(t) = w_k (1 - t) / (1 - w_c)"})


def _draw_weights(weights: pd.DataFrame, *, ax, lang: str, labels) -> None:
    """Draw the global-weights chart, or resize the bars of the one this callback drew on ``ax`` before."""
    from ..plotting.segmentation import plot_ahp_weights

    state = getattr(ax, "_crmlab_weights", None)
    key = (tuple(weights["sub_criterion"]), lang)
    if state is None or state["key"] != key or not set(state["bars"]) <= set(ax.patches):
        ax.clear()
        plot_ahp_weights(weights, ax=ax, lang=lang, labels=labels)
        order = list(weights.sort_values("global_weight")["sub_criterion"])
        ax._crmlab_weights = {"key": key, "order": order, "bars": list(ax.containers[0]), "texts": list(ax.texts),
                              "legend": list(ax.get_legend().get_texts()),
                              "names": [t.get_text().rsplit(" (", 1)[0] for t in ax.get_legend().get_texts()]}
        return
    values = weights.set_index("sub_criterion")["global_weight"].reindex(state["order"]).to_numpy()
    for bar, text, v in zip(state["bars"], state["texts"], values):
        bar.set_width(v)
        text.set_x(v)
        text.set_text(f" {v:.4f}")
    crit = weights.drop_duplicates("criterion")["criterion_weight"].to_numpy()
    for text, name, w in zip(state["legend"], state["names"], crit):
        text.set_text(f"{name} ({w:.4f})")
    ax.set_xlim(0, max(values.max(), 1e-9) * 1.2)


def redraw_value_matrix(matrix: ValueMatrix, split: str, cutoffs: Mapping[str, float] | None = None, *, ax,
                        lang: str = "en", data: pd.DataFrame | None = None, revenue: str | None = None,
                        profit: str | None = None, label_points: bool | None = None) -> pd.DataFrame:
    """Callback: the value matrix split at ``split`` ("mean", "median", or "given" with ``cutoffs``
    {"current": c, "potential": p}); draws it on ``ax`` and returns the class table (count, shares, mean
    scores, strategy key; revenue and profit shares when ``data`` and the columns are given)."""
    from ..plotting.segmentation import plot_value_matrix

    check_lang(lang)
    if not isinstance(matrix, ValueMatrix):
        raise CrmlabValueError(f"matrix must be a fitted crmlab.segmentation.ValueMatrix, got {type(matrix).__name__}")
    check_is_fitted(matrix, "scores_")
    check_choice(split, "split", ("mean", "median", "given"))
    moved = matrix.with_split(split, cutoffs if split == "given" else None)
    ax.clear()
    plot_value_matrix(moved, ax=ax, lang=lang, label_points=label_points, adjust_labels=False)
    profile = moved.profile(data, revenue=revenue, profit=profit)
    columns = CLASS_COLUMNS[:2] + [c for c in ("revenue_share", "profit_share") if c in profile] + CLASS_COLUMNS[2:]
    return profile[columns].copy()


def cutoff_range(matrix: ValueMatrix) -> dict[str, tuple[float, float]]:
    """Where a given cut-off may move on each axis: the range of the customers' scores."""
    check_is_fitted(matrix, "scores_")
    return {d: (float(matrix.scores_[f"{d}_value"].min()), float(matrix.scores_[f"{d}_value"].max()))
            for d in ("current", "potential")}


# --------------------------------------------------------------------------- ipywidgets panels (JupyterLab only)
def weights_panel(criterion_weights, local_weights: Mapping[str, object], *, criterion: str = "current",
                  alternatives: pd.DataFrame | None = None, lang: str = "en", labels: Mapping[str, str] | None = None,
                  top: int = 10):
    """A slider for ``criterion``'s weight, the global-weights chart and the customers' top ranking."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    from ..report.display import show

    check_lang(lang)
    start = float(pd.Series(criterion_weights.weights if hasattr(criterion_weights, "weights") else criterion_weights)[criterion])
    slider = widgets.FloatSlider(value=round(start, 4), min=0.0, max=1.0, step=0.01, readout_format=".2f",
                                 continuous_update=False, description=f"{t('criterion_weight', lang)} · {t(criterion + '_value', lang)}",
                                 style={"description_width": "initial"}, layout={"width": "560px"})
    out = widgets.Output()

    def update(*_):
        with out:
            out.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(8.0, 6.5))
            result = redraw_weights(criterion_weights, local_weights, slider.value, criterion=criterion,
                                    alternatives=alternatives, ax=ax, lang=lang, labels=labels)
            display(fig)
            plt.close(fig)
            if result.ranking is not None:
                display(show(result.ranking.head(top), lang, context="segmentation"))

    slider.observe(update, names="value")
    update()
    return widgets.VBox([slider, out])


def split_panel(matrix: ValueMatrix, *, lang: str = "en", data: pd.DataFrame | None = None, revenue: str | None = None,
                profit: str | None = None):
    """A menu for the split rule and two cut-off sliders (used with "given"), the matrix and the class table."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    from ..plotting import FIGSIZE_SQUARE
    from ..report.display import show

    check_lang(lang)
    menu = widgets.Dropdown(options=[(t(k, lang), k) for k in ("mean", "median", "cutoff")], value=matrix.split
                            if matrix.split != "given" else "cutoff", description=t("split", lang))
    ranges = cutoff_range(matrix)
    sliders = {d: widgets.FloatSlider(value=float(np.clip(matrix.cutoffs_[d], *ranges[d])), min=ranges[d][0],
                                      max=ranges[d][1], step=(ranges[d][1] - ranges[d][0]) / 200 or 0.01,
                                      readout_format=".3f", continuous_update=False,
                                      description=t(f"cutoff_{d}", lang), style={"description_width": "initial"},
                                      layout={"width": "560px"})
               for d in ("current", "potential")}
    out = widgets.Output()

    def update(*_):
        split = "given" if menu.value == "cutoff" else menu.value
        cut = {d: s.value for d, s in sliders.items()} if split == "given" else None
        with out:
            out.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=FIGSIZE_SQUARE)
            table = redraw_value_matrix(matrix, split, cut, ax=ax, lang=lang, data=data, revenue=revenue, profit=profit)
            display(fig)
            plt.close(fig)
            display(show(table, lang, context="segmentation"))

    menu.observe(update, names="value")
    for s in sliders.values():
        s.observe(update, names="value")
    update()
    return widgets.VBox([menu, sliders["current"], sliders["potential"], out])
