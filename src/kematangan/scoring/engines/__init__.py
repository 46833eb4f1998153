"""Engines run a compiled :class:`~kematangan.scoring.plan.Plan`; they all give the
same results (the meaning is defined once, in :mod:`kematangan.scoring.semantics`).

=========  ==============================================================  ==========
name       how                                                             module
=========  ==============================================================  ==========
numpy      batches vectorised over columns; one record by the record       ``vector``
           engine (the default)
record     plain Python, one record at a time (batches record by record)  ``record``
durable    durable-rules decides the comparisons (needs the ``durable``    ``durable``
           extra)
=========  ==============================================================  ==========

An engine is chosen by name (:func:`create_engine`); the name is checked before
anything is compiled, and a misspelt one gets a suggestion.

Examples
--------
>>> engine_names()
('durable', 'numpy', 'record')
>>> check_engine_name("nunpy")
Traceback (most recent call last):
...
ValueError: unknown engine 'nunpy' (did you mean 'numpy'?); use one of: durable, numpy, record
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from kematangan.errors import suggest
from kematangan.scoring.plan import Plan
from kematangan.scoring.result import ColumnResult, RowResult

__all__ = ["Engine", "check_engine_name", "create_engine", "engine_names"]

_REGISTRY: dict[str, tuple[str, str]] = {
    "durable": ("kematangan.scoring.engines.durable", "DurableEngine"),
    "numpy": ("kematangan.scoring.engines.vector", "VectorEngine"),
    "record": ("kematangan.scoring.engines.record", "RecordEngine"),
}


@runtime_checkable
class Engine(Protocol):
    """What every engine does: score one encoded record, score many, and close.

    Values are encoded as the plan says (floats, NaN for missing, in plan slot
    order: fields, then derived values, which the engine fills in).
    """

    name: str
    plan: Plan

    def score_one(self, values: Sequence[float]) -> RowResult:
        """Score one record given its encoded field values."""
        ...

    def score_many(self, values: list[npt.NDArray[np.float64]]) -> ColumnResult:
        """Score many records: one array per plan slot (derived ones are filled)."""
        ...

    def close(self) -> None:
        """Free what the engine holds; it cannot score afterwards."""
        ...


def engine_names() -> tuple[str, ...]:
    """The names :func:`create_engine` accepts."""
    return tuple(sorted(_REGISTRY))


def check_engine_name(name: str) -> None:
    """Raise ``ValueError`` (with a suggestion) unless ``name`` is an engine."""
    if name in _REGISTRY:
        return
    close = suggest(str(name), _REGISTRY)
    hint = f" (did you mean {close!r}?)" if close else ""
    raise ValueError(f"unknown engine {name!r}{hint}; use one of: "
                     + ", ".join(engine_names()))


def create_engine(name: str, plan: Plan, *, workers: int | None = None) -> Engine:
    """Compile ``plan`` for the engine called ``name``.

    ``workers`` is how many threads the numpy engine scores a large batch with
    (default: every core); the others score record by record and ignore it.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> engine = create_engine("record", compile_plan(load_ruleset("ppmk-ksm")))
    >>> engine.score_one([float("nan")] * len(engine.plan.fields)).stage_upper
    3
    """
    check_engine_name(name)
    module, cls = _REGISTRY[name]
    factory = getattr(importlib.import_module(module), cls)
    engine: Engine = factory(plan, workers=workers) if name == "numpy" else factory(
        plan)
    return engine
