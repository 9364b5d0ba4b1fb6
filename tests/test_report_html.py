"""HTML reports: rich outputs are sanitised, and the shipped notebooks' reports are unchanged by it."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from crmlab.report.html import SanitizeOutputs, notebook_html

HOSTILE = [
    '<div onclick="steal()">x</div>',
    "<script>alert('script')</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">link</a>',
    '<iframe src="https://example.com"></iframe>',
    "<style>body { background: url(https://example.com/track) }</style>",
    '<form action="https://example.com"><input name="p"></form>',
]


def test_hostile_rich_outputs_are_neutralised():
    nb = new_notebook(cells=[new_markdown_cell("# t"), new_code_cell("x", outputs=[
        new_output("display_data", data={"text/html": "".join(HOSTILE), "text/plain": "x"}),
        new_output("display_data", data={"image/svg+xml": "<svg onload='alert(1)'></svg>", "text/plain": "svg"}),
        new_output("execute_result", data={"text/html": '<table border="1" class="dataframe"><tbody><tr style="text-align: right;">'
                                                        "<td>ok</td></tr></tbody></table>"}, execution_count=1),
    ])])
    page = notebook_html(nb, with_code=False)
    for needle in ("onclick", "<script>alert", "onerror", "javascript:", "<iframe", "example.com/track", "<form", "<svg onload"):
        assert needle not in page, needle
    assert '<table border="1" class="dataframe"><tbody><tr style="text-align: right;"><td>ok</td></tr></tbody></table>' in page


def test_shipped_notebook_outputs_pass_the_sanitiser_unchanged(rendered_run):
    sanitiser = SanitizeOutputs()
    checked = 0
    for path in sorted(Path(rendered_run["path"]).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for out in cell.get("outputs", []):
                html = out.get("data", {}).get("text/html")
                if html:
                    assert sanitiser.sanitize_html_tags(html) == html, (path.name, html[:300])
                    checked += 1
    assert checked > 20  # the notebooks show many tables


def test_the_managers_report_opens_with_the_summary_and_the_code_report_keeps_the_notebook_order():
    summary = new_code_cell("show_summary()", metadata={"tags": ["summary"]}, outputs=[
        new_output("display_data", data={"text/markdown": "## Summary\n\n* index 74.2: hold", "text/plain": "s"})])
    nb = new_notebook(cells=[
        new_markdown_cell("# Title\n\nWhat this report answers."),
        new_code_cell('lang = "en"', metadata={"tags": ["parameters"]}),
        new_markdown_cell("## 1 · The data"),
        new_code_cell("x", outputs=[new_output("stream", name="stdout", text="section output\n")]),
        summary,
    ])
    page = notebook_html(nb, with_code=False)
    order = [page.index(s) for s in ("What this report answers", "index 74.2: hold", "1 · The data", "section output")]
    assert order == sorted(order)
    coded = notebook_html(nb, with_code=True)
    assert coded.index("1 · The data") < coded.index("index 74.2: hold")  # the analyst's copy reads as the notebook runs
    assert [c.source for c in nb.cells][-1] == "show_summary()"  # the caller's notebook is not changed


def test_reports_link_to_methods_references_rendered_into_the_run_folder(tmp_path):
    import os

    from crmlab.report.runner import run_reports

    docs = tmp_path / "docs" / "methods"
    docs.mkdir(parents=True)
    (docs / "m.md").write_text("# Methods\n\nThe index is $I = \\sum_j w_j x_j$. Chinese: [m.zh.md](m.zh.md#sources).\n",
                               encoding="utf-8")
    (docs / "m.zh.md").write_text("# 方法\n\n指数 $I = \\sum_j w_j x_j$。English: [m.md](m.md)\n", encoding="utf-8")
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    nb = new_notebook(cells=[new_markdown_cell("# T\n\nSee the [methods reference](../docs/methods/m.md#sec-2)."),
                             new_code_cell('lang: str = "en"', metadata={"tags": ["parameters"]})])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(nbs / "t.ipynb"))
    manifest = run_reports(notebooks_dir=nbs, reports_dir=tmp_path / "r", with_code=True, stream=open(os.devnull, "w"))
    run = Path(manifest["path"])
    entry = manifest["notebooks"][0]
    assert entry["status"] == "ok" and entry["outputs"]["methods"] == ["methods/m.html", "methods/m.zh.html"]
    for report in ("t.html", "t.code.html"):
        page = (run / report).read_text(encoding="utf-8")
        assert 'href="methods/m.html#sec-2"' in page and "docs/methods" not in page
    en, zh = ((run / "methods" / n).read_text(encoding="utf-8") for n in ("m.html", "m.zh.html"))
    assert "<math" in en and "$" not in en.split("<body", 1)[1].split("<script", 1)[0]
    assert 'href="m.zh.html#sources"' in en and 'href="m.html"' in zh
    assert '<html lang="zh"' in zh and "crmlab CJK" in zh  # the Chinese page embeds its glyphs


def test_teaching_cells_are_left_out_of_a_report_on_the_users_data():
    nb = new_notebook(cells=[new_markdown_cell("# T"), new_markdown_cell("Check on the bundled data: QUAL rises.",
                                                                          metadata={"tags": ["teaching"]}),
                             new_markdown_cell("Your results.")])
    teaching = notebook_html(nb, with_code=False)
    assert "QUAL rises" in teaching and "Your results" in teaching
    for value in ({"kind": "survey", "path": "/data/w.csv"}, [{"kind": "survey", "path": "/data/w1.csv"}]):
        nb.metadata["papermill"] = {"parameters": {"lang": "en", "survey": value}}
        for with_code in (False, True):
            page = notebook_html(nb, with_code=with_code)
            assert "QUAL rises" not in page and "Your results" in page
    assert len(nb.cells) == 3  # the caller's notebook is not changed
