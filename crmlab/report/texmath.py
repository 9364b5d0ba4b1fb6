"""Formulas in Markdown cells as MathML, converted when the report is written: no MathJax, no network.

TeX between ``$…$`` or ``$$…$$`` (or ``\\(…\\)``, ``\\[…\\]``, ``\\begin{env}…\\end{env}``) in a
Markdown cell becomes MathML Core, which Chromium (109+), Firefox and Safari draw natively.
The conversion is latex2mathml's (Karl Walter, latex2mathml 3.x) with fix-ups for MathML Core:

* ``\\xrightarrow{X}`` becomes ``\\overset{X}{\\longrightarrow}`` (latex2mathml's ``mpadded`` uses
  MathML 3 units that MathML Core ignores, so the label would overlap what follows);
* capital Greek is upright, as TeX sets it (``mathvariant="normal"``);
* ``\\min``, ``\\max``, ``\\sup``, ``\\inf``, … are identifiers followed by U+2061, not spaced operators
  (with limits below, in display, they stay operators; as a script base, an identifier);
* ``aligned``/``align`` environments become arrays of right/left column pairs, aligned with CSS
  (MathML Core ignores ``columnalign``); ``\\arg`` is ``\\operatorname{arg}``;
* an arrow latex2mathml writes as an identifier (``\\longrightarrow`` under a label) is an operator;
* the text of ``\\text{…}`` is escaped (latex2mathml copies it verbatim, so ``<`` or ``&`` would
  break the page);
* an unknown command (latex2mathml passes ``\\foo`` through as an identifier) or malformed TeX
  is an error: the formula is shown as a marked error box and a warning is logged, never as a
  plausible-looking formula.

A ``$`` opens inline math only as pandoc reads it (Pandoc User's Guide, "Math", extension
``tex_math_dollars``): the opening ``$`` is followed by a non-space, the closing ``$`` is preceded
by a non-space and not followed by a digit, so prices such as "$5 or $10" stay text; ``\\$`` is a
literal dollar sign.

:func:`embed_math_font` adds a per-page subset of STIX Two Math (with its MATH table), so
stretchy delimiters and large operators are drawn right on a machine without a math font.
"""
from __future__ import annotations

import html
import logging
import re
import xml.etree.ElementTree as ET

from jinja2 import pass_context
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath, MathInlineParser

from ..fonts import CJK_REGULAR, MATH_FONT, code_points, font_face

log = logging.getLogger(__name__)
MATH_FONT_FAMILY = "crmlab Math"
TEX_ERROR_CLASS = "crmlab-tex-error"

_XRIGHTARROW = re.compile(r"\\xrightarrow\s*\{")
_ALIGNED = re.compile(r"\\begin\{(aligned|align\*?)\}(.*?)\\end\{\1\}", re.S)
_ARG = re.compile(r"\\arg(?![A-Za-z])")
_UPPER_GREEK = "ΓΔΘΛΞΠΣΥΦΨΩ"
_NAMED_FUNCTIONS = "min|max|sup|inf|det|gcd|Pr|arg ?max|arg ?min|arg"


class TeXError(ValueError):
    """A formula latex2mathml cannot convert, or converts to something wrong."""


def _replace_xrightarrow(tex: str) -> str:
    out, i = [], 0
    for m in _XRIGHTARROW.finditer(tex):
        if m.start() < i:
            continue
        depth, j = 1, m.end()
        while j < len(tex) and depth:
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            j += 1
        if depth:
            raise TeXError(r"\xrightarrow label has no closing brace")
        out += [tex[i:m.start()], r"\overset{", tex[m.end():j - 1], r"}{\longrightarrow}"]
        i = j
    return "".join(out) + tex[i:]


def _replace_aligned(tex: str) -> str:
    """``aligned``/``align`` (which latex2mathml does not know) as an ``array`` of right/left column pairs."""
    def array(m):
        body = m.group(2)
        n = max(row.count("&") for row in body.split(r"\\")) + 1
        return rf"\begin{{array}}{{{('rl' * n)[:n]}}}{body}\end{{array}}"

    return _ALIGNED.sub(array, tex)


