"""Side environments for the reference libraries the benchmarks compare against.

Each reference library lives in its own virtual environment under
``benchmarks/.venvs/<name>`` (git-ignored), created on first use with pinned
versions, so crmlab's own environment never depends on them.  An environment
variable ``CRMLAB_<NAME>_PYTHON`` points a benchmark at an existing interpreter
instead.  A library that cannot be installed is reported, not faked.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

VENVS = Path(__file__).resolve().parent / ".venvs"
REQUIREMENTS = {
    "seminr": ["seminr==0.2.1", "pandas>=2.2"],  # the worker reads CSVs with pandas
    "lifetimes": ["lifetimes==0.11.3"],
    "pymc": ["pymc-marketing==0.19.2"],
    "ahpy": ["ahpy==2.1"],
}


def reference_python(name: str) -> str | None:
    """Interpreter of the side environment for ``name`` (created if missing), or None if it cannot be installed."""
    override = os.environ.get(f"CRMLAB_{name.upper()}_PYTHON")
    if override:
        return override if Path(override).exists() else None
    venv = VENVS / name
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    if not stamp.exists():
        print(f"[bench] creating reference environment {venv} ({' '.join(REQUIREMENTS[name])}) …", file=sys.stderr, flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS[name]], check=True)
        except subprocess.CalledProcessError as exc:
            print(f"[bench] could not install {name}: {exc}", file=sys.stderr)
            return None
        stamp.touch()
    return str(python)
