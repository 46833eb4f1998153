"""The compiled record path: a plan turned into one straight-line Python function.

Scoring one record through closures (:mod:`~kematangan.scoring.engines.record`)
spends most of its time calling them and walking lists. Here the plan is written
out once as the source of a single function, each criterion a few lines of plain
arithmetic on local variables, and compiled with :func:`compile`; scoring a record
is then one call that allocates only its result.

It is the semantics module's rules written out, not new rules:
``tests/scoring/test_semantics_reference.py`` checks, on generated records of every
bundled ruleset and of a ruleset using every construct, that it gives exactly what
the record engine (the semantics executed) gives.

Safety: the generated source holds only numbers, slot indexes and names this
module chooses; no text from a ruleset (ids, labels, category names) is ever
written into it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from kematangan.criteria import expr as ex
from kematangan.scoring import calendar
from kematangan.scoring import semantics as sem
from kematangan.scoring.plan import AtLeastOf, CriterionStep, CritRef, Plan
from kematangan.scoring.result import RowResult

__all__ = ["compile_record_function", "record_function_source"]

RecordFunction = Callable[[Sequence[float]], RowResult]

_DATE_FUNCTIONS = {"days_between": "DAYS_BETWEEN", "months_between": "MONTHS_BETWEEN",
                   "years_between": "YEARS_BETWEEN"}
"""Date functions are called, not written out: calendar arithmetic is not a hot path."""


def _is_number(text: str) -> bool:
    """Whether a generated operand is a number literal (never missing)."""
    return text[:1].isdigit() or (text[:1] == "-" and text[1:2].isdigit()) or (
        text in ("INF", "-INF"))


def _missing_test(*operands: str) -> str:
    """A test true when any operand is missing (literals never are)."""
    return " or ".join(f"{x} != {x}" for x in operands if not _is_number(x))


def _kleene(parts: list[str], decided: str, whole: str) -> str:
    """Kleene AND (decided 0.0, whole 1.0) or OR (1.0, 0.0) of generated operands,
    folding literal operands."""
    if any(x == decided for x in parts):
        return decided
    parts = [x for x in parts if x != whole]
    if not parts:
        return whole
    anyone = " or ".join(f"{x} == {decided}" for x in parts)
    every = " and ".join(f"{x} == {whole}" for x in parts)
    return f"({decided} if {anyone} else ({whole} if {every} else NAN))"


def _num(x: float) -> str:
    if math.isnan(x):
        return "NAN"
    if math.isinf(x):
        return "INF" if x > 0 else "-INF"
    return repr(float(x))


class _Writer:
    """Writes the function body: one statement per line, fresh local names."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self.gated: dict[int, str] = {}
        """Criteria that may not apply: the name of their outcome as a gate."""
        self.slot = {name: i for i, name in enumerate(plan.value_ids)}
        self.crit = {c.id: c.index for c in plan.criteria}
        self._n = 0

    def tmp(self) -> str:
        self._n += 1
        return f"_{self._n}"

    def emit(self, line: str) -> None:
        self.lines.append("    " + line)

    def const(self, value: Any) -> str:
        name = f"K{len(self.consts)}"
        self.consts[name] = value
        return name

    def value(self, n: ex.Node) -> str:
        """Emit statements computing ``n``; return a local name or a literal."""
        if isinstance(n, ex.Num):
            return _num(n.value)
        if isinstance(n, ex.Name):
            return f"v{self.slot[n.id]}"
        if isinstance(n, CritRef):
            return f"t{self.crit[n.id]}"
        out = self.tmp()
        if isinstance(n, ex.Cmp):
            a, b = self.value(n.left), self.value(n.right)
            if "NAN" in (a, b):
                return "NAN"
            test = f"(1.0 if {a} {n.op} {b} else 0.0)"
            missing = _missing_test(a, b)
            self.emit(f"{out} = NAN if {missing} else {test}" if missing
                      else f"{out} = {test}")
        elif isinstance(n, ex.And | ex.Or):
            items = [self.value(i) for i in n.items]
            decided, whole = ("0.0", "1.0") if isinstance(n, ex.And) else ("1.0",
                                                                            "0.0")
            self.emit(f"{out} = {_kleene(items, decided, whole)}")
        elif isinstance(n, ex.Not):
            self.emit(f"{out} = 1.0 - {self.value(n.operand)}")
        elif isinstance(n, ex.Neg):
            self.emit(f"{out} = -{self.value(n.operand)}")
        elif isinstance(n, ex.Bin):
            a, b = self.value(n.left), self.value(n.right)
            if n.op == "/":
                self.emit(f"{out} = NAN if {b} == 0.0 or {b} != {b} else {a} / ({b})")
            else:
                self.emit(f"{out} = {a} {n.op} {b}")
        elif isinstance(n, ex.In):
            a = self.value(n.operand)
            opts = self.const(frozenset(o.value for o in n.options
                                        if isinstance(o, ex.Num)))
            hit, miss = ("0.0", "1.0") if n.negate else ("1.0", "0.0")
            missing = _missing_test(a)
            test = f"({hit} if {a} in {opts} else {miss})"
            self.emit(f"{out} = NAN if {missing} else {test}" if missing
                      else f"{out} = {test}")
        elif isinstance(n, AtLeastOf):
            refs = [f"t{self.crit[i]}" for i in n.ids]
            met = " + ".join(f"({r} == 1.0)" for r in refs)
            unknown = " + ".join(f"({r} != {r})" for r in refs)
            m, u = self.tmp(), self.tmp()
            self.emit(f"{m} = {met}")
            self.emit(f"{u} = {unknown}")
            self.emit(f"{out} = 1.0 if {m} >= {n.k} else (0.0 if {m} + {u} < {n.k} "
                      "else NAN)")
        elif isinstance(n, ex.Call):
            self._call(n, out)
        else:
            raise AssertionError(f"unhandled node {n!r}")
        return out

    def _call(self, n: ex.Call, out: str) -> None:
        args = [self.value(a) for a in n.args]
        if n.fn == "missing":
            self.emit(f"{out} = 1.0 if {args[0]} != {args[0]} else 0.0")
        elif n.fn == "known":
            self.emit(f"{out} = 0.0 if {args[0]} != {args[0]} else 1.0")
        elif n.fn == "coalesce":
            self.emit(f"{out} = {args[1]} if {args[0]} != {args[0]} else {args[0]}")
        elif n.fn == "abs":
            self.emit(f"{out} = abs({args[0]})")
        elif n.fn in _DATE_FUNCTIONS:
            self.emit(f"{out} = {_DATE_FUNCTIONS[n.fn]}({args[0]}, {args[1]})")
        elif n.fn in ("min", "max"):
            unknown = " or ".join(f"{a} != {a}" for a in args)
            self.emit(f"{out} = NAN if {unknown} else {n.fn}({', '.join(args)})")
        else:
            raise AssertionError(f"unhandled function {n.fn!r}")

    def criterion(self, c: CriterionStep) -> None:
        i, top = c.index, _num(c.max_points)
        t, p = f"t{i}", f"p{i}"
        if c.kind == "condition":
            assert c.node is not None
            self.emit(f"{t} = {self.value(c.node)}")
            self.emit(f"{p} = {top} if {t} == 1.0 else 0.0")
        else:
            assert c.value is not None
            x = self.value(c.value)
            self.emit(f"if {x} != {x}:")
            self.emit(f"    {t} = NAN; {p} = 0.0")
            if c.kind == "bands":
                # The last band holding the value counts: test from the last.
                for lo, hi, lo_in, hi_in, bp in reversed(c.bands):
                    test = (f"{x} {'>=' if lo_in else '>'} {_num(lo)} and "
                            f"{x} {'<=' if hi_in else '<'} {_num(hi)}")
                    self.emit(f"elif {test}:")
                    self.emit(f"    {p} = {_num(bp)}; {t} = "
                              f"{'1.0' if bp == c.max_points else '0.0'}")
                self.emit("else:")
                self.emit(f"    {p} = 0.0; "
                          f"{t} = {'1.0' if c.max_points == 0.0 else '0.0'}")
            else:
                self.emit("else:")
                self.emit(f"    {t} = 1.0 if {x} >= {_num(c.met_at)} else 0.0; "
                          f"{p} = {x} if {x} <= {top} else {top}")
        if c.missing != "unknown":
            met = c.missing == "met"
            self.emit(f"if {t} != {t}:")
            self.emit(f"    {t} = {'1.0' if met else '0.0'}; "
                      f"{p} = {top if met else '0.0'}")
        if c.applies is not None:
            a = self.value(c.applies)
            self.emit(f"if {a} != 1.0:")
            self.emit(f"    {t} = NOT_APPLICABLE if {a} == 0.0 else NAN; {p} = 0.0")
            self.gated[i] = f"g{i}"
            self.emit(f"g{i} = 1.0 if {t} == NOT_APPLICABLE else {t}")

    def gate(self, c: int) -> str:
        """A criterion's outcome as a requirement sees it (see semantics.as_gate)."""
        return self.gated.get(c, f"t{c}")

    def aggregate(self) -> None:
        plan = self.plan
        top = plan.max_points
        score = " + ".join(["0.0", *(f"p{c}" for c in plan.sum_order)])
        upper = " + ".join(["0.0", *(f"({_num(top[c])} if t{c} != t{c} else p{c})"
                                     for c in plan.sum_order)])
        self.emit(f"score = {score}")
        self.emit(f"upper = {upper}")
        if self.gated:
            row_max = " + ".join(["0.0", *(
                f"(0.0 if t{c} == NOT_APPLICABLE else {_num(top[c])})"
                if c in self.gated else _num(top[c]) for c in plan.sum_order)])
            self.emit(f"row_max = {row_max}")
            self.emit(f"if row_max == {_num(plan.max_score)}: "
                      "cscore, cupper = score, upper")
            self.emit(f"elif row_max > 0.0: cscore, cupper = score * "
                      f"{_num(plan.max_score)} / row_max, upper * "
                      f"{_num(plan.max_score)} / row_max")
            self.emit("else: cscore = cupper = NAN")
        else:
            self.emit(f"row_max = {_num(plan.max_score)}")
            self.emit("cscore, cupper = score, upper")
        self.emit("stage = stage_up = -1")
        prev = "1.0"
        for s in range(len(plan.stage_ids)):
            parts = [self.gate(c) for c in plan.stage_gates[s]]
            need = plan.stage_min_points[s]
            if need is not None:
                members = plan.stage_sum_order[s]
                own = " + ".join(["0.0", *(f"p{c}" for c in members)])
                own_up = " + ".join(["0.0", *(f"({_num(top[c])} if t{c} != t{c} "
                                              f"else p{c})" for c in members)])
                o, ou, m = self.tmp(), self.tmp(), self.tmp()
                self.emit(f"{o} = {own}")
                self.emit(f"{ou} = {own_up}")
                self.emit(f"{m} = 1.0 if {o} >= {_num(need)} else (0.0 if {ou} < "
                          f"{_num(need)} else NAN)")
                parts.append(m)
            if plan.stage_cumulative[s]:
                parts.append(prev)
            r = f"r{s}"
            self.emit(f"{r} = {_kleene(parts, '0.0', '1.0')}")
            self.emit(f"if {r} == 1.0: stage = {s}")
            self.emit(f"if {r} != 0.0: stage_up = {s}")
            prev = r
        n = len(plan.criteria)
        self.emit("pts = [" + ", ".join(f"p{i}" for i in range(n)) + "]")
        self.klass("klass", "cscore", definite=True)
        self.klass("klass_up", "cupper", definite=False)
        if plan.exit_stage >= 0:
            parts = [f"r{plan.exit_stage}", *(self.gate(c)
                                              for c in plan.exit_requires)]
            e = self.tmp()
            self.emit(f"{e} = {_kleene(parts, '0.0', '1.0')}")
            self.emit(f"exit_ready = -1 if {e} != {e} else int({e})")
        else:
            self.emit("exit_ready = -1")
        self.emit("outcomes = [" + ", ".join(
            f"(1 if t{i} == 1.0 else (0 if t{i} == 0.0 else -1))" if i not in self.gated
            else f"(1 if t{i} == 1.0 else (0 if t{i} == 0.0 else (2 if t{i} == 2.0 "
            "else -1)))" for i in range(n)) + "]")
        self.emit("return RowResult(outcomes, pts, score, upper, stage, stage_up, "
                  "klass, klass_up, exit_ready, v, row_max)")


    def klass(self, name: str, score: str, *, definite: bool) -> None:
        """The class of ``score``, as :func:`~kematangan.scoring.semantics.class_index`
        decides it: the highest class whose interval holds the score, stepping down
        while its required criteria are not met (definite) or known to fail."""
        plan = self.plan
        self.emit(f"{name} = -1")
        for k, (lo, hi, lo_in, hi_in) in enumerate(plan.class_bounds):
            self.emit(f"if {score} {'>=' if lo_in else '>'} {_num(lo)} and "
                      f"{score} {'<=' if hi_in else '<'} {_num(hi)}: {name} = {k}")
        for k in range(len(plan.class_ids) - 1, -1, -1):
            req = plan.class_requires[k]
            if not req:
                continue
            ok = " and ".join(f"{self.gate(c)} == 1.0" if definite
                              else f"t{c} != 0.0" for c in req)
            self.emit(f"if {name} == {k} and not ({ok}): {name} = {k - 1}")


