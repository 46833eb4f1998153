"""kematangan next to its peers and next to bare numpy, in one run (issue 15).

For each ruleset (default: the bundled ppmk-ksm, poktan-2018 and
upk-pinjaman-bergulir: stages, ``score`` and ``bands`` criteria, class ``requires``):

* **GoRules zen-engine** gets a JDM decision graph generated from the loaded ruleset
  (an expression node for derived values; one for criteria outcomes, points, score
  and the stage cascade; a decision table for the class): nothing copied by hand;
* **durable-rules** runs as kematangan's own durable engine,
  ``Scorer(ruleset, engine="durable")``: the conditions as durable rules;
* **bare numpy** evaluates the same comparisons, sums and stage cascade with no
  missing values, checks or bounds: float columns in, stage index and score out;
* every engine must agree with kematangan on stage, score and class (bare numpy:
  stage and score) for EVERY record, else the first disagreement is printed and
  the exit status is 1; only then are records/s timed (best of 3) and compared.

Agreement is checked on random complete records and on records with 20 % of values
missing. kematangan treats missing as unknown and gives bounds (``stage`` and
``stage_upper``, ...); the peers read a missing value as "not met", which is exactly
kematangan's certain ``stage``, ``score`` and ``class``. Bare numpy is checked on
complete records only; timings use complete records.

    pip install -e ".[bench]"
    python bench/bench_peers.py [--records 20000] [--columnar 1000000] [--rulesets ...]

Records start from the ruleset's own test records (consistent by design), moved by
up to 20%; date fields stay blank (date arithmetic is then missing, and ``coalesce``
reads its next argument, in every engine); records in which kematangan finds a
problem (a failed consistency check, an unusable value) are drawn again, because the
peers know neither.

A peer not installed is skipped with a message, and so is a ruleset using what the
encoders do not cover (composite criteria, categories, functions other than
``coalesce`` and date arithmetic, ``not`` of a comparison, ``missing: met``, stage
``min_points``). Figures only.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan import (
    Assessment,
    BatchResult,
    EngineError,
    Ruleset,
    Scorer,
    load_ruleset,
)

RULESETS = ("ppmk-ksm", "poktan-2018", "upk-pinjaman-bergulir")
MISSING_SHARE = 0.2
TARGET_VS_ZEN = 15.0
TARGET_VS_BARE = 0.5
BETTER_END = 0.85
"""Share of generated values at a field's better end, so every stage is reached."""
CHUNK = 32_768

F64 = npt.NDArray[np.float64]
Columns = dict[str, F64]
Verdict = tuple[str | None, float, str | None]
"""What every engine must agree on: stage, score, class."""


def _divide(a: F64 | float, b: F64 | float) -> F64:
    with np.errstate(divide="ignore", invalid="ignore"):
        quotient: F64 = np.where(np.equal(b, 0.0), np.nan, np.divide(a, b))
    return quotient


_CMP: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Lt: ("<", np.less), ast.LtE: ("<=", np.less_equal), ast.Gt: (">", np.greater),
    ast.GtE: (">=", np.greater_equal), ast.Eq: ("==", np.equal),
    ast.NotEq: ("!=", np.not_equal)}
"""Comparisons: ZEN's operator and numpy's function."""
_ARITH: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", np.add), ast.Sub: ("-", np.subtract), ast.Mult: ("*", np.multiply),
    ast.Div: ("/", _divide)}


DATE_FUNCTIONS = frozenset({"days_between", "months_between", "years_between"})
"""Date arithmetic. The generated records leave every date field blank (zen-engine
and bare numpy have no day numbers here), so these are always missing: encoded as
``null`` for zen-engine and NaN in bare numpy, which a ``coalesce`` then passes
over to its next argument, as kematangan does."""


def _date_call(n: ast.expr, kinds: Mapping[str, str]) -> bool:
    """Whether ``n`` is date arithmetic over date fields only."""
    return (isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id in DATE_FUNCTIONS
            and all(isinstance(a, ast.Name) and kinds.get(a.id) == "date"
                    for a in n.args))


def _coalesce(n: ast.expr) -> list[ast.expr] | None:
    """The arguments of a ``coalesce(...)`` call, else ``None``."""
    if (isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id == "coalesce" and n.args):
        return list(n.args)
    return None


