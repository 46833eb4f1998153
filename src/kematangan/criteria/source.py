"""Read YAML safely, in bounded time and memory, remembering where every key is.

The reader builds plain data from PyYAML's event stream itself instead of composing
a node graph, so it can stop early: past the file size, nesting depth or node count
of :class:`~kematangan.criteria.limits.RulesetLimits`, at an alias that contains
itself, or at bytes that are not UTF-8. An alias is built once and shared, and counts
every node it repeats, so an "alias bomb" meets the node limit after a few thousand
steps instead of expanding to gigabytes. Only YAML's safe scalar types are read.
Duplicate keys, which PyYAML would silently overwrite, are reported, and so are keys
that are lists or mappings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import yaml

from kematangan.criteria.limits import RulesetLimits
from kematangan.problems import Problem

__all__ = ["Finding", "Located", "Path", "brief", "dotted", "read_yaml", "shown"]

Path = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null",
                                            "timestamp"))
_COLLECTION_TAGS = frozenset((None, "!", _TAG + "map", _TAG + "seq"))
_SHOWN = 60
_NOTHING: Any = object()
# libyaml's parser when PyYAML was built with it (16 times faster), else PyYAML's
# own; both are event-driven state machines, so neither recurses on nesting.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """A problem at a location path, before it is placed in a file.

    ``at`` is a (line, column) inside the expression at ``path``, when the problem
    is inside one.
    """

    path: Path
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    at: tuple[int, int] | None = None


def dotted(path: Path) -> str:
    """A location path as text.

    Examples
    --------
    >>> dotted(("criteria", 3, "threshold", "value"))
    'criteria[3].threshold.value'
    """
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def shown(value: Any) -> str:
    """A value as a message quotes it, cut to a readable length.

    Examples
    --------
    >>> shown("dua"), shown([1, 2]), len(shown("x" * 500))
    ("'dua'", '[1, 2]', 60)
    """
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


def brief(value: Any) -> Any:
    """A text, number or other value cut to a readable length for ``{x!r}``."""
    if isinstance(value, str):
        return value if len(value) <= _SHOWN else value[:_SHOWN - 1] + "…"
    if value is None or isinstance(value, int | float):
        return value
    return shown(value)


class Located:
    """Parsed YAML data plus the (line, column) of each location path."""

    def __init__(self, data: Any, positions: dict[Path, tuple[int, int]],
                 scalars: dict[Path, tuple[int, int, int, str | None]] | None = None,
                 text: str = "") -> None:
        self.data = data
        self.positions = positions
        self.scalars = scalars or {}
        self._text = text
        self._lines: list[str] | None = None

    def line_of(self, path: Path) -> tuple[int, int] | None:
        """The position of ``path``, or of its nearest enclosing location."""
        path = tuple(path)
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, finding: Finding, file: str | None) -> Problem:
        """``finding`` as a problem of ``file``, with its line and column."""
        line, col = self.line_of(finding.path) or (None, None)
        if finding.at is not None:
            line, col = self._inside(finding.path, finding.at, line)
        return Problem(finding.code, dict(finding.params), file=file, line=line,
                       text_column=col, path=dotted(finding.path))

    def _inside(self, path: Path, at: tuple[int, int], line: int | None
                ) -> tuple[int | None, int | None]:
        """The file position of a position inside the text value at ``path``."""
        info = self.scalars.get(path)
        if info is None:
            return line, None
        start, col, end, style = info
        if style in (None, "", "'", '"') and start == end and at[0] == 1:
            return start, col + (style in ("'", '"')) + at[1] - 1
        if style == "|":
            if self._lines is None:
                self._lines = self._text.split("\n")
            body = next((x for x in self._lines[start:end] if x.strip()), "")
            return start + at[0], len(body) - len(body.lstrip(" ")) + at[1]
        return start, None


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclasses.dataclass(slots=True)
class _Frame:
    value: dict[Any, Any] | list[Any]
    path: Path
    record: bool
    anchor: str | None
    mark: Any
    size: int = 1
    height: int = 1
    key: Any = _NOTHING
    part: str | int = ""
    skip: bool = False
    seen: dict[Any, int] = dataclasses.field(default_factory=dict)


class _Composer:
    """Turns the event stream into data, positions and problems."""

    def __init__(self, loader: Any, limits: RulesetLimits,
                 file: str | None) -> None:
        self.loader = loader
        self.limits = limits
        self.file = file
        self.positions: dict[Path, tuple[int, int]] = {}
        self.scalars: dict[Path, tuple[int, int, int, str | None]] = {}
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.nodes = 0
        self.root: Any = _NOTHING

    def fault(self, code: str, params: dict[str, Any], mark: Any,
              path: Path = ()) -> Problem:
        return Problem(code, params, file=self.file, line=mark.line + 1,
                       text_column=mark.column + 1, path=dotted(path))

    def run(self) -> Any:
        documents = 0
        while not self.loader.check_event(yaml.StreamEndEvent):
            event = self.loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Stop(self.fault("yaml_several_documents", {},
                                           event.start_mark))
            elif isinstance(event, yaml.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self.start(event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self.end()
        return None if self.root is _NOTHING else self.root

    def count(self, nodes: int, mark: Any) -> None:
        self.nodes += nodes
        if self.nodes > self.limits.max_yaml_nodes:
            raise _Stop(self.fault("yaml_too_many_nodes", {
                "limit": self.limits.max_yaml_nodes},
                mark))

    def deep(self, height: int, mark: Any) -> None:
        if len(self.stack) + height > self.limits.max_yaml_depth:
            raise _Stop(self.fault("yaml_too_deep", {
                "limit": self.limits.max_yaml_depth},
                mark))

    def slot(self) -> Path | None:
        """The path of the node that starts now (None: a key, or not recorded)."""
        if not self.stack:
            return ()
        f = self.stack[-1]
        if not f.record:
            return None
        if isinstance(f.value, list):
            return (*f.path, len(f.value))
        if f.key is _NOTHING or f.skip:
            return None
        return (*f.path, f.part)

    def place(self, path: Path | None, mark: Any) -> None:
        if path is not None:
            self.positions.setdefault(path, (mark.line + 1, mark.column + 1))

    def scalar(self, event: Any) -> None:  # PyYAML's stubs make marks optional
        self.count(1, event.start_mark)
        path = self.slot()
        value = self.construct(event)
        self.place(path, event.start_mark)
        if path is not None and isinstance(value, str):
            self.scalars[path] = (event.start_mark.line + 1,
                                  event.start_mark.column + 1,
                                  event.end_mark.line + 1, event.style)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1, 0)
        self.complete(value, 1, 0, event.start_mark, collection=False)

    def construct(self, event: Any) -> Any:
        tag = event.tag
        explicit = tag not in (None, "!")
        if tag == "!":
            tag = _TAG + "str"
        elif not explicit:
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        elif tag not in _SCALAR_TAGS:
            self.problems.append(self.fault("yaml_tag_unsupported", {"tag": tag},
                                            event.start_mark))
            return event.value
        constructor = self.loader.yaml_constructors.get(tag)
        if constructor is None:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                               event.style)
        try:
            return constructor(self.loader, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            # An implicit type that does not hold (a date such as 2024-13-45, an
            # integer of 5,000 digits) stays text; validation says what it wants.
            if explicit:
                self.problems.append(self.fault("yaml_value_unreadable", {
                    "value": event.value[:_SHOWN], "tag": tag}, event.start_mark))
            return event.value

    def alias(self, event: Any) -> None:
        name = event.anchor
        if name in self.open_anchors:
            raise _Stop(self.fault("yaml_alias_cycle", {"anchor": name},
                                   event.start_mark))
        if name not in self.anchors:
            raise _Stop(self.fault("yaml_alias_undefined", {"anchor": name},
                                   event.start_mark))
        value, size, height = self.anchors[name]
        self.count(size, event.start_mark)
        self.deep(height, event.start_mark)
        self.place(self.slot(), event.start_mark)
        self.complete(value, size, height, event.start_mark,
                      collection=isinstance(value, dict | list))

    def start(self, event: Any) -> None:
        self.count(1, event.start_mark)
        self.deep(1, event.start_mark)
        path = self.slot()
        if event.tag not in _COLLECTION_TAGS:
            self.problems.append(self.fault("yaml_tag_unsupported",
                                            {"tag": event.tag}, event.start_mark,
                                            path or ()))
        self.place(path, event.start_mark)
        value: dict[Any, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else [])
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(value, path or (), path is not None, event.anchor,
                                 event.start_mark))

    def end(self) -> None:
        f = self.stack.pop()
        if f.anchor:
            self.open_anchors.discard(f.anchor)
            self.anchors[f.anchor] = (f.value, f.size, f.height)
        self.complete(f.value, f.size, f.height, f.mark, collection=True)

    def complete(self, value: Any, size: int, height: int, mark: Any, *,
                 collection: bool) -> None:
        if not self.stack:
            self.root = value
            return
        f = self.stack[-1]
        f.size += size
        f.height = max(f.height, height + 1)
        if isinstance(f.value, list):
            f.value.append(value)
        elif f.key is _NOTHING:
            self.key(f, value, mark, collection)
        else:
            if not f.skip:
                f.value[f.key] = value
            f.key, f.skip = _NOTHING, False

    def key(self, f: _Frame, key: Any, mark: Any, collection: bool) -> None:
        line = mark.line + 1
        code = ("yaml_complex_key" if collection else "yaml_merge_key" if key == "<<"
                else "key_duplicate" if key in f.seen else "")
        part = key if isinstance(key, str) or (
            isinstance(key, int) and not isinstance(key, bool)) else str(key)
        if code:
            params = {"key": brief(key), "first_line": f.seen.get(key)} if (
                code == "key_duplicate") else {}
            where = (*f.path, part) if code == "key_duplicate" else f.path
            self.problems.append(self.fault(code, params, mark, where))
            f.key, f.skip = None, True
            return
        f.seen[key] = line
        f.key, f.part = key, part
        if f.record:
            self.positions[(*f.path, part)] = (line, mark.column + 1)


def _decode(data: bytes, file: str | None) -> tuple[str | None, Problem | None]:
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as err:
        start = err.start
        line_start = data.rfind(b"\n", 0, start) + 1
        return None, Problem("file_not_utf8", {"byte": f"0x{data[start]:02X}",
                                               "offset": start},
                             file=file, line=data.count(b"\n", 0, start) + 1,
                             text_column=start - line_start + 1)


def _yaml_problem(err: yaml.YAMLError, text: str, file: str | None) -> Problem:
    if isinstance(err, yaml.reader.ReaderError):
        pos = err.position
        if _LOADER is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes
            pos = len(text.encode("utf-8", "surrogatepass")[:pos].decode(
                "utf-8", "replace"))
        line_start = text.rfind("\n", 0, pos) + 1
        char = err.character
        return Problem("yaml_control_character", {
            "char": f"#x{char:04X}" if isinstance(char, int) else repr(char)},
            file=file, line=text.count("\n", 0, pos) + 1,
            text_column=pos - line_start + 1)
    mark = getattr(err, "problem_mark", None)
    reason = getattr(err, "problem", None) or str(err)
    return Problem("yaml_syntax", {"reason": reason}, file=file,
                   line=mark.line + 1 if mark is not None else None,
                   text_column=mark.column + 1 if mark is not None else None)


def read_yaml(text: str | bytes, file: str | None = None,
              limits: RulesetLimits | None = None
              ) -> tuple[Located | None, list[Problem]]:
    """Parse ``text``; return the data with positions and the problems found.

    ``text`` may be the file's bytes (decoded as UTF-8 here, so a wrong byte is
    reported with its line) or already text. ``Located`` is None when the text
    cannot be read at all (not UTF-8, not YAML, or past a limit); the problems then
    say why.

    Examples
    --------
    >>> loc, problems = read_yaml("a: 1\\nb:\\n  - x: 2\\n")
    >>> loc.data, loc.positions[("b", 0, "x")], problems
    ({'a': 1, 'b': [{'x': 2}]}, (3, 5), [])
    >>> _, problems = read_yaml("a: 1\\na: 2\\n", "r.yaml")
    >>> print(problems[0])
    r.yaml:2:1: a: duplicate key 'a' (first at line 1) (fix: remove one of them)
    >>> _, problems = read_yaml(b"id: caf\\xe9\\n", "r.yaml")
    >>> print(problems[0])
    r.yaml:1:8: byte 0xE9 at offset 7 is not UTF-8 (fix: save the file as UTF-8 (in a text editor: Save As, encoding UTF-8))
    """
    limits = limits or RulesetLimits()
    if len(text) > limits.max_bytes:
        return None, [Problem("file_too_large", {
            "size": len(text), "limit": limits.max_bytes},
            file=file)]
    if isinstance(text, bytes):
        decoded, problem = _decode(text, file)
        if decoded is None:
            return None, [problem] if problem else []
        text = decoded
    try:
        loader = _LOADER(text)
    except yaml.YAMLError as err:
        return None, [_yaml_problem(err, text, file)]
    composer = _Composer(loader, limits, file)
    try:
        data = composer.run()
    except _Stop as stop:
        return None, [*composer.problems, stop.problem]
    except yaml.YAMLError as err:
        return None, [*composer.problems, _yaml_problem(err, text, file)]
    finally:
        loader.dispose()
    return Located(data, composer.positions, composer.scalars, text), composer.problems
