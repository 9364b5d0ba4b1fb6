"""CLV charts: share evolution, sensitivity, retention curves, P(alive) map, frequency fit, holdout checks, tiers.

Each function takes a result from :mod:`crmlab.clv` or :mod:`crmlab.btyd` and returns
the ``Axes``; labels come from :mod:`crmlab.i18n` (``lang="en"`` or ``"zh"``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ..i18n import TERMS, check_lang, t
from ..results import table_and_settings
from ..segmentation import TierResult
from ..validation import CrmlabValueError, check_choice
from . import FIGSIZE_SQUARE, FIGSIZE_WIDE, new_axes


def _unit_label(unit, lang: str) -> str:
    key = f"clv_time_unit_{unit}"
    return t(key, lang) if key in TERMS else str(unit or "")


def _paired_bars(ax, left, right, labels, ticks):
    """Two bars per category (left, right) with their legend labels and the category ticks."""
    x = np.arange(len(left))
    ax.bar(x - 0.2, left, 0.4, label=labels[0])
    ax.bar(x + 0.2, right, 0.4, label=labels[1])
    ax.set_xticks(x, ticks)


def _model_label(settings: dict, lang: str) -> str:
    model = settings.get("model")
    return f"{t('clv_model', lang)} ({model})" if model else t("clv_model", lang)


def plot_share_evolution(shares: pd.DataFrame, *, stationary: pd.Series | None = None, ax=None, lang: str = "en"):
    """Spending share per brand and period (from :func:`crmlab.clv.share_evolution`), long-run shares dashed."""
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    for k, brand in enumerate(shares.columns):
        line, = ax.plot(shares.index, shares[brand], marker="o", label=f"{t('clv_brand', lang)} {brand}")
        if stationary is not None:
            ax.axhline(stationary[brand], color=line.get_color(), linestyle="--", linewidth=1)
            ax.annotate(f"{stationary[brand]:.1%}", (shares.index[-1], stationary[brand]), xytext=(4, 2),
                        textcoords="offset points", color=line.get_color(), fontsize=9)
    ax.set_xlabel(t("period", lang))
    ax.set_ylabel(t("clv_spending_share", lang))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xticks(shares.index)
    ax.set_title(t("clv_share_evolution_title", lang))
    handles, labels = ax.get_legend_handles_labels()
    if stationary is not None:
        handles.append(Line2D([], [], color="grey", linestyle="--"))
        labels.append(t("clv_stationary_share", lang))
    ax.legend(handles, labels, loc="best")
    return ax


def plot_sensitivity(sweep: pd.DataFrame, *, baseline: float | None = None, ax=None, lang: str = "en"):
    """Each brand's CLV against one switching probability (from :func:`crmlab.clv.migration_sweep`)."""
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    for brand in sweep.columns:
        ax.plot(sweep.index, sweep[brand], marker="o", label=f"{t('clv_brand', lang)} {brand}")
    if baseline is not None:
        ax.axvline(baseline, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel(f"{t('clv_switching_probability', lang)} {sweep.index.name or ''}".strip())
    ax.set_ylabel(t("clv_value", lang))
    ax.set_title(t("clv_sensitivity_title", lang))
    ax.legend(loc="best")
    return ax


def plot_p_alive_matrix(model, *, T: float, max_frequency: int = 20, n_recency: int = 40, ax=None, lang: str = "en"):
    """P(alive) over frequency × recency for customers observed for ``T`` time units (any purchase model of :mod:`crmlab.btyd`).

    For the BG/BB, T is the number of opportunities and recency runs over whole opportunities.
    """
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_SQUARE)
    discrete = getattr(model, "discrete", False)
    freq = np.arange(0, max_frequency + 1)
    rec = np.arange(0, int(T) + 1, dtype=float) if discrete else np.linspace(0, T, n_recency)
    ff, rr = np.meshgrid(freq, rec, indexing="ij")
    valid = (rr >= ff) if discrete else np.ones(ff.shape, bool)  # BG/BB: x transactions need x opportunities
    grid = pd.DataFrame({model.frequency: ff.ravel(), model.recency: np.where(ff.ravel() == 0, 0.0, rr.ravel()),
                         model.T: np.full(ff.size, float(T))})
    keep = valid.ravel() | (ff.ravel() == 0)
    z = np.full(ff.size, np.nan)
    z[keep] = model.probability_alive(grid[keep]).to_numpy()
    mesh = ax.pcolormesh(rec, freq, z.reshape(ff.shape), vmin=0, vmax=1, cmap="viridis", shading="auto")
    fig.colorbar(mesh, ax=ax, label=t("clv_p_alive", lang))
    unit = t("clv_opportunities", lang) if discrete else _unit_label(getattr(model, "time_unit_", ""), lang)
    ax.set_xlabel(f"{t('clv_recency', lang)} [{unit}]")
    ax.set_ylabel(t("clv_frequency", lang))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{t('clv_p_alive_title', lang)} ({model.model_name}, T = {T:g} {unit})")
    return ax


