"""The fonts crmlab ships, and per-page subsets of them as web fonts.

* ``NotoSansCJKsc-{Regular,Bold}-subset.otf`` — Noto Sans CJK SC 2.004 (Adobe; SIL Open Font
  License 1.1, ``OFL-NotoSansCJK.txt``), cut to GB2312 + ASCII/Latin-1 + punctuation + full-width
  forms: charts draw Chinese with it, HTML reports embed the characters each page uses.
* ``STIXTwoMath-Regular-subset.ttf`` — STIX Two Math 2.11 (SIL OFL 1.1, ``OFL-STIXTwoMath.txt``)
  with its OpenType MATH table: HTML reports embed the glyphs their formulas use, so stretchy
  delimiters and large operators draw correctly on a machine without a math font.

``tools/make_fonts.py`` makes these files from pinned sources (Debian's ``fonts-noto-cjk``; the
PyPI wheel of ziamath, which carries STIX Two Math); ``SOURCES.txt`` records the inputs and
checksums.
"""
from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent
CJK_REGULAR = FONT_DIR / "NotoSansCJKsc-Regular-subset.otf"
CJK_BOLD = FONT_DIR / "NotoSansCJKsc-Bold-subset.otf"
MATH_FONT = FONT_DIR / "STIXTwoMath-Regular-subset.ttf"


@cache
def code_points(path: Path) -> frozenset[int]:
    """The code points a shipped font has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_face(family: str, path: Path, unicodes, *, unicode_range: str | None = None, layout_features=("*",)) -> str:
    """A CSS ``@font-face`` rule embedding the subset of ``path`` for ``unicodes`` as a WOFF data URL.

    The MATH table entries of the glyphs kept are kept too, and the ``layout_features`` named
    (fontTools' subsetter); ``font-display: block`` makes text wait for the face rather than draw once in a
    fallback font.
    """
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"  # zlib: as small within 10 % of WOFF2 for these subsets, and 5-10 times faster to write
    options.layout_features = list(layout_features)
    options.name_IDs = ["*"]  # the copyright and OFL notice travel with every embedded subset
    options.name_languages = ["*"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    rng = f" unicode-range: {unicode_range};" if unicode_range else ""
    return (f'@font-face {{ font-family: "{family}"; src: url(data:font/woff;base64,{data}) format("woff"); '
            f"font-display: block;{rng} }}")
