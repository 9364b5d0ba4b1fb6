"""Bilingual notebooks from one source: the generated editions are current, and each reads in one language only."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from crmlab.report.bilingual import BOTH_TAG, MARKER, build_notebooks, notebook_for_lang

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = sorted((NOTEBOOKS / "source").glob("*.ipynb"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def prose(markdown: str) -> str:
    """Markdown without code, formulas, links' targets and HTML comments: what a reader reads as sentences."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]*\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<!--.*?-->", " ", text, flags=re.S)


def test_generated_notebooks_equal_a_fresh_build():
    stale = build_notebooks(NOTEBOOKS, check=True)
    assert not stale, f"out of date (edit notebooks/source/ and run `make notebooks`): {[str(p) for p in stale]}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_source_cell_is_bilingual(source):
    nb = nbformat.read(source, as_version=4)
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and BOTH_TAG not in cell.metadata.get("tags", []):
            assert cell.source.count(MARKER) == 1, f"{source.name} cell {k} has no '{MARKER}' line"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_each_edition_reads_in_its_own_language(source):
    en = nbformat.read(NOTEBOOKS / source.name, as_version=4)
    zh = nbformat.read(NOTEBOOKS / "zh" / source.name, as_version=4)
    for k, cell in enumerate(en.cells):
        if cell.cell_type == "markdown":
            assert not CJK.search(prose(cell.source)), f"English {source.stem} cell {k} has Chinese: {cell.source[:120]!r}"
    for k, cell in enumerate(zh.cells):
        if cell.cell_type == "markdown" and BOTH_TAG not in cell.metadata.get("tags", []):
            text = prose(cell.source)
            latin = sum(len(w) for w in LATIN_WORD.findall(text))
            assert latin <= len(CJK.findall(text)), f"Chinese {source.stem} cell {k} reads as English: {text[:160]!r}"


def test_the_runner_executes_the_edition_of_the_language():
    for source in SOURCES:
        assert notebook_for_lang(NOTEBOOKS / source.name, "zh") == NOTEBOOKS / "zh" / source.name
        assert notebook_for_lang(NOTEBOOKS / source.name, "en") == NOTEBOOKS / source.name