def plot_holdout_by_frequency(result, *, ax=None, lang: str = "en"):
    """Grouped bars: mean actual vs predicted holdout purchases by calibration frequency (:func:`crmlab.btyd.holdout_by_frequency`, any model)."""
    check_lang(lang)
    table, settings = table_and_settings(result, "result")
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    _paired_bars(ax, table["actual"], table["predicted"], (t("clv_actual", lang), _model_label(settings, lang)), table.index)
    ax.set_xlabel(t("clv_calibration_frequency", lang))
    ax.set_ylabel(t("clv_holdout_purchases", lang))
    ax.set_title(t("clv_holdout_title", lang))
    ax.legend(loc="upper left")
    return ax


def plot_cumulative_tracking(result, *, ax=None, lang: str = "en"):
    """Actual vs expected cumulative repeat purchases (:func:`crmlab.btyd.cumulative_tracking`, any continuous-time model), calibration end marked."""
    check_lang(lang)
    track, settings = table_and_settings(result, "result")
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    ax.plot(track["date"], track["actual"], label=t("clv_actual", lang))
    ax.plot(track["date"], track["expected"], linestyle="--", label=_model_label(settings, lang))
    cal = settings.get("calibration_end")
    if cal:
        ax.axvline(pd.Timestamp(cal), color="grey", linestyle=":", linewidth=1)
        ax.annotate(t("clv_calibration_end", lang), (pd.Timestamp(cal), ax.get_ylim()[1]), xytext=(4, -14),
                    textcoords="offset points", fontsize=9, color="grey")
    ax.set_xlabel(t("clv_date", lang))
    ax.set_ylabel(t("clv_cumulative_purchases", lang))
    ax.set_title(t("clv_tracking_title", lang))
    ax.legend(loc="lower right")
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def plot_clv_tiers(result: TierResult, *, ax=None, lang: str = "en"):
    """Share of customers vs share of total CLV per tier, with each tier's CLV cut-off in the labels."""
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    table = result.cutoffs
    x = np.arange(len(table))
    width = 0.4
    b1 = ax.bar(x - width / 2, table["customer_share"], width, label=t("clv_share_of_customers", lang))
    b2 = ax.bar(x + width / 2, table["clv_share"], width, label=t("clv_share_of_clv", lang))
    ax.bar_label(b1, labels=[f"{v:.0%}" for v in table["customer_share"]], fontsize=9)
    ax.bar_label(b2, labels=[f"{v:.0%}" for v in table["clv_share"]], fontsize=9)
    labels = [f"{t(name, lang)}\n≥ {low:,.0f}" for name, low in zip(table["tier"], table["lower_cutoff"])]
    ax.set_xticks(x, labels)
    ax.set_xlabel(t("clv_tier", lang))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_title(t("clv_tiers_title", lang))
    ax.legend(loc="upper left")
    return ax


