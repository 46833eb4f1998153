"""Find the smallest change of actionable fields that makes one criterion met.

The search works on the plan's encoded values (floats, NaN for missing; booleans
1/0, categories as indexes) and judges candidates with the per-record engine, so a
probe costs microseconds. :mod:`kematangan.explain.steps` combines criteria and
verifies the whole result with :meth:`Scorer.score`.

Single-field conditions (threshold, range, boolean, in_set, bands, score) are solved
directly: the nearest value that meets them. Expressions and thresholds on derived
values try candidate values of the fields they read (the expression's constants, one
step either side, the field's bounds), one field first, then pairs, then triples;
the winner is then moved back towards the current values as far as it stays met.
``all_of``/``any_of``/``at_least`` solve the criteria they combine, cheapest first.

Every proposed value respects the field's bounds, whole numbers for integer fields,
and its ``better`` direction; only ``actionable`` fields change. A value that is
missing is never invented, unless the criterion gives missing data a meaning
(``missing: not_met``); otherwise the answer is "record it first".
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kematangan.criteria import expr as ex
from kematangan.criteria.ruleset import Criterion, FieldSpec
from kematangan.explain.facts import Context
from kematangan.explain.types import BlockerKind
from kematangan.scoring import CriterionStep, RowResult

__all__ = ["Changes", "Check", "Failure", "Solver", "apply_changes"]

NAN = math.nan
Changes = dict[int, float]
"""Field slot index → new encoded value."""

Check = Callable[[Sequence[float]], bool]
"""Whether encoded field values are good enough (a criterion met, a target reached)."""

_MAX_PROBES = 4000
_MAX_FIELDS = 3
_CANDIDATES = 10


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a criterion cannot be met by actionable changes. For ``record_first``,
    ``alternatives`` are the smallest sets of blank fields any one of which, once
    recorded, lets the criterion be judged (a review date with the assessment
    date, or the months since the review)."""

    kind: BlockerKind
    criterion: str
    fields: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...] = ()


def _isnan(x: float) -> bool:
    return x != x


