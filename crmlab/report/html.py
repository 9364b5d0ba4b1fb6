"""HTML reports of executed notebooks and the run's index page.

The manager's report hides every code cell (papermill's report mode alone does
not) except, in a failed notebook, the cell that raised, so a reader sees what
broke.  Pages use the JupyterLab look without network-loaded scripts.
"""
from __future__ import annotations

import copy
import html
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

TEMPLATE_DIR = Path(__file__).with_name("templates")
HIDE_TAG = "crmlab-hide-input"
STATUS_COLOR = {"ok": "#3a9d5d", "failed": "#c0392b", "timeout": "#c0392b"}


def failing_cell_index(nb) -> int | None:
    """Index of the first code cell whose outputs hold an error, if any."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i
    return None


def running_cell_index(nb) -> int | None:
    """Index of the cell papermill marked as running (the one a timeout interrupted)."""
    for i, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("papermill", {}).get("status") == "running":
            return i
    return None


def notebook_html(nb, *, with_code: bool, banner: str = "", status: str = "ok") -> str:
    """Render an executed notebook to a self-contained HTML page.

    ``with_code=False`` hides code cells except the failing/interrupted one.
    ``banner`` is a short HTML note shown at the top (run, parameters, status).
    """
    nb = copy.deepcopy(nb)
    keep = {failing_cell_index(nb), running_cell_index(nb)} - {None}
    exporter = HTMLExporter(
        template_name="crmlab_report",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input_prompt=not with_code,
        exclude_output_prompt=True,
        embed_images=True,
    )
    if not with_code:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and i not in keep:
                cell.metadata.setdefault("tags", []).append(HIDE_TAG)
        remover = TagRemovePreprocessor(remove_input_tags={HIDE_TAG}, enabled=True)
        exporter.register_preprocessor(remover, enabled=True)
    resources = {"crmlab_banner": banner, "crmlab_banner_color": STATUS_COLOR.get(status, "#7f7f7f")}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def index_html(manifest: dict) -> str:
    """The run's index page: one row per notebook with status, time and links."""
    esc = html.escape
    rows = []
    for entry in manifest["notebooks"]:
        links = " · ".join(
            f'<a href="{esc(path)}">{esc(kind)}</a>' for kind, path in entry["outputs"].items()
        )
        err = entry.get("error") or {}
        err_text = f"<br><small>{esc(err.get('summary', ''))}</small>" if err else ""
        params = ", ".join(f"{esc(k)}={esc(repr(v))}" for k, v in entry["parameters"].items())
        color = STATUS_COLOR.get(entry["status"], "#7f7f7f")
        rows.append(
            f"<tr><td>{esc(entry['name'])}</td>"
            f"<td style='color:{color};font-weight:bold'>{esc(entry['status'])}{err_text}</td>"
            f"<td style='text-align:right'>{entry['duration_s']:.1f} s</td>"
            f"<td><small>{params}</small></td><td>{links}</td></tr>"
        )
    label = f" — {esc(manifest['label'])}" if manifest.get("label") else ""
    status = manifest["status"]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>crmlab reports {esc(manifest['run_id'])}</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: .45em .8em; vertical-align: top; text-align: left; }}
th {{ background: #f0f3f6; }} .status {{ color: {STATUS_COLOR.get(status, '#7f7f7f')}; font-weight: bold; }}
</style></head><body>
<h1>crmlab reports{label}</h1>
<p>Run <b>{esc(manifest['run_id'])}</b>: started {esc(manifest['started'])}, finished {esc(manifest['finished'])}
({manifest['duration_s']:.1f} s, {manifest['jobs']} worker(s)) — <span class="status">{esc(status)}</span>,
{manifest['n_ok']} of {len(manifest['notebooks'])} notebooks succeeded.</p>
<table><tr><th>Notebook</th><th>Status</th><th>Time</th><th>Parameters given</th><th>Outputs</th></tr>
{''.join(rows)}
</table>
<p><small>Machine-readable: <a href="manifest.json">manifest.json</a>; key results per notebook in <code>*.results.json</code>.
crmlab {esc(manifest['crmlab_version'])}.</small></p>
</body></html>
"""


def read_notebook(path: str | Path):
    """Read a notebook file (executed or partial) as nbformat v4."""
    return nbformat.read(str(path), as_version=4)
