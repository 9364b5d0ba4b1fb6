"""Bundled data: seeded generators with documented ground truth, and loaders.

Each theme's generator lives in its own submodule; ``data/make_datasets.py``
writes the bundled CSVs in ``data/`` from them.
"""