class Solver:
    """Solves single criteria for one ruleset (see the module docstring).

    Examples
    --------
    >>> from kematangan.explain.facts import context
    >>> ctx = context("ppmk-ksm")
    >>> solver = Solver(ctx)
    >>> vals, _ = ctx.scorer.encode({"members": 3})
    >>> solver.solve("enough_members", vals)
    {1: 5.0}
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.plan = ctx.scorer.plan
        self.evaluate = ctx.scorer.evaluate
        self.slot = {f.id: f.index for f in self.plan.fields}
        self.specs: list[FieldSpec] = [ctx.fields[f.id] for f in self.plan.fields]
        self.probes = 0
        derived = {d.id: d.node for d in self.plan.derived}
        self.consts: dict[str, tuple[float, ...]] = {}
        for step in self.plan.criteria:
            found: set[float] = set()
            _constants(step, derived, found)
            self.consts[step.id] = tuple(sorted(found))
        self.day = next((self.slot[f.id] for f in ctx.ruleset.fields
                         if f.role == "assessment_date"), None)
        """The slot of the assessment date, the date an event held now gets."""
        self.blank_means: dict[str, frozenset[str]] = {
            c.id: _tested_for_blank(ex.parse(c.expr)) if c.expr else frozenset()
            for c in ctx.ruleset.criteria}
        """Fields whose blank a criterion's expression gives a meaning (``known``,
        ``missing``): a value for them may be proposed even when blank."""

    # -- probing ---------------------------------------------------------------

    def run(self, vals: Sequence[float]) -> RowResult:
        """Score encoded field values."""
        self.probes += 1
        return self.evaluate(vals)

    def outcome(self, vals: Sequence[float], cid: str) -> int:
        """One criterion's outcome (1, 0, -1) for encoded field values."""
        return self.run(vals).outcomes[self.ctx.index[cid]]

    def cost(self, vals: Sequence[float], changes: Changes) -> tuple[int, float]:
        """(number of fields changed, sum of normalised distances)."""
        return len(changes), sum(self.distance(i, vals[i], v)
                                 for i, v in changes.items())

    def distance(self, i: int, old: float, new: float) -> float:
        """How far a change goes, as a share of the field's range."""
        spec = self.specs[i]
        if _isnan(old):
            return 1.0
        if spec.type == "boolean":
            return 1.0
        if spec.type == "category":
            return abs(new - old) / max(1, len(spec.categories or ()) - 1)
        if spec.min is not None and spec.max is not None and spec.max > spec.min:
            span = spec.max - spec.min
        else:
            span = max(1.0, abs(old), abs(new))
        return abs(new - old) / span

    # -- rules for a proposed value ----------------------------------------------

    def allowed(self, i: int, old: float, new: float, *, relax: bool = False
                ) -> BlockerKind | None:
        """Why changing slot ``i`` from ``old`` to ``new`` is not allowed, if so."""
        spec = self.specs[i]
        if not spec.actionable and not relax:
            return "not_actionable"
        if (spec.min is not None and new < spec.min) or (
                spec.max is not None and new > spec.max):
            return "out_of_bounds"
        if spec.type == "integer" and not float(new).is_integer():
            return "out_of_bounds"
        if spec.type == "category" and not (
                0 <= new < len(spec.categories or ()) and float(new).is_integer()):
            return "out_of_bounds"
        if not relax and not _isnan(old) and (
                (spec.better == "higher" and new < old)
                or (spec.better == "lower" and new > old)):
            return "against_direction"
        return None

    def resolution(self, cid: str | None, i: int) -> float:
        """The step between candidate values of slot ``i``: 1 for whole numbers,
        else the finest decimal among the constants of criterion ``cid`` (of every
        criterion reading the field when ``cid`` is None)."""
        if self.specs[i].type != "number":
            return 1.0
        field_id = self.plan.fields[i].id
        cids = [cid] if cid is not None else [
            c for c, reads in self.ctx.reads.items() if field_id in reads]
        decimals = 0
        for c in cids:
            for v in self.consts[c]:
                text = f"{v:.10f}".rstrip("0")
                decimals = max(decimals, len(text.split(".")[1]) if "." in text
                               else 0)
        return 10.0 ** -min(decimals, 6)

    # -- solving -------------------------------------------------------------------

    def solve(self, cid: str, vals: Sequence[float]) -> Changes | Failure:
        """The smallest change making ``cid`` met, or why there is none."""
        now = self.outcome(vals, cid)
        if now == 1:
            return {}
        c = self.ctx.criteria[cid]
        if cid in self.ctx.subs:
            return self._combined(c, vals)
        reads = sorted(self.ctx.reads[cid])
        if c.missing == "unknown" and now == -1:
            blank = [f for f in reads if _isnan(vals[self.slot[f]])]
            if blank:
                return self.record_first(cid, vals, blank)
        direct = self._direct(c, vals)
        if isinstance(direct, Failure):
            return direct
        if direct is not None and self._met_with(vals, direct, cid):
            return direct
        found = self._search(cid, vals)
        if found is not None:
            return found
        return self._why_not(cid, vals)

    def top_up(self, cid: str, vals: Sequence[float]) -> Changes:
        """For a met ``score`` criterion below its maximum: the change to its
        maximum, if allowed (empty otherwise). Other kinds give full points when
        met."""
        c = self.ctx.criteria[cid]
        if c.score is None or c.score.field not in self.slot:
            return {}
        i = self.slot[c.score.field]
        top = self.specs[i].max
        if top is None or vals[i] >= top or self.allowed(i, vals[i], top):
            return {}
        return {i: float(top)}

    def _met_with(self, vals: Sequence[float], changes: Changes, cid: str) -> bool:
        return self.outcome(apply_changes(vals, changes), cid) == 1

    def _direct(self, c: Criterion, vals: Sequence[float]) -> Changes | Failure | None:
        f = c.field_ref
        if f is None or f not in self.slot:
            return None
        i = self.slot[f]
        spec, old = self.specs[i], vals[i]
        res = self.resolution(c.id, i)
        is_int = spec.type in ("integer", "category", "boolean")
        options: list[float] = []
        if c.threshold is not None:
            t = c.threshold
            options = _threshold_values(t.op, t.value, is_int, res, old, spec.better)
        elif c.range is not None:
            iv = c.range.interval
            options = _into(iv.low, iv.high, iv.low_inclusive, iv.high_inclusive, old,
                            is_int, res, spec.better)
        elif c.boolean is not None:
            options = [1.0 if c.boolean.value else 0.0]
        elif c.in_set is not None:
            cats = tuple(spec.categories or ())
            options = [float(cats.index(v)) if isinstance(v, str) else float(v)
                       for v in c.in_set.values]
        elif c.bands is not None:
            top = max(b.points for b in c.bands.bands)
            for b in c.bands.bands:
                if b.points == top:
                    iv = b.interval
                    options += _into(iv.low, iv.high, iv.low_inclusive,
                                     iv.high_inclusive, old, is_int, res, spec.better)
        elif c.score is not None:
            step = self.plan.criteria[self.ctx.index[c.id]]
            options = [math.ceil(step.met_at) if is_int else step.met_at]
        if not options:
            return None
        options.sort(key=lambda v: abs(v - old) if not _isnan(old) else 0.0)
        why: BlockerKind | None = None
        for v in options:
            why = self.allowed(i, old, float(v))
            if why is None:
                return {i: float(v)}
        assert why is not None
        return Failure(why, c.id, (f,))

    def _combined(self, c: Criterion, vals: Sequence[float]) -> Changes | Failure:
        subs = self.ctx.subs[c.id]
        current = list(vals)
        changes: Changes = {}
        failures: list[Failure] = []
        if c.all_of is not None:
            for s in subs:
                r = self.solve(s, current)
                if isinstance(r, Failure):
                    return r
                changes.update(r)
                current = apply_changes(current, r)
        else:
            # any_of / at_least: meet the cheapest parts until enough are met.
            options: list[tuple[tuple[int, float], str]] = []
            for s in subs:
                r = self.solve(s, vals)
                if isinstance(r, Failure):
                    failures.append(r)
                elif r:
                    options.append((self.cost(vals, r), s))
            for _, s in sorted(options):
                if self.outcome(current, c.id) == 1:
                    break
                r = self.solve(s, current)
                if not isinstance(r, Failure):
                    changes.update(r)
                    current = apply_changes(current, r)
        if self.outcome(current, c.id) != 1:
            failures.sort(key=lambda f: f.kind != "record_first")
            return failures[0] if failures else Failure(
                "no_solution", c.id, tuple(sorted(self.ctx.reads[c.id])))
        return {i: v for i, v in changes.items() if v != vals[i]}

    def record_first(self, cid: str, vals: Sequence[float], blank: Sequence[str]
                     ) -> Failure:
        """The blank fields to record before ``cid`` can be judged: the smallest
        sets that settle it whatever values they get (tried with each field's
        lowest and highest value), or all of ``blank`` when no set of up to three
        fields does."""
        found: list[tuple[str, ...]] = []
        for size in range(1, min(3, len(blank)) + 1):
            for combo in itertools.combinations(blank, size):
                slots = [self.slot[f] for f in combo]
                tries = itertools.product(*(self._extremes(i, vals) for i in slots))
                if all(self.outcome(apply_changes(vals, dict(zip(slots, t,
                                                                  strict=True))),
                                    cid) != -1 for t in tries):
                    found.append(combo)
            if found:
                break
        alternatives = tuple(found) or (tuple(blank),)
        fields = tuple(sorted({f for alt in alternatives for f in alt}))
        return Failure("record_first", cid, fields, alternatives)

    def _extremes(self, i: int, vals: Sequence[float]) -> tuple[float, float]:
        """Two valid values far apart for slot ``i``, only to see whether recording
        it settles a criterion."""
        spec = self.specs[i]
        if spec.type == "date":
            day = vals[self.day] if self.day is not None else NAN
            day = 0.0 if _isnan(day) else day
            return day, day - 4000.0
        if spec.type == "boolean":
            return 0.0, 1.0
        if spec.type == "category":
            return 0.0, float(max(0, len(spec.categories or ()) - 1))
        low = float(spec.min) if spec.min is not None else 0.0
        return low, float(spec.max) if spec.max is not None else low + 1.0

    def _search(self, cid: str, vals: Sequence[float], *, relax: bool = False
                ) -> Changes | None:
        c = self.ctx.criteria[cid]
        slots = [self.slot[f] for f in sorted(self.ctx.reads[cid])
                 if (relax or self.specs[self.slot[f]].actionable)
                 and (not _isnan(vals[self.slot[f]]) or c.missing != "unknown"
                      or f in self.blank_means[cid])]
        day = vals[self.day] if self.day is not None else NAN
        cands = {i: self.candidates(cid, i, vals[i], relax=relax, day=day)
                 for i in slots}
        slots = [i for i in slots if cands[i]]
        budget = self.probes + _MAX_PROBES
        for size in range(1, min(_MAX_FIELDS, len(slots)) + 1):
            best: tuple[tuple[int, float], Changes] | None = None
            for combo in itertools.combinations(slots, size):
                for values in itertools.product(*(cands[i] for i in combo)):
                    if self.probes > budget:
                        break
                    changes = dict(zip(combo, values, strict=True))
                    if self._met_with(vals, changes, cid):
                        key = self.cost(vals, changes)
                        if best is None or key < best[0]:
                            best = (key, changes)
            if best is not None:
                return self._refine(cid, vals, best[1])
        return None

    def candidates(self, cid: str, i: int, old: float, *, relax: bool = False,
                   day: float = NAN) -> list[float]:
        """Values worth trying for slot ``i``, nearest to ``old`` first. A date
        the group can change is an event it can hold again (a plan review): on the
        assessment date ``day``, never another invented date."""
        spec = self.specs[i]
        if spec.type == "date":
            raw = [] if _isnan(day) else [day]
        elif spec.type == "boolean":
            raw = [0.0, 1.0]
        elif spec.type == "category":
            raw = [float(k) for k in range(len(spec.categories or ()))]
        else:
            res = self.resolution(cid, i)
            raw = []
            for v in self.consts[cid]:
                raw += [v - res, v, v + res]
            if not _isnan(old):
                raw += [old - res, old + res]
            raw += [b for b in (spec.min, spec.max) if b is not None]
            if spec.type != "number":
                raw = [float(f(v)) for v in raw for f in (math.floor, math.ceil)]
        keep = sorted({v for v in raw if v != old
                       and self.allowed(i, old, v, relax=relax) is None},
                      key=lambda v: abs(v - old) if not _isnan(old) else abs(v))
        bounds = [v for v in keep if v in (spec.min, spec.max)]
        head = keep[:_CANDIDATES]
        return head + [b for b in bounds if b not in head]

    def _refine(self, cid: str, vals: Sequence[float], changes: Changes) -> Changes:
        """Move each change back towards the current value while ``cid`` stays met;
        try every order of the fields and keep the cheapest result."""
        def met(v: Sequence[float]) -> bool:
            return self.outcome(v, cid) == 1

        best = changes
        for order in itertools.permutations(sorted(changes)):
            trial = dict(changes)
            for i in order:
                if i in trial:
                    trial = self.shrink(trial, vals, i, met,
                                        self.resolution(cid, i))
            if self.cost(vals, trial) < self.cost(vals, best):
                best = trial
        return best

    def shrink(self, changes: Changes, vals: Sequence[float], i: int, ok: Check,
               res: float = 1.0) -> Changes:
        """Move slot ``i``'s change as close to ``vals[i]`` as ``ok`` allows, on a
        grid of step ``res`` for decimal fields; drop it if it is not needed."""
        old, new = vals[i], changes[i]
        rest = {j: v for j, v in changes.items() if j != i}
        base = apply_changes(vals, rest)
        if ok(base):
            return rest
        spec = self.specs[i]
        if _isnan(old) or spec.type in ("boolean", "date"):
            return changes
        if spec.type == "number":
            lo, hi = old, new
            for _ in range(60):
                mid = (lo + hi) / 2
                if ok(apply_changes(base, {i: mid})):
                    hi = mid
                else:
                    lo = mid
                if abs(hi - lo) < 1e-9:
                    break
            # Snap the boundary found to the grid: the nearest grid value, or the
            # next one towards the proposed value.
            near = round(round(hi / res) * res, 8)
            ahead = round(near + math.copysign(res, new - old), 8)
            for v in (near, ahead):
                beyond = (v - new) * (new - old) > 0
                if not beyond and ok(apply_changes(base, {i: v})):
                    return {**rest, i: v}
            return changes
        lo_i, hi_i = int(old), int(new)
        while abs(hi_i - lo_i) > 1:
            mid = (lo_i + hi_i) // 2
            if ok(apply_changes(base, {i: float(mid)})):
                hi_i = mid
            else:
                lo_i = mid
        return {**rest, i: float(hi_i)}

    def _why_not(self, cid: str, vals: Sequence[float]) -> Failure:
        reads = sorted(self.ctx.reads[cid])
        blank = [f for f in reads if _isnan(vals[self.slot[f]])]
        # A blank is the reason only while the outcome is unknown: a value that is
        # not met with blanks (the other way of giving a date, say) is not.
        if (blank and self.ctx.criteria[cid].missing == "unknown"
                and self.outcome(vals, cid) == -1):
            return self.record_first(cid, vals, blank)
        relaxed = self._search(cid, vals, relax=True)
        if relaxed:
            fixed = [self.plan.fields[i].id for i in sorted(relaxed)]
            stuck = [f for f in fixed if not self.ctx.fields[f].actionable]
            if stuck:
                return Failure("not_actionable", cid, tuple(stuck))
            return Failure("against_direction", cid, tuple(fixed))
        return Failure("no_solution", cid, tuple(reads))


