"""The fonts crmlab ships: what they cover, where they come from, their licences, and matplotlib drawing with them.

Coverage is checked against GB 2312-80 as Python's ``gb2312`` codec defines it (6763 hanzi,
682 symbols); provenance against the checksums tools/make_fonts.py recorded in SOURCES.txt.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager

from crmlab.fonts import CJK_BOLD, CJK_REGULAR, FONT_DIR, MATH_FONT, code_points
from crmlab.plotting import CJK_FONT_NAME, cjk_font_path, use_style

ROOT = Path(__file__).resolve().parents[1]


def gb2312() -> tuple[set[str], set[str]]:
    hanzi, symbols = set(), set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes([hi, lo]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            (hanzi if hi >= 0xB0 else symbols).add(ch)
    return hanzi, symbols


def project_cjk() -> set[str]:
    """CJK characters the package, notebooks and docs use (term table, labels, prose)."""
    chars = set()
    for pattern in ("crmlab/**/*.py", "notebooks/**/*.ipynb", "*.md", "data/*.csv"):
        for path in ROOT.glob(pattern):
            chars |= {c for c in path.read_text(encoding="utf-8", errors="ignore") if ord(c) >= 0x2E80}
    return chars


@pytest.mark.parametrize("path", [CJK_REGULAR, CJK_BOLD], ids=["regular", "bold"])
def test_cjk_font_covers_gb2312_ascii_and_punctuation(path):
    hanzi, symbols = gb2312()
    assert (len(hanzi), len(symbols)) == (6763, 682)
    cmap = code_points(path)
    missing = sorted(c for c in hanzi | symbols if ord(c) not in cmap)
    assert not missing, "".join(missing)
    assert set(range(0x20, 0x7F)) <= cmap
    assert {ord(c) for c in "，。、；：？！“”‘’（）《》【】…—·～￥"} <= cmap  # CJK and full-width punctuation


@pytest.mark.parametrize("path,weight", [(CJK_REGULAR, 400), (CJK_BOLD, 700)], ids=["regular", "bold"])
def test_cjk_font_is_noto_sans_cjk_sc_2004(path, weight):
    font = TTFont(str(path))
    assert font["name"].getDebugName(1).startswith("Noto Sans CJK SC")
    assert font["name"].getDebugName(5).startswith("Version 2.004")
    assert font["OS/2"].usWeightClass == weight
    assert "Open Font License" in font["name"].getDebugName(13)
    assert "CFF " in font  # OpenType/CFF: the smallest format matplotlib reads


def test_every_cjk_character_crmlab_uses_is_in_the_font():
    used = project_cjk()
    assert len(used) > 300  # the term table and the notebooks' Chinese
    for path in (CJK_REGULAR, CJK_BOLD):
        missing = sorted(c for c in used if ord(c) not in code_points(path))
        assert not missing, f"{path.name} lacks {''.join(missing)}: add them by rerunning tools/make_fonts.py"


def test_math_font_is_stix_two_math_with_its_math_table():
    font = TTFont(str(MATH_FONT))
    assert font["name"].getDebugName(1) == "STIX Two Math" and font["name"].getDebugName(5).startswith("Version 2.11")
    assert "MATH" in font and "Open Font License" in font["name"].getDebugName(13)
    cmap = code_points(MATH_FONT)
    assert {ord(c) for c in "∑∏∫√()[]{}|⟨⟩=+−×≤≥→⟶∞∂"} <= cmap
    assert {0x1D44E, 0x1D465, 0x210E, 0x1D6FC} <= cmap  # mathematical italic a, x, h, alpha


def test_shipped_files_are_the_ones_the_script_made():
    """SOURCES.txt (written by tools/make_fonts.py) names each shipped font with its SHA-256."""
    record = (FONT_DIR / "SOURCES.txt").read_text(encoding="utf-8")
    made = dict(re.findall(r"-> (\S+) sha256 ([0-9a-f]{64})", record))
    shipped = sorted(p.name for p in FONT_DIR.iterdir() if p.suffix in {".otf", ".ttf"})
    assert sorted(made) == shipped
    for name, digest in made.items():
        assert hashlib.sha256((FONT_DIR / name).read_bytes()).hexdigest() == digest, name
    assert "fonts-noto-cjk 1:20220127+repack1-1" in record and "ziamath-0.13-py3-none-any.whl" in record


@pytest.mark.parametrize("licence,font", [("OFL-NotoSansCJK.txt", "Noto Sans CJK SC"), ("OFL-STIXTwoMath.txt", "STIX Two Math")])
def test_licence_texts_ship_beside_the_fonts(licence, font):
    text = (FONT_DIR / licence).read_text(encoding="utf-8")
    assert text.startswith(font) and "SIL OPEN FONT LICENSE Version 1.1" in text and "Reserved Font Name" in text
    assert "PERMISSION & CONDITIONS" in text and "DISCLAIMER" in text


def test_fonts_are_package_data_and_mplfonts_is_gone():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["package-data"]["crmlab.fonts"]
    for path in FONT_DIR.iterdir():
        if path.suffix != ".py" and path.name != "__pycache__":
            assert any(path.match(p) for p in patterns), path.name
    assert not any("mplfonts" in d for d in project["project"]["dependencies"])
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "crmlab").rglob("*.py"))
    assert "mplfonts" not in sources


def test_matplotlib_draws_chinese_in_both_weights_without_missing_glyphs(tmp_path):
    use_style()
    assert cjk_font_path() == CJK_REGULAR and cjk_font_path("bold") == CJK_BOLD
    bold = font_manager.FontProperties(family=CJK_FONT_NAME, weight="bold")
    assert Path(font_manager.findfont(bold, fallback_to_default=False)) == CJK_BOLD
    regular = font_manager.FontProperties(family=CJK_FONT_NAME)
    assert Path(font_manager.findfont(regular, fallback_to_default=False)) == CJK_REGULAR
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise
        fig, ax = plt.subplots()
        ax.bar(["满意度", "忠诚度", "客户终身价值"], [0.42, 0.35, 0.23])
        ax.set_title("层次分析法权重（AHP）：“一致性”《检验》…", fontweight="bold")
        ax.set_xlabel("指标 · CR < 0.10")
        fig.savefig(tmp_path / "zh.png")
        fig.savefig(tmp_path / "zh.pdf")
    plt.close(fig)
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", CJK_FONT_NAME]


def test_make_fonts_script_is_pinned():
    script = (ROOT / "tools" / "make_fonts.py").read_text(encoding="utf-8")
    assert '"1:20220127+repack1-1"' in script and "ziamath==0.13" in script
    assert re.search(r'STIX_WHEEL_SHA256 = "[0-9a-f]{64}"', script)
