"""Runs over time: the history page ``reports/index.html`` and run retention.

The history page lists every run folder of ``reports/`` (newest first) with its
label, status, start time, links and a few headline results per notebook, and
draws one small line chart per headline number over the runs (x: the runs,
oldest to newest, named by label or date).  Charts are inline SVG written here,
so the page needs no script and no network; Chinese text carries its glyphs
(:func:`~crmlab.report.html.embed_cjk_font`; the font subset is cached in
``reports/.history-cjk-font.json`` while the page's Chinese characters stay the same).

Headline results of one notebook in one run (from its ``<nb>.results.json``):

- the results the notebook marked with ``crmlab.record(name, value, headline=True)``
  (listed under ``"headline"`` in the JSON); a flat table of numbers gives one
  chart per label, named ``name [label]``;
- if it marked none (or the JSON predates the flag): its first
  :data:`MAX_AUTO_HEADLINES` results that are single numbers, in recording order.

Only notebooks that succeeded contribute values; a notebook gets at most
:data:`MAX_CHARTS_PER_NOTEBOOK` charts (headlines of newer runs first) and the runs
table shows its first :data:`MAX_IN_TABLE` headline values.

A run folder is a directory in ``reports/`` whose name starts with a run id's date
(``YYYY-MM-DD_HHMMSS``) or that holds a ``manifest.json``; one whose manifest is
missing or unreadable is listed as such.  Retention (:func:`prune_runs`) removes
only folders whose manifest reads and names the folder as its ``run_id`` — never
the run ``latest`` points to, never a hidden (``.incomplete-*``) staging folder.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import html
import json
import math
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..validation import CrmlabValueError
from .html import STATUS_COLOR, cjk_font_style, embed_cjk_font
from .results import is_number

HISTORY_PAGE = "index.html"
MAX_AUTO_HEADLINES = 6
MAX_CHARTS_PER_NOTEBOOK = 12
MAX_IN_TABLE = 3
RUN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2}_\d{6})(?:[_-].*)?", re.DOTALL)
PRUNING_PREFIX = ".pruning-"
FONT_CACHE = ".history-cjk-font.json"


# =========================================================================== the reports folder
@contextlib.contextmanager
def reports_lock(reports_dir: Path):
    """Exclusive lock on the reports folder: re-pointing ``latest`` and pruning never interleave."""
    with open(Path(reports_dir) / ".latest.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_manifest(run_dir: Path) -> dict:
    """A run's manifest; ``ValueError``/``OSError`` saying why when it is missing, unreadable or not a run manifest."""
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    if not isinstance(manifest, dict) or not isinstance(manifest.get("notebooks"), list) \
            or not all(isinstance(e, dict) and isinstance(e.get("name"), str) for e in manifest["notebooks"]):
        raise ValueError("not a crmlab run manifest (no list of notebooks)")
    return manifest


def latest_target(reports_dir: Path) -> str | None:
    """The run folder name ``reports/latest`` points to, if it is a link."""
    link = Path(reports_dir) / "latest"
    return os.readlink(link) if link.is_symlink() else None


def _started_from_name(name: str) -> str:
    """UTC start time read from a run folder's name (local time), or '' when the name holds none."""
    m = RUN_NAME.fullmatch(name)
    try:
        local = dt.datetime.strptime(m.group(1), "%Y-%m-%d_%H%M%S").astimezone() if m else None
    except ValueError:
        return ""
    return local.astimezone(dt.timezone.utc).isoformat(timespec="microseconds") if local else ""


@dataclass
class Run:
    """One run folder as the history page and retention see it."""

    folder: str
    manifest: dict | None = None
    problem: str | None = None
    headlines: dict[str, dict[str, float | None]] = field(default_factory=dict)  # notebook -> series -> value
    notes: dict[str, str] = field(default_factory=dict)  # notebook -> why its results could not be read

    @property
    def started_utc(self) -> str:
        started = (self.manifest or {}).get("started_utc")
        return started if isinstance(started, str) else _started_from_name(self.folder)

    @property
    def x_label(self) -> str:
        """What the charts call this run: its label, else its start (local date and time to the minute)."""
        m = self.manifest or {}
        if isinstance(m.get("label"), str) and m["label"]:
            return m["label"]
        return str(m.get("started") or self.folder)[:16].replace("T", " ")


