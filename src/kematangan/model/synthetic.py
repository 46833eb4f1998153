"""SYNTHETIC group records with labels drawn from a known probability.

Everything this module makes is **synthetic**: invented groups for testing and
demonstrating the optional model (:class:`~kematangan.model.MaturityModel`), never
evidence about real groups. Each record carries ``"synthetic": True`` and a ``SYN-``
group id, and :meth:`SyntheticData.to_dict` says ``"synthetic": true``.

How records are made, for a given ruleset and seed:

* each group has a latent maturity ``u ~ Uniform(0, 1)``; each field value follows
  ``u`` plus noise (``N(0, 0.15)``, clipped to [0, 1]) in the field's ``better``
  direction (reversed for ``better: lower``, independent of ``u`` for ``none``);
* numbers lie in a *typical range*: from the field's ``min`` (or a little below the
  smallest threshold a criterion compares it with) to twice the largest such
  threshold, capped at the field's ``max`` (``[min, min + 10]`` when no criterion
  names the field); the middle position maps to that largest threshold, piecewise
  linearly, and integers are rounded; a boolean is true with probability
  ``1 / (1 + exp(-8 (position - 0.5)))``; a category is picked worst to best along
  ``categories``; dates fall in the five years before 2024-01-01, the date every
  group is assessed on (the field with ``role: assessment_date``), so no event is
  dated after its assessment;
* every value is valid for the ruleset, and each is missing (``None``) with
  probability ``missing_rate``, independently;
* relations between fields (such as ``members_saving <= members``) are not modelled.

Labels are Bernoulli draws from a known probability, a logistic function of a few
fields: ``p = 1 / (1 + exp(-(intercept + sum(w_f * s_f))))`` where ``s_f`` is the
field's value scaled to [-0.5, 0.5] over its typical range (booleans: false -0.5,
true 0.5; categories: by position). The truth uses every value *before* values are
blanked, so a model that sees a missing value cannot recover ``p`` exactly there.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from kematangan.criteria import expr as ex
from kematangan.criteria.loader import load_ruleset
from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import suggest
from kematangan.scoring.plan import FieldSlot, Plan, compile_plan

__all__ = ["SyntheticData", "make_synthetic", "typical_range"]

_REFERENCE_DATE = _dt.date(2024, 1, 1)
_DATE_SPAN_DAYS = 5 * 365
_NOISE = 0.15
_STEEP = 8.0
_DEFAULT_WEIGHT = 3.0


@dataclass(frozen=True, eq=False)
class SyntheticData:
    """SYNTHETIC records, labels and the true probabilities that drew the labels.

    ``records`` are dicts for :meth:`~kematangan.scoring.Scorer.score_batch`, each
    marked ``"synthetic": True``; ``labels[i]`` was drawn with probability
    ``probabilities[i]``; ``weights``, ``intercept`` and ``ranges`` define that
    probability (see the module docstring).
    """

    records: list[dict[str, Any]]
    labels: npt.NDArray[np.bool_]
    probabilities: npt.NDArray[np.float64]
    weights: dict[str, float]
    intercept: float
    ranges: dict[str, tuple[float, float]]
    seed: int
    missing_rate: float
    ruleset_id: str
    ruleset_version: str
    ruleset_hash: str
    synthetic: Literal[True] = field(default=True, init=False)

    def __len__(self) -> int:
        return len(self.records)

    def rows(self, label: str = "label",
             probability: str | None = "true_probability") -> list[dict[str, Any]]:
        """Records with their label (0/1) and, unless ``None``, true probability.

        Ready to write as CSV or JSON lines; every row keeps ``"synthetic": True``.
        """
        out = []
        for rec, y, p in zip(self.records, self.labels, self.probabilities,
                             strict=True):
            row = {**rec, label: int(y)}
            if probability is not None:
                row[probability] = float(p)
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready data, headed by ``"synthetic": true``."""
        data: dict[str, Any] = {
            "synthetic": True,
            "description": "SYNTHETIC data from kematangan.model.synthetic; not "
                           "real groups",
        }
        for f in fields(self):
            if f.name in ("synthetic", "labels", "probabilities", "ranges"):
                continue
            data[f.name] = getattr(self, f.name)
        data["ranges"] = {k: list(v) for k, v in self.ranges.items()}
        data["labels"] = [int(y) for y in self.labels]
        data["probabilities"] = self.probabilities.tolist()
        return data


