"""Roll scored member groups up to a parent column: counts, shares and sums per
parent, each with its certain value and its upper bound.

Grouping is one ``np.unique`` over the parent column and every aggregate one
``np.bincount``, so the cost does not grow with a Python loop per group. Missing
data is never hidden: a member whose data leaves it open (its stage could be
growth or strengthening) counts in an aggregate's upper bound, not in its certain
value, and the two are reported side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria.members import Aggregate, MemberNames, parse_aggregate
from kematangan.io.values import parse_group_ids
from kematangan.problems import Problem
from kematangan.scoring import BatchResult, Plan

__all__ = ["RollUp", "default_aggregates", "member_names", "roll_up"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
_NONE = np.array(None, dtype=object)


@dataclass(frozen=True, eq=False)
class RollUp:
    """Member groups' results grouped by parent (see :func:`roll_up`).

    ``parent_ids`` lists the parents sorted by id; when some
    members have no parent id, the last entry is ``None`` and holds them (it is
    reported, never dropped, and is not a parent). ``codes`` gives each member's
    parent position, ``members`` each parent's number of members.
    """

    batch: BatchResult
    column: str
    parent_ids: npt.NDArray[np.object_]
    codes: I64
    members: I64
    issues: tuple[Problem, ...]
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return int(self.parent_ids.shape[0])

    def parse(self, aggregate: str | Aggregate) -> Aggregate:
        """``aggregate`` checked against the members' ruleset.

        Raises
        ------
        RulesetError
            When the name is malformed or names what the ruleset does not have
            (with the closest name it has).
        """
        text = aggregate.name if isinstance(aggregate, Aggregate) else aggregate
        found: Aggregate | None = self._memo.get(("parsed", text))
        if found is None:
            found = self._memo[("parsed", text)] = parse_aggregate(
                text, member_names(self.batch.plan))
        return found

    @property
    def blank(self) -> int:
        """How many members have no parent id."""
        return int(self.members[-1]) if len(self) and self.parent_ids[-1] is None \
            else 0

    def membership(self, aggregate: str | Aggregate) -> npt.NDArray[np.int8]:
        """Per member: 1 when ``count``/``share`` ``aggregate`` counts it, 0 when it
        does not, -1 when missing data leaves it open.

        Examples
        --------
        >>> from kematangan import Scorer
        >>> batch = Scorer("ppmk-ksm").score_batch([{"members": 3}, {"members": 9}])
        >>> up = roll_up(batch, ["BKM-1", "BKM-1"])
        >>> up.membership("count.met.enough_members").tolist()
        [0, 1]
        """
        agg = self.parse(aggregate)
        if agg.measure not in ("count", "share"):
            raise ValueError(f"{agg.name} does not select members")
        return _membership(self.batch, agg)

    def bounds(self, aggregate: str | Aggregate) -> tuple[F64, F64]:
        """Per parent: the certain value and the upper bound of ``aggregate``
        (NaN for a share of no members).

        Examples
        --------
        >>> from kematangan import Scorer
        >>> batch = Scorer("ppmk-ksm").score_batch(
        ...     [{"members": 3}, {"members": 9}, {"members": None}])
        >>> low, high = roll_up(batch, ["A", "A", "A"]).bounds(
        ...     "count.met.enough_members")
        >>> low.tolist(), high.tolist()
        ([1.0], [2.0])
        """
        agg = self.parse(aggregate)
        key = agg.name
        found: tuple[F64, F64] | None = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._bounds(agg)
        return found

    def value(self, aggregate: str | Aggregate) -> F64:
        """Per parent: the aggregate when member data settles it, else NaN."""
        low, high = self.bounds(aggregate)
        out: F64 = np.where(low == high, low, np.nan)
        return out

    def _count(self, weights: npt.NDArray[Any]) -> F64:
        out: F64 = np.bincount(self.codes, weights=weights.astype(np.float64),
                               minlength=len(self)).astype(np.float64)
        return out

    def _bounds(self, agg: Aggregate) -> tuple[F64, F64]:
        if agg.measure == "members":
            n = self.members.astype(np.float64)
            return n, n
        if agg.measure == "sum":
            return self._sum(agg)
        m = _membership(self.batch, agg)
        low, high = self._count(m == 1), self._count(m != 0)
        if agg.measure == "share":
            with np.errstate(invalid="ignore", divide="ignore"):
                n = np.where(self.members > 0, self.members, np.nan)
                return low / n, high / n
        return low, high

    def _sum(self, agg: Aggregate) -> tuple[F64, F64]:
        plan = self.batch.plan
        assert agg.ref is not None
        values = self.batch.raw.columns[plan.value_index(agg.ref)]
        known = ~np.isnan(values)
        total = self._count(np.where(known, values, 0.0))
        open_ = self._count(~known)
        lo, hi = _value_bounds(self.batch, agg.ref)
        with np.errstate(invalid="ignore"):
            low = total + np.where(open_ > 0, open_ * lo, 0.0)
            high = total + np.where(open_ > 0, open_ * hi, 0.0)
        return low, high

    def member_lists(self, mask: npt.NDArray[np.bool_] | None = None
                     ) -> list[list[str]]:
        """Per parent: its members' names (group id, or ``row N`` without one), in
        input order; only the members where ``mask`` is true when it is given."""
        names = self._names()
        codes = self.codes if mask is None else self.codes[mask]
        chosen = names if mask is None else names[mask]
        order = np.argsort(codes, kind="stable")
        ends = np.cumsum(np.bincount(codes, minlength=len(self))).tolist()
        flat = chosen[order].tolist()
        return [flat[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]

    def _names(self) -> npt.NDArray[np.object_]:
        found: npt.NDArray[np.object_] | None = self._memo.get("names")
        if found is None:
            b = self.batch
            ids = b.group_ids if b.group_ids is not None else np.full(
                len(b), None, dtype=object)
            rows = np.char.add("row ", b.row_numbers.astype(str)).astype(object)
            found = self._memo["names"] = np.where(
                np.equal(ids, _NONE), rows, ids).astype(object)
        return found

    def columns(self, aggregates: Iterable[str] = (), *, member_list: bool = True
                ) -> dict[str, npt.NDArray[Any]]:
        """The parents table: parent id (named as the parent column), ``members``,
        ``member_groups``, then each of :func:`default_aggregates` and
        ``aggregates`` as two columns: ``NAME`` (certain) and ``NAME.upper``.

        Examples
        --------
        >>> from kematangan import Scorer
        >>> batch = Scorer("ppmk-ksm").score_batch([{"members": 3}, {"members": 9}])
        >>> cols = roll_up(batch, ["A", "B"], column="bkm").columns()
        >>> list(cols)[:4], cols["count.no_stage"].tolist()
        (['bkm', 'members', 'member_groups', 'count.stage.growth'], [1, 0])
        """
        cols: dict[str, npt.NDArray[Any]] = {
            self.column: self.parent_ids, "members": self.members}
        if member_list:
            cols["member_groups"] = np.array(
                [", ".join(m) for m in self.member_lists()], dtype=object)
        names = [*default_aggregates(self.batch), *aggregates]
        for name in dict.fromkeys(n for n in names if n != "members"):
            low, high = self.bounds(name)
            integral = self.parse(name).measure == "count"
            cols[name] = low.astype(np.int64) if integral else low
            cols[f"{name}.upper"] = high.astype(np.int64) if integral else high
        return cols


def default_aggregates(batch: BatchResult) -> list[str]:
    """The aggregates every roll-up reports for members scored with ``batch``'s
    ruleset: counts and shares per stage and class (and of no stage or class),
    and of exit-ready members.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> names = default_aggregates(Scorer("ppmk-ksm").score_batch([{}]))
    >>> names[:3], len(names)
    (['count.stage.growth', 'count.stage.strengthening', 'count.stage.independence'], 20)
    """
    plan = batch.plan
    which = [f"stage.{s}" for s in plan.stage_ids]
    which += ["no_stage"] if plan.stage_ids else []
    which += [f"class.{k}" for k in plan.class_ids]
    which += ["no_class"] if plan.class_ids else []
    which += ["exit_ready"] if plan.exit_stage >= 0 else []
    return [f"{m}.{w}" for m in ("count", "share") for w in which]


def roll_up(batch: BatchResult, parents: Sequence[Any] | npt.NDArray[Any], *,
            column: str = "parent") -> RollUp:
    """Group ``batch``'s members by ``parents`` (one parent id per member).

    Parent ids are read as text: surrounding spaces go, a whole number loses its
    ``.0``; a blank id puts the member under a last entry ``None``, reported as a
    problem on its row, never dropped.

    Raises
    ------
    ValueError
        When ``parents`` does not give one id per member.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> batch = Scorer("ppmk-ksm").score_batch(
    ...     [{"group_id": "KSM-1"}, {"group_id": "KSM-2"}, {"group_id": "KSM-3"}])
    >>> up = roll_up(batch, ["BKM-B", " ", "BKM-A "], column="bkm_id")
    >>> up.parent_ids.tolist(), up.members.tolist(), up.blank
    (['BKM-A', 'BKM-B', None], [1, 1, 1], 1)
    >>> [(p.row, p.code) for p in up.issues]
    [(2, 'parent_id_blank')]
    """
    ids = parse_group_ids(list(parents))
    n = len(batch)
    if ids.shape != (n,):
        raise ValueError(f"{len(ids)} parent ids for {n} member groups: give one "
                         "parent id per member")
    blank = np.equal(ids, _NONE)
    uniq, inverse = np.unique(ids[~blank].astype(str), return_inverse=True)
    codes = np.empty(n, dtype=np.int64)
    codes[~blank] = inverse.reshape(-1)
    parent_ids = np.empty(len(uniq) + bool(blank.any()), dtype=object)
    parent_ids[:len(uniq)] = uniq.tolist()
    if blank.any():
        parent_ids[-1] = None
        codes[blank] = len(uniq)
    members = np.bincount(codes, minlength=len(parent_ids)).astype(np.int64)
    issues = tuple(Problem("parent_id_blank", {"column": column}, row=int(r),
                           column=column)
                   for r in batch.row_numbers[blank].tolist())
    return RollUp(batch, column, parent_ids, codes, members, issues)


def member_names(plan: Plan) -> MemberNames:
    """What members scored with ``plan`` offer aggregates.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> member_names(Scorer("ppmk-ksm").plan).ids["class"]
    ('perlu_pembinaan', 'berkembang', 'maju')
    """
    types = {f.id: f.type for f in plan.fields} | {d.id: d.type for d in plan.derived}
    return MemberNames(plan.ruleset_id, {
        "stage": plan.stage_ids, "class": plan.class_ids,
        "criterion": plan.criterion_ids, "value": plan.value_ids,
    }, frozenset(n for n, t in types.items() if t in ("number", "integer", "boolean")),
        plan.exit_stage >= 0)


def _membership(batch: BatchResult, agg: Aggregate) -> npt.NDArray[np.int8]:
    """1 (counted), 0 (not) or -1 (open) per member, for ``count``/``share``."""
    raw, plan, which = batch.raw, batch.plan, agg.which or ""
    if which in ("exit_ready",):
        yes, no = raw.exit_ready == 1, raw.exit_ready == 0
    elif which in ("met", "not_met"):
        o = raw.outcomes[plan.criterion_ids.index(agg.ref or "")]
        # Any other code (a criterion that does not apply) is neither met nor not.
        yes, no = (o == 1, o != 1) if which == "met" else (o == 0, o != 0)
        no &= o != -1
    else:
        stage = which in ("stage", "stage_reached", "no_stage")
        low, high = (raw.stage, raw.stage_upper) if stage else (
            raw.class_, raw.class_upper)
        ids = plan.stage_ids if stage else plan.class_ids
        at = -1 if which.startswith("no_") else ids.index(agg.ref or "")
        if which.endswith("_reached"):
            yes, no = low >= at, high < at
        else:
            yes, no = (low == at) & (high == at), (at < low) | (at > high)
    out = np.full(len(batch), -1, dtype=np.int8)
    out[no] = 0
    out[yes] = 1
    return out


def _value_bounds(batch: BatchResult, name: str) -> tuple[float, float]:
    """The smallest and largest value a member's missing ``name`` could take."""
    plan = batch.plan
    spec = next((f for f in plan.fields if f.id == name), None)
    if spec is None:
        kind = next((d.type for d in plan.derived if d.id == name), "number")
        return (0.0, 1.0) if kind == "boolean" else (-np.inf, np.inf)
    if spec.type == "boolean":
        return 0.0, 1.0
    return (-np.inf if spec.min is None else spec.min,
            np.inf if spec.max is None else spec.max)
