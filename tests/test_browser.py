"""Reports read in a real browser: headless Chromium (Debian's ``chromium``, driven by playwright).

The browser runs with the network cut and a font setup holding only DejaVu and Liberation — a
reader with no Chinese and no math font — so a missing glyph shows instead of being hidden by
the test machine's fonts.  Every page must load with no console error and no request beyond
``file:``/``data:``, decode every image, draw every CJK character with the embedded CJK font and
every formula with the embedded math font (Chromium's own account of the fonts it used,
DevTools ``CSS.getPlatformFontsForNode``, after ``document.fonts.ready``), leave no raw ``$…$``,
show MathML wherever the notebook had TeX, show no code in the report without code, fit its
tables on the printed page, and show the summary section of a notebook that has one (a cell
tagged ``summary``).

Without Chromium these tests skip with one line saying how to install it; in CI (``CI`` or
``CRMLAB_REQUIRE_BROWSER`` set) a missing browser is a failure.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from crmlab.report.browser import (LAUNCH_ARGS, PRINTABLE_WIDTH_PX, BrowserUnavailable, check_browser, chromium_path,
                                   launch, offline_page)
from crmlab.report.html import embed_cjk_font, notebook_html
from test_texmath import tex_formulas

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = bool(os.environ.get("CI") or os.environ.get("CRMLAB_REQUIRE_BROWSER"))
try:
    check_browser()
except BrowserUnavailable as _missing:
    if not REQUIRED:  # one line in pytest's summary; in CI the tests run and fail on the missing browser
        pytest.skip(f"browser tests need Chromium: {_missing}", allow_module_level=True)
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
SUMMARY_TAG = "summary"  # the marker notebooks put on their summary cell (Markdown cell, or code cell with Markdown output)
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/truetype/liberation2")


# ------------------------------------------------------------------ browser
@pytest.fixture(scope="session")
def bare_fonts(tmp_path_factory) -> dict:
    """The browser's environment: a fontconfig file with DejaVu and Liberation only (no CJK, no math font)."""
    d = tmp_path_factory.mktemp("fontconfig")
    dirs = "".join(f"  <dir>{p}</dir>\n" for p in FONT_DIRS if Path(p).is_dir())
    (d / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n' + dirs +
        "  <selectfont><rejectfont><glob>*Math*</glob></rejectfont></selectfont>\n"
        f"  <cachedir>{d / 'cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(d / "fonts.conf")}


@pytest.fixture(scope="session")
def browser(bare_fonts):
    """One headless Chromium for the session (a fresh context per page)."""
    try:
        check_browser()
    except BrowserUnavailable as exc:  # only in CI: elsewhere the module is skipped
        pytest.fail(f"CI runs the browser tests and needs Chromium: {exc}")
    with launch(env=bare_fonts) as b:
        yield b


# ------------------------------------------------------------------ page checks
_PAGE_JS = r"""async () => {
  await document.fonts.ready;
  const imgs = [...document.images];
  await Promise.all(imgs.map(i => i.decode().catch(() => null)));
  const texRule = /(?<![$\\])\$(?![\s$])(?:[^$\\]|\\.)+?(?<![\s\\])\$(?!\d)|\$\$/;
  const prose = el => { const c = el.cloneNode(true); c.querySelectorAll('code, pre, math').forEach(x => x.remove());
                        return c.textContent; };
  const summary = [...document.querySelectorAll('.celltag_summary')].filter(e => !e.parentElement.closest('.celltag_summary'));
  return {
    brokenImages: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => (i.currentSrc || i.src).slice(0, 60)),
    nImages: imgs.length,
    failedFonts: [...document.fonts].filter(f => f.status === 'error').map(f => f.family),
    rawTex: [...document.querySelectorAll('.jp-RenderedMarkdown')].map(prose).filter(t => texRule.test(t)).map(t => t.slice(0, 80)),
    nMath: document.querySelectorAll('math').length,
    texErrors: document.querySelectorAll('.crmlab-tex-error').length,
    codeInputs: document.querySelectorAll('.jp-CodeCell .jp-InputArea').length,
    summaryText: summary.map(e => e.getClientRects().length ? e.innerText.trim() : '').join('\n'),
    nSummary: summary.length,
    summaryFirst: summary.length > 0 && [...document.querySelectorAll('h2')].filter(h => !h.closest('.celltag_summary'))
                    .every(h => summary[0].compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING),
    cutCells: [...document.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1 ||
                 /(\.\.\.|…)$/.test(c.textContent.trim())).map(c => c.textContent.trim().slice(0, 40)),
  };
}"""

# Elements with their own text that must be drawn by an embedded font: CJK text anywhere, any text in a formula.
_MARK_JS = r"""() => {
  const cjk = /[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/g;
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.data.trim() || !el.getClientRects().length) continue;
    const own = [...el.childNodes].filter(c => c.nodeType === 3).map(c => c.data).join('');
    const inMath = !!el.closest('math');
    const nCjk = (own.match(cjk) || []).length;
    if (!inMath && !nCjk) continue;
    seen.add(el);
    el.setAttribute('data-glyph-check', out.length);
    out.push({text: own.trim().slice(0, 40), inMath, nCjk});
  }
  return out;
}"""

# A character no font covers is drawn as the same box as U+10FFFD (unassigned): compare pixels.
_TOFU_JS = r"""() => {
  const cv = document.createElement('canvas'); cv.width = 48; cv.height = 48;
  const ctx = cv.getContext('2d', {willReadFrequently: true});
  const draw = (font, ch) => { ctx.clearRect(0, 0, 48, 48); ctx.font = font; ctx.fillText(ch, 4, 36);
                               return ctx.getImageData(0, 0, 48, 48).data.join(','); };
  const box = new Map(), bad = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('math, style, script') || !el.getClientRects().length) continue;
    const cs = getComputedStyle(el), font = `${cs.fontStyle} ${cs.fontWeight} 32px ${cs.fontFamily}`;
    if (!box.has(font)) box.set(font, draw(font, '\u{10FFFD}'));
    for (const ch of new Set(n.data)) {
      if (ch.codePointAt(0) < 0x80 || /\s/.test(ch)) continue;
      if (draw(font, ch) === box.get(font)) bad.add(ch);
    }
  }
  return [...bad];
}"""

_PRINT_JS = r"""(w) => {
  if (!window.crmlabFitTables) return {zoomed: 0, cut: [], wide: 0, fitted: false};  // the run's index page
  const zoomed = window.crmlabFitTables(w);
  const cut = [];
  document.querySelectorAll('.jp-RenderedHTMLCommon table').forEach(t => {
    const box = t.closest('.jp-OutputArea-output, .jp-RenderedHTMLCommon') || t.parentElement;
    const wide = !!t.closest('.crmlab-wide'), width = t.getBoundingClientRect().width;
    if (width > box.clientWidth * (wide ? 1.49 : 1) + 1) cut.push(t.innerText.slice(0, 40));
  });
  return {zoomed, cut, wide: document.querySelectorAll('.crmlab-wide').length, fitted: true};
}"""


def glyph_problems(page) -> list[tuple[str, list[str]]]:
    """Text Chromium drew with no embedded font where one is required: (text, fonts used)."""
    marked = page.evaluate(_MARK_JS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    bad = []
    for i, item in enumerate(marked):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f'[data-glyph-check="{i}"]'})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        embedded = sum(f["glyphCount"] for f in fonts if f["isCustomFont"])
        ok = all(f["isCustomFont"] for f in fonts) if item["inMath"] else embedded >= item["nCjk"]
        if not ok:
            bad.append((item["text"], [f"{f['familyName']}:{f['glyphCount']}" for f in fonts]))
    cdp.detach()
    return bad


