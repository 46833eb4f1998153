"""The catalogue: what every problem code says, in Indonesian and English.

Each area of the library has its own module (``record`` for values the scorer cannot
use, ``ruleset`` for ruleset files, ``reader`` for spreadsheets and other input files,
``model`` for saved models, ``cli`` for the command line), each defining ``MESSAGES``,
a mapping of code to :class:`Message`. A problem carries a code and parameters, never
a finished sentence, so the same problem reads right in either language and rewording
a message cannot lose its translation. ``tests/test_catalogue.py`` fails when a code
lacks a text in either language, when two areas define the same code, or when a
template names a parameter its other language does not.

Templates are :meth:`str.format` strings over the problem's parameters. Numbers are
written the way each language writes them (``12.5`` / ``12,5``), lists are joined
with commas, and ``!r`` quotes a text (``'Rapat'``).

Examples
--------
>>> render("below_minimum", {"value": 1.5, "min": 2, "max": 10}, "id")
('nilai 1,5 di bawah batas terendah 2', 'isi nilai dari 2 sampai 10, atau kosongkan bila tidak diketahui')
>>> render("below_minimum", {"value": 1.5, "min": 2, "max": 10}, "en")[0]
'value 1.5 is below the minimum 2'
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["LANGS", "Message", "codes", "format_value", "message", "render"]

LANGS: tuple[str, ...] = ("id", "en")
"""The languages every code has a text in; Indonesian is the default."""


@dataclass(frozen=True, slots=True)
class Message:
    """The texts of one problem code: ``(problem, fix)`` templates per language.

    ``fix`` may be empty when there is nothing for the user to do (a note that a
    value was read in another form).
    """

    id: tuple[str, str]
    en: tuple[str, str]

    def templates(self, lang: str) -> tuple[str, str]:
        """The ``(problem, fix)`` templates in ``lang`` (Indonesian by default)."""
        return self.en if lang == "en" else self.id


def format_value(value: Any, lang: str = "en") -> str:
    """A parameter as it is written in a message.

    Examples
    --------
    >>> format_value(1250.5, "id"), format_value(1250.5, "en"), format_value(3.0)
    ('1250,5', '1250.5', '3')
    >>> format_value(["a", "b"]), format_value(True, "id"), format_value(None)
    ('a, b', 'ya', '')
    >>> format_value({"id": "Penabung", "en": "Savers"}, "en")
    'Savers'

    """
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = ("ya", "tidak") if lang == "id" else ("true", "false")
        return yes if value else no
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        text = f"{value:.15g}" if value != int(value) or abs(value) >= 1e15 else str(
            int(value))
        return text.replace(".", ",") if lang == "id" else text
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and value.keys() <= {"id", "en"}:
        return format_value(value.get(lang) or value.get("id") or value.get("en"),
                            lang)
    if isinstance(value, Sequence):
        return ", ".join(format_value(v, lang) for v in value)
    return str(value)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "r":
            if isinstance(value, str):
                return repr(value)
            if isinstance(value, Sequence):
                return ", ".join(repr(v) if isinstance(v, str) else
                                 format_value(v, self.lang) for v in value)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec:
            return format(value, format_spec)
        return format_value(value, self.lang)


_AREAS: dict[str, Mapping[str, Message]] | None = None
_TABLE: dict[str, Message] = {}


def areas() -> dict[str, Mapping[str, Message]]:
    """Each area module's messages, by area name (every module of this package)."""
    global _AREAS
    if _AREAS is None:
        found: dict[str, Mapping[str, Message]] = {}
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{__name__}.{info.name}")
            found[info.name] = module.MESSAGES
        for area, messages in found.items():
            for code in messages:
                if code in _TABLE:
                    raise RuntimeError(f"problem code {code!r} is defined twice "
                                       f"(catalogue area {area!r})")
                _TABLE[code] = messages[code]
        _AREAS = found
    return _AREAS


def _table() -> dict[str, Message]:
    if _AREAS is None:
        areas()
    return _TABLE


def codes() -> list[str]:
    """Every known problem code, sorted.

    Examples
    --------
    >>> "below_minimum" in codes()
    True
    """
    return sorted(_table())


def message(code: str) -> Message:
    """The :class:`Message` of ``code`` (``KeyError`` for an unknown code)."""
    return _table()[code]


def _range(lo: Any, hi: Any, lang: str) -> str:
    if lo is not None and hi is not None:
        words = ("dari {} sampai {}", "from {} to {}")
        return words[lang == "en"].format(format_value(lo, lang), format_value(hi, lang))
    if lo is not None:
        return ("minimal {}", "of at least {}")[lang == "en"].format(
            format_value(lo, lang))
    if hi is not None:
        return ("maksimal {}", "of at most {}")[lang == "en"].format(
            format_value(hi, lang))
    return ("apa saja", "of any size")[lang == "en"]


def _shown(value: Any, type_name: str | None, lang: str) -> str:
    if isinstance(value, str) and type_name in (None, "str"):
        return ("teks " if lang == "id" else "text ") + repr(value)
    if isinstance(value, bool):
        return format_value(value, lang)
    return f"{type_name or type(value).__name__} {value!r}"


def render(code: str, params: Mapping[str, Any], lang: str = "id") -> tuple[str, str]:
    """The problem and fix texts of ``code`` with ``params``, in ``lang``.

    Besides the problem's own parameters, templates may use two derived ones:
    ``{range}`` (the ``min``/``max`` parameters as "from 0 to 500", "of at least 0")
    and ``{shown}`` (the ``value`` parameter with its kind: "text 'dua'", "true",
    "list [1]"; ``type`` names the kind when the value is not a text).
    """
    problem, fix = message(code).templates(lang)
    full = dict(params)
    if "min" in params or "max" in params:
        full.setdefault("range", _range(params.get("min"), params.get("max"), lang))
    if "value" in params:
        full.setdefault("shown", _shown(params["value"], params.get("type"), lang))
    fmt = _Formatter(lang)
    return fmt.vformat(problem, (), full), fmt.vformat(fix, (), full)
