"""Regenerate every bundled dataset in data/ from crmlab's seeded generators.

    python data/make_datasets.py

Each theme's generator (crmlab/datasets/<theme>.py) documents its true
parameters; tests check that regeneration reproduces the committed files.
"""
from __future__ import annotations

from pathlib import Path

from crmlab.datasets import clv, ipa, satisfaction, segmentation, tracking

HERE = Path(__file__).resolve().parent
WRITERS = [satisfaction.write_datasets, ipa.write_datasets, clv.write_datasets, segmentation.write_datasets,
           tracking.write_datasets]

if __name__ == "__main__":
    for write in WRITERS:
        for path in write(HERE):
            print(f"wrote {path.relative_to(HERE.parent)}")