def plot_opportunity_tracking(result, *, cumulative: bool = True, ax=None, lang: str = "en"):
    """Expected (and actual) transactions per opportunity for a BG/BB cohort (:func:`crmlab.btyd.opportunity_tracking`)."""
    check_lang(lang)
    table, settings = table_and_settings(result, "result")
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    suffix = "_cumulative" if cumulative else ""
    if "actual" in table:
        ax.plot(table.index, table["actual" + suffix], marker="o", label=t("clv_actual", lang))
    ax.plot(table.index, table["expected" + suffix], marker="o", linestyle="--", label=_model_label(settings, lang))
    ax.set_xlabel(t("clv_opportunity", lang))
    ax.set_ylabel(t("clv_cumulative_purchases" if cumulative else "clv_purchases_per_opportunity", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(t("clv_tracking_title", lang))
    ax.legend(loc="best")
    return ax


def plot_retention_projection(model, *, horizon: int, observed=None, kind: str = "survival", ax=None, lang: str = "en"):
    """sBG projection (:class:`crmlab.btyd.ShiftedBetaGeometricModel`): survival S(t) or retention rₜ up to ``horizon``.

    The periods the model was fitted on are marked; ``observed`` survivor counts
    (periods 0 … k, may run past the fitted ones as a holdout) are drawn as points.
    """
    check_lang(lang)
    check_choice(kind, "kind", ("survival", "retention"))
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    curve = model.survival(horizon) if kind == "survival" else model.retention(horizon)
    ax.plot(curve.index, curve.to_numpy(), linestyle="--", label=_model_label(model.settings, lang))
    if observed is not None:
        s = np.asarray(observed, dtype=float)
        actual = s / s[0] if kind == "survival" else s[1:] / s[:-1]
        ax.plot(np.arange(0 if kind == "survival" else 1, s.size), actual, marker="o", linestyle="", label=t("clv_actual", lang))
    fitted = model.settings["periods_fitted"]
    ax.axvline(fitted, color="grey", linestyle=":", linewidth=1)
    ax.annotate(t("clv_calibration_end", lang), (fitted, ax.get_ylim()[1]), xytext=(4, -14), textcoords="offset points",
                fontsize=9, color="grey")
    ax.set_xlabel(t("period", lang))
    ax.set_ylabel(t("clv_survival" if kind == "survival" else "retention_rate", lang))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(t("clv_retention_projection_title", lang))
    ax.legend(loc="best")
    return ax


def plot_model_comparison(result, *, ax=None, lang: str = "en"):
    """Holdout mean absolute error and RMSE per purchase model (:func:`crmlab.btyd.compare_purchase_models`), AIC in the labels."""
    check_lang(lang)
    table, _ = table_and_settings(result, "result")
    if "holdout_mae" not in table:
        raise CrmlabValueError("the comparison has no holdout columns: summarise with observation_end to compare holdout errors")
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    _paired_bars(ax, table["holdout_mae"], table["holdout_rmse"], (t("clv_holdout_mae", lang), t("clv_holdout_rmse", lang)),
                 [f"{name}\nAIC {aic:,.1f}" for name, aic in zip(table.index, table["aic"])])
    ax.set_ylabel(t("clv_holdout_error", lang))
    ax.set_title(t("clv_model_comparison_title", lang))
    ax.legend(loc="best")
    return ax


def plot_frequency_fit(result, *, ax=None, lang: str = "en"):
    """Customers by repeat purchases in calibration: actual against each model (:func:`crmlab.btyd.repeat_frequency_fit`)."""
    check_lang(lang)
    table, _ = table_and_settings(result, "result")
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    x = np.arange(len(table))
    width = 0.8 / len(table.columns)
    for k, col in enumerate(table.columns):
        name = t("clv_actual", lang) if col == "actual" else f"{t('clv_model', lang)} ({col})"
        ax.bar(x - 0.4 + width * (k + 0.5), table[col], width, label=name)
    ax.set_xticks(x, table.index)
    ax.set_xlabel(t("clv_calibration_frequency", lang))
    ax.set_ylabel(t("number_of_customers", lang))
    ax.set_title(t("clv_frequency_fit_title", lang))
    ax.legend(loc="upper right")
    return ax


def plot_retention_clv(curves: pd.DataFrame, *, highlight=None, ax=None, lang: str = "en"):
    """Retention-model CLV against the retention rate, one line per column (e.g. per discount rate).

    ``curves``: index = retention rates, columns = curve labels (shown as given), values = CLV
    (e.g. :func:`crmlab.whatif.clv.retention_curves`).  ``highlight`` = (retention, CLV) marks one point.
    """
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    for col in curves.columns:
        ax.plot(curves.index, curves[col], label=str(col))
    if highlight is not None:
        r, v = highlight
        ax.plot([r], [v], marker="o", color="black", zorder=3)
        ax.annotate(f"{v:,.0f}", (r, v), xytext=(-8, 8), textcoords="offset points", ha="right", fontsize=9)
    ax.set_xlabel(t("retention_rate", lang))
    ax.set_ylabel(t("clv_value", lang))
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_title(t("clv_retention_curve_title", lang))
    ax.legend(loc="upper left")
    return ax