def check_page(browser, path: Path, *, printed: bool = False) -> dict:
    """Load a page offline and return what a reader would meet (see the module docstring)."""
    errors, blocked = [], []
    page = offline_page(browser, errors=errors, blocked=blocked)
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        found = page.evaluate(_PAGE_JS)
        found.update(errors=errors, blocked=blocked, glyphs=glyph_problems(page), tofu=page.evaluate(_TOFU_JS))
        if printed:
            page.set_viewport_size({"width": PRINTABLE_WIDTH_PX, "height": 1000})
            page.emulate_media(media="print")
            found["print"] = page.evaluate(_PRINT_JS, PRINTABLE_WIDTH_PX)
    finally:
        page.context.close()
    return found


def assert_reads_offline(found: dict) -> None:
    for key in ("errors", "blocked", "brokenImages", "failedFonts", "rawTex", "glyphs", "tofu", "cutCells"):
        assert not found[key], (key, found[key])
    assert found["texErrors"] == 0


# ------------------------------------------------------------------ the detectors see what they must see
def _write(tmp_path: Path, name: str, page: str) -> Path:
    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    return path


def test_the_checks_see_missing_glyphs_with_these_fonts(browser, tmp_path):
    """Without embedded fonts, Chinese and formulas are flagged: the font setup has no CJK or math font."""
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><h1>客户终身价值</h1>'
            '<p>x <math><mrow><mo>∑</mo><mi>x</mi></mrow></math> \U00013000</p></body></html>')
    found = check_page(browser, _write(tmp_path, "bare.html", page))
    flagged = {text for text, _ in found["glyphs"]}
    assert "客户终身价值" in flagged and {"∑", "x"} <= flagged, found["glyphs"]
    assert "\U00013000" in found["tofu"]  # an Egyptian hieroglyph: no font here has it
    fixed = check_page(browser, _write(tmp_path, "embedded.html", embed_cjk_font(page)))
    assert "客户终身价值" not in {text for text, _ in fixed["glyphs"]}


