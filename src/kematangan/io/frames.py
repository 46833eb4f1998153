"""Map the headers of data already in memory (a pandas DataFrame, a dict of
columns, a list of records, one record) to a ruleset's fields: the same matcher and
mapping files as the command line, for programs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kematangan.criteria.loader import load_ruleset
from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError
from kematangan.io.headers import HeaderMatcher
from kematangan.io.mapping import ColumnMapping
from kematangan.io.usermap import UserMapping

__all__ = ["MappedColumns", "map_columns"]


@dataclass(frozen=True)
class MappedColumns:
    """Data with its columns renamed to field ids (only the columns that feed a
    field or the group id), and the :class:`ColumnMapping` that says what became of
    every column."""

    data: Any
    mapping: ColumnMapping


def map_columns(data: Any, ruleset: Ruleset | str | os.PathLike[str], *,
                mapping: UserMapping | Mapping[str, str | None] | str | Path | None
                = None) -> MappedColumns:
    """Rename the headers of ``data`` to ``ruleset``'s field ids, as ``kematangan
    score`` matches a sheet's headers.

    Parameters
    ----------
    data
        A pandas DataFrame (its index is kept), a mapping of column name to values,
        a list of records (dicts) or one record.
    ruleset
        A :class:`~kematangan.Ruleset`, a bundled id or a ruleset file.
    mapping
        What some columns are, before any guess: a dict of header to field id (or
        ``None`` to ignore it), a :class:`~kematangan.io.UserMapping`, or the path of
        a mapping file (YAML or a two-column sheet).

    Raises
    ------
    InputError
        When ``mapping`` names a field or column that does not exist (with the
        closest one), or ``data`` is of no kind above.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> found = map_columns({"Kode KSM": ["A"], "Jml angg.": [12], "Ketua": ["Siti"]},
    ...                     "ppmk-ksm")
    >>> found.data
    {'group_id': ['A'], 'members': [12]}
    >>> [(c.header, c.status, c.how) for c in found.mapping.columns]
    [('Kode KSM', 'mapped', 'alias'), ('Jml angg.', 'mapped', 'normalised'), ('Ketua', 'unmatched', '')]
    >>> Scorer("ppmk-ksm").score_batch(found.data).group_ids.tolist()
    ['A']
    """
    rs = load_ruleset(ruleset)
    if isinstance(mapping, str | Path):
        user = UserMapping.load(mapping)
    elif isinstance(mapping, UserMapping):
        user = mapping
    else:
        user = UserMapping(dict(mapping or {}))
    user.check(rs)
    kind, headers = _headers(data)
    user.check_columns(headers)
    found = HeaderMatcher(rs, user.columns).match(headers, first_column=None)
    names = {h: f for h, f in zip(headers, (c.header for c in found.columns),
                                  strict=True)}
    rename = {h: found.header_map[names[h]] for h in headers
              if names[h] in found.header_map}
    return MappedColumns(_renamed(data, kind, rename), found)


def _headers(data: Any) -> tuple[str, list[Any]]:
    if type(data).__module__.startswith("pandas"):
        return "frame", list(data.columns)
    if isinstance(data, Mapping):
        values = list(data.values())
        if values and all(isinstance(v, list | tuple) or hasattr(v, "__array__")
                          for v in values):
            return "columns", list(data)
        return "record", list(data)
    if isinstance(data, list) and all(isinstance(r, Mapping) for r in data):
        seen: dict[Any, None] = {}
        for r in data:
            seen.update(dict.fromkeys(r))
        return "records", list(seen)
    raise InputError(f"cannot map the columns of {type(data).__name__}",
                     fix="pass a pandas DataFrame, a dict of columns, a list of "
                     "dicts or one dict")


def _renamed(data: Any, kind: str, rename: dict[Any, str]) -> Any:
    if kind == "frame":
        return data[list(rename)].rename(columns=rename)
    if kind in ("columns", "record"):
        return {rename[k]: v for k, v in data.items() if k in rename}
    return [{rename[k]: v for k, v in r.items() if k in rename} for r in data]
