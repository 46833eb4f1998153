"""Find, read and validate rulesets; every problem is reported at once.

A ruleset is named either by a path to a YAML file or by the id of a bundled ruleset
(``ppmk-ksm``). Bundled rulesets ship inside the package and are found through
:mod:`importlib.resources`.
"""

from __future__ import annotations

import os
import typing
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path as FsPath
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kematangan.criteria import lint
from kematangan.criteria.ruleset import Ruleset
from kematangan.criteria.source import Located, read_yaml
from kematangan.errors import Problem, RulesetError, suggest

__all__ = [
    "RulesetInfo",
    "bundled_ruleset_path",
    "list_rulesets",
    "load_ruleset",
    "parse_ruleset",
    "validate_ruleset",
]


def _bundle_dir() -> Traversable:
    packaged = resources.files("kematangan") / "rulesets"
    if packaged.is_dir():
        return packaged
    # A source checkout (editable install): the top-level rulesets/ folder.
    return FsPath(__file__).resolve().parents[3] / "rulesets"


@dataclass(frozen=True, slots=True)
class RulesetInfo:
    """A bundled ruleset's id, version and title (Indonesian and English)."""

    id: str
    version: str
    title: str
    title_en: str


def list_rulesets() -> list[RulesetInfo]:
    """The bundled rulesets, sorted by id.

    Examples
    --------
    >>> "ppmk-ksm" in [r.id for r in list_rulesets()]
    True
    """
    out = []
    for entry in _bundle_dir().iterdir():
        if entry.name.endswith(".yaml"):
            rs = load_ruleset(entry.name.removesuffix(".yaml"))
            out.append(RulesetInfo(rs.id, rs.version, rs.title.get("id"),
                                   rs.title.get("en")))
    return sorted(out, key=lambda r: r.id)


def bundled_ruleset_path(name: str) -> Traversable:
    """The packaged file of bundled ruleset ``name``.

    Raises
    ------
    RulesetError
        When no bundled ruleset has that id; the message suggests the closest one.
    """
    entry = _bundle_dir() / f"{name}.yaml"
    if not entry.is_file():
        names = [e.name.removesuffix(".yaml") for e in _bundle_dir().iterdir()
                 if e.name.endswith(".yaml")]
        close = suggest(name, names)
        hint = f"did you mean {close!r}? " if close else ""
        raise RulesetError(f"no bundled ruleset {name!r} and no such file; {hint}"
                           f"bundled: {', '.join(sorted(names))}")
    return entry


_CACHE: dict[tuple[str, str], Ruleset] = {}


def load_ruleset(source: str | os.PathLike[str] | Ruleset) -> Ruleset:
    """Load a ruleset from a YAML path or a bundled ruleset id, validating it all.

    Bundled rulesets are cached per process, so loading one twice is cheap.

    Raises
    ------
    RulesetError
        Listing every problem, each with file, line and location.

    Examples
    --------
    >>> rs = load_ruleset("ppmk-ksm")
    >>> rs.id, [s.id for s in rs.stages]
    ('ppmk-ksm', ['growth', 'strengthening', 'independence', 'release'])
    >>> len(rs.content_hash)
    64
    """
    if isinstance(source, Ruleset):
        return source
    path = FsPath(source)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise RulesetError(f"ruleset file {str(path)!r} does not exist")
        return parse_ruleset(path.read_text(encoding="utf-8"), file=str(path))
    name = str(source)
    entry = bundled_ruleset_path(name)
    text = entry.read_text(encoding="utf-8")
    key = (name, text)
    if key not in _CACHE:
        _CACHE[key] = parse_ruleset(text, file=f"{name}.yaml")
    return _CACHE[key]


def parse_ruleset(text: str, file: str | None = None) -> Ruleset:
    """Validate ruleset YAML ``text``; raise one :class:`RulesetError` for all faults.

    Examples
    --------
    >>> parse_ruleset("id: x\\nversion: 1.0.0\\ntitle: X\\nunknown_key: 1\\n")
    Traceback (most recent call last):
    ...
    kematangan.errors.RulesetError: ruleset has 5 problems:
      <ruleset>:1:1: description: required
      <ruleset>:1:1: sources: required
      <ruleset>:1:1: fields: required
      <ruleset>:1:1: criteria: required
      <ruleset>:4:1: unknown_key: unknown key 'unknown_key'
    """
    ruleset, problems = validate_ruleset(text, file)
    if problems or ruleset is None:
        raise RulesetError(problems)
    return ruleset


def validate_ruleset(text: str, file: str | None = None
                     ) -> tuple[Ruleset | None, list[Problem]]:
    """Check ruleset YAML ``text`` and return it (when valid) with every problem."""
    try:
        located, problems = read_yaml(text, file)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        what = getattr(err, "problem", None) or str(err)
        return None, [Problem("", f"not valid YAML: {what}", line, col, file)]
    if not isinstance(located.data, dict):
        return None, [*problems, Problem("", "a ruleset file must be a mapping of "
                                         "keys (id, version, fields, criteria, ...)",
                                         1, 1, file)]
    try:
        ruleset = Ruleset.model_validate(located.data)
    except ValidationError as err:
        problems.extend(_from_pydantic(err, located, file))
        return None, problems
    for path, message, pos in lint.check(ruleset):
        line_col = located.line_of(path)
        line, col = line_col if line_col else (None, None)
        if pos is not None and line is not None:
            # Position inside an expression: on the key's line for one-line ones.
            key_line = located.positions.get(path)
            value_line = line if key_line is None else key_line[0]
            message += f" (expression line {pos[0]}, column {pos[1]})"
            line, col = value_line + (pos[0] - 1 if pos[0] > 1 else 0), None
        problems.append(Problem(_dotted(path), message, line, col, file))
    if problems:
        return None, problems
    return ruleset, []


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else
                                                          str(part))
    return out


def _from_pydantic(err: ValidationError, located: Located, file: str | None
                   ) -> list[Problem]:
    problems = []
    for e in err.errors(include_url=False):
        # Drop pydantic's internal segments (validator and union-member names).
        path = tuple(p for p in e["loc"] if isinstance(p, int) or (
            isinstance(p, str) and "[" not in p and "-" not in p))
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            key = str(path[-1])
            allowed = _allowed_keys(path[:-1], located.data)
            close = suggest(key, allowed)
            msg = f"unknown key {key!r}" + (f" (did you mean {close!r}?)" if close
                                            else "")
        elif e["type"] == "missing":
            msg = "required"
        line_col = located.line_of(path)
        line, col = line_col if line_col else (None, None)
        problems.append(Problem(_dotted(path), msg, line, col, file))
    # Report each location once (union validation may repeat one fault).
    unique: dict[str, Problem] = {}
    for p in problems:
        unique.setdefault(f"{p.location}|{p.message}", p)
    return list(unique.values())


def _allowed_keys(path: tuple[Any, ...], data: Any) -> list[str]:
    model: type[BaseModel] = Ruleset
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        if info is None:
            return []
        inner = _model_in(info.annotation)
        if inner is None:
            return []
        model = inner
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
