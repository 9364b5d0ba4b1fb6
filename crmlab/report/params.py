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
import datetime as dt
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


def _annotation(annotation: str) -> ast.expr:
    try:
        return ast.parse(annotation, mode="eval").body
    except SyntaxError:
        raise ParameterError(f"annotation {annotation!r} is not a Python type expression") from None


def _union_members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Optional":
        return [node.slice, ast.Constant(None)]
    return [node]


def _base(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, ast.Name):
        return "None" if node.id == "NoneType" else node.id
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return node.value.id
    return ast.unparse(node)


def _type_members(annotation: str) -> list[str]:
    """Top-level base types of an annotation: ``"list[str] | None"`` -> ``["list", "None"]``."""
    return [_base(m) for m in _union_members(_annotation(annotation))]


def _unknown_types(node: ast.expr) -> list[str]:
    bad = []
    for member in _union_members(node):
        base = _base(member)
        if base not in BASE_TYPES:
            bad.append(base)
        if isinstance(member, ast.Subscript):
            args = member.slice.elts if isinstance(member.slice, ast.Tuple) else [member.slice]
            for arg in args:
                bad += _unknown_types(arg)
    return bad


def _matches(value: Any, node: ast.expr) -> bool:
    for member in _union_members(node):
        base = _base(member)
        args = []
        if isinstance(member, ast.Subscript):
            args = member.slice.elts if isinstance(member.slice, ast.Tuple) else [member.slice]
        if base == "None" and value is None:
            return True
        if base == "bool" and isinstance(value, bool):
            return True
        if base == "int" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if base == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if base == "str" and isinstance(value, str):
            return True
        if base == "list" and isinstance(value, list) and (not args or all(_matches(v, args[0]) for v in value)):
            return True
        if base == "dict" and isinstance(value, dict) and (
                len(args) < 2 or all(_matches(k, args[0]) and _matches(v, args[1]) for k, v in value.items())):
            return True
    return False


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
        unknown = _unknown_types(_annotation(annotation))
        if unknown:
            raise ParameterError(
                f"{path.name}: parameter {name!r} has annotation {annotation!r}; allowed types are "
                f"{sorted(BASE_TYPES)} and unions with None"
            )
        if not matches_type(default, annotation):
            raise ParameterError(f"{path.name}: parameter {name!r} defaults to {default!r}, which is not {annotation}")
        params[name] = Parameter(name, annotation, default, comments.get(node.lineno, ""))
    return params


def matches_type(value: Any, annotation: str) -> bool:
    """True if ``value`` is acceptable for a parameter annotated ``annotation`` (element types of
    ``list[...]`` / ``dict[..., ...]`` included; an ``int`` is acceptable where a ``float`` is expected)."""
    return _matches(value, _annotation(annotation))


def parse_cli_value(raw: str, annotation: str | None) -> Any:
    """Turn a ``-p NAME VALUE`` string into a value for a parameter annotated ``annotation``.

    Numbers are read as Python reads them (``1e-3``, ``010`` = 10), ``true``/``false``
    and ``null``/``None`` as bool and None where the type allows them, lists and dicts
    in YAML/JSON syntax; a parameter that takes ``str`` gets any other value verbatim
    (``Brand #1`` stays ``Brand #1``: no YAML comment or quoting rules apply to text).
    """
    members = _type_members(annotation) if annotation else []
    text = raw.strip()
    if "int" in members:
        try:
            return int(text, 10)
        except ValueError:
            pass
    if "float" in members:
        try:
            return float(text)
        except ValueError:
            pass
    if "bool" in members and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if "None" in members and text in ("null", "None", "~", ""):
        return None
    if "str" in members and not ({"list", "dict"} & set(members) and text[:1] in "[{"):
        return raw
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        value = raw
    if "str" in members and not (annotation and matches_type(value, annotation)):
        return raw
    return value


def _file_value(value: Any) -> Any:
    """YAML reads unquoted dates as dates; parameters get them back as ISO text, inside lists and dicts too."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_file_value(v) for v in value]
    if isinstance(value, dict):
        return {_file_value(k): _file_value(v) for k, v in value.items()}
    return value


def load_params_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML parameter file: ``global:`` values and per-notebook ``notebooks: {stem: {...}}``."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"parameter file {path} does not exist")
    try:
        data = yaml.safe_load(path.read_bytes().decode("utf-8")) or {}
    except UnicodeDecodeError as exc:
        raise ParameterError(f"parameter file {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(f"parameter file {path} is not valid YAML{at}: {problem}") from None
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
    known: set[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Merge defaults < parameter file (global, then per notebook) < ``-p`` (global, then per notebook); check them all.

    ``declared`` maps each notebook of this run (stem) to its declared parameters;
    ``known`` is every notebook in the folder: a parameter-file section or ``-p NB:NAME``
    for a known notebook that is not part of this run is skipped.  ``overrides`` are
    ``(NAME, VALUE)`` or ``(NOTEBOOK:NAME, VALUE)`` pairs (NOTEBOOK may end in ``.ipynb``).
    Returns, per notebook, the values to inject.  Raises :class:`ParameterError` listing
    every problem once.
    """
    file_params = file_params or {"global": {}, "notebooks": {}}
    known = set(known or ()) | set(declared)
    problems: dict[str, None] = {}
    given: dict[str, dict[str, Any]] = {nb: {} for nb in declared}

    def apply(scope: str | None, name: str, value: Any, source: str, raw: bool = False) -> None:
        if raw and any(0xDC80 <= ord(ch) <= 0xDCFF for ch in f"{scope}{name}{value}"):
            problems[f"{source}: the value is not valid UTF-8 text"] = None
            return
        if scope is not None:
            scope = scope.removesuffix(".ipynb")
            if scope not in known:
                problems[f"{source}: no notebook named {scope!r} (notebooks: {sorted(known)})"] = None
                return
            if scope not in declared:
                return  # a notebook that is not part of this run
        targets = [scope] if scope else [nb for nb, params in declared.items() if name in params]
        if not targets or (scope and name not in declared[scope]):
            where = f"notebook {scope!r}" if scope else "any notebook of this run"
            names = sorted(declared[scope]) if scope else sorted({n for p in declared.values() for n in p})
            problems[f"{source}: unknown parameter {name!r} — not declared by {where}; declared: {names}"] = None
            return
        for nb in targets:
            param = declared[nb][name]
            v = parse_cli_value(value, param.type) if raw else _file_value(value)
            if not matches_type(v, param.type):
                problems[f"{source}: notebook {nb!r} parameter {name!r} expects {param.type}, got {v!r} ({type(v).__name__})"] = None
            else:
                given[nb][name] = v

    for name, value in file_params["global"].items():
        apply(None, name, value, "parameter file (global)")
    for nb, values in file_params["notebooks"].items():
        for name, value in values.items():
            apply(nb, name, value, f"parameter file (notebooks: {nb})")
    split = [(key.rpartition(":"), value) for key, value in overrides or []]
    for (scope, _, name), value in sorted(split, key=lambda item: bool(item[0][0])):  # global -p first
        apply(scope or None, name, value, f"-p {scope + ':' if scope else ''}{name}", raw=True)
    if problems:
        raise ParameterError("invalid parameters, no notebook was run:\n  - " + "\n  - ".join(problems))
    return given
