"""HTML reports of executed notebooks and the run's index page.

The manager's report hides every code cell (papermill's report mode alone does
not) except, in a failed notebook, the cell that raised, so a reader sees what
broke.  Pages use the JupyterLab look and load nothing from the network: no
scripts from a CDN, formulas as MathML converted at export
(:mod:`crmlab.report.texmath`) with the glyphs they use from STIX Two Math, and —
on a page with Chinese text — the glyphs it uses from the bundled Noto Sans CJK
SC, each embedded as a web font, so the page reads correctly offline on a
machine without Chinese or math fonts.  Wide tables wrap their headers on
screen and shrink to the paper width in print (see the template).
"""
from __future__ import annotations

import copy
import html
import logging
import re
from pathlib import Path

import nbformat
from bleach.css_sanitizer import CSSSanitizer
from nbconvert.preprocessors import TagRemovePreprocessor
from nbconvert.preprocessors.sanitize import SanitizeHTML

from ..fonts import CJK_REGULAR, code_points, font_face
from .results import RESULT_MIME
from .texmath import MathMLHTMLExporter, embed_math_font, unicode_range

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).with_name("templates")
HIDE_TAG = "crmlab-hide-input"
STATUS_COLOR = {"ok": "#3a9d5d", "failed": "#c0392b", "timeout": "#c0392b"}


CJK_FONT_FAMILY = "crmlab CJK"
_FONT_STACK = "system-ui, -apple-system, 'Segoe UI', helvetica, arial, sans-serif"
_CODE_STACK = "menlo, consolas, 'DejaVu Sans Mono', monospace"


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80 and not 0xD800 <= ord(ch) <= 0xDFFF


def cjk_font_style(chars: str) -> str:
    """The ``<style>`` block embedding a subset of the CJK font holding exactly ``chars`` ("" if it holds none).

    The family comes *first* in every font stack, limited by ``unicode-range`` to the
    characters it holds, with ``font-display: block``.  Placed after other families, a
    data-URL face still decoding when Chromium lays text out is replaced by the fallback
    font, and that text is never redrawn: headings stayed as missing-glyph boxes.  First in
    the stack, text waits for it.  Latin text never consults it and keeps the system font.
    Characters the shipped font lacks (it covers GB2312) are logged; the browser then draws
    them from a system font if it has one.  Subsetting takes a moment; callers that rebuild
    the same page often may cache the result.
    """
    wanted = {ord(ch) for ch in chars}
    covered = wanted & code_points(CJK_REGULAR)
    if wanted - covered:
        log.warning("characters not in the bundled CJK font (GB2312 subset): %s", "".join(map(chr, sorted(wanted - covered))))
    if not covered:
        return ""
    fam = f'"{CJK_FONT_FAMILY}"'
    return (
        f"<style>{font_face(CJK_FONT_FAMILY, CJK_REGULAR, covered, unicode_range=unicode_range(covered))}\n"
        f":root {{ --jp-content-font-family: {fam}, {_FONT_STACK}; --jp-ui-font-family: {fam}, {_FONT_STACK}; "
        f"--jp-code-font-family: {fam}, {_CODE_STACK}; }}\n"
        f"body {{ font-family: {fam}, {_FONT_STACK}; }}</style>\n"
    )


def embed_cjk_font(page: str, style=cjk_font_style) -> str:
    """Embed a subset of the CJK font holding exactly the page's CJK characters (no-op for pages without any).

    ``style(chars) -> str`` makes the ``<style>`` block (:func:`cjk_font_style`, or a cache of it).
    """
    chars = "".join(sorted({ch for ch in page if _is_cjk(ch)}))
    block = style(chars) if chars else ""
    return page.replace("</head>", block + "</head>", 1) if block else page


# What the shipped notebooks' outputs use (pandas tables and their scoped style block) and ordinary rich text:
# nothing that runs code (scripts, event handlers, javascript: links, frames, forms, SVG).
SAFE_TAGS = ["a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "div", "em", "h1", "h2", "h3",
             "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "style", "sub",
             "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"]