class Unsupported(Exception):
    """A ruleset construct this bench does not encode for the peers."""


def condition_ast(text: str) -> ast.expr:
    """Parse an expression of the ruleset language: the part used here (names,
    numbers, ``+ - * /``, a comparison, ``and``, ``or``, ``not`` of a yes/no field) is
    also Python syntax, and the encoders below refuse anything else."""
    return ast.parse(text, mode="eval").body


def interval_text(field: str, lo: float, hi: float, lo_in: bool, hi_in: bool,
                  num: Callable[[float], str] = repr) -> str:
    parts = [f"{field} {'>=' if lo_in else '>'} {num(lo)}"] if math.isfinite(lo) else []
    if math.isfinite(hi):
        parts.append(f"{field} {'<=' if hi_in else '<'} {num(hi)}")
    return " and ".join(parts) or "true"


Criterion = Any  # a loaded Ruleset's criterion; only kematangan's top level is used


def condition_text(c: Criterion) -> str:
    """A condition criterion as an expression of the ruleset language."""
    if c.threshold is not None:
        return f"{c.threshold.field} {c.threshold.op} {c.threshold.value!r}"
    if c.range is not None:
        iv = c.range.interval
        return interval_text(c.range.field, iv.low, iv.high, iv.low_inclusive,
                             iv.high_inclusive)
    if c.boolean is not None:
        return c.boolean.field if c.boolean.value else f"not {c.boolean.field}"
    if c.expr is not None:
        return str(c.expr)
    raise Unsupported(f"criterion {c.id!r}: {c.kind} is not encoded for the peers")


def points_of(c: Criterion, ruleset: Ruleset) -> float:
    """The points a met criterion gives (the language's defaults included)."""
    if c.bands is not None:
        return float(max(b.points for b in c.bands.bands))
    if c.score is not None:
        return float(ruleset.field(c.score.field).max or 0.0)
    return float(c.points) if c.points is not None else (0.0 if c.gate else 1.0)


def check_supported(ruleset: Ruleset) -> None:
    if any(s.min_points is not None for s in ruleset.stages):
        raise Unsupported("stage min_points is not encoded")
    for f in ruleset.fields:
        if f.type not in ("number", "integer", "boolean", "date"):
            raise Unsupported(f"{f.type} field {f.id!r} is not generated")
    if met := [c.id for c in ruleset.criteria if c.missing == "met"]:
        raise Unsupported(f"{', '.join(met)}: 'missing: met' is not encoded")


# --- GoRules zen-engine: a JDM decision graph generated from the ruleset ---------

zen_number = partial(np.format_float_positional, trim="-")  # never 1e-05 notation


