"""The building blocks of a ruleset file: ids, bilingual texts, intervals and
sources, and how a model reports a fault with a catalogue code.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from kematangan.catalogue import render

__all__ = [
    "Identifier",
    "Interval",
    "IntervalText",
    "OperationalChoice",
    "Slug",
    "Source",
    "StrictModel",
    "Text",
    "fault",
]


class StrictModel(BaseModel):
    """A ruleset part: unknown keys refused, frozen, numbers finite."""

    # NaN and infinity are refused wherever a number is expected: a NaN threshold
    # would make its criterion unknown for every group.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)


def fault(code: str, **params: Any) -> PydanticCustomError:
    """A validation error carrying a catalogue ``code`` and its ``params``.

    The loader turns it into a :class:`~kematangan.problems.Problem` of that code;
    pydantic users see the English text. Texts are cut to a readable length.
    """
    params = {k: v[:60] if isinstance(v, str) else v for k, v in params.items()}
    return PydanticCustomError(code, render(code, params, "en")[0], params)


Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
]
"""Field, criterion, stage and class ids: stable snake_case ASCII."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]


class Text(StrictModel):
    """A text in Indonesian (``id``) and optionally English (``en``); a plain string
    is taken as the Indonesian text."""

    id: str = Field(min_length=1, description="Indonesian text (the default language).")
    en: str | None = Field(default=None, description="English text.")

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"id": value}
        return value

    def get(self, lang: str = "id") -> str:
        """The text in ``lang`` (``id`` or ``en``), falling back to Indonesian.

        Examples
        --------
        >>> Text.model_validate({"id": "Rapat rutin", "en": "Regular meetings"}).get("en")
        'Regular meetings'
        >>> Text.model_validate("Rapat rutin").get("en")
        'Rapat rutin'
        """
        if lang == "en" and self.en:
            return self.en
        return self.id


_INTERVAL = re.compile(
    r"^\s*([\[(])\s*(-?inf|-?\d+(?:\.\d+)?)\s*,\s*(-?inf|-?\d+(?:\.\d+)?)\s*([\])])\s*$"
)


class Interval(StrictModel):
    """A numeric interval written as ``"[0, 245]"``, ``"(245, 455]"`` or
    ``"[0.9, inf)"``: a square bracket includes the bound, a round one excludes it.

    Examples
    --------
    >>> iv = Interval.parse("(10, 20]")
    >>> iv.contains(10), iv.contains(20)
    (False, True)
    >>> str(iv)
    '(10, 20]'
    """

    model_config = ConfigDict(allow_inf_nan=True)

    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool

    @classmethod
    def parse(cls, text: str) -> Interval:
        """Parse interval notation; raise ``ValueError`` with the expected form."""
        m = _INTERVAL.match(text)
        if not m:
            raise fault("interval_syntax", value=text)
        lo, hi = float(m.group(2)), float(m.group(3))
        if (math.isinf(lo) and "inf" not in m.group(2)) or (
                math.isinf(hi) and "inf" not in m.group(3)):
            raise fault("interval_not_number", value=text)
        low_inclusive, high_inclusive = m.group(1) == "[", m.group(4) == "]"
        _check_bounds(text, lo, hi, low_inclusive, high_inclusive)
        return cls.model_construct(low=lo, high=hi, low_inclusive=low_inclusive,
                                   high_inclusive=high_inclusive)

    @model_validator(mode="after")
    def _sound_bounds(self) -> Interval:
        _check_bounds(str(self), self.low, self.high, self.low_inclusive,
                      self.high_inclusive)
        return self

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies inside the interval."""
        above = x >= self.low if self.low_inclusive else x > self.low
        below = x <= self.high if self.high_inclusive else x < self.high
        return above and below

    def __str__(self) -> str:
        def fmt(v: float) -> str:
            if math.isinf(v) or math.isnan(v):
                return str(v)
            return str(int(v)) if v == int(v) else repr(v)

        return (("[" if self.low_inclusive else "(") + fmt(self.low) + ", "
                + fmt(self.high) + ("]" if self.high_inclusive else ")"))


def _check_bounds(text: str, low: float, high: float, low_inclusive: bool,
                  high_inclusive: bool) -> None:
    if math.isnan(low) or math.isnan(high):
        raise fault("interval_not_number", value=text)
    if low > high or (low == high and not (low_inclusive and high_inclusive)):
        raise fault("interval_empty", value=text)
    if (math.isinf(low) and low_inclusive) or (math.isinf(high) and high_inclusive):
        raise fault("interval_infinite_closed", value=text)


def _interval_from_str(value: Any) -> Any:
    if isinstance(value, str):
        return Interval.parse(value)
    return value


IntervalText = Annotated[
    Interval,
    BeforeValidator(_interval_from_str),
    Field(json_schema_extra={"type": "string", "examples": ["[0, 245]", "(0.9, inf)"]}),
]


class Source(StrictModel):
    """The program document a ruleset (or one of its thresholds) rests on."""

    title: str
    url: str | None = None
    passage: str | None = Field(
        default=None, description="The passage quoted or summarised from the source."
    )
    note: str | None = None


OperationalChoice = Annotated[
    Text | None,
    Field(description="Why this is the ruleset's own choice where no source says it "
          "(a threshold, a reading of a vague passage): Indonesian and optionally "
          "English. A criterion, stage, class or exit rule gives a 'source', an "
          "'operational_choice', or both."),
]