def headline_series(payload: dict) -> dict[str, float | None]:
    """The headline numbers of one results JSON (see the module docstring for the rule)."""
    results = payload.get("results")
    if not isinstance(results, dict):
        raise ValueError("no results mapping")
    marked = payload.get("headline")
    if not (isinstance(marked, list) and marked):
        names = [n for n, v in results.items() if is_number(v)][:MAX_AUTO_HEADLINES]
        return {n: results[n] for n in names}
    series: dict[str, float | None] = {}
    for name in marked:
        value = results.get(name)
        if isinstance(value, dict):
            series.update({f"{name} [{k}]": v for k, v in value.items() if v is None or is_number(v)})
        elif value is None or is_number(value):
            series[name] = value
    return series


def _read_run(reports_dir: Path, folder: str, *, with_results: bool) -> Run:
    run = Run(folder)
    try:
        run.manifest = read_manifest(reports_dir / folder)
    except FileNotFoundError:
        run.problem = "manifest missing"
        return run
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        run.problem = f"manifest unreadable ({type(exc).__name__}: {exc})"
        return run
    for entry in run.manifest["notebooks"] if with_results else []:
        results_file = (entry.get("outputs") or {}).get("results") if isinstance(entry.get("outputs"), dict) else None
        if entry.get("status") != "ok" or not isinstance(results_file, str):
            continue
        try:
            payload = json.loads((reports_dir / folder / results_file).read_text(encoding="utf-8"))
            run.headlines[entry["name"]] = headline_series(payload)
        except (OSError, ValueError, AttributeError) as exc:
            run.notes[entry["name"]] = f"results unreadable ({type(exc).__name__})"
    return run


def scan_runs(reports_dir: str | Path, *, with_results: bool = True) -> list[Run]:
    """Every run folder in ``reports_dir``, newest first (by the manifest's UTC start, else the folder name)."""
    reports_dir = Path(reports_dir)
    runs = []
    for entry in reports_dir.iterdir():
        if entry.name.startswith(".") or entry.is_symlink() or not entry.is_dir():
            continue
        if not (RUN_NAME.fullmatch(entry.name) or (entry / "manifest.json").exists()):
            continue
        runs.append(_read_run(reports_dir, entry.name, with_results=with_results))
    return sorted(runs, key=lambda r: (r.started_utc, r.folder), reverse=True)


# =========================================================================== retention
def check_keep(keep) -> int:
    """How many runs to keep: a whole number >= 1 (decimal text accepted, as given on the command line)."""
    if isinstance(keep, str) and re.fullmatch(r"\+?\d+", keep.strip()):
        keep = int(keep)
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        raise CrmlabValueError(f"keep must be a whole number of runs >= 1, got {keep!r}")
    return keep


def prune_runs(reports_dir: str | Path, keep) -> list[str]:
    """Remove the oldest finished run folders beyond the newest ``keep``; return the names removed, oldest first.

    Counted and removed are only folders whose ``manifest.json`` reads and names the
    folder as its ``run_id``; the run ``latest`` points to is always kept.  Each folder
    is first renamed to a hidden ``.pruning-*`` name (readers never see half of it),
    then deleted; leftovers of an earlier, killed prune are deleted too.
    """
    keep = check_keep(keep)
    reports_dir = Path(reports_dir)
    if not reports_dir.is_dir():
        raise CrmlabValueError(f"reports folder {reports_dir} does not exist")
    removed = []
    with reports_lock(reports_dir):
        protected = latest_target(reports_dir)
        runs = [r for r in scan_runs(reports_dir, with_results=False)
                if r.manifest is not None and r.manifest.get("run_id") == r.folder]
        for run in reversed(runs[keep:]):
            if run.folder == protected:
                continue
            doomed = reports_dir / f"{PRUNING_PREFIX}{run.folder}"
            os.replace(reports_dir / run.folder, doomed)
            removed.append(run.folder)
    for leftover in reports_dir.glob(f"{PRUNING_PREFIX}*"):
        with contextlib.suppress(FileNotFoundError):  # a concurrent prune got there first
            shutil.rmtree(leftover)
    return removed