def make_synthetic(ruleset: Ruleset | str | os.PathLike[str], n: int = 500, *,
                   seed: int = 0, missing_rate: float = 0.05,
                   weights: Mapping[str, float] | None = None,
                   intercept: float = 0.0) -> SyntheticData:
    """Make ``n`` SYNTHETIC records for ``ruleset`` with labels of known probability.

    Parameters
    ----------
    ruleset
        A :class:`Ruleset`, a YAML path or a bundled ruleset id.
    n
        Number of records.
    seed
        Seed of the random generator: the same seed gives the same data.
    missing_rate
        Probability that any one value is missing, in [0, 1).
    weights
        Weight of each field in the true log-odds (fields of type number, integer,
        boolean or category). By default three fields with a ``better`` direction,
        spread over the field list (first, middle, last), weight 3 each, negative
        for ``better: lower``.
    intercept
        Intercept of the true log-odds.

    Raises
    ------
    ValueError
        When ``n`` or ``missing_rate`` is out of range, or a weight names a field
        that is not usable (the message suggests the closest field).

    Examples
    --------
    >>> data = make_synthetic("ppmk-ksm", n=4, seed=1)
    >>> data.synthetic, len(data), data.records[0]["group_id"]
    (True, 4, 'SYN-00001')
    >>> data.weights
    {'formed_participatory': 3.0, 'arrears_instalments': -3.0, 'multistakeholder_cooperation': 3.0}
    >>> bool(((data.probabilities > 0) & (data.probabilities < 1)).all())
    True
    """
    rs = load_ruleset(ruleset)
    plan = compile_plan(rs)
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    if not 0.0 <= missing_rate < 1.0:
        raise ValueError(f"missing_rate must be in [0, 1), got {missing_rate}")
    better = {f.id: f.better for f in rs.fields}
    usable = [s for s in plan.fields if s.type != "date"]
    chosen = dict(weights) if weights is not None else _default_weights(
        usable, better)
    names = {s.id for s in usable}
    for fid in chosen:
        if fid not in names:
            close = suggest(fid, names)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise ValueError(f"weights: {fid!r} is not a number, integer, boolean or "
                             f"category field of {rs.id}{hint}")

    rng = np.random.default_rng(seed)
    refs = _references(plan)
    u = rng.uniform(size=n)
    columns: dict[str, npt.NDArray[Any]] = {}
    scaled: dict[str, npt.NDArray[np.float64]] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for slot in plan.fields:
        pos = np.clip(u + rng.normal(0.0, _NOISE, size=n), 0.0, 1.0)
        if better[slot.id] == "lower":
            pos = 1.0 - pos
        elif better[slot.id] == "none":
            pos = rng.uniform(size=n)
        col, s, rng_lohi = _draw(slot, pos, refs.get(slot.id, []), rng)
        if slot.index == plan.assessment_date:
            col = np.full(n, _REFERENCE_DATE.isoformat(), dtype=object)
        columns[slot.id] = col
        scaled[slot.id] = s
        if rng_lohi is not None:
            ranges[slot.id] = rng_lohi

    logit = np.full(n, float(intercept))
    for fid, w in chosen.items():
        logit += float(w) * scaled[fid]
    probs = np.exp(-np.logaddexp(0.0, -logit))  # 1 / (1 + exp(-logit)), no overflow
    labels = rng.uniform(size=n) < probs
    missing = rng.uniform(size=(len(plan.fields), n)) < missing_rate

    width = max(5, len(str(n)))
    records: list[dict[str, Any]] = []
    for i in range(n):
        rec: dict[str, Any] = {plan.group_id_field: f"SYN-{i + 1:0{width}d}",
                               "synthetic": True}
        for k, slot in enumerate(plan.fields):
            v = columns[slot.id][i]
            rec[slot.id] = None if missing[k, i] else (
                v.item() if isinstance(v, np.generic) else v)
        records.append(rec)
    return SyntheticData(
        records=records, labels=labels, probabilities=probs,
        weights={k: float(v) for k, v in chosen.items()}, intercept=float(intercept),
        ranges={k: ranges[k] for k in chosen if k in ranges}, seed=seed,
        missing_rate=missing_rate, ruleset_id=rs.id, ruleset_version=rs.version,
        ruleset_hash=rs.content_hash)