class ZenText:
    """Ruleset expressions as ZEN expressions, null-safe: a comparison reading a
    missing value, or a division by zero, is false (not met)."""

    def __init__(self, kinds: Mapping[str, str], ref: Callable[[str], str]) -> None:
        self.kinds = kinds
        self.ref = ref

    def number(self, n: ast.expr) -> tuple[str, list[str]]:
        """(text, guards that must hold for the value to exist)."""
        if isinstance(n, ast.Constant) and isinstance(n.value, int | float):
            return zen_number(float(n.value)), []
        if isinstance(n, ast.Name) and self.kinds.get(n.id) == "number":
            r = self.ref(n.id)
            return r, [f"{r} != null"]
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            t, g = self.number(n.operand)
            return f"(-{t})", g
        if isinstance(n, ast.BinOp) and type(n.op) in _ARITH:
            a, ga = self.number(n.left)
            b, gb = self.number(n.right)
            guards = [*ga, *gb, *([f"{b} != 0"] if isinstance(n.op, ast.Div) else [])]
            return f"({a} {_ARITH[type(n.op)][0]} {b})", list(dict.fromkeys(guards))
        if _date_call(n, self.kinds):
            return "null", ["false"]
        if (args := _coalesce(n)) is not None:
            text, guards = self.number(args[-1])
            for arg in reversed(args[:-1]):  # the first known argument
                t, g = self.number(arg)
                known = " and ".join(g) or "true"
                text = f"(({known}) ? {t} : {text})"
                guards = [f"(({known}) or ({' and '.join(guards) or 'true'}))"]
            return text, guards
        raise Unsupported(f"{ast.unparse(n)!r} is not encoded for zen-engine")

    def known(self, n: ast.expr) -> str:
        """When a comparison or a yes/no field has a value (for ``coalesce``)."""
        if isinstance(n, ast.Compare) and len(n.ops) == 1:
            guards = [*self.number(n.left)[1], *self.number(n.comparators[0])[1]]
            return " and ".join(dict.fromkeys(guards)) or "true"
        if isinstance(n, ast.Name) and self.kinds.get(n.id) == "boolean":
            return f"{self.ref(n.id)} != null"
        raise Unsupported(f"{ast.unparse(n)!r} in coalesce is not encoded")

    def condition(self, n: ast.expr) -> str:
        if (args := _coalesce(n)) is not None:
            text = self.condition(args[-1])
            for arg in reversed(args[:-1]):  # the first argument that is known
                text = f"(({self.known(arg)}) ? {self.condition(arg)} : {text})"
            return text
        if isinstance(n, ast.BoolOp):
            joiner = " and " if isinstance(n.op, ast.And) else " or "
            return "(" + joiner.join(self.condition(v) for v in n.values) + ")"
        if isinstance(n, ast.Compare) and len(n.ops) == 1 and type(n.ops[0]) in _CMP:
            a, ga = self.number(n.left)
            b, gb = self.number(n.comparators[0])
            test = f"{a} {_CMP[type(n.ops[0])][0]} {b}"
            return "(" + " and ".join(dict.fromkeys([*ga, *gb, test])) + ")"
        if isinstance(n, ast.Name) and self.kinds.get(n.id) == "boolean":
            return f"{self.ref(n.id)} == true"
        if (isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not)
                and isinstance(n.operand, ast.Name)
                and self.kinds.get(n.operand.id) == "boolean"):
            return f"{self.ref(n.operand.id)} == false"
        raise Unsupported(f"{ast.unparse(n)!r} is not encoded for zen-engine")


def _node(i: int, node_type: str, name: str, content: dict[str, Any] | None = None
          ) -> dict[str, Any]:
    node: dict[str, Any] = {"id": f"n{i}", "type": node_type, "name": name,
                            "position": {"x": 250 * i, "y": 0}}
    if content is not None:
        node["content"] = {**content, "inputField": None, "outputPath": None,
                           "executionMode": "single"}
    return node


def _expressions(pairs: Sequence[tuple[str, str]], pass_through: bool
                 ) -> dict[str, Any]:
    return {"expressions": [{"id": f"e{i}", "key": k, "value": v}
                            for i, (k, v) in enumerate(pairs)],
            "passThrough": pass_through}


