"""Formulas in reports: TeX in Markdown becomes MathML Core at export (no MathJax, no network).

Expected MathML follows the MathML Core specification (W3C, 2023: mfrac, msub, munderover,
mo stretchy) and TeX's conventions (Knuth, The TeXbook, ch. 16-18: upright capital Greek,
``\\min`` set as a function name); prices follow pandoc's ``tex_math_dollars`` rule.
"""
from __future__ import annotations

import base64
import io
import json
import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
from fontTools.ttLib import TTFont
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from crmlab.report.html import notebook_html
from crmlab.report.texmath import TEX_ERROR_CLASS, TeXError, embed_math_font, markdown_to_html, tex_to_mathml

ROOT = Path(__file__).resolve().parents[1]
MML = "{http://www.w3.org/1998/Math/MathML}"


def tex_formulas(markdown: str) -> list[tuple[str, bool]]:
    """(tex, display) of every formula in a Markdown text as pandoc delimits it (code spans skipped)."""
    text = re.sub(r"`[^`]*`", "", markdown)
    found = [(m.group(1).strip(), True) for m in re.finditer(r"\$\$(.+?)\$\$", text, flags=re.S)]
    text = re.sub(r"\$\$(.+?)\$\$", "", text, flags=re.S)
    rule = r"(?<![$\\])\$(?![\s$])((?:[^$\\]|\\.)+?)(?<![\s\\])\$(?!\d)"
    return found + [(m.group(1), False) for m in re.finditer(rule, text, flags=re.S)]


