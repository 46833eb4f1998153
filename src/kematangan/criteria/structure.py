"""Structural validation: pydantic's faults as findings, and the parts that hold.

pydantic validates a whole ruleset and finds every structural fault at once (unknown
keys, wrong types, values not allowed). When it finds any, the items of each list
(fields, criteria, stages, ...) that are sound on their own are kept in
:class:`Parts`, so the cross-reference checks of :mod:`~kematangan.criteria.lint`
still run over them in the same pass: fixing a file takes one round, not two.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from kematangan.catalogue.ruleset import MESSAGES
from kematangan.criteria.history import History
from kematangan.criteria.limits import Suggester
from kematangan.criteria.members import Members
from kematangan.criteria.ruleset import (
    Case,
    Check,
    Criterion,
    Derived,
    ExitRule,
    FieldSpec,
    GroupIdSpec,
    Ruleset,
    ScoreClass,
    Source,
    Stage,
)
from kematangan.criteria.source import Finding, Path, brief, shown

__all__ = ["SECTIONS", "Parts", "validate_structure"]

SECTIONS: dict[str, type[BaseModel]] = {
    "sources": Source, "fields": FieldSpec, "derived": Derived, "checks": Check,
    "criteria": Criterion, "stages": Stage, "classes": ScoreClass, "tests": Case,
}
"""The top-level lists, validated item by item."""

_NAME_KEY = {"tests": "name"}
_OPTIONAL: dict[str, Any] = {"history": History, "valid_from": datetime.date,
                             "valid_until": datetime.date}
"""Optional sections the checks read, kept when they validate on their own."""


@dataclasses.dataclass(frozen=True)
class Parts:
    """The parts of a ruleset that validated, and what is known of the rest.

    ``ruleset`` holds only the sound items of each list; ``index`` maps each kept
    item to its position in the file, ``dropped`` holds the ids of items that
    failed (so a reference to one is not also reported as unknown), ``failed``
    names the top-level keys with any fault, and ``unnamed`` the lists whose ids
    are not all known (the list is not a list, or a failed item has no readable
    id), where no reference can be called unknown.
    """

    ruleset: Ruleset
    index: Mapping[str, tuple[int, ...]]
    dropped: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    failed: frozenset[str] = frozenset()
    unnamed: frozenset[str] = frozenset()

    @classmethod
    def whole(cls, ruleset: Ruleset) -> Parts:
        """A ruleset that validated as a whole."""
        return cls(ruleset, {s: tuple(range(len(getattr(ruleset, s))))
                             for s in SECTIONS})

    def complete(self, *keys: str) -> bool:
        """Whether every one of the top-level ``keys`` validated in full."""
        return self.failed.isdisjoint(keys)

    def at(self, section: str, k: int) -> Path:
        """The file location of the ``k``-th kept item of ``section``."""
        return (section, self.index[section][k])

    def ids(self, section: str) -> list[str]:
        """Ids of the kept items of ``section`` (by name for tests)."""
        key = _NAME_KEY.get(section, "id")
        return [getattr(item, key) for item in getattr(self.ruleset, section)]

    def known(self, section: str) -> list[str]:
        """Ids of the kept and the dropped items of ``section``."""
        return self.ids(section) + sorted(self.dropped.get(section, ()))



def validate_structure(data: dict[Any, Any], suggester: Suggester | None = None
                       ) -> tuple[Parts, list[Finding]]:
    """Validate ``data``; return the sound parts and a finding for each fault.

    Examples
    --------
    >>> parts, found = validate_structure({"id": "x", "fields": [{"id": "a"}]})
    >>> [(f.path, f.code) for f in found][:2]
    [(('version',), 'key_required'), (('title',), 'key_required')]
    >>> parts.complete("fields"), parts.dropped["fields"]
    (False, frozenset({'a'}))
    """
    try:
        return Parts.whole(Ruleset.model_validate(data)), []
    except ValidationError as err:
        errors = err.errors(include_url=False)
    findings: dict[tuple[Path, str], Finding] = {}
    close = suggester or Suggester()
    for e in errors:
        f = _finding(e, data, close)
        findings.setdefault((f.path, f.code), f)
    # A misspelt required key is one fault: "did you mean 'title'?" says it all.
    renamed = {(*f.path[:-1], f.params["suggestion"]) for f in findings.values()
               if f.code == "key_unknown_close"}
    return _parts(data, errors), [f for f in findings.values() if not (
        f.code == "key_required" and f.path in renamed)]


def _parts(data: dict[Any, Any], errors: list[ErrorDetails]) -> Parts:
    failed = {str(e["loc"][0]) for e in errors if e["loc"]}
    bad: dict[str, set[int]] = {}
    for e in errors:
        loc = e["loc"]
        if len(loc) > 1 and isinstance(loc[1], int):
            bad.setdefault(str(loc[0]), set()).add(loc[1])
    kept: dict[str, list[Any]] = {}
    index: dict[str, tuple[int, ...]] = {}
    dropped: dict[str, frozenset[str]] = {}
    unnamed: set[str] = set()
    for section, model in SECTIONS.items():
        raw = data.get(section)
        items = raw if isinstance(raw, list) else []
        if raw is not None and not isinstance(raw, list):
            unnamed.add(section)
        good, where, lost = [], [], set()
        for i, item in enumerate(items):
            sound = None if i in bad.get(section, ()) else _sound(model, item)
            if sound is not None:
                good.append(sound)
                where.append(i)
            elif isinstance(item, dict) and isinstance(
                    name := item.get(_NAME_KEY.get(section, "id")), str):
                lost.add(name)
            else:
                unnamed.add(section)
        kept[section], index[section] = good, tuple(where)
        dropped[section] = frozenset(lost)
    group = data.get("group_id")
    exit_rule = data.get("exit")
    members = data.get("members")
    # Not validated as a whole: only the checks read it, and never its id or texts.
    ruleset = Ruleset.model_construct(
        id=data.get("id", ""), version=data.get("version", ""),
        title=data.get("title", ""), description=data.get("description", ""),
        sources=kept["sources"], fields=kept["fields"], derived=kept["derived"],
        criteria=kept["criteria"], stages=kept["stages"], classes=kept["classes"],
        tests=kept["tests"],
        group_id=GroupIdSpec() if "group_id" in failed or group is None else
        GroupIdSpec.model_validate(group),
        exit=None if "exit" in failed or exit_rule is None else
        ExitRule.model_validate(exit_rule),
        members=None if "members" in failed or members is None else
        Members.model_validate(members),
        **{key: TypeAdapter[Any](_OPTIONAL[key]).validate_python(data[key])
           for key in _OPTIONAL if key not in failed and data.get(key) is not None},
    )
    return Parts(ruleset, index, dropped, frozenset(failed), frozenset(unnamed))


def _sound(model: type[BaseModel], item: Any) -> BaseModel | None:
    try:
        return model.model_validate(item)
    except ValidationError:
        return None


def _finding(e: ErrorDetails, data: Any, close: Suggester) -> Finding:
    path = _path(e, data)
    code, params = _code(e, path, close)
    return Finding(path, code, params)


def _path(e: ErrorDetails, data: Any) -> Path:
    """The error's location in the file, without pydantic's own segments (union
    members, validator names, ``[key]``)."""
    loc = e["loc"]
    path: list[str | int] = []
    node = data
    for n, seg in enumerate(loc):
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
            node = node[seg]
        elif not (n == len(loc) - 1 and e["type"] == "missing"):
            continue
        path.append(seg)
    return tuple(path)


_TYPE_CODES = {
    "string_type": "not_text", "int_type": "not_whole_number",
    "int_parsing": "not_whole_number", "int_from_float": "not_whole_number",
    "float_type": "not_number", "float_parsing": "not_number",
    "finite_number": "not_finite_number", "bool_type": "not_true_false",
    "bool_parsing": "not_true_false", "dict_type": "not_mapping",
    "model_type": "not_mapping", "model_attributes_type": "not_mapping",
    "list_type": "not_list",
}
_MODEL_CODES = {"Text": "bad_text", "Interval": "bad_interval_type"}
_PATTERN_CODES = {"^[a-z][a-z0-9_]*$": "bad_identifier",
                  "^[a-z][a-z0-9-]*$": "bad_slug", r"^\d+\.\d+\.\d+$": "bad_version"}


def _code(e: ErrorDetails, path: Path, close: Suggester
          ) -> tuple[str, dict[str, Any]]:
    kind, ctx, value = e["type"], dict(e.get("ctx") or {}), e.get("input")
    key = _key_name(path)
    if kind in MESSAGES:
        return kind, ctx
    if kind == "missing":
        return "key_required", {"key": key}
    if kind == "extra_forbidden":
        return _unknown_key(key, path[:-1], close)
    if kind == "literal_error":
        return _not_allowed(key, value, path, close)
    if e["loc"] and e["loc"][-1] == "[key]" and kind == "string_type":
        return "key_not_text", {"key": brief(value)}
    if path and e["loc"][-1] in ("str", "int") and isinstance(path[-1], int):
        return "text_or_whole_number", {"value": shown(value)}
    if kind == "model_type" and ctx.get("class_name") in _MODEL_CODES:
        return _MODEL_CODES[ctx["class_name"]], {"value": shown(value)}
    if kind in _TYPE_CODES:
        return _TYPE_CODES[kind], {"value": shown(value)}
    if kind == "string_pattern_mismatch":
        return _PATTERN_CODES.get(ctx.get("pattern", ""), "bad_identifier"), {
            "value": brief(value)}
    if kind == "string_too_long":
        return "text_too_long", {"key": key, "max": ctx.get("max_length")}
    if kind == "string_too_short":
        return "empty_text", {"key": key}
    if kind == "too_short":
        return "list_too_short", {"key": key, "min": ctx.get("min_length")}
    if kind == "greater_than_equal":
        return "number_too_small", {"key": key, "value": value, "min": ctx.get("ge")}
    return "invalid_value", {"key": key, "message": e["msg"]}


def _key_name(path: Path) -> str:
    if not path:
        return ""
    if isinstance(path[-1], int):
        return f"{_key_name(path[:-1])}[{path[-1]}]"
    return str(path[-1])


def _unknown_key(key: str, where: Path, suggest: Suggester
                 ) -> tuple[str, dict[str, Any]]:
    model = _strip(_annotation_at(where))
    allowed = [info.alias or name for name, info in model.model_fields.items()] if (
        isinstance(model, type) and issubclass(model, BaseModel)) else []
    close = suggest(key, allowed)
    if close:
        return "key_unknown_close", {"key": brief(key), "suggestion": close}
    return "key_unknown", {"key": brief(key), "allowed": allowed}


def _not_allowed(key: str, value: Any, path: Path, suggest: Suggester
                 ) -> tuple[str, dict[str, Any]]:
    allowed = list(_literals(_annotation_at(path)))
    close = suggest(value, [str(a) for a in allowed]) if isinstance(value, str) else None
    params = {"key": key, "value": brief(value), "allowed": allowed}
    if close:
        return "value_not_allowed_close", {**params, "suggestion": close}
    return "value_not_allowed", params


def _annotation_at(path: Path) -> Any:
    """The type annotation of the key at ``path`` in the ruleset models."""
    ann: Any = Ruleset
    for seg in path:
        ann = _strip(ann)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            ann = next((info.annotation for name, info in ann.model_fields.items()
                        if seg in (name, info.alias)), None)
        elif typing.get_origin(ann) is list and isinstance(seg, int):
            ann = typing.get_args(ann)[0]
        elif typing.get_origin(ann) is dict:
            ann = typing.get_args(ann)[1]
        else:
            return None
    return ann


def _strip(ann: Any) -> Any:
    """``ann`` without ``Annotated`` and without ``None`` in an optional."""
    while True:
        if typing.get_origin(ann) is typing.Annotated:
            ann = typing.get_args(ann)[0]
        elif typing.get_origin(ann) in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(ann) if a is not type(None)]
            if len(rest) != 1:
                return ann
            ann = rest[0]
        else:
            return ann


def _literals(ann: Any) -> tuple[Any, ...]:
    ann = _strip(ann)
    if typing.get_origin(ann) is typing.Literal:
        return typing.get_args(ann)
    return tuple(v for a in typing.get_args(ann) for v in _literals(a))
