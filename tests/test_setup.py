"""Setup files stay in step: pyproject.toml is the one place dependencies are declared."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _makefile_extras() -> set[str]:
    m = re.search(r"^EXTRAS\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    return set(m.group(1).split(","))


def test_environment_yml_mirrors_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    python = next(d for d in conda if d.startswith("python"))
    assert python.replace("python", "") == PYPROJECT["project"]["requires-python"]
    assert set(conda) == {python, "pip"}, "declare packages in pyproject.toml, not in environment.yml"
    assert len(pip) == 1
    m = re.fullmatch(r"-e \.\[([\w,]+)\]", pip[0])
    assert m, pip
    extras = set(m.group(1).split(","))
    assert extras <= set(PYPROJECT["project"]["optional-dependencies"])
    assert extras == _makefile_extras(), "environment.yml and the Makefile install different extras"


def test_declared_essentials():
    deps = " ".join(PYPROJECT["project"]["dependencies"])
    for pkg in ("ipykernel", "papermill", "pandas", "matplotlib", "seaborn", "statsmodels", "scikit-learn"):
        assert pkg in deps
    assert "jupyterlab" in " ".join(PYPROJECT["project"]["optional-dependencies"]["notebooks"])


def test_ci_calls_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make reports" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()