def shipped_formulas() -> list[tuple[str, str, bool]]:
    """(notebook, tex, display) for every formula in the shipped notebooks' Markdown cells."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("**/*.ipynb")):
        name = str(path.relative_to(ROOT / "notebooks"))
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                found += [(name, tex, display) for tex, display in tex_formulas("".join(cell["source"]))]
    return found


FORMULAS = shipped_formulas()


def test_the_notebooks_have_formulas():
    assert len(FORMULAS) > 50, len(FORMULAS)


@pytest.mark.parametrize("notebook,tex,display", FORMULAS, ids=[f"{n}:{t[:25]}" for n, t, _ in FORMULAS])
def test_every_notebook_formula_converts(notebook, tex, display):
    mml = tex_to_mathml(tex, display=display)
    root = ET.fromstring(mml)
    assert root.tag == f"{MML}math" and root.get("display") == ("block" if display else "inline")
    assert "\\" not in "".join(root.itertext()), mml  # no TeX command left as text


def test_structure_follows_mathml_core():
    frac = ET.fromstring(tex_to_mathml(r"\frac{a}{b}"))
    (mfrac,) = frac.iter(f"{MML}mfrac")
    assert len(mfrac) == 2 and ["".join(c.itertext()) for c in mfrac] == ["a", "b"]  # numerator, denominator
    total = ET.fromstring(tex_to_mathml(r"\sum_{t=1}^{T} x_t", display=True))
    (under_over,) = total.iter(f"{MML}munderover")
    assert under_over[0].text == "∑"
    sub = next(total.iter(f"{MML}msub"))
    assert ["".join(c.itertext()) for c in sub] == ["x", "t"]
    brackets = ET.fromstring(tex_to_mathml(r"\left[ \frac{a}{b} \right]"))
    stretchy = [mo for mo in brackets.iter(f"{MML}mo") if mo.get("stretchy") == "true"]
    assert [mo.text for mo in stretchy] == ["[", "]"]


def test_xrightarrow_label_sits_over_the_arrow():
    root = ET.fromstring(tex_to_mathml(r"a \xrightarrow{T\to\infty} b"))
    (over,) = root.iter(f"{MML}mover")
    assert "".join(over[0].itertext()) == "⟶" and next(over[0].iter(f"{MML}mo")).text == "⟶"
    assert "∞" in "".join(over[1].itertext())
    assert not list(root.iter(f"{MML}mpadded"))


def test_capital_greek_is_upright_and_functions_are_names():
    mml = tex_to_mathml(r"\Lambda + \Delta x + \lambda")
    root = ET.fromstring(mml)
    upright = {mi.text for mi in root.iter(f"{MML}mi") if mi.get("mathvariant") == "normal"}
    assert upright == {"Λ", "Δ"}
    mml = tex_to_mathml(r"\min_i x_i + \max(a, b)")
    assert "<mi>max</mi><mo>&#x2061;</mo>" in mml and "<mo>max</mo>" not in mml
    (sub, _) = ET.fromstring(mml).iter(f"{MML}msub")
    assert [c.tag for c in sub] == [f"{MML}mi", f"{MML}mi"] and sub[0].text == "min"  # inline: min with subscript i
    display = tex_to_mathml(r"\min_i x_i", display=True)
    assert "<munder><mo>min</mo>" in display or "<msub><mi>min</mi>" in display


def test_text_is_escaped():
    mml = tex_to_mathml(r"\text{if a<b & c}")
    ET.fromstring(mml)
    assert "a&lt;b" in mml and "&amp;" in mml


def test_aligned_and_arg_are_rewritten():
    mml = tex_to_mathml(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", display=True)
    cells = list(ET.fromstring(mml).iter(f"{MML}mtd"))
    assert len(cells) == 4 and [c.get("style") for c in cells[:2]] == ["text-align: right", "text-align: left"]
    assert "<mi>arg</mi><mo>&#x2061;</mo>" in tex_to_mathml(r"\arg z")


@pytest.mark.parametrize("tex", [r"\foo x", r"\frac{a}{", r"a \xrightarrow{x", r"\begin{matrix} a \end{pmatrix}",
                                 r"\begin{eqnarray} a &=& b \end{eqnarray}"])
def test_bad_tex_is_an_error(tex):
    with pytest.raises(TeXError):
        tex_to_mathml(tex)


def test_bad_tex_in_markdown_is_shown_and_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="crmlab.report.texmath"):
        out = markdown_to_html(r"see $\frac{a}{$ and $\foo x$")
    assert out.count(TEX_ERROR_CLASS) == 2 and "<math" not in out
    assert "$" not in re.sub(r"<[^>]+>", "", out)  # shown as marked code, never as raw $…$
    assert len([r for r in caplog.records if "formula not converted" in r.message]) == 2


@pytest.mark.parametrize("md,n_math,text", [
    ("It costs $5 or $10.", 0, "$5 or $10"),
    ("Price: $5, while $x$ is a variable.", 1, "$5, while"),
    ("Revenue $5M; margin $m$", 1, "$5M"),
    ("Cost \\$5 and $a+b$ total", 1, "$5 and"),
    ("US$ 20 and US$ 30", 0, "US$ 20 and US$ 30"),
    ("$x$, $y$ and $$z = 1$$", 3, None),
    ("between $20,000 and $30,000", 0, "$20,000 and $30,000"),
    ("`$x$` in code", 0, "<code>$x$</code>"),
    ("客户价值 $CLV = m \\cdot r$，约 $5 元", 1, "$5 元"),
])
def test_dollars_in_text(md, n_math, text):
    out = markdown_to_html(md)
    assert out.count("<math") == n_math, out
    if text:
        assert text in out, out


def test_math_font_subset_holds_the_page_glyphs_with_its_math_table():
    page = "<html><head></head><body>" + tex_to_mathml(r"\left[ \sum_{t} x_t \right] \text{客户}", display=True) + "</body></html>"
    out = embed_math_font(page)
    faces = re.findall(r'font-family: "crmlab Math"; src: url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)', out)
    assert len(faces) == 2  # STIX Two Math, and the CJK font for the Chinese in \text, one family
    stix = TTFont(io.BytesIO(base64.b64decode(faces[0])))
    cmap = stix.getBestCmap()
    assert "MATH" in stix and stix["name"].getDebugName(1) == "STIX Two Math"
    assert {ord(c) for c in "[]∑"} <= set(cmap)
    assert {0x1D465, 0x1D461} <= set(cmap) and ord("x") not in cmap  # one-letter identifiers are drawn in math italic
    assert len(stix.getGlyphOrder()) > len(cmap)  # the size variants and assembly parts of [ ] ∑ came along
    cjk = TTFont(io.BytesIO(base64.b64decode(faces[1])))
    assert set(cjk.getBestCmap()) == {ord("客"), ord("户")}
    assert embed_math_font("<html><head></head><body>x</body></html>") == "<html><head></head><body>x</body></html>"


def test_report_has_mathml_and_no_mathjax():
    nb = new_notebook(cells=[
        new_markdown_cell("# CLV\n\n$$CLV = \\sum_{t=1}^{T} \\frac{m\\,r^t}{(1+d)^t}$$\n\nwith $d = 0.1$; "
                          "a coupon worth $5 lifts the basket from $20 to $25."),
        new_code_cell("x", outputs=[new_output("display_data", data={"text/markdown": "margin $m = 0.3$"})]),
    ])
    page = notebook_html(nb, with_code=False)
    assert "mathjax" not in page.lower() and "<script src=" not in page
    assert page.count("<math") == 3  # two in the Markdown cell, one in the Markdown output
    assert "a coupon worth $5 lifts the basket from $20 to $25." in page
    assert 'font-family: "crmlab Math"' in page
    assert not re.search(r"""(?:src|href)=["']?https?:|url\(["']?https?:|@import""", page)


def test_shipped_notebooks_convert_in_full(tmp_path):
    """Every Markdown cell of every shipped notebook exports with as many <math> as it has formulas, and no error."""
    for path in sorted((ROOT / "notebooks").glob("**/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        name = str(path.relative_to(ROOT / "notebooks"))
        page = notebook_html(nb, with_code=True)
        assert f'class="{TEX_ERROR_CLASS}"' not in page, name
        assert page.count("<math") == sum(1 for n, _, _ in FORMULAS if n == name), name


def test_a_formula_in_a_heading_is_mathml_not_prefixed_xml():
    # nbconvert's heading anchors re-serialise the heading with ElementTree (<ns0:math>), which no browser reads as MathML
    from nbformat.v4 import new_markdown_cell, new_notebook

    from crmlab.report.html import notebook_html

    page = notebook_html(new_notebook(cells=[new_markdown_cell("### How many? $P(X(t) = n)$\n\nText $n$.")]), with_code=False)
    heading = page[page.index("<h3"):page.index("</h3>")]
    assert "<math" in heading and "ns0" not in page and "xmlns:ns" not in page
