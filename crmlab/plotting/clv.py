"""CLV charts (SPEC §3): share evolution, sensitivity, P(alive) map, holdout checks, tiers.

Each function takes a result from :mod:`crmlab.clv` or :mod:`crmlab.btyd` and returns
the ``Axes``; labels come from :mod:`crmlab.i18n` (``lang="en"`` or ``"zh"``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ..segmentation import TierResult
from ..i18n import TERMS, check_lang, t
from . import FIGSIZE_SQUARE, FIGSIZE_WIDE, new_axes


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
    """P(alive) over frequency × recency for customers observed for ``T`` time units (BG/NBD)."""
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_SQUARE)
    freq = np.arange(0, max_frequency + 1)
    rec = np.linspace(0, T, n_recency)
    ff, rr = np.meshgrid(freq, rec, indexing="ij")
    grid = pd.DataFrame({"frequency": ff.ravel(), "recency": np.where(ff.ravel() == 0, 0.0, rr.ravel()),
                         "T": np.full(ff.size, float(T))})
    z = model.probability_alive(grid).to_numpy().reshape(ff.shape)
    mesh = ax.pcolormesh(rec, freq, z, vmin=0, vmax=1, cmap="viridis", shading="auto")
    fig.colorbar(mesh, ax=ax, label=t("clv_p_alive", lang))
    unit_key = f"clv_time_unit_{getattr(model, 'time_unit_', '')}"
    unit = t(unit_key, lang) if unit_key in TERMS else getattr(model, "time_unit_", "")
    ax.set_xlabel(f"{t('clv_recency', lang)} [{unit}]")
    ax.set_ylabel(t("clv_frequency", lang))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{t('clv_p_alive_title', lang)} (T = {T:.1f} {unit})")
    return ax


def plot_holdout_by_frequency(table: pd.DataFrame, *, ax=None, lang: str = "en"):
    """Grouped bars: mean actual vs predicted holdout purchases by calibration frequency (:func:`crmlab.btyd.holdout_by_frequency`)."""
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    x = np.arange(len(table))
    width = 0.4
    ax.bar(x - width / 2, table["actual"], width, label=t("clv_actual", lang))
    ax.bar(x + width / 2, table["predicted"], width, label=t("clv_predicted", lang))
    ax.set_xticks(x, table.index)
    ax.set_xlabel(t("clv_calibration_frequency", lang))
    ax.set_ylabel(t("clv_holdout_purchases", lang))
    ax.set_title(t("clv_holdout_title", lang))
    ax.legend(loc="upper left")
    return ax


def plot_cumulative_tracking(track: pd.DataFrame, *, ax=None, lang: str = "en"):
    """Actual vs expected cumulative repeat purchases (:func:`crmlab.btyd.cumulative_tracking`), calibration end marked."""
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    ax.plot(track["date"], track["actual"], label=t("clv_actual", lang))
    ax.plot(track["date"], track["expected"], linestyle="--", label=t("clv_predicted", lang))
    cal = track.attrs.get("calibration_end")
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
