"""Find, read and validate rulesets; every problem is reported at once.

A ruleset is named either by a path to a YAML file or by the id of a bundled ruleset
(``ppmk-ksm``). Bundled rulesets ship inside the package and are found through
:mod:`importlib.resources`.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path as FsPath

from kematangan.criteria import lint
from kematangan.criteria.limits import RulesetLimits, Suggester
from kematangan.criteria.ruleset import Ruleset
from kematangan.criteria.source import Finding, read_yaml
from kematangan.criteria.structure import validate_structure
from kematangan.errors import RulesetError, suggest
from kematangan.problems import Problem

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

    Examples
    --------
    >>> bundled_ruleset_path("ppmk-ksm").name
    'ppmk-ksm.yaml'
    """
    entry = _bundle_dir() / f"{name}.yaml"
    if not entry.is_file():
        names = sorted(e.name.removesuffix(".yaml") for e in _bundle_dir().iterdir()
                       if e.name.endswith(".yaml"))
        close = suggest(name, names)
        raise RulesetError([Problem(
            "ruleset_not_bundled_close", {"name": name, "suggestion": close,
                                          "bundled": names}) if close else Problem(
            "ruleset_not_bundled", {"name": name, "bundled": names})])
    return entry


def load_ruleset(source: str | os.PathLike[str] | Ruleset, *,
                 limits: RulesetLimits | None = None) -> Ruleset:
    """Load a ruleset from a YAML path or a bundled ruleset id, validating it all.

    Bundled rulesets are cached (the few most recently loaded), so loading one twice
    is cheap. ``limits`` bounds what reading the file may cost (see
    :class:`~kematangan.criteria.limits.RulesetLimits`).

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
    limits = limits or RulesetLimits()
    path = FsPath(source)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return parse_ruleset(_read(path, limits), file=str(path), limits=limits)
    name = str(source)
    return _bundled(name, bundled_ruleset_path(name).read_bytes(), limits)


@functools.lru_cache(maxsize=16)
def _bundled(name: str, data: bytes, limits: RulesetLimits) -> Ruleset:
    # Keyed by the file's bytes, so an edited bundled file (an editable install)
    # is read again; bounded, so the cache cannot grow with use.
    return parse_ruleset(data, file=f"{name}.yaml", limits=limits)


def _read(path: FsPath, limits: RulesetLimits) -> bytes:
    """The file's bytes, refusing a file over the size limit before reading it."""
    where = str(path)
    try:
        if not path.is_file():
            raise RulesetError([Problem("ruleset_file_missing", {"path": where})])
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise RulesetError([Problem("file_too_large", {
                "size": size, "limit": limits.max_bytes},
                file=where)])
        with path.open("rb") as fh:
            return fh.read(limits.max_bytes + 1)
    except OSError as err:
        raise RulesetError([Problem("ruleset_file_unreadable", {
            "path": where, "reason": err.strerror or str(err)})]) from err


def parse_ruleset(text: str | bytes, file: str | None = None, *,
                  limits: RulesetLimits | None = None) -> Ruleset:
    """Validate ruleset YAML ``text``; raise one :class:`RulesetError` for all faults.

    ``text`` may be the file's bytes (decoded as UTF-8, with a clear problem for a
    byte that is not) or text.

    Examples
    --------
    >>> parse_ruleset("id: x\\nversion: 1.0.0\\ntitle: X\\nunknown_key: 1\\n")
    Traceback (most recent call last):
    ...
    kematangan.errors.RulesetError: ruleset has 5 problems:
      <ruleset>:1:1: description: required key 'description' is missing (fix: add 'description')
      <ruleset>:1:1: sources: required key 'sources' is missing (fix: add 'sources')
      <ruleset>:1:1: fields: required key 'fields' is missing (fix: add 'fields')
      <ruleset>:1:1: criteria: required key 'criteria' is missing (fix: add 'criteria')
      <ruleset>:4:1: unknown_key: unknown key 'unknown_key' (fix: keys allowed here: format, id, version, title, description, sources, group_id, subject, fields, derived, checks, criteria, stages, classes, exit, members, tests, family, valid_from, valid_until, history)
    """
    ruleset, problems = validate_ruleset(text, file, limits=limits)
    if problems or ruleset is None:
        raise RulesetError(problems)
    return ruleset


def validate_ruleset(text: str | bytes, file: str | None = None, *,
                     limits: RulesetLimits | None = None
                     ) -> tuple[Ruleset | None, list[Problem]]:
    """Check ruleset YAML ``text`` and return it (when valid) with every problem.

    Structural faults (unknown keys, wrong types) and cross-reference faults
    (unknown names, cycles, class gaps) come in one list, ordered by line.

    Examples
    --------
    >>> ruleset, problems = validate_ruleset("id: x\\n", "r.yaml")
    >>> ruleset is None, problems[0].code, problems[0].path
    (True, 'key_required', 'version')
    """
    limits = limits or RulesetLimits()
    located, problems = read_yaml(text, file, limits)
    if located is None:
        return None, problems
    if not isinstance(located.data, dict):
        return None, [*problems, located.problem(Finding((), "ruleset_not_mapping"),
                                                 file)]
    suggester = Suggester()
    parts, findings = validate_structure(located.data, suggester)
    findings += lint.check_parts(parts, suggester=suggester,
                                 max_expression_depth=limits.max_expression_depth)
    problems += [located.problem(f, file) for f in findings]
    if problems:
        return None, sorted(problems, key=_by_line)
    return parts.ruleset, []


def _by_line(p: Problem) -> tuple[int, int]:
    return (p.line or 0, p.text_column or 0)
