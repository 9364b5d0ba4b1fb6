"""What-if callback of the tracking notebook (05_tracking): pick two waves, the importance method and the crosshair.

:func:`compare_waves` recomputes, for the chosen pair of waves, the test of every construct's index change (from
the per-wave bootstraps already done: no refit) and the importance–performance analysis of both waves, redraws the
migration chart on the given Axes and returns the two tables.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..plotting.tracking import plot_quadrant_migration
from ..tracking import WaveDesign, WaveIndices, index_changes, quadrant_migration, wave_ipa
from ..validation import CrmlabValueError, check_choice


def compare_waves(indices: WaveIndices, data: Mapping[str, pd.DataFrame], design: WaveDesign, *, from_wave: str,
                  to_wave: str, importance: str = "relative_weights", crosshair="mean", crosshair_basis: str = "each_wave",
                  level: float = 0.95, adjust: str = "holm", missing: str = "error", ax=None,
                  labels: Mapping[str, str] | None = None, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(index changes, quadrant migration) of ``from_wave`` → ``to_wave``; the chart is redrawn on ``ax`` (cleared).

    Without attributes in the waves the migration table is None and ``ax`` is left empty.
    """
    if not isinstance(data, Mapping):
        raise CrmlabValueError(f"data must map the wave labels to their data frames, got {type(data).__name__}")
    for name, wave in (("from_wave", from_wave), ("to_wave", to_wave)):
        check_choice(wave, name, [w for w in design.labels if w in data])
    changes = index_changes(indices, compare=[(from_wave, to_wave)], level=level, adjust=adjust).table
    if ax is not None:
        ax.clear()
    if design.attributes is None:
        return changes, None
    pair = (from_wave, to_wave)
    results = wave_ipa({w: data[w] for w in pair}, performance={w: design.attributes[w] for w in pair}, importance=importance,
                       stated_importance=None if design.stated_importance is None else {w: design.stated_importance[w] for w in pair},
                       overall=None if design.overall is None else {w: design.overall[w] for w in pair}, scale=design.scale,
                       importance_scale=design.importance_scale, overall_scale=design.overall_scale, crosshair=crosshair,
                       crosshair_basis=crosshair_basis, missing=missing)
    migration = quadrant_migration(results)
    if ax is not None:
        plot_quadrant_migration(migration, labels=labels, ax=ax, lang=lang, adjust_labels=False)
    return changes, migration.table