def tex_to_mathml(tex: str, *, display: bool = False) -> str:
    """MathML Core for one TeX formula; raises :class:`TeXError` when the TeX is not understood."""
    import latex2mathml.converter

    tex = _replace_aligned(_replace_xrightarrow(_ARG.sub(r"\\operatorname{arg}", tex)))
    try:
        mml = latex2mathml.converter.convert(tex, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises its own types (NoAvailableTokensError, MissingEndError, …)
        raise TeXError(f"{type(exc).__name__}: {exc}".rstrip(": ")) from exc
    mml = re.sub(r"(<mtext[^>]*>)(.*?)(</mtext>)",
                 lambda m: m.group(1) + html.escape(html.unescape(m.group(2)), quote=False) + m.group(3),
                 mml, flags=re.S)
    unknown = sorted(set(re.findall(r">(\\[A-Za-z]+)<", mml)))
    if unknown:
        raise TeXError(f"unknown command(s) {', '.join(unknown)}")
    mml = mml.replace('width="negativethinmathspace"', 'width="-0.1667em"')
    mml = re.sub(r'<mtd columnalign="(left|right)">', r'<mtd columnalign="\1" style="text-align: \1">', mml)
    mml = re.sub(r"<mi>(&#x0039[3-9A-F];|&#x003A[0-9];|[%s])</mi>" % _UPPER_GREEK, r'<mi mathvariant="normal">\1</mi>', mml)
    scripted = r"(?<=<msub>)|(?<=<msup>)|(?<=<msubsup>)"  # base of a script: a name, the U+2061 would break the msub
    mml = re.sub(rf"(?:{scripted})<mo>({_NAMED_FUNCTIONS})</mo>", r"<mi>\1</mi>", mml)
    mml = re.sub(rf"(?<!<munder>)(?<!<munderover>)<mo>({_NAMED_FUNCTIONS})</mo>", r"<mi>\1</mi><mo>&#x2061;</mo>", mml)
    mml = re.sub(r"<mi>(&#x0(?:21[9A-F][0-9A-F]|27F[0-9A-F]);)</mi>", r"<mo>\1</mo>", mml)  # arrows are operators
    try:
        ET.fromstring(mml)
    except ET.ParseError as exc:
        raise TeXError(f"not well-formed MathML: {exc}") from exc
    return mml


def _math_or_error(tex: str, display: bool) -> str:
    try:
        return tex_to_mathml(tex, display=display)
    except TeXError as exc:
        log.warning("formula not converted (%s): %s", exc, tex)
        tag = "div" if display else "span"
        return (f'<{tag} class="{TEX_ERROR_CLASS}" title="{html.escape(str(exc))}">formula error ({html.escape(str(exc))}): '
                f"<code>{html.escape(tex)}</code></{tag}>")


class StrictMathInlineParser(MathInlineParser):
    """nbconvert's Markdown math parser with pandoc's rule for ``$…$`` (prices stay text)."""

    INLINE_MATH_TEX = r"(?s:(?<![$\\])\$(?![\s$])(?P<math_inline_tex>(?:[^$\\]|\\.)+?)(?<![\s\\])\$(?!\d))"
    SPECIFICATION = {**MathInlineParser.SPECIFICATION, "inline_math_tex": INLINE_MATH_TEX}


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer writing MathML where it would leave TeX for MathJax."""

    def inline_math(self, body: str) -> str:
        return _math_or_error(body, display=False)

    def block_math(self, body: str) -> str:
        return _math_or_error(body.strip(), display=True)

    def latex_environment(self, name: str, body: str) -> str:
        return _math_or_error(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


def markdown_to_html(source: str, **renderer_options) -> str:
    """HTML of one Markdown text, formulas as MathML."""
    renderer = MathMLRenderer(escape=False, **renderer_options)
    return MarkdownWithMath(renderer=renderer, inline=StrictMathInlineParser(hard_wrap=False)).render(source)


class MathMLHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter whose Markdown (cells and outputs) carries MathML instead of TeX."""

    @pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        html_ = markdown_to_html(source, attachments=cell.get("attachments", {}), embed_images=self.embed_images,
                                 path=path, anchor_link_text=self.anchor_link_text,
                                 exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
        return unprefix_mathml(html_)


# nbconvert's heading anchors re-serialise a heading with ElementTree, which writes a formula in it as
# <ns0:math xmlns:ns0="…MathML">: an HTML parser does not read that as MathML, and the formula shows as text.
_NS_PREFIX = re.compile(r"(</?)ns\d+:")
_NS_DECL = re.compile(r'\s+xmlns:ns\d+="http://www\.w3\.org/1998/Math/MathML"')


def unprefix_mathml(html_: str) -> str:
    """MathML written with an ElementTree namespace prefix (``<ns0:math>``) as plain ``<math>`` elements."""
    return _NS_PREFIX.sub(r"\1", _NS_DECL.sub("", html_)) if "xmlns:ns" in html_ else html_


def unicode_range(code_points_) -> str:
    """CSS ``unicode-range`` of a set of code points, consecutive ones merged (``U+4E00-4E01, U+4E2D``)."""
    spans: list[list[int]] = []
    for u in sorted(code_points_):
        if spans and u == spans[-1][1] + 1:
            spans[-1][1] = u
        else:
            spans.append([u, u])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


_ITALIC = {**{chr(0x41 + i): 0x1D434 + i for i in range(26)}, **{chr(0x61 + i): 0x1D44E + i for i in range(26)},
           **{chr(0x391 + i): 0x1D6E2 + i for i in range(25)}, **{chr(0x3B1 + i): 0x1D6FC + i for i in range(25)}}
_ITALIC["h"] = 0x210E  # Planck constant: the italic h's code point (the U+1D455 slot is reserved)
_SINGLE_MI = re.compile(r"<mi>([^<&]|&#x[0-9A-Fa-f]+;)</mi>")


def math_code_points(formulas: str) -> set[int]:
    """The code points the browser draws for some MathML: a one-letter ``<mi>`` is drawn in its
    mathematical italic form (MathML Core's automatic italic), everything else as written, and a
    radical needs U+221A, whose size variants and assembly come with it from the MATH table."""
    italic = {html.unescape(m) for m in _SINGLE_MI.findall(formulas)}
    rest = html.unescape(re.sub(r"<[^>]+>", "", _SINGLE_MI.sub("", formulas)))
    wanted = {ord(c) for c in rest} | {_ITALIC.get(c, ord(c)) for c in italic}
    return wanted | ({0x221A} if re.search(r"<m(?:sqrt|root)\b", formulas) else set())


def embed_math_font(page: str) -> str:
    """Add the page's subset of STIX Two Math as the ``math`` font (no-op for pages without formulas).

    Only the glyphs the formulas draw (:func:`math_code_points`) and, through the MATH table,
    their size variants and assembly parts are kept; no layout features (Chromium applies
    none that would change these glyphs, and they would double the size).  Chinese inside ``\\text{}`` gets the CJK font under
    the same family name, limited by ``unicode-range``, so the math font is first for every glyph.
    """
    formulas = re.findall(r"<math\b.*?</math>", page, flags=re.S)
    if not formulas:
        return page
    wanted = math_code_points("".join(formulas))
    latin = wanted & code_points(MATH_FONT)
    faces = [font_face(MATH_FONT_FAMILY, MATH_FONT, latin, unicode_range=unicode_range(latin),
                       layout_features=())]
    cjk = (wanted - latin) & code_points(CJK_REGULAR)
    if cjk:
        faces.append(font_face(MATH_FONT_FAMILY, CJK_REGULAR, cjk, unicode_range=unicode_range(cjk)))
    style = ("<style>" + "\n".join(faces) + "\n"
             f'math {{ font-family: "{MATH_FONT_FAMILY}", math; }}\n'
             'math[display="block"] { overflow-x: auto; overflow-y: hidden; padding: .2em 0; }</style>\n')
    return page.replace("</head>", style + "</head>", 1)