def zen_decision(ruleset: Ruleset) -> dict[str, Any]:
    """The ruleset as a JDM decision graph (GoRules' JSON decision model)."""
    kinds = {f.id: f.type if f.type in ("boolean", "date") else "number"
             for f in ruleset.fields} | {d.id: "number" for d in ruleset.derived}
    derived_ids = {d.id for d in ruleset.derived}
    # Within the derived node an earlier derived value is read from its own output.
    in_derived = ZenText(kinds, lambda k: f"$.{k}" if k in derived_ids else k)
    derived: list[tuple[str, str]] = []
    for d in ruleset.derived:
        text, guards = in_derived.number(condition_ast(d.expr))
        derived.append((d.id, f"{' and '.join(guards)} ? {text} : null"
                        if guards else text))
    zt = ZenText(kinds, lambda k: k)
    exprs: list[tuple[str, str]] = []
    pts: dict[str, str] = {}
    for c in ruleset.criteria:
        top = points_of(c, ruleset)
        single = c.bands or c.score
        if single is not None:
            field = single.field
            guard = f"{field} != null"
            if c.bands is not None:
                chain = "0"
                for b in c.bands.bands:  # the last band holding the value counts
                    iv = b.interval
                    inside = interval_text(field, iv.low, iv.high, iv.low_inclusive,
                                           iv.high_inclusive, zen_number)
                    chain = f"({inside} ? {zen_number(b.points)} : {chain})"
                exprs.append((f"p_{c.id}", f"{guard} ? {chain} : 0"))
                met = f"{guard} and $.p_{c.id} == {zen_number(top)}"
            else:
                assert c.score is not None
                met_at = c.score.met_at if c.score.met_at is not None else top
                exprs.append((f"p_{c.id}", f"{guard} ? {field} : 0"))
                met = f"{guard} and {field} >= {zen_number(met_at)}"
            exprs.append((f"c_{c.id}", met))
            pts[c.id] = f"$.p_{c.id}"
        else:
            exprs.append((f"c_{c.id}", zt.condition(condition_ast(condition_text(c)))))
            if top:
                pts[c.id] = f"($.c_{c.id} ? {zen_number(top)} : 0)"
    exprs.append(("score", " + ".join(pts[k] for k in sorted(pts)) or "0"))
    for i, s in enumerate(ruleset.stages):
        mine = [c for c in ruleset.criteria if c.stage == s.id]
        parts = [f"$.c_{c.id}" for c in mine if c.gate]
        if s.rule == "cumulative" and i > 0:
            parts.append(f"$.s_{ruleset.stages[i - 1].id}")
        exprs.append((f"s_{s.id}", " and ".join(parts)))
    cascade = "null"
    for s in ruleset.stages:  # the highest stage reached is the outermost test
        cascade = f"($.s_{s.id} ? '{s.id}' : {cascade})"
    exprs.append(("stage", cascade))
    nodes = [_node(0, "inputNode", "record")]
    if derived:
        nodes.append(_node(len(nodes), "expressionNode", "derived values",
                           _expressions(derived, pass_through=True)))
    nodes.append(_node(len(nodes), "expressionNode", "criteria, score, stage",
                       _expressions(exprs, pass_through=False)))
    if ruleset.classes:
        nodes.append(_node(len(nodes), "decisionTableNode", "class",
                           _class_table(ruleset)))
    nodes.append(_node(len(nodes), "outputNode", "result"))
    edges = [{"id": f"l{i}", "type": "edge", "sourceId": a["id"], "targetId": b["id"]}
             for i, (a, b) in enumerate(itertools.pairwise(nodes))]
    return {"nodes": nodes, "edges": edges}


def _class_table(ruleset: Ruleset) -> dict[str, Any]:
    """First hit, highest class first: a class applies when the score is at or
    above its low bound (and within the top class) and its required criteria are
    met; otherwise the next lower class is tried."""
    required = sorted({r for k in ruleset.classes for r in k.requires})
    inputs = [{"id": "score", "name": "score", "field": "score"}] + [
        {"id": f"c_{r}", "name": r, "field": f"c_{r}"} for r in required]
    top = ruleset.classes[-1].interval
    rules = []
    for k in reversed(ruleset.classes):
        iv = k.interval
        cell = interval_text("$", iv.low, top.high, iv.low_inclusive,
                             top.high_inclusive, zen_number)
        rule = {"_id": k.id, "score": cell, "class": f"'{k.id}'"}
        rule |= {f"c_{r}": "true" if r in k.requires else "" for r in required}
        rules.append(rule)
    return {"hitPolicy": "first", "inputs": inputs, "rules": rules,
            "outputs": [{"id": "class", "name": "class", "field": "class"}],
            "passThrough": True}


# --- bare numpy: the same comparisons, sums and cascade, no missing values -------

NumFn = Callable[[Columns], Any]