SAFE_ATTRIBUTES = {"*": ["class", "style", "title", "align", "halign", "valign"], "a": ["href"],
                   "img": ["src", "alt", "width", "height"], "table": ["border"], "td": ["colspan", "rowspan"],
                   "th": ["colspan", "rowspan"], "style": ["scoped", "type"]}
SAFE_CSS = ["text-align", "vertical-align", "font-weight", "font-style", "color", "background-color", "width",
            "min-width", "max-width", "white-space", "border", "border-collapse", "padding", "margin"]
_UNSAFE_STYLE = re.compile(r"<style[^>]*>(?:(?!</style>).)*?(?:url\(|@import|expression\(|javascript:|-moz-binding|behavior)"
                           r"(?:(?!</style>).)*</style>", re.IGNORECASE | re.DOTALL)


class SanitizeOutputs(SanitizeHTML):
    """nbconvert's sanitiser (bleach) applied to code-cell outputs: HTML and Markdown outputs keep safe markup only.

    Markdown and raw cells are the notebook's own text and pass unchanged.  Style
    blocks that load anything (``url(``, ``@import``) or run code are dropped, since
    bleach keeps style-element text as it is.  Output types other than text, PNG,
    JPEG, JSON, HTML and Markdown are removed (SVG can carry scripts).
    """

    def __init__(self, **kw):
        super().__init__(tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, styles=SAFE_CSS, strip=True, **kw)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code":
            cell.outputs = self.sanitize_code_outputs(cell.outputs)
        return cell, resources

    def sanitize_html_tags(self, html_str):
        import bleach

        clean = bleach.clean(html_str, tags=self.tags, attributes=self.attributes, strip=True, strip_comments=True,
                             css_sanitizer=CSSSanitizer(allowed_css_properties=self.styles),
                             protocols={"http", "https", "mailto", "data"})
        return _UNSAFE_STYLE.sub("", clean)


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


def page_language(nb) -> str:
    """The report's ``<html lang>``: the ``lang`` parameter papermill ran the notebook with, else its edition's."""
    lang = nb.metadata.get("papermill", {}).get("parameters", {}).get("lang") or nb.metadata.get("crmlab", {}).get("lang")
    return lang if lang in ("en", "zh") else "en"


SUMMARY_TAG = "summary"
# Cells about the bundled teaching data (checks against its known truth) or about how to describe your own data:
# in the notebook and in the teaching run's report, left out of a report on a user's data.
TEACHING_TAG = "teaching"


def ran_on_user_data(nb) -> bool:
    """Whether papermill ran the notebook with a data description (a study) among its parameters."""
    from ..study import is_study

    params = nb.metadata.get("papermill", {}).get("parameters", {}) or {}
    return any(is_study(v) or (isinstance(v, list) and any(is_study(x) for x in v)) for v in params.values())


def summary_first(nb) -> None:
    """Move the cells tagged ``summary`` (in their order) to just after the notebook's opening Markdown cell.

    The summary is computed from the recorded results, so a notebook ends with it; a
    manager's report opens with it (after the title and introduction), then the sections.
    """
    summary = [c for c in nb.cells if SUMMARY_TAG in c.get("metadata", {}).get("tags", [])]
    if not summary:
        return
    rest = [c for c in nb.cells if SUMMARY_TAG not in c.get("metadata", {}).get("tags", [])]
    at = 1 if rest and rest[0].cell_type == "markdown" else 0
    nb.cells = rest[:at] + summary + rest[at:]