def record_function_source(plan: Plan) -> tuple[str, dict[str, Any]]:
    """The generated source of a plan's record function and the constants it
    names (for reading and debugging; :func:`compile_record_function` runs it)."""
    w = _Writer(plan)
    n_fields = len(plan.fields)
    if n_fields:
        names = ", ".join(f"v{i}" for i in range(n_fields))
        w.emit(f"{names}{',' if n_fields == 1 else ''} = values")
    for d in plan.derived:
        x = w.value(d.node)
        w.emit(f"v{d.index} = {x} if {x} - {x} == 0.0 else NAN")
    n_values = len(plan.value_ids)
    w.emit("v = [" + ", ".join(f"v{i}" for i in range(n_values)) + "]")
    for ci in plan.order:
        w.criterion(plan.criteria[ci])
    w.aggregate()
    source = "def run(values):\n" + "\n".join(w.lines) + "\n"
    return source, w.consts


def compile_record_function(plan: Plan) -> RecordFunction:
    """Compile ``plan`` into one function from encoded field values to a
    :class:`~kematangan.scoring.result.RowResult`.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> plan = compile_plan(load_ruleset("ppmk-ksm"))
    >>> run = compile_record_function(plan)
    >>> row = run([float("nan")] * len(plan.fields))
    >>> row.stage, row.stage_upper, row.score_upper
    (-1, 3, 100.0)
    """
    source, consts = record_function_source(plan)
    namespace: dict[str, Any] = {
        "NAN": math.nan, "INF": math.inf, "RowResult": RowResult, **consts,
        "NOT_APPLICABLE": sem.NOT_APPLICABLE,
        "DAYS_BETWEEN": calendar.days_between,
        "MONTHS_BETWEEN": calendar.months_between,
        "YEARS_BETWEEN": calendar.years_between,
    }
    code = compile(source, f"<kematangan plan {plan.ruleset_id} {plan.version}>",
                   "exec")
    exec(code, namespace)  # the source holds only numbers and generated names
    fn: RecordFunction = namespace["run"]
    return fn
