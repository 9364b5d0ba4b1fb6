"""One style, bilingual labels, Chinese that renders without system CJK fonts."""
from __future__ import annotations

import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from crmlab.i18n import TERMS, label_table, t, translate_labels
from crmlab.plotting import CJK_FONT_NAME, cjk_font_path, new_axes, save_figure, use_style
from crmlab.validation import CrmlabValueError


def test_every_term_has_glyphs_in_the_font_chain():
    """Every character of every term (en and zh) is drawn by DejaVu Sans or the bundled CJK font."""
    chain = [FT2Font(font_manager.findfont("DejaVu Sans", fallback_to_default=False)), FT2Font(str(cjk_font_path()))]
    missing = {key: ch for key, pair in TERMS.items() for text in pair for ch in text
               if ch.strip() and all(f.get_char_index(ord(ch)) == 0 for f in chain)}
    assert not missing, f"characters without a glyph in DejaVu Sans or {CJK_FONT_NAME}: {missing}"


def test_chinese_figure_renders_without_missing_glyphs(tmp_path):
    use_style()
    fig, ax = new_axes()
    ax.bar(translate_labels(["revenue", "cost", "profit"], "zh"), [3, 2, 1])
    ax.set_title("客户终身价值 — 优势区 / 修补区 / 机会区 / 维持区")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a UserWarning
        paths = save_figure(fig, tmp_path / "zh", formats=("png", "svg"))
    assert all(p.stat().st_size > 1000 for p in paths)
    # the CJK characters are drawn with the bundled font, not a fallback box
    prop = font_manager.FontProperties(family=matplotlib.rcParams["font.family"])
    fonts = font_manager.fontManager._find_fonts_by_props(prop)
    assert any("NotoSansCJK" in str(f) for f in fonts)
    img = plt.imread(paths[0])
    assert img.shape[0] > 100 and np.unique(img.reshape(-1, img.shape[-1]), axis=0).shape[0] > 10
    plt.close(fig)


def test_terms_and_languages():
    assert t("revenue", "zh") == "收入" and t("revenue") == "Revenue"
    with pytest.raises(CrmlabValueError, match="lang must be one of"):
        t("revenue", "fr")
    with pytest.raises(CrmlabValueError, match="no term 'nope'"):
        t("nope")
    import pandas as pd

    df = pd.DataFrame({"revenue": [1], "Attribute X": [2]})
    assert list(label_table(df, "zh").columns) == ["收入", "Attribute X"]


def test_style_is_applied():
    use_style()
    assert matplotlib.rcParams["axes.spines.top"] is False
    assert CJK_FONT_NAME in matplotlib.rcParams["font.family"]


def test_term_table_defines_each_key_once_and_each_label_once():
    """Sections of the term table must not silently override each other or say the same thing twice."""
    import ast
    from collections import Counter
    from pathlib import Path

    import crmlab.i18n as i18n

    tree = ast.parse(Path(i18n.__file__).read_text(encoding="utf-8"))
    keys = [k.value for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys
            if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    labels = Counter(TERMS.values())
    assert [(pair, [k for k, v in TERMS.items() if v == pair]) for pair, n in labels.items() if n > 1] == []