def apply_changes(vals: Sequence[float], changes: Changes) -> list[float]:
    """A copy of encoded field values with ``changes`` applied."""
    out = list(vals)
    for i, v in changes.items():
        out[i] = v
    return out


def _tested_for_blank(node: ex.Node) -> frozenset[str]:
    """The names an expression passes to ``known`` or ``missing``."""
    found: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, ex.Call) and n.fn in ("known", "missing") and isinstance(
                n.args[0], ex.Name):
            found.add(n.args[0].id)
        for part in dataclasses.fields(n):
            value = getattr(n, part.name)
            stack += [v for v in (value if isinstance(value, tuple) else (value,))
                      if isinstance(v, ex.Node)]
    return frozenset(found)


def _constants(step: CriterionStep, derived: dict[str, ex.Node], out: set[float]
               ) -> None:
    def walk(n: ex.Node, seen: frozenset[str]) -> None:
        if isinstance(n, ex.Num):
            out.add(n.value)
        elif isinstance(n, ex.Name):
            if n.id in derived and n.id not in seen:
                walk(derived[n.id], seen | {n.id})
        elif isinstance(n, ex.Neg | ex.Not):
            walk(n.operand, seen)
        elif isinstance(n, ex.Bin | ex.Cmp):
            walk(n.left, seen)
            walk(n.right, seen)
        elif isinstance(n, ex.And | ex.Or):
            for item in n.items:
                walk(item, seen)
        elif isinstance(n, ex.In):
            walk(n.operand, seen)
            for o in n.options:
                walk(o, seen)
        elif isinstance(n, ex.Call):
            for a in n.args:
                walk(a, seen)

    for node in (step.node, step.value):
        if node is not None:
            walk(node, frozenset())
    for lo, hi, _, _, _ in step.bands:
        out.update(v for v in (lo, hi) if math.isfinite(v))
    if math.isfinite(step.met_at):
        out.add(step.met_at)


