"""Regenerate the fonts crmlab ships in ``crmlab/fonts/`` (a maintainer step; its output is committed).

    apt-get install fonts-noto-cjk        # Debian 12 "bookworm": 1:20220127+repack1-1 (Noto Sans CJK 2.004)
    .venv/bin/python tools/make_fonts.py  # or: make fonts

Sources, pinned (the script refuses others, so the shipped files can be rebuilt bit for bit):

* **Noto Sans CJK SC** Regular and Bold, version 2.004, from Debian's ``fonts-noto-cjk``
  package (``/usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc``, face 2 = SC).
  Licence: SIL Open Font License 1.1; its text is taken from the package's copyright file.
* **STIX Two Math** version 2.11, the file ``ziamath/fonts/STIXTwoMath-Regular.ttf`` inside the
  PyPI wheel ``ziamath-0.13-py3-none-any.whl`` (fetched with ``pip download --no-deps``; the
  wheel's SHA-256 is checked).  Licence: SIL OFL 1.1 (the font's name table, ID 13), with
  upstream's notices (github.com/stipub/stixfonts, OFL.txt).

Outputs (fontTools subsets; names unchanged, every name record kept, so the OFL notice travels
inside each file):

* ``NotoSansCJKsc-{Regular,Bold}-subset.otf`` — GB2312 (6763 hanzi + 682 symbols), ASCII,
  Latin-1, general and CJK punctuation, full-width forms, and every CJK character crmlab's own
  files use.  Layout features: fontTools' defaults minus ``locl`` (which pulls in the
  Japanese/Korean/Traditional forms and nearly doubles the glyph count; Simplified Chinese text
  does not use it in the SC face).  matplotlib draws charts with these; HTML reports embed
  per-page subsets of the Regular one.
* ``STIXTwoMath-Regular-subset.ttf`` — Latin, Greek, their mathematical italic/bold/script/
  double-struck forms, operators, arrows, delimiters, with the OpenType MATH table (stretchy
  delimiters, large operators).  HTML reports embed per-page subsets of it.
* ``OFL-NotoSansCJK.txt``, ``OFL-STIXTwoMath.txt`` (licences) and ``SOURCES.txt`` (what was
  read, with SHA-256 of every input and output).
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "crmlab" / "fonts"

DEBIAN_PACKAGE, DEBIAN_VERSION = "fonts-noto-cjk", "1:20220127+repack1-1"
NOTO_TTC = {"Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
            "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")}
NOTO_SC_FACE = 2  # the .ttc holds JP, KR, SC, TC, HK, then the Mono faces
NOTO_VERSION = "Version 2.004"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")

STIX_WHEEL = "ziamath-0.13-py3-none-any.whl"
STIX_WHEEL_SHA256 = "67a9b9714101fc90c2d6d0328e578f3ac311fb007644f2bbb9314ba2bc1c1459"
STIX_MEMBER = "ziamath/fonts/STIXTwoMath-Regular.ttf"
STIX_VERSION = "Version 2.11 b159"
STIX_UPSTREAM_NOTICE = """\
Upstream's notices (github.com/stipub/stixfonts, OFL.txt):
Copyright 2001-2021 The STIX Fonts Project Authors (https://github.com/stipub/stixfonts)
STIX Fonts(TM) is a trademark of The Institute of Electrical and Electronics Engineers, Inc.
Portions copyright (c) 1998-2003 by MicroPress, Inc. (www.micropress-inc.com), with Reserved Font Name TM Math.
Portions copyright (c) 1990 by Elsevier, Inc.
Portions copyright (c) 2010, 2012, 2014 Adobe Systems Incorporated.
"""

NOTO_UPSTREAM_NOTICE = ("Upstream's notice (github.com/notofonts/noto-cjk, Sans/LICENSE): Copyright 2014-2021 Adobe "
                        "(http://www.adobe.com/), with Reserved Font Name 'Source'.")

# Code points beyond GB2312 that every page may show: ASCII, Latin-1, general punctuation, CJK
# symbols and punctuation, half- and full-width forms.
CJK_EXTRA_RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF)]
MATH_RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF), (0x131, 0x131), (0x237, 0x237), (0x300, 0x36F),  # Latin, combining accents
    (0x391, 0x3C9), (0x3D0, 0x3F6),  # Greek and its symbol variants
    (0x2000, 0x206F), (0x20D0, 0x20F0),  # punctuation, spaces, invisible operators, combining marks for symbols
    (0x2100, 0x214F), (0x2190, 0x23FF),  # letterlike, arrows, operators, technical (brackets, pieces)
    (0x25A0, 0x25FF), (0x27C0, 0x27FF), (0x2980, 0x2AFF),  # shapes, misc. math A/B, long arrows, supplemental
    (0x1D400, 0x1D7FF),  # mathematical alphanumerics: italic x is U+1D465 in MathML Core
]
SCANNED_SUFFIXES = {".py", ".ipynb", ".md", ".yaml", ".yml", ".json", ".csv", ".txt"}


def gb2312() -> set[str]:
    """Every character of GB 2312-80 (rows 0xA1-0xF7), from Python's codec."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def project_chars() -> set[str]:
    """CJK characters in the repository's tracked text files (term table, notebooks, docs, data)."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    chars = set()
    for name in files:
        path = ROOT / name
        if path.suffix in SCANNED_SUFFIXES and path.is_file():
            try:
                chars |= {c for c in path.read_text(encoding="utf-8") if ord(c) >= 0x2E80}
            except UnicodeDecodeError:
                pass
    return chars


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ranges(ranges) -> set[int]:
    return {u for a, b in ranges for u in range(a, b + 1)}


def _options(**kw) -> subset.Options:
    opts = subset.Options()
    opts.name_IDs = ["*"]  # keep copyright, trademark and licence records
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    for k, v in kw.items():
        setattr(opts, k, v)
    return opts


def _subset(src: Path, dest: Path, unicodes: set[int], opts: subset.Options) -> TTFont:
    font = subset.load_font(str(src), opts)
    subsetter = subset.Subsetter(opts)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    subset.save_font(font, str(dest), opts)
    return font


def ofl_body() -> str:
    """The SIL OFL 1.1 text, from Debian's copyright file for fonts-noto-cjk (debian/copyright format)."""
    text = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    block = text.split("License: SIL-1.1\n", 2)[-1].split("\nLicense: ")[0]
    lines = [line[1:] if line.startswith(" ") else line for line in block.splitlines()]
    return "\n".join("" if line == "." else line for line in lines).strip() + "\n"


def _name(font: TTFont, name_id: int) -> str:
    return font["name"].getDebugName(name_id) or ""


def check_debian() -> None:
    got = subprocess.run(["dpkg-query", "-W", "-f=${Version}", DEBIAN_PACKAGE], capture_output=True, text=True)
    if got.returncode != 0:
        sys.exit(f"{DEBIAN_PACKAGE} is not installed: apt-get install {DEBIAN_PACKAGE}")
    if got.stdout != DEBIAN_VERSION:
        sys.exit(f"{DEBIAN_PACKAGE} {got.stdout} is installed; this script is pinned to {DEBIAN_VERSION}")


def fetch_stix(workdir: Path, wheel_sha256: str) -> tuple[Path, Path]:
    """Download the pinned ziamath wheel with pip and extract STIX Two Math from it."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "-d", str(workdir), "ziamath==0.13"], check=True)
    wheel = workdir / STIX_WHEEL
    if sha256(wheel) != wheel_sha256:
        sys.exit(f"{wheel.name} has SHA-256 {sha256(wheel)}, expected {wheel_sha256}")
    with zipfile.ZipFile(wheel) as zf:
        zf.extract(STIX_MEMBER, workdir)
    return wheel, workdir / STIX_MEMBER


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--stix-wheel-sha256", default=STIX_WHEEL_SHA256,
                        help="expected SHA-256 of %s" % STIX_WHEEL)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    check_debian()
    record = [f"Generated by tools/make_fonts.py (fontTools {__import__('fontTools').version}).", ""]

    hanzi_and_symbols = gb2312()
    proj = project_chars()
    wanted = {ord(c) for c in hanzi_and_symbols | proj} | _ranges(CJK_EXTRA_RANGES)
    record += [f"Noto Sans CJK SC: Debian package {DEBIAN_PACKAGE} {DEBIAN_VERSION}, face {NOTO_SC_FACE} (SC) of:",
               f"  requested: GB2312 ({len(hanzi_and_symbols)} characters), {len(_ranges(CJK_EXTRA_RANGES))} code "
               f"points of ASCII/Latin-1/punctuation/full-width forms, {len(proj)} CJK characters of the repository "
               f"({len(proj - hanzi_and_symbols)} outside GB2312: {''.join(sorted(proj - hanzi_and_symbols))})"]
    opts = _options(font_number=NOTO_SC_FACE,
                    layout_features=[f for f in subset.Options().layout_features if f != "locl"])
    for style, src in NOTO_TTC.items():
        t = time.perf_counter()
        full = TTFont(str(src), fontNumber=NOTO_SC_FACE, lazy=True)
        if not _name(full, 5).startswith(NOTO_VERSION):
            sys.exit(f"{src} face {NOTO_SC_FACE} is {_name(full, 4)} {_name(full, 5)}; expected {NOTO_VERSION}")
        absent = sorted(chr(u) for u in wanted - set(full.getBestCmap()) if chr(u) in hanzi_and_symbols | proj)
        if absent:
            sys.exit(f"{src}: GB2312/project characters without a glyph: {''.join(absent)}")
        dest = out / f"NotoSansCJKsc-{style}-subset.otf"
        font = _subset(src, dest, wanted, opts)
        record += [f"  {src} sha256 {sha256(src)} ({_name(full, 4)}, {_name(full, 5).split(';')[0]})",
                   f"  -> {dest.name} sha256 {sha256(dest)}, {len(font.getGlyphOrder())} glyphs, "
                   f"{len(font.getBestCmap())} code points"]
        print(f"{dest.name}: {dest.stat().st_size / 2**20:.2f} MiB in {time.perf_counter() - t:.0f} s")
    noto = TTFont(str(out / "NotoSansCJKsc-Regular-subset.otf"))
    (out / "OFL-NotoSansCJK.txt").write_text(
        f"Noto Sans CJK SC (files NotoSansCJKsc-*-subset.otf): {_name(noto, 0)}\n{_name(noto, 7)}\n"
        f"{NOTO_UPSTREAM_NOTICE}\n"
        f"These files are subsets (Modified Versions under the licence below) made with fontTools by crmlab's "
        f"tools/make_fonts.py from Debian's {DEBIAN_PACKAGE} {DEBIAN_VERSION}; the font names are unchanged and do not "
        f"use the Reserved Font Name.\n\n"
        + ofl_body(), encoding="utf-8")

    with tempfile.TemporaryDirectory() as tmp:
        wheel, src = fetch_stix(Path(tmp), args.stix_wheel_sha256)
        full = TTFont(str(src))
        if _name(full, 5) != STIX_VERSION or "MATH" not in full:
            sys.exit(f"{src.name} is {_name(full, 5)}; expected {STIX_VERSION} with a MATH table")
        dest = out / "STIXTwoMath-Regular-subset.ttf"
        font = _subset(src, dest, _ranges(MATH_RANGES), _options(layout_features=["*"], hinting=False))
        if "MATH" not in font:
            sys.exit("the math subset lost its MATH table")
        record += ["", f"STIX Two Math: {STIX_MEMBER} in the PyPI wheel {wheel.name} sha256 {sha256(wheel)}",
                   f"  {src.name} sha256 {sha256(src)} ({_name(full, 4)}, {_name(full, 5)})",
                   f"  -> {dest.name} sha256 {sha256(dest)}, {len(font.getGlyphOrder())} glyphs, "
                   f"{len(font.getBestCmap())} code points"]
        (out / "OFL-STIXTwoMath.txt").write_text(
            f"STIX Two Math (file STIXTwoMath-Regular-subset.ttf): {_name(full, 0)}\n{_name(full, 7)}\n"
            f"{_name(full, 13)}\n\n{STIX_UPSTREAM_NOTICE}\n"
            f"The file is a subset (a Modified Version under the licence below) made with fontTools by crmlab's "
            f"tools/make_fonts.py; the font name is unchanged and is not a Reserved Font Name.\n\n"
            + ofl_body(), encoding="utf-8")
        print(f"{dest.name}: {dest.stat().st_size / 2**10:.0f} KiB")
    (out / "SOURCES.txt").write_text("\n".join(record) + "\n", encoding="utf-8")
    print("\n".join(record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