def typical_range(slot: FieldSlot, refs: list[float]) -> tuple[float, float]:
    """The range SYNTHETIC values of a numeric field are drawn from.

    ``refs`` are the numbers criteria compare the field with.

    Examples
    --------
    >>> members = FieldSlot("members", 0, "integer", 0, 500, (), "Members")
    >>> typical_range(members, [5.0])
    (0.0, 10.0)
    >>> typical_range(members, [])
    (0.0, 10.0)
    >>> typical_range(FieldSlot("g", 0, "number", -100, 10000, (), "G"), [0.0])
    (-100.0, 100.0)
    """
    if slot.min is not None:
        lo = float(slot.min)
    elif refs:
        lo = min(refs) - max(1.0, abs(min(refs)))
    else:
        lo = 0.0
    top = max(refs) if refs else lo + 5.0
    hi = lo + 2.0 * (top - lo) if top > lo else lo + 10.0
    if slot.max is not None:
        hi = min(hi, float(slot.max))
    return lo, max(hi, lo)


def _default_weights(usable: list[FieldSlot], better: Mapping[str, str]
                     ) -> dict[str, float]:
    directed = [s for s in usable if better[s.id] != "none"] or usable
    k = min(3, len(directed))
    if k == 0:
        return {}
    picks = sorted({round(i * (len(directed) - 1) / max(k - 1, 1)) for i in range(k)})
    return {directed[i].id: (-_DEFAULT_WEIGHT if better[directed[i].id] == "lower"
                             else _DEFAULT_WEIGHT) for i in picks}


def _draw(slot: FieldSlot, pos: npt.NDArray[np.float64], refs: list[float],
          rng: np.random.Generator
          ) -> tuple[npt.NDArray[Any], npt.NDArray[np.float64],
                     tuple[float, float] | None]:
    """Values of one field from positions in [0, 1]; also their scaled form."""
    n = len(pos)
    if slot.type == "boolean":
        vals = rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-_STEEP * (pos - 0.5)))
        return vals, vals.astype(np.float64) - 0.5, None
    if slot.type == "category":
        k = len(slot.categories)
        idx = np.minimum((pos * k).astype(np.int64), k - 1)
        cats = np.array(slot.categories, dtype=object)
        return cats[idx], (idx / max(k - 1, 1)) - 0.5, None
    if slot.type == "date":
        days = np.round((1.0 - pos) * _DATE_SPAN_DAYS).astype(np.int64)
        dates = np.array([(_REFERENCE_DATE - _dt.timedelta(days=int(d))).isoformat()
                          for d in days], dtype=object)
        return dates, pos - 0.5, None
    lo, hi = typical_range(slot, refs)
    # The middle position maps to the highest threshold, so a group of middling
    # maturity sits at it (the truth stays linear in the value whatever this map).
    mid = min(max(max(refs), lo), hi) if refs else (lo + hi) / 2.0
    vals = np.where(pos <= 0.5, lo + 2.0 * pos * (mid - lo),
                    mid + (2.0 * pos - 1.0) * (hi - mid))
    if slot.type == "integer":
        vals = np.clip(np.round(vals), math.ceil(lo), math.floor(hi))
        out: npt.NDArray[Any] = vals.astype(np.int64)
    else:
        out = vals
    span = hi - lo
    s = ((vals - lo) / span - 0.5 if span > 0 else np.zeros(n)).astype(np.float64)
    return out, s, (lo, hi)


def _references(plan: Plan) -> dict[str, list[float]]:
    """Numbers that criteria compare each field or derived value with."""
    refs: dict[str, list[float]] = {}

    def walk(node: ex.Node | None) -> None:
        if node is None:
            return
        if isinstance(node, ex.Cmp):
            for a, b in ((node.left, node.right), (node.right, node.left)):
                if isinstance(a, ex.Name) and isinstance(b, ex.Num):
                    refs.setdefault(a.id, []).append(float(b.value))
        for f in fields(node):
            child = getattr(node, f.name)
            if isinstance(child, ex.Node):
                walk(child)
            elif isinstance(child, tuple):
                for c in child:
                    if isinstance(c, ex.Node):
                        walk(c)

    for step in plan.criteria:
        walk(step.node)
        if isinstance(step.value, ex.Name):
            name = step.value.id
            for lo, hi, *_ in step.bands:
                refs.setdefault(name, []).extend(
                    v for v in (lo, hi) if math.isfinite(v))
            if math.isfinite(step.met_at):
                refs.setdefault(name, []).append(step.met_at)
    return refs