def _threshold_values(op: str, v: float, is_int: bool, res: float, old: float,
                      better: str) -> list[float]:
    if op == ">=":
        return [float(math.ceil(v)) if is_int else v]
    if op == ">":
        return [float(math.floor(v) + 1) if is_int else v + res]
    if op == "<=":
        return [float(math.floor(v)) if is_int else v]
    if op == "<":
        return [float(math.ceil(v) - 1) if is_int else v - res]
    if op == "==":
        return [v] if not is_int or float(v).is_integer() else []
    up, down = v + res, v - res
    if is_int:
        up, down = float(math.floor(v) + 1), float(math.ceil(v) - 1)
    return [down, up] if better == "lower" else [up, down]


def _into(lo: float, hi: float, lo_in: bool, hi_in: bool, old: float, is_int: bool,
          res: float, better: str) -> list[float]:
    """The nearest value(s) inside an interval, from ``old`` (or, if ``old`` is
    missing, its least demanding end)."""
    if is_int:
        low = lo if math.isinf(lo) else float(
            math.ceil(lo) if lo_in else math.floor(lo) + 1)
        high = hi if math.isinf(hi) else float(
            math.floor(hi) if hi_in else math.ceil(hi) - 1)
    else:
        low = lo if lo_in else lo + res
        high = hi if hi_in else hi - res
    ends = [e for e in (low, high) if math.isfinite(e) and low <= e <= high]
    if not ends:
        return [0.0] if low <= 0.0 <= high else []
    if _isnan(old):
        return ends if better != "lower" else ends[::-1]
    if old < low:
        return [low] if math.isfinite(low) else []
    if old > high:
        return [high] if math.isfinite(high) else []
    return ends
