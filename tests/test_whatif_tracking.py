"""What-if callback of notebook 05_tracking: the chosen pair of waves, importance method and crosshair."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from crmlab import tracking as tr
from crmlab.datasets import tracking as ds
from crmlab.study import load_study
from crmlab.whatif.tracking import compare_waves


@pytest.fixture(scope="module")
def bundled():
    studies = [load_study(s, name=f"waves[{k}]") for k, s in enumerate(ds.teaching_waves())]
    design = tr.wave_design(studies)
    data = {s.spec["label"]: s.read() for s in studies}
    indices = tr.wave_indices(data, blocks=design.blocks, paths=design.paths, scale=design.scale, n_boot=50, random_state=0)
    return indices, data, design


def test_compare_any_pair_redraws_and_returns_the_tables(bundled):
    indices, data, design = bundled
    fig, ax = plt.subplots()
    changes, moves = compare_waves(indices, data, design, from_wave="2025-Q1", to_wave="2025-Q3", ax=ax)
    expected = tr.index_changes(indices, compare="first").table.loc["2025-Q1 -> 2025-Q3"]
    assert changes.droplevel("waves")["estimate"].to_dict() == pytest.approx(expected["estimate"].to_dict())
    assert moves[moves["moved"]].index.get_level_values("attribute").tolist() == ["checkout_speed"]
    assert len(ax.patches) >= 4 and "2025-Q1 → 2025-Q3" in ax.get_title()
    # another method and a fixed crosshair redraw the same Axes (cleared first)
    _, moves = compare_waves(indices, data, design, from_wave="2025-Q2", to_wave="2025-Q3", importance="lmg",
                             crosshair="median", crosshair_basis="first_wave", level=0.9, ax=ax, lang="zh")
    assert "2025-Q2 → 2025-Q3" in ax.get_title() and "2025-Q1" not in ax.get_title()
    assert moves.loc[("2025-Q2 -> 2025-Q3", "checkout_speed"), "quadrant_to"] == "A"
    plt.close(fig)


def test_level_changes_significance_without_refitting(bundled):
    indices, data, design = bundled
    loose, _ = compare_waves(indices, data, design, from_wave="2025-Q1", to_wave="2025-Q2", level=0.5, adjust="none")
    strict, _ = compare_waves(indices, data, design, from_wave="2025-Q1", to_wave="2025-Q2", level=0.999, adjust="none")
    assert (loose["p_value"] == strict["p_value"]).all()
    assert loose["significant"].sum() >= strict["significant"].sum() >= 1


def test_waves_without_attributes_give_no_migration(bundled):
    indices, data, design = bundled
    bare = tr.WaveDesign(**{**design.__dict__, "attributes": None, "overall": None})
    changes, moves = compare_waves(indices, data, bare, from_wave="2025-Q2", to_wave="2025-Q3")
    assert moves is None and len(changes) == len(ds.BLOCKS)