def notebook_html(nb, *, with_code: bool, banner: str = "", status: str = "ok") -> str:
    """Render an executed notebook to a self-contained HTML page.

    ``with_code=False`` (the manager's report) opens with the summary (:func:`summary_first`) and
    hides code cells except the failing/interrupted one, and the one-line echoes of
    :func:`~crmlab.report.results.record` (they are in the JSON).  ``with_code=True`` keeps the
    notebook's order.  On a user's data (:func:`ran_on_user_data`) the cells tagged ``teaching`` are left out.
    ``banner`` is a short HTML note shown at the top (run, parameters, status).
    """
    nb = copy.deepcopy(nb)
    if ran_on_user_data(nb):
        nb.cells = [c for c in nb.cells if TEACHING_TAG not in c.get("metadata", {}).get("tags", [])]
    keep = {failing_cell_index(nb), running_cell_index(nb)} - {None}
    exporter = MathMLHTMLExporter(
        template_name="crmlab_report",
        language_code=page_language(nb),
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input_prompt=not with_code,
        exclude_output_prompt=True,
        embed_images=True,
    )
    if not with_code:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and i not in keep:
                cell.metadata.setdefault("tags", []).append(HIDE_TAG)
            if cell.cell_type == "code":  # recorded results go to the JSON, not the reader's page
                cell.outputs = [o for o in cell.get("outputs", []) if RESULT_MIME not in o.get("data", {})]
        summary_first(nb)
        remover = TagRemovePreprocessor(remove_input_tags={HIDE_TAG}, enabled=True)
        exporter.register_preprocessor(remover, enabled=True)
    exporter.register_preprocessor(SanitizeOutputs(), enabled=True)
    resources = {"crmlab_banner": banner, "crmlab_banner_color": STATUS_COLOR.get(status, "#7f7f7f")}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return embed_cjk_font(embed_math_font(body))


def index_html(manifest: dict) -> str:
    """The run's index page (see :func:`_index_page`), with the CJK glyphs it uses embedded."""
    return embed_cjk_font(_index_page(manifest))


def _index_page(manifest: dict) -> str:
    """The run's index page: one row per notebook with status, time and links."""
    esc = html.escape
    rows = []
    for entry in manifest["notebooks"]:
        links = " · ".join(  # an output is a file, or a list of files (the methods references)
            f'<a href="{esc(path)}">{esc(kind if isinstance(paths, str) else Path(path).stem)}</a>'
            for kind, paths in entry["outputs"].items() for path in ([paths] if isinstance(paths, str) else paths)
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


# A link from a notebook (``notebooks/`` or ``notebooks/zh/``) to its methods reference in the repository,
# and the links between methods references (``x.md`` <-> ``x.zh.md``): in a run folder both point at the
# copies rendered into ``methods/``.
_DOC_LINK = re.compile(r'href="(?:\.\./)+docs/methods/([A-Za-z0-9_-]+(?:\.zh)?)\.md(#[^"]*)?"')
_SIBLING_LINK = re.compile(r'href="([A-Za-z0-9_-]+(?:\.zh)?)\.md(#[^"]*)?"')
METHODS_DIR = "methods"


def methods_links(page: str, *, prefix: str = f"{METHODS_DIR}/") -> tuple[str, set[str]]:
    """The page with its links to methods references pointed at ``<prefix><name>.html``, and the names linked."""
    names: set[str] = set()

    def to_html(m: re.Match) -> str:
        names.add(m.group(1))
        return f'href="{prefix}{m.group(1)}.html{m.group(2) or ""}"'

    page = _DOC_LINK.sub(to_html, page)
    return page, names


def methods_page(source: Path) -> str:
    """A methods reference (Markdown in ``docs/methods/``) as a self-contained page like the reports.

    Formulas become MathML and the fonts are embedded as in a report; links to the other
    references (its other-language twin) point at their rendered copies beside it.
    """
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(source.read_text(encoding="utf-8"))])
    nb.metadata["crmlab"] = {"lang": "zh" if source.stem.endswith(".zh") else "en"}
    page = notebook_html(nb, with_code=False)
    return _SIBLING_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', page)


def read_notebook(path: str | Path):
    """Read a notebook file (executed or partial) as nbformat v4."""
    return nbformat.read(str(path), as_version=4)
