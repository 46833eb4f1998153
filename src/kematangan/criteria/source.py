"""Read YAML safely while remembering the line of every key and item.

Only YAML's safe constructors are used. Duplicate keys, which PyYAML would silently
overwrite, are reported as problems.
"""

from __future__ import annotations

from typing import Any

import yaml

from kematangan.errors import Problem

__all__ = ["Located", "Path", "read_yaml"]

Path = tuple[str | int, ...]


class Located:
    """Parsed YAML data plus a map from each location path to its (line, column)."""

    def __init__(self, data: Any, positions: dict[Path, tuple[int, int]]) -> None:
        self.data = data
        self.positions = positions

    def line_of(self, path: Path) -> tuple[int, int] | None:
        """The position of ``path``, or of its nearest enclosing location."""
        path = tuple(path)
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None
            path = path[:-1]


def read_yaml(text: str, file: str | None = None) -> tuple[Located, list[Problem]]:
    """Parse ``text``; return the data with positions and any duplicate-key problems.

    Raises
    ------
    yaml.YAMLError
        When the text is not YAML at all (the caller turns it into a problem).

    Examples
    --------
    >>> loc, problems = read_yaml("a: 1\\nb:\\n  - x: 2\\n")
    >>> loc.data, loc.positions[("b", 0, "x")], problems
    ({'a': 1, 'b': [{'x': 2}]}, (3, 5), [])
    >>> _, problems = read_yaml("a: 1\\na: 2\\n", "r.yaml")
    >>> print(problems[0])
    r.yaml:2:1: a: duplicate key 'a' (first at line 1)
    """
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    positions: dict[Path, tuple[int, int]] = {}
    problems: list[Problem] = []

    def build(node: yaml.Node, path: Path) -> Any:
        positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                if key in seen:
                    problems.append(Problem(
                        _dotted((*path, str(key))),
                        f"duplicate key {key!r} (first at line {seen[key]})",
                        line=line, column=key_node.start_mark.column + 1, file=file))
                    continue
                seen[key] = line
                child = (*path, key if isinstance(key, str | int) else str(key))
                positions[child] = (line, key_node.start_mark.column + 1)
                out[key] = build(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(item, (*path, i)) for i, item in enumerate(node.value)]
        return loader.construct_object(node, deep=True)

    data = None if root is None else build(root, ())
    return Located(data, positions), problems


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
