"""Per-notebook outputs of a run: HTML reports and the results JSON."""
from __future__ import annotations

import html
import json
import logging
import os
from pathlib import Path

from .html import METHODS_DIR, methods_links, methods_page, notebook_html, read_notebook
from .results import read_headlines, read_results

log = logging.getLogger(__name__)


def _banner(job: dict, status: str, error: dict | None, duration_s: float) -> str:
    params = job["effective_parameters"]
    rows = "".join(
        f"<tr><td><code>{html.escape(k)}</code></td><td><code>{html.escape(repr(v))}</code></td></tr>"
        for k, v in params.items()
    )
    msg = f"<b>{html.escape(job['name'])}</b> — run {html.escape(job['run_id'])} — status <b>{html.escape(status)}</b> ({duration_s:.1f} s)"
    if error:
        msg += f"<br>Error: <code>{html.escape(error.get('summary', ''))}</code> — the failing cell is shown below with its traceback."
    if rows:
        msg += f"<details><summary>Parameters</summary><table>{rows}</table></details>"
    return msg


def output_names(stem: str, *, with_code: bool, pdf: bool = False) -> list[str]:
    """The files a notebook named ``stem`` writes into a run folder (its log lives under ``logs/``)."""
    names = [f"{stem}.ipynb", f"{stem}.html", f"{stem}.results.json"]
    return names + ([f"{stem}.code.html"] if with_code else []) + ([f"{stem}.pdf"] if pdf else [])


def write_methods_pages(names: set[str], notebook_dir: Path, out_dir: Path) -> list[str]:
    """Render the methods references a report links to (and their other-language twins) into ``out_dir/methods/``.

    The references are found where the notebook's links point: ``docs/methods/`` beside the
    notebooks folder.  A link to a missing reference is logged and left broken.  Parallel
    workers may write the same page: each write is atomic and gives the same file.
    """
    docs = next((d / "docs" / "methods" for d in (notebook_dir.parent, notebook_dir.parent.parent)
                 if (d / "docs" / "methods").is_dir()), None)
    twins = {n[:-3] if n.endswith(".zh") else f"{n}.zh" for n in names}
    written = []
    for n in sorted(names | twins):
        source = docs / f"{n}.md" if docs is not None else None
        if source is None or not source.is_file():
            if n in names:
                log.warning("methods reference %s.md not found beside %s", n, notebook_dir)
            continue
        target = out_dir / METHODS_DIR / f"{n}.html"
        target.parent.mkdir(exist_ok=True)
        tmp = target.with_name(f".{target.name}-{os.getpid()}")
        tmp.write_text(methods_page(source), encoding="utf-8")
        os.replace(tmp, target)
        written.append(f"{METHODS_DIR}/{target.name}")
    return written


def write_notebook_outputs(job: dict, *, status: str, error: dict | None, duration_s: float) -> dict:
    """Write the HTML report(s) and results JSON for one executed (or partial) notebook; return its manifest entry."""
    out_dir = Path(job["out_dir"])
    name = job["name"]
    executed = Path(job["executed"])
    outputs = {}
    try:
        nb = read_notebook(executed)
        outputs["notebook"] = executed.name
    except Exception as exc:  # missing, or cut short by a kill mid-save: report from the source notebook
        nb = read_notebook(job["input"])
        if error is not None:
            error = {**error, "summary": f"{error['summary']} (executed notebook unreadable: {type(exc).__name__})"}
    banner = _banner(job, status, error, duration_s)
    report = out_dir / f"{name}.html"
    page, linked = methods_links(notebook_html(nb, with_code=False, banner=banner, status=status))
    report.write_text(page, encoding="utf-8")
    outputs["report"] = report.name
    methods = write_methods_pages(linked, Path(job["input"]).parent, out_dir)
    if methods:
        outputs["methods"] = methods
    if job.get("pdf"):
        from .browser import print_pdfs

        outputs["pdf"] = print_pdfs([(report, out_dir / f"{name}.pdf")])[0].name
    if job["with_code"]:
        code_report = out_dir / f"{name}.code.html"
        code_report.write_text(methods_links(notebook_html(nb, with_code=True, banner=banner, status=status))[0],
                               encoding="utf-8")
        outputs["report_with_code"] = code_report.name
    results = read_results(nb)
    results_file = out_dir / f"{name}.results.json"
    results_file.write_text(
        json.dumps({"notebook": name, "status": status, "parameters": job["effective_parameters"],
                    "results": results,
                    "headline": read_headlines(nb), "error": error}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    outputs["results"] = results_file.name
    return {
        "name": name,
        "status": status,
        "duration_s": round(duration_s, 3),
        "parameters": job["given_parameters"],
        "effective_parameters": job["effective_parameters"],
        "outputs": outputs,
        "error": error,
    }