class BareNumpy:
    """Stage index (-1: none) and score from complete float columns (booleans as
    1.0/0.0), with nothing checked: no missing values, bounds or types."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.kinds = {f.id: f.type for f in ruleset.fields}
        self.derived = [(d.id, self.number(condition_ast(d.expr)))
                        for d in ruleset.derived]
        self.met: dict[str, NumFn] = {}
        self.points: list[NumFn] = []  # in criterion-id order, as kematangan sums
        for c in sorted(ruleset.criteria, key=lambda c: c.id):
            self.met[c.id], pts = self.criterion(c, ruleset)
            if pts is not None:
                self.points.append(pts)
        self.stages = [([self.met[c.id] for c in ruleset.criteria
                         if c.stage == s.id and c.gate], s.rule == "cumulative")
                       for s in ruleset.stages]

    def criterion(self, c: Criterion, ruleset: Ruleset) -> tuple[NumFn, NumFn | None]:
        top = points_of(c, ruleset)
        if c.bands is not None:
            v = self.number(ast.Name(c.bands.field))
            bands = [(b.interval, b.points) for b in c.bands.bands]

            def band_points(cols: Columns) -> F64:
                x = v(cols)
                pts = np.zeros(len(x))
                for iv, p in bands:  # the last band holding the value counts
                    pts[((x >= iv.low) if iv.low_inclusive else (x > iv.low))
                        & ((x <= iv.high) if iv.high_inclusive else (x < iv.high))] = p
                return pts

            return (lambda cols: band_points(cols) == top), band_points
        if c.score is not None:
            value = self.number(ast.Name(c.score.field))
            met_at = c.score.met_at if c.score.met_at is not None else top
            return (lambda cols: value(cols) >= met_at), value
        met = self.condition(condition_ast(condition_text(c)))
        return met, ((lambda cols: met(cols) * top) if top else None)

    def number(self, n: ast.expr) -> NumFn:
        if isinstance(n, ast.Constant) and isinstance(n.value, int | float):
            value = float(n.value)
            return lambda cols: value
        if isinstance(n, ast.Name):
            name = n.id
            return lambda cols: cols[name]
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            inner = self.number(n.operand)
            return lambda cols: -inner(cols)
        if isinstance(n, ast.BinOp) and type(n.op) in _ARITH:
            a, b, op = self.number(n.left), self.number(n.right), _ARITH[type(n.op)][1]
            return lambda cols: op(a(cols), b(cols))
        if _date_call(n, self.kinds):
            assert isinstance(n, ast.Call) and isinstance(n.args[0], ast.Name)
            first = n.args[0].id
            return lambda cols: np.full(len(cols[first]), np.nan)
        if (args := _coalesce(n)) is not None:
            parts = [self.number(a) for a in args]

            def first_known(cols: Columns) -> F64:
                out: F64 = np.asarray(parts[-1](cols), dtype=np.float64)
                for part in reversed(parts[:-1]):
                    value = part(cols)
                    out = np.where(np.isnan(value), out, value)
                return out

            return first_known
        raise Unsupported(f"{ast.unparse(n)!r} is not encoded in bare numpy")

    def known(self, n: ast.expr) -> NumFn:
        """Where a comparison has both its values (for ``coalesce`` only: the one
        place bare numpy tells a missing value from a false condition)."""
        if isinstance(n, ast.Compare) and len(n.ops) == 1:
            a, b = self.number(n.left), self.number(n.comparators[0])
            return lambda cols: ~np.isnan(a(cols) + b(cols))
        raise Unsupported(f"{ast.unparse(n)!r} in coalesce is not encoded")

    def condition(self, n: ast.expr) -> NumFn:
        if (args := _coalesce(n)) is not None:
            conds = [(self.known(a), self.condition(a)) for a in args[:-1]]
            last = self.condition(args[-1])

            def first_known(cols: Columns) -> Any:
                out = last(cols)
                for known, cond in reversed(conds):
                    out = np.where(known(cols), cond(cols), out)
                return out

            return first_known
        if isinstance(n, ast.BoolOp):
            parts = [self.condition(v) for v in n.values]
            both = np.logical_and if isinstance(n.op, ast.And) else np.logical_or
            return lambda cols: both.reduce([p(cols) for p in parts])
        if isinstance(n, ast.Compare) and len(n.ops) == 1 and type(n.ops[0]) in _CMP:
            a, b = self.number(n.left), self.number(n.comparators[0])
            op = _CMP[type(n.ops[0])][1]
            return lambda cols: op(a(cols), b(cols))
        if isinstance(n, ast.Name) and self.kinds.get(n.id) == "boolean":
            name = n.id
            return lambda cols: cols[name] == 1.0
        if (isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not)
                and isinstance(n.operand, ast.Name)
                and self.kinds.get(n.operand.id) == "boolean"):
            name = n.operand.id
            return lambda cols: cols[name] == 0.0
        raise Unsupported(f"{ast.unparse(n)!r} is not encoded in bare numpy")

    def __call__(self, cols: Columns) -> tuple[npt.NDArray[np.int16], F64]:
        n = len(next(iter(cols.values())))
        stage = np.full(n, -1, dtype=np.int16)
        score = np.zeros(n)
        # In chunks, as kematangan does: about 1.4x faster than whole columns here.
        for a in range(0, n, CHUNK):
            env = {k: v[a:a + CHUNK] for k, v in cols.items()}
            for name, fn in self.derived:
                env[name] = fn(env)
            for pts in self.points:
                score[a:a + CHUNK] += pts(env)
            reached = np.ones(min(CHUNK, n - a), dtype=bool)
            for i, (gates, cumulative) in enumerate(self.stages):
                now = reached.copy() if cumulative else np.ones_like(reached)
                for gate in gates:
                    now &= gate(env)
                stage[a:a + CHUNK][now] = i
                reached = now
        return stage, score


# --- records --------------------------------------------------------------------

def _drawn(ruleset: Ruleset, n: int, missing: float, rng: np.random.Generator
           ) -> Columns:
    """``n`` candidate records: each starts from one of the ruleset's own test
    records (consistent by design, at every stage), numbers moved by up to 20%
    within their bounds and yes/no answers flipped one time in ten; a field the test
    record leaves out is drawn over the field's range, most often at its better end
    (its max or min, or true); date fields stay blank (see :data:`DATE_FUNCTIONS`)."""
    templates = [case.record for case in ruleset.tests] or [{}]
    pick = rng.integers(0, len(templates), n)
    cols: Columns = {}
    for f in ruleset.fields:
        if f.type == "date":
            cols[f.id] = np.full(n, np.nan)
            continue
        given = np.array([t.get(f.id) for t in templates], dtype=object)[pick]
        absent = np.array([v is None for v in given])
        if f.type == "boolean":
            p = {"higher": BETTER_END, "lower": 1 - BETTER_END}.get(f.better, 0.5)
            drawn = (rng.random(n) < p).astype(np.float64)
            kept = np.where(absent, 0.0, given).astype(np.float64)
            kept = np.where(rng.random(n) < 0.1, 1.0 - kept, kept)
            col = np.where(absent, drawn, kept)
        else:
            lo = f.min if f.min is not None else 0.0
            hi = f.max if f.max is not None else lo + 100.0
            drawn = (rng.integers(int(lo), int(hi) + 1, n).astype(np.float64)
                     if f.type == "integer" else rng.uniform(lo, hi, n))
            if f.better != "none":
                drawn[rng.random(n) < BETTER_END] = hi if f.better == "higher" else lo
            kept = np.where(absent, 0.0, given).astype(np.float64)
            kept = np.clip(kept * rng.uniform(0.8, 1.2, n), lo,
                           f.max if f.max is not None else np.inf)
            if f.type == "integer":
                kept = np.round(kept)
            col = np.where(absent, drawn, kept)
        if missing:
            col[rng.random(n) < missing] = np.nan
        cols[f.id] = col
    return cols


def columns(ruleset: Ruleset, n: int, missing: float, seed: int) -> Columns:
    """``n`` records as float columns (booleans 1.0/0.0, NaN for a missing value),
    drawn by :func:`_drawn` and kept only when kematangan finds no problem in them:
    the peers know nothing of consistency checks (a failed one sets its fields
    aside) or of unusable values, so records with either are drawn again."""
    rng = np.random.default_rng(seed)
    scorer = Scorer(ruleset)
    kept: list[Columns] = []
    have = 0
    while have < n:
        cand = _drawn(ruleset, 2 * (n - have) + 100, missing, rng)
        bad = {p.row for p in scorer.score_batch(cand).issues if p.row is not None}
        ok = np.ones(len(next(iter(cand.values()))), dtype=bool)
        ok[[r - 1 for r in bad]] = False  # rows are 1-based
        kept.append({k: v[ok] for k, v in cand.items()})
        have += int(ok.sum())
    return {f.id: np.concatenate([k[f.id] for k in kept])[:n] for f in ruleset.fields}


@dataclass(frozen=True)
class Records:
    """The same records as numpy columns, Python lists (None for missing) and
    dicts, as MIS systems and spreadsheets hand them over."""

    columns: Columns
    lists: dict[str, list[Any]]
    rows: list[dict[str, Any]]

    @classmethod
    def of(cls, ruleset: Ruleset, cols: Columns) -> Records:
        lists: dict[str, list[Any]] = {}
        for f in ruleset.fields:
            kind: Callable[[float], Any] = {"boolean": bool, "integer": int}.get(
                f.type, float)
            lists[f.id] = [None if v != v else kind(v) for v in cols[f.id].tolist()]
        rows = [dict(zip(lists, values, strict=True))
                for values in zip(*lists.values(), strict=True)]
        return cls(cols, lists, rows)


# --- agreement ------------------------------------------------------------------

def batch_verdicts(b: BatchResult, classes: bool = True) -> list[Verdict]:
    klass = b.class_.tolist() if classes else [None] * len(b)
    return list(zip(b.stage.tolist(), b.score.tolist(), klass, strict=True))


def assessment_verdicts(results: Sequence[Assessment]) -> list[Verdict]:
    return [(a.stage, a.score, a.class_) for a in results]


def zen_verdicts(responses: Sequence[Mapping[str, Any]]) -> list[Verdict]:
    return [(r["result"].get("stage"), float(r["result"]["score"]),
             r["result"].get("class")) for r in responses]


def agree(what: str, ruleset: Ruleset, record: Callable[[int], object],
          want: Sequence[Verdict], got: Sequence[Verdict]) -> None:
    """Exit with status 1 at the first record on which ``got`` differs."""
    for i, (w, g) in enumerate(zip(want, got, strict=True)):
        if w[0] != g[0] or w[2] != g[2] or abs(w[1] - g[1]) > 1e-9:
            print(f"\nDISAGREEMENT on {ruleset.id}, {what}, record {i}:\n"
                  f"  record: {record(i)}\n"
                  f"  kematangan (stage, score, class): {w}\n  {what}: {g}")
            sys.exit(1)


# --- the run ----------------------------------------------------------------------

def best_rates(runs: Mapping[str, tuple[int, Callable[[], object]]],
               rounds: int = 3) -> dict[str, float]:
    """Records/s of each run, best of ``rounds``; each round times every run once,
    so that load from other work on the machine falls on all of them alike."""
    best = dict.fromkeys(runs, math.inf)
    for _ in range(rounds):
        for name, (_, fn) in runs.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: runs[name][0] / t for name, t in best.items()}


Path = tuple[Callable[[Records], Any], Callable[[Any], list[Verdict]]]
"""How to score records (timed) and how to read stage, score and class (not)."""
ZEN = "zen-engine ZenEngine.evaluate"


def paths(ruleset: Ruleset) -> dict[str, Path]:
    """Every installed way to score records other than from numpy columns."""
    found: dict[str, Path] = {}
    try:
        import zen
    except ImportError:
        print("  zen-engine: not installed, skipped (pip install -e '.[bench]')")
    else:
        jdm = zen_decision(ruleset)
        # The engine with a loader caches the compiled decision; a decision made by
        # create_decision is much slower per call. Both are documented ways.
        engine = zen.ZenEngine({"loader": {"type": "static",
                                           "content": {ruleset.id: jdm}}})
        decision = engine.create_decision(json.dumps(jdm))
        found[ZEN] = (lambda r: [engine.evaluate(ruleset.id, x) for x in r.rows],
                      zen_verdicts)
        found["zen-engine ZenDecision.evaluate"] = (
            lambda r: [decision.evaluate(x) for x in r.rows], zen_verdicts)
    try:
        durable = Scorer(ruleset, engine="durable")
    except (EngineError, ImportError) as err:
        print(f"  skipped: {err}")
    else:
        found["durable Scorer(engine='durable').score"] = (
            lambda r: [durable.score(x) for x in r.rows], assessment_verdicts)
    scorer = Scorer(ruleset)
    found["kematangan score, per record"] = (
        lambda r: [scorer.score(x) for x in r.rows], assessment_verdicts)
    found["kematangan score_batch, list of dicts"] = (
        lambda r: scorer.score_batch(r.rows), batch_verdicts)
    found["kematangan score_batch, dict of Python lists"] = (
        lambda r: scorer.score_batch(r.lists), batch_verdicts)
    return found


def bench(ruleset: Ruleset, n: int, n_columnar: int) -> None:
    print(f"\n{ruleset.id} {ruleset.version}: {len(ruleset.fields)} fields, "
          f"{len(ruleset.derived)} derived, {len(ruleset.criteria)} criteria, "
          f"{len(ruleset.stages)} stages, {len(ruleset.classes)} classes")
    try:
        check_supported(ruleset)
        bare = BareNumpy(ruleset)
        zen_decision(ruleset)
    except Unsupported as why:
        print(f"  skipped: {why}")
        return
    scorer = Scorer(ruleset)
    ways = paths(ruleset)
    complete = Records.of(ruleset, columns(ruleset, n, 0.0, seed=1))
    gaps = Records.of(ruleset, columns(ruleset, n, MISSING_SHARE, seed=2))
    # Agreement first, with score_batch from numpy columns as the reference:
    # nothing that disagrees is timed.
    for label, recs in (("", complete), (", records with missing values", gaps)):
        want = batch_verdicts(scorer.score_batch(recs.columns))
        for name, (score, read) in ways.items():
            agree(name + label, ruleset, recs.rows.__getitem__, want,
                  read(score(recs)))
    big = columns(ruleset, n_columnar, 0.0, seed=3)
    stage_ids = [s.id for s in ruleset.stages]
    agree("bare numpy", ruleset, lambda i: {k: float(v[i]) for k, v in big.items()},
          batch_verdicts(scorer.score_batch(big), classes=False),
          [(stage_ids[i] if i >= 0 else None, p, None)
           for i, p in zip(*(a.tolist() for a in bare(big)), strict=True)])
    reached = Counter(stage for stage, _, _ in batch_verdicts(
        scorer.score_batch(complete.columns)))
    spread = ", ".join(f"{s} {reached[s] / n:.0%}" for s in [*stage_ids, None])
    print(f"  all agree on stage, score and class for {n:,} complete records"
          + (f" (stage {spread})" if ruleset.stages else "")
          + f" and {n:,} with {MISSING_SHARE:.0%} of values missing; bare numpy "
          f"agrees on stage and score for {n_columnar:,} complete records")
    runs: dict[str, tuple[int, Callable[[], object]]] = {
        name: (n, partial(score, complete)) for name, (score, _) in ways.items()}
    runs["kematangan score_batch, numpy columns"] = (n_columnar, partial(
        scorer.score_batch, big))
    runs["bare numpy, numpy columns"] = (n_columnar, partial(bare, big))
    report(best_rates(runs))


def report(rates: Mapping[str, float]) -> None:
    zen_rate, bare_rate = rates.get(ZEN), rates["bare numpy, numpy columns"]
    print(f"  {'records/s, best of 3':46} {'rate':>12}  {'x zen':>7}  {'x bare':>7}")
    for name, rate in rates.items():
        vs_zen = f"{rate / zen_rate:7.2f}" if zen_rate else f"{'-':>7}"
        print(f"  {name:46} {rate:12,.0f}  {vs_zen}  {rate / bare_rate:7.3f}")
    if zen_rate:
        print(f"  score per record / {ZEN} = "
              f"{rates['kematangan score, per record'] / zen_rate:.2f} "
              f"(target >= {TARGET_VS_ZEN:g})")
    print(f"  score_batch from columns / bare numpy = "
          f"{rates['kematangan score_batch, numpy columns'] / bare_rate:.2f} "
          f"(target >= {TARGET_VS_BARE:g}: the overhead of correctness)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="kematangan next to its peers")
    parser.add_argument("--records", type=int, default=20_000, help="scored one at "
                        "a time and from lists")
    parser.add_argument("--columnar", type=int, default=1_000_000, help="scored from "
                        "numpy columns by kematangan and bare numpy")
    parser.add_argument("--rulesets", nargs="+", default=list(RULESETS))
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}; "
          f"{args.records:,} records one at a time and from lists, "
          f"{args.columnar:,} from columns")
    for rid in args.rulesets:
        bench(load_ruleset(rid), args.records, args.columnar)


if __name__ == "__main__":
    main()
