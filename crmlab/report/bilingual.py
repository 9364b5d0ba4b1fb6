"""Bilingual notebooks from one source: ``notebooks/source/`` → ``notebooks/`` (English) and ``notebooks/zh/`` (Chinese).

Each notebook is written once, in ``notebooks/source/<name>.ipynb``.  Every Markdown
cell holds both languages: the English text, then a line ``<!-- zh -->``, then the
Chinese text (a cell of formulas or a table that reads the same in both languages is
tagged ``both``).  Code cells are shared.  :func:`build_notebooks` writes one notebook
per language — the English one in ``notebooks/``, the Chinese one in ``notebooks/zh/``
with ``lang = "zh"`` as its default — so a reader in JupyterLab sees one language only,
and the report runner executes the notebook of the language asked for.  The generated
notebooks are committed (users need no build step); a test keeps them equal to a fresh
build, so the prose is maintained in one place.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from ..validation import CrmlabValueError
from .params import parameters_cell

MARKER = "<!-- zh -->"
LANGS = ("en", "zh")
BOTH_TAG = "both"
_LANG_LINE = re.compile(r'^(lang\s*:\s*str\s*=\s*)"(en|zh)"', re.MULTILINE)


def split_cell(source: str, *, where: str = "cell") -> dict[str, str]:
    """The English and Chinese text of a bilingual Markdown cell (split at the ``<!-- zh -->`` line)."""
    parts = source.split(MARKER)
    if len(parts) != 2:
        raise CrmlabValueError(f"{where}: a Markdown cell needs exactly one '{MARKER}' line between its English and "
                               f"Chinese text (found {len(parts) - 1}); tag language-neutral cells '{BOTH_TAG}'")
    en, zh = (p.strip("\n") for p in parts)
    if not en.strip() or not zh.strip():
        raise CrmlabValueError(f"{where}: one language of a bilingual cell is empty")
    return {"en": en, "zh": zh}


def language_notebook(source_nb, lang: str, *, name: str = "notebook"):
    """The notebook of one language from a bilingual source notebook."""
    if lang not in LANGS:
        raise CrmlabValueError(f"lang must be one of {list(LANGS)}, got {lang!r}")
    nb = copy.deepcopy(source_nb)
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and BOTH_TAG not in cell.metadata.get("tags", []):
            cell.source = split_cell(cell.source, where=f"{name} cell {k}")[lang]
    params = parameters_cell(nb)
    if params is None or not _LANG_LINE.search(params.source):
        raise CrmlabValueError(f"{name}: the parameters cell must declare lang: str = \"en\"")
    params.source = _LANG_LINE.sub(lambda m: f'{m.group(1)}"{lang}"', params.source, count=1)
    nb.metadata["language_info"] = nb.metadata.get("language_info", {"name": "python"})
    nb.metadata["crmlab"] = {"lang": lang, "source": f"source/{name}.ipynb"}
    return nb


def output_path(notebooks_dir: Path, stem: str, lang: str) -> Path:
    """Where the notebook of ``lang`` lives: ``notebooks/<stem>.ipynb`` (en) or ``notebooks/zh/<stem>.ipynb``."""
    return notebooks_dir / f"{stem}.ipynb" if lang == "en" else notebooks_dir / lang / f"{stem}.ipynb"


def build_notebooks(notebooks_dir: str | Path = "notebooks", *, check: bool = False) -> list[Path]:
    """Write (or with ``check=True`` only compare) every language notebook of ``notebooks/source/*.ipynb``.

    Returns the paths written — or, when checking, the paths that differ from a fresh build.
    """
    notebooks_dir = Path(notebooks_dir)
    sources = sorted((notebooks_dir / "source").glob("*.ipynb"))
    if not sources:
        raise CrmlabValueError(f"no bilingual source notebooks in {notebooks_dir / 'source'}")
    changed = []
    for src in sources:
        nb = nbformat.read(src, as_version=4)
        for lang in LANGS:
            target = output_path(notebooks_dir, src.stem, lang)
            text = nbformat.writes(language_notebook(nb, lang, name=src.stem)) + "\n"
            if target.exists() and target.read_text(encoding="utf-8") == text:
                continue
            changed.append(target)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return changed


def notebook_for_lang(path: Path, lang) -> Path:
    """The file the runner executes for notebook ``path`` in ``lang``: its Chinese edition when there is one."""
    if lang in LANGS and lang != "en":
        localized = path.parent / lang / path.name
        if localized.is_file():
            return localized
    return path