# ------------------------------------------------------------------ small fixture notebooks
def fixture_notebook(lang: str):
    """An executed notebook: headings, formulas, prices, a Markdown output, a figure, a wide table, stdout."""
    import base64
    import io

    import matplotlib.pyplot as plt

    from crmlab.plotting import use_style

    zh = lang == "zh"
    use_style()
    fig, ax = plt.subplots(figsize=(4, 2.5), dpi=80)
    ax.bar(["满意度", "忠诚度"] if zh else ["satisfaction", "loyalty"], [0.4, 0.6])
    ax.set_title("层次分析法权重" if zh else "AHP weights", fontweight="bold")
    png = io.BytesIO()
    fig.savefig(png, format="png")
    plt.close(fig)
    columns = [f"{'细分客户终身价值' if zh else 'segment lifetime value'} {i}" for i in range(18)]
    wide = pd.DataFrame(np.random.default_rng(0).normal(1000, 300, (4, 18)).round(2), columns=columns)
    md = ("# 客户终身价值 (CLV)\n\n## 一致性检验\n\n一致性指标 $CI = \\frac{\\lambda_{\\max} - n}{n - 1}$，"
          "当 $CR < 0.10$ 时可接受；一张 $5 的优惠券。\n\n" if zh else
          "# Customer lifetime value\n\n## Consistency\n\n$CI = \\frac{\\lambda_{\\max} - n}{n - 1}$ is accepted "
          "when $CR < 0.10$; a coupon worth $5 lifts the basket from $20 to $25.\n\n")
    md += ("$$CLV = \\sum_{t=1}^{T} \\frac{m\\,r^t}{(1+d)^t} \\;\\xrightarrow{T\\to\\infty}\\; m\\,\\frac{r}{1+d-r}$$\n\n"
           "$$\\Lambda = \\left[ \\frac{\\alpha}{\\beta} \\right], \\quad \\min_i x_i, \\quad \\text{a<b & c}$$")
    nb = new_notebook(cells=[
        new_markdown_cell(md),
        # the summary: a Markdown cell in the Chinese fixture, a code cell with a Markdown output in the English one
        new_markdown_cell("**结论**：毛利率 $m = 0.3$。", metadata={"tags": [SUMMARY_TAG]}) if zh else
        new_code_cell("summary()", metadata={"tags": [SUMMARY_TAG]}, outputs=[new_output(
            "display_data", data={"text/markdown": "**Finding**: margin $m = 0.3$.", "text/plain": "summary"})]),
        new_code_cell("plot()", outputs=[new_output("display_data", data={"image/png": base64.b64encode(png.getvalue()).decode(),
                                                                          "text/plain": "<Figure>"})]),
        new_code_cell("wide", outputs=[new_output("execute_result", data={"text/html": wide.to_html(), "text/plain": "wide"},
                                                  execution_count=3)]),
        new_code_cell("print(...)", outputs=[new_output("stream", name="stdout",
                                                        text="客户终身价值 CLV = 1234.5（元）\n" if zh else "CLV = 1234.5\n")]),
    ])
    nb.metadata["papermill"] = {"parameters": {"lang": lang}}
    return nb, md


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_fixture_report_reads_offline_and_prints(browser, tmp_path, lang):
    nb, md = fixture_notebook(lang)
    html = notebook_html(nb, with_code=False)
    assert f'<html lang="{lang}">' in html  # the browser's line breaking and font choice follow it
    page = check_page(browser, _write(tmp_path, f"{lang}.html", html), printed=True)
    assert_reads_offline(page)
    assert page["nMath"] == len(tex_formulas(md)) + 1 == 5  # + the formula in the summary
    assert page["nImages"] == 1 and page["codeInputs"] == 0
    assert page["nSummary"] == 1 and ("结论" if lang == "zh" else "Finding") in page["summaryText"]
    assert page["print"]["cut"] == [] and page["print"]["zoomed"] == 1  # the 18-column table is shrunk to fit


def test_stretchy_brackets_and_big_operators_use_the_math_font(browser, tmp_path):
    """Without a system math font, \\left[ … \\right] around a fraction and a display ∑ are drawn large."""
    nb, _ = fixture_notebook("en")
    path = _write(tmp_path, "math.html", notebook_html(nb, with_code=False))
    page = offline_page(browser)
    try:
        page.goto(path.as_uri(), wait_until="load")
        sizes = page.evaluate("""async () => { await document.fonts.ready;
          const h = t => [...document.querySelectorAll('math[display=block] mo')].filter(m => m.textContent === t)
                            .map(m => m.getBoundingClientRect().height);
          const x = [...document.querySelectorAll('math mi')].find(m => m.textContent === 'x').getBoundingClientRect().height;
          return {bracket: h('[')[0], sum: h('∑')[0], x}; }""")
    finally:
        page.context.close()
    assert sizes["bracket"] > 1.8 * sizes["x"] and sizes["sum"] > 1.5 * sizes["x"], sizes