# =========================================================================== the page
def _fmt(value) -> str:
    """Four significant digits; whole units with thousands separators from 1,000 up (1,234,568)."""
    if value is None:
        return "–"
    if isinstance(value, float) and 1e3 <= abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:.4g}" if isinstance(value, float) else f"{value:,}"


def svg_chart(title: str, x_labels: list[str], values: list[float | None], *, width: int = 300, height: int = 150) -> str:
    """A small inline-SVG line chart of ``values`` (None: no value) over ``x_labels``; hover a point for its value."""
    esc = html.escape
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None and math.isfinite(v)]
    latest = f" — latest {esc(_fmt(values[-1]))}" if values and values[-1] is not None else ""
    head = f'<figure class="chart"><figcaption><b>{esc(title)}</b>{latest}</figcaption>'
    if not points:
        return head + "<p><small>no values recorded</small></p></figure>"
    left, right, top, bottom = 52, 10, 8, 30
    lo, hi = min(v for _, v in points), max(v for _, v in points)
    if lo == hi:
        lo, hi = lo - (abs(lo) * 0.05 or 1.0), hi + (abs(hi) * 0.05 or 1.0)
    n = len(values)

    def x(i: int) -> float:
        return left + (i / (n - 1) if n > 1 else 0.5) * (width - left - right)

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * (height - top - bottom)

    line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
    dots = "".join(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.6"><title>{esc(x_labels[i])}: {esc(_fmt(v))}</title></circle>'
                   for i, v in points)
    ticks = sorted({0, n - 1} if n > 1 else {0})
    xt = "".join(f'<text x="{x(i):.1f}" y="{height - 10}" text-anchor="{"start" if i == 0 and n > 1 else "end" if i else "middle"}">'
                 f"{esc(x_labels[i][:24])}</text>" for i in ticks)
    yt = "".join(f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{esc(_fmt(v))}</text>' for v in (lo, hi))
    axes = (f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}"/>'
            f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}"/>')
    return (head + f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{esc(title)} over {n} runs"><g class="axes">{axes}</g><g class="ticks">{xt}{yt}</g>'
            f'<polyline points="{line}"/><g class="dots">{dots}</g></svg></figure>')


def _href(*parts: str) -> str:
    return html.escape("/".join(quote(p) for p in parts))


def _chart_sections(runs: list[Run]) -> str:
    """One section per notebook with a chart per headline number, x = the runs with a manifest, oldest first."""
    readable = [r for r in runs if r.manifest is not None]
    charted: dict[str, list[str]] = {}
    for run in readable:  # newest first: the current headlines lead
        for nb, series in run.headlines.items():
            names = charted.setdefault(nb, [])
            names += [s for s in series if s not in names][:MAX_CHARTS_PER_NOTEBOOK - len(names)]
    chrono = readable[::-1]
    labels = [r.x_label for r in chrono]
    sections = []
    for nb, names in charted.items():
        if names:
            charts = "".join(svg_chart(s, labels, [r.headlines.get(nb, {}).get(s) for r in chrono]) for s in names)
            sections.append(f'<h3>{html.escape(nb)}</h3><div class="charts">{charts}</div>')
    return "".join(sections) or "<p>No headline numbers recorded yet.</p>"


def _run_row(run: Run, latest: str | None) -> str:
    esc = html.escape
    badge = ' <span class="latest">latest</span>' if run.folder == latest else ""
    if run.manifest is None:
        return (f'<tr><td><a href="{_href(run.folder)}/">{esc(run.folder)}</a>{badge}</td><td></td>'
                f'<td class="problem">{esc(run.problem or "")}</td><td></td><td></td></tr>')
    m = run.manifest
    status = str(m.get("status", "unknown"))
    n = len(m["notebooks"])
    partial = f"<br><small>{n} notebook(s): a partial run</small>" if m.get("complete") is False else ""
    cells = []
    for entry in m["notebooks"]:
        nb, nb_status = entry["name"], str(entry.get("status", "unknown"))
        report = (entry.get("outputs") or {}).get("report") if isinstance(entry.get("outputs"), dict) else None
        name = f'<a href="{_href(run.folder, report)}">{esc(nb)}</a>' if isinstance(report, str) else esc(nb)
        values = "; ".join(f"{esc(k)} = {esc(_fmt(v))}" for k, v in list(run.headlines.get(nb, {}).items())[:MAX_IN_TABLE])
        note = run.notes.get(nb) or ("" if nb_status == "ok" else nb_status)
        color = STATUS_COLOR.get(nb_status, "#7f7f7f")
        cells.append(f'<li>{name} <span style="color:{color}">{esc(note)}</span> {values}</li>')
    started = str(m.get("started", ""))[:19].replace("T", " ")
    return (f'<tr><td><a href="{_href(run.folder, "index.html")}">{esc(run.folder)}</a>{badge}</td>'
            f'<td>{esc(str(m.get("label") or ""))}</td>'
            f'<td style="color:{STATUS_COLOR.get(status, "#7f7f7f")};font-weight:bold">{esc(status)}{partial}</td>'
            f'<td>{esc(started)}</td><td><ul>{"".join(cells)}</ul></td></tr>')


