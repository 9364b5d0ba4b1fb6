"""Notebook parameters: read the ``parameters`` cell, merge user values, check types.

papermill injects any value it is given and only warns about unknown names, so
crmlab checks every value *before* a kernel starts.  A notebook's
``parameters`` cell holds annotated literals, one per line::

    lang: str = "en"          # label language: "en" or "zh"
    n_boot: int = 200         # bootstrap resamples
    data_path: str | None = None

Allowed annotations: ``int``, ``float``, ``str``, ``bool``, ``list``, ``dict``
(optionally subscripted, e.g. ``list[str]``) and unions with ``None``.
"""
from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from ..validation import CrmlabValueError

BASE_TYPES = {"int", "float", "str", "bool", "list", "dict", "None"}


class ParameterError(CrmlabValueError):
    """A parameter given to the report runner is unknown or of the wrong type."""


@dataclass(frozen=True)
class Parameter:
    """One declared notebook parameter."""

    name: str
    type: str
    default: Any
    help: str = ""


def parameters_cell(nb) -> nbformat.NotebookNode | None:
    """Return the cell tagged ``parameters`` (or None)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def _comments_by_line(source: str) -> dict[int, str]:
    comments = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    return comments


def _type_members(annotation: str) -> list[str]:
    """Split ``"str | None"`` / ``"Optional[str]"`` into base type names."""
    text = annotation.replace(" ", "")
    if text.startswith("Optional[") and text.endswith("]"):
        text = text[len("Optional["):-1] + "|None"
    members = []
    for part in text.split("|"):
        base = part.split("[", 1)[0]
        members.append("None" if base == "NoneType" else base)
    return members


def declared_parameters(path: str | Path) -> dict[str, Parameter]:
    """Read the declared parameters (name, annotation, literal default, comment) of a notebook."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    cell = parameters_cell(nb)
    if cell is None:
        return {}
    source = cell.source
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"{path.name}: the parameters cell is not valid Python ({exc.msg}, line {exc.lineno})") from None
    comments = _comments_by_line(source)
    params: dict[str, Parameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, annotation = node.target.id, ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, annotation = node.targets[0].id, ""
        else:
            raise ParameterError(
                f"{path.name}: line {node.lineno} of the parameters cell is not `name: type = literal`"
            )
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            raise ParameterError(
                f"{path.name}: parameter {name!r} must default to a literal (papermill does not recompute "
                f"derived values); got `{ast.unparse(node.value)}`"
            ) from None
        if not annotation:
            raise ParameterError(f"{path.name}: parameter {name!r} has no type annotation (write `{name}: type = ...`)")
        unknown = [m for m in _type_members(annotation) if m not in BASE_TYPES]
        if unknown:
            raise ParameterError(
                f"{path.name}: parameter {name!r} has annotation {annotation!r}; allowed types are "
                f"{sorted(BASE_TYPES)} and unions with None"
            )
        params[name] = Parameter(name, annotation, default, comments.get(node.lineno, ""))
    return params


def matches_type(value: Any, annotation: str) -> bool:
    """True if ``value`` is acceptable for a parameter annotated ``annotation``."""
    for member in _type_members(annotation):
        if member == "None" and value is None:
            return True
        if member == "bool" and isinstance(value, bool):
            return True
        if member == "int" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if member == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if member == "str" and isinstance(value, str):
            return True
        if member == "list" and isinstance(value, list):
            return True
        if member == "dict" and isinstance(value, dict):
            return True
    return False


def parse_cli_value(raw: str, annotation: str | None) -> Any:
    """Turn a ``-p NAME VALUE`` string into a value: YAML syntax, but kept as text for ``str`` parameters."""
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        value = raw
    if annotation and "str" in _type_members(annotation) and not matches_type(value, annotation):
        return raw
    return value


def load_params_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML parameter file: ``global:`` values and per-notebook ``notebooks: {stem: {...}}``."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"parameter file {path} does not exist")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or set(data) - {"global", "notebooks"}:
        raise ParameterError(
            f"parameter file {path}: top-level keys must be 'global' and/or 'notebooks', got {sorted(data) if isinstance(data, dict) else type(data).__name__}"
        )
    glob = data.get("global") or {}
    per = data.get("notebooks") or {}
    if not isinstance(glob, dict) or not isinstance(per, dict) or not all(isinstance(v, dict) for v in per.values()):
        raise ParameterError(f"parameter file {path}: 'global' must map names to values and 'notebooks' must map notebook names to such maps")
    return {"global": glob, "notebooks": per}


def resolve_parameters(
    declared: dict[str, dict[str, Parameter]],
    *,
    file_params: dict[str, Any] | None = None,
    overrides: list[tuple[str, str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Merge defaults < parameter file (global, then per notebook) < ``-p`` overrides, and check them all.

    ``declared`` maps notebook stem -> its declared parameters.  ``overrides`` are
    ``(NAME, VALUE)`` or ``(NOTEBOOK:NAME, VALUE)`` pairs from the command line.
    Returns, per notebook, only the values that differ from being unset (i.e. the
    ones to inject).  Raises :class:`ParameterError` listing every problem.
    """
    file_params = file_params or {"global": {}, "notebooks": {}}
    problems: list[str] = []
    given: dict[str, dict[str, Any]] = {nb: {} for nb in declared}

    def apply(scope: str | None, name: str, value: Any, source: str, raw: bool = False) -> None:
        targets = [scope] if scope else [nb for nb, params in declared.items() if name in params]
        if scope and scope not in declared:
            problems.append(f"{source}: no notebook named {scope!r} in this run (notebooks: {sorted(declared)})")
            return
        if not targets or (scope and name not in declared[scope]):
            where = f"notebook {scope!r}" if scope else "any notebook of this run"
            known = sorted(declared[scope]) if scope else sorted({n for p in declared.values() for n in p})
            problems.append(f"{source}: unknown parameter {name!r} — not declared by {where}; declared: {known}")
            return
        for nb in targets:
            param = declared[nb][name]
            v = parse_cli_value(value, param.type) if raw else value
            if not matches_type(v, param.type):
                problems.append(
                    f"{source}: notebook {nb!r} parameter {name!r} expects {param.type}, got {v!r} ({type(v).__name__})"
                )
            else:
                given[nb][name] = v

    for name, value in file_params["global"].items():
        apply(None, name, value, "parameter file (global)")
    for nb, values in file_params["notebooks"].items():
        for name, value in values.items():
            apply(nb, name, value, f"parameter file (notebooks: {nb})")
    for key, value in overrides or []:
        scope, _, name = key.rpartition(":")
        apply(scope or None, name, value, f"-p {key}", raw=True)
    if problems:
        raise ParameterError("invalid parameters, no notebook was run:\n  - " + "\n  - ".join(problems))
    return given