def test_chinese_headings_draw_in_a_fresh_browser(browser, bare_fonts, tmp_path):
    """The web-font race: a fresh browser (no decoded font in its cache) still draws CJK headings with the font.

    With the CJK family last in the font stacks, Chromium drew headings laid out while the
    face was still decoding in the fallback font, and never redrew them (boxes in 18 of 20 loads).
    """
    nb, _ = fixture_notebook("zh")
    path = _write(tmp_path, "zh.html", notebook_html(nb, with_code=False))
    for _ in range(2):
        fresh = browser.browser_type.launch(executable_path=chromium_path(), headless=True, args=LAUNCH_ARGS, env=bare_fonts)
        try:
            found = check_page(fresh, path)
        finally:
            fresh.close()
        assert found["glyphs"] == [] and found["errors"] == [], found


# ------------------------------------------------------------------ the shipped notebooks' reports
_checked: dict = {}


def checked(request, lang: str, name: str) -> dict:
    """The check of one page of the session's rendered run in ``lang`` (each page is loaded once)."""
    if (lang, name) not in _checked:
        browser = request.getfixturevalue("browser")  # first: without Chromium, skip before rendering anything
        run = request.getfixturevalue("rendered_run" if lang == "en" else "rendered_run_zh")
        run_dir = Path(run["path"])
        entry = next((e for e in run["notebooks"] if e["name"] == name), None)
        if entry is not None:
            assert entry["status"] == "ok", (entry["error"], run["log"])
        html = run_dir / ("index.html" if entry is None else entry["outputs"]["report"])
        notebook = None if entry is None else nbformat.read(run_dir / entry["outputs"]["notebook"], as_version=4)
        _checked[lang, name] = {"page": check_page(browser, html, printed=True), "notebook": notebook}
    return _checked[lang, name]


PAGES = [(lang, name) for lang in ("en", "zh") for name in NOTEBOOKS + ["index"]]


@pytest.mark.parametrize("lang,name", PAGES, ids=[f"{lang}-{name}" for lang, name in PAGES])
def test_report_reads_offline(request, lang, name):
    found = checked(request, lang, name)
    page, nb = found["page"], found["notebook"]
    assert_reads_offline(page)
    assert page["print"]["cut"] == []
    if nb is not None:
        assert page["codeInputs"] == 0  # the report for readers who don't read code
        expected = sum(len(tex_formulas(c.source)) for c in nb.cells if c.cell_type == "markdown")
        assert page["nMath"] >= expected and (expected == 0 or page["nMath"] > 0)


@pytest.mark.parametrize("lang,name", [(lang, n) for lang, n in PAGES if n != "index"],
                         ids=[f"{lang}-{n}" for lang, n in PAGES if n != "index"])
def test_report_shows_its_summary(request, lang, name):
    found = checked(request, lang, name)
    tagged = [c for c in found["notebook"].cells if SUMMARY_TAG in c.metadata.get("tags", [])]
    if name == "00_getting_started":  # a tour of the workbench, not a report: no findings to sum up
        assert not tagged and found["page"]["nSummary"] == 0
        return
    assert tagged, f"{name} has no cell tagged '{SUMMARY_TAG}'"
    page = found["page"]
    assert page["nSummary"] == len(tagged) and page["summaryText"], page
    assert page["summaryFirst"], "the summary must come before the report's sections"


# ------------------------------------------------------------------ crmlab report --pdf
def test_report_pdf_is_printed_and_listed(browser, tmp_path):
    from crmlab.report.runner import run_reports

    d = tmp_path / "nbs"
    d.mkdir()
    nb = new_notebook(cells=[
        new_markdown_cell("# Wide\n\n$x^2$ and a price of $5."),
        new_code_cell('lang: str = "en"', metadata={"tags": ["parameters"]}),
        new_code_cell("import numpy as np, pandas as pd\n"
                      "pd.DataFrame(np.arange(64.0).reshape(4, 16), columns=[f'column number {i}' for i in range(16)])"),
    ])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(d / "wide.ipynb"))
    manifest = run_reports(notebooks_dir=d, reports_dir=tmp_path / "r", pdf=True, stream=open(os.devnull, "w"))
    entry = manifest["notebooks"][0]
    assert entry["status"] == "ok" and entry["outputs"]["pdf"] == "wide.pdf"
    pdf = (Path(manifest["path"]) / "wide.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 1
    assert (Path(manifest["path"]) / "manifest.json").read_text().count('"pdf": "wide.pdf"') == 1
