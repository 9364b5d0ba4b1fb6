"""Helpers for tests that read a rendered notebook as a reader would: its prose, its table rows, its language."""
from __future__ import annotations

import html
import re

import nbformat

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CODE_AND_MATH = [re.compile(p, re.S) for p in (r"```.*?```", r"`[^`]*`", r"\$\$.*?\$\$", r"\$[^$]*\$", r"\]\([^)]*\)",
                                                 r"<!--.*?-->", r"https?://\S+")]


def markdown_outputs(nb) -> str:
    """Every Markdown output of the code cells (notes, skipped-section lines, the summary), as emitted."""
    return "\n".join(o["data"]["text/markdown"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                     if "text/markdown" in o.get("data", {}))


def prose(nb) -> str:
    """The text a reader reads: Markdown cells and Markdown outputs (notes, summary), without code, formulas and link targets."""
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    text = "\n".join(parts) + "\n" + markdown_outputs(nb)
    for pattern in _CODE_AND_MATH:
        text = pattern.sub(" ", text)
    return text


def english_words(text: str, *, allowed=()) -> list[str]:
    """Lower-case ASCII words of three letters or more (English prose; names and acronyms are capitalised)."""
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ")
    return re.findall(r"(?<![A-Za-zÀ-ÿ])[a-z]{3,}(?![A-Za-zÀ-ÿ])", text)


def chinese_characters(text: str, *, allowed=()) -> list[str]:
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ")
    return CJK.findall(text)


def row_labels(nb) -> set[str]:
    """The row labels of every table the notebook displayed (the first header cell of each body row)."""
    rows = set()
    for c in nb.cells:
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            table = o.get("data", {}).get("text/html", "")
            for body in re.findall(r"<tbody>(.*?)</tbody>", table, re.S):
                rows |= {html.unescape(x).strip() for x in re.findall(r"<tr>\s*<th>(.*?)</th>", body, re.S)}
    return rows


def read(path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)