def cached_font_style(cache: Path):
    """:func:`~crmlab.report.html.cjk_font_style` remembered in ``cache`` for the last set of characters.

    Subsetting the CJK font takes a moment; the page's Chinese characters rarely change
    from one rebuild to the next.  An unreadable cache is recomputed; an unwritable one is
    skipped.
    """
    def style(chars: str) -> str:
        try:
            saved = json.loads(cache.read_text(encoding="utf-8"))
            if saved["chars"] == chars:
                return saved["style"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        block = cjk_font_style(chars)
        tmp = cache.with_name(f"{cache.name}-{os.getpid()}")
        with contextlib.suppress(OSError):
            tmp.write_text(json.dumps({"chars": chars, "style": block}), encoding="utf-8")
            os.replace(tmp, cache)
        return block

    return style


def history_html(runs: list[Run], latest: str | None, *, font_style=cjk_font_style) -> str:
    """The history page for ``runs`` (newest first), with the CJK glyphs it uses embedded (made by ``font_style``)."""
    esc = html.escape
    built = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    latest_note = (f'<a href="latest/index.html">latest</a> is <b>{esc(latest)}</b>, the newest run that rendered '
                   f"every notebook successfully." if latest else "No run has rendered every notebook successfully yet.")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>crmlab report history</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: .45em .8em; vertical-align: top; text-align: left; }}
th {{ background: #f0f3f6; }} ul {{ margin: 0; padding-left: 1.1em; }} .problem {{ color: #c0392b; }}
.latest {{ background: #3a9d5d; color: #fff; border-radius: 3px; padding: 0 .3em; font-size: 80%; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 1em; }} figure.chart {{ margin: 0; }} figcaption {{ font-size: 85%; }}
svg text {{ font-size: 10px; fill: #555; }} svg .axes line {{ stroke: #999; }}
svg polyline {{ fill: none; stroke: #2c6fbb; stroke-width: 1.5; }} svg circle {{ fill: #2c6fbb; }}
</style></head><body>
<h1>crmlab report history</h1>
<p>{len(runs)} run(s) in this folder, newest first. {latest_note} Built {esc(built)}.</p>
<h2>Headline results over the runs</h2>
<p><small>One chart per headline number of each notebook, oldest run on the left; hover a point for its run and value.
Only notebooks that succeeded contribute values.</small></p>
{_chart_sections(runs)}
<h2>Runs</h2>
<table><tr><th>Run</th><th>Label</th><th>Status</th><th>Started</th><th>Notebooks and headline results</th></tr>
{"".join(_run_row(r, latest) for r in runs)}
</table>
</body></html>
"""
    return embed_cjk_font(page, font_style)


def build_history(reports_dir: str | Path) -> Path:
    """(Re)write ``reports_dir/index.html`` from every run folder in it; return its path."""
    reports_dir = Path(reports_dir)
    if not reports_dir.is_dir():
        raise CrmlabValueError(f"reports folder {reports_dir} does not exist")
    page = history_html(scan_runs(reports_dir), latest_target(reports_dir),
                        font_style=cached_font_style(reports_dir / FONT_CACHE))
    target = reports_dir / HISTORY_PAGE
    tmp = reports_dir / f".{HISTORY_PAGE}-{os.getpid()}"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target
