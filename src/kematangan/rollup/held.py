"""Which member groups hold a parent back, named in the parent's explanation:
"Tanpa KSM penunggak: 3 KSM penunggak: KSM-04, KSM-11, KSM-17".

For each criterion a parent does not meet (or cannot be judged on), ranked as its
reasons are, and each aggregate field the criterion reads, two lists of members:
those that pull the aggregate the wrong way (the field's ``better`` says which way
is right: for ``higher``, the members it does not count; for ``lower``, the ones it
counts) and those whose missing data leaves the aggregate open (unless no value it
could take changes the parent's result: see :mod:`kematangan.rollup.settle`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from kematangan.catalogue import format_value
from kematangan.criteria import expr as ex
from kematangan.criteria.members import Aggregate
from kematangan.explain import batch_reasons
from kematangan.explain.facts import context
from kematangan.rollup.parents import ParentResult

__all__ = ["HeldBack", "held_back", "held_back_texts"]

LIST_LIMIT = 20
"""Members named per list; the rest are counted ("dan 5 lainnya")."""


@dataclass(frozen=True, slots=True)
class HeldBack:
    """Members holding a parent back on one criterion, through one aggregate field:
    ``kind`` ``against`` (they pull the field the wrong way) or ``open`` (their
    data is missing)."""

    criterion: str
    field: str
    kind: Literal["against", "open"]
    members: tuple[str, ...]


# What the members an aggregate counts are (first) and those it does not (second),
# per language; {s}, {k}, {c}, {v} are a stage, class, criterion or value label.
_WORDS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "stage": (("di tahap {s}", "tidak di tahap {s}"),
              ("at stage {s}", "not at stage {s}")),
    "stage_reached": (("sudah mencapai tahap {s}", "belum mencapai tahap {s}"),
                      ("at stage {s} or beyond", "not yet at stage {s}")),
    "no_stage": (("belum mencapai tahap apa pun", "sudah mencapai suatu tahap"),
                 ("at no stage yet", "at some stage")),
    "class": (("di kelas {k}", "tidak di kelas {k}"),
              ("in class {k}", "not in class {k}")),
    "class_reached": (("di kelas {k} atau lebih tinggi", "di bawah kelas {k}"),
                      ("in class {k} or higher", "below class {k}")),
    "no_class": (("tanpa kelas", "dengan kelas"), ("in no class", "in some class")),
    "exit_ready": (("siap dilepas", "belum siap dilepas"),
                   ("exit-ready", "not exit-ready")),
    "met": (("memenuhi '{c}'", "tidak memenuhi '{c}'"),
            ("meeting '{c}'", "not meeting '{c}'")),
    "not_met": (("tidak memenuhi '{c}'", "memenuhi '{c}'"),
                ("not meeting '{c}'", "meeting '{c}'")),
    "sum": (("dengan {v} di atas 0", "dengan {v} 0 atau kurang"),
            ("with {v} above 0", "with {v} of 0 or less")),
}
_OPEN = ("datanya belum lengkap", "with incomplete data")
_MORE = ("dan {n} lainnya", "and {n} more")


def held_back(result: ParentResult) -> list[list[HeldBack]]:
    """Per parent, the member lists that hold it back (see the module docstring),
    criteria in the order of the parent's reasons.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> from kematangan.rollup import ParentScorer, roll_up
    >>> ksm = Scorer("ppmk-ksm")
    >>> batch = ksm.score_batch([{"group_id": "KSM-1", "arrears_instalments": 4},
    ...                          {"group_id": "KSM-2", "arrears_instalments": 0}])
    >>> result = ParentScorer("bkm-lkm", ksm).score(roll_up(batch, ["B1", "B1"]))
    >>> [(h.criterion, h.kind, h.members) for h in held_back(result)[0]
    ...  if h.criterion == "penunggak_recovery"]
    [('penunggak_recovery', 'against', ('KSM-1',))]
    """
    batch, rollup = result.batch, result.rollup
    reads = _reads(result)
    fields = {f.id: f for f in result.scorer.ruleset.fields}
    lists: dict[str, tuple[list[list[str]] | None, list[list[str]] | None]] = {}
    for fid, agg in result.aggregates.items():
        masks = _masks(result, agg, fields[fid].better)
        lists[fid] = (None if masks[0] is None else rollup.member_lists(masks[0]),
                      None if masks[1] is None else rollup.member_lists(masks[1]))
    k = len(batch.plan.criteria)
    if not k:
        return [[] for _ in range(len(batch))]
    ranked = batch_reasons(batch, k)
    order = np.stack([ranked[f"reason_{pos + 1}"] for pos in range(k)],
                     axis=1).tolist()
    index = {c: i for i, c in enumerate(batch.plan.criterion_ids)}
    outcomes = batch.raw.outcomes.T.tolist()
    read = {c: [f for f in result.aggregates if f in reads[c]] for c in index}
    up_of = result.rollup_index.tolist()
    ids = result.parent_ids.tolist()
    settled = set(result.settled)
    out: list[list[HeldBack]] = []
    for p, up in enumerate(up_of):
        items: list[HeldBack] = []
        for cid in order[p] if up >= 0 else ():
            if cid is None:
                break
            if outcomes[p][index[cid]] == 1:
                continue  # a reason by points lost alone: nothing holds it back
            for fid in read[cid]:
                against, open_ = lists[fid]
                if (ids[p], fid) in settled:
                    open_ = None  # its missing data cannot change the result
                if against is not None and against[up]:
                    items.append(HeldBack(cid, fid, "against", tuple(against[up])))
                if open_ is not None and open_[up]:
                    items.append(HeldBack(cid, fid, "open", tuple(open_[up])))
        out.append(items)
    return out


def _reads(result: ParentResult) -> dict[str, frozenset[str]]:
    """The fields each criterion reads, with those deciding whether it applies."""
    reads = dict(context(result.scorer).reads)
    for c in result.scorer.ruleset.criteria:
        if c.applies_when is not None:
            reads[c.id] = reads[c.id] | ex.names(ex.parse(c.applies_when))
    return reads


def _masks(result: ParentResult, agg: Aggregate, better: str
           ) -> tuple[npt.NDArray[np.bool_] | None, npt.NDArray[np.bool_] | None]:
    """Per member: pulls the field the wrong way; leaves it open."""
    rollup = result.rollup
    if agg.measure == "members":
        return None, None
    if agg.measure == "sum":
        assert agg.ref is not None
        values = rollup.batch.raw.columns[rollup.batch.plan.value_index(agg.ref)]
        open_ = np.isnan(values)
        against = (np.nan_to_num(values) > 0) if better == "lower" else None
        return against, open_
    m = rollup.membership(agg)
    against = {"higher": m == 0, "lower": m == 1}.get(better)
    return against, m == -1


def held_back_texts(result: ParentResult, lang: str = "id",
                    items: Sequence[Sequence[HeldBack]] | None = None
                    ) -> npt.NDArray[np.object_]:
    """Per parent, :func:`held_back` as one sentence in ``lang`` (``None`` when
    no member holds it back).

    Examples
    --------
    >>> from kematangan import Scorer
    >>> from kematangan.rollup import ParentScorer, roll_up
    >>> ksm = Scorer("ppmk-ksm")
    >>> batch = ksm.score_batch(
    ...     [{"group_id": "KSM-1", "arrears_instalments": 4},
    ...      {"group_id": "KSM-2", "revolving_fund_access": True}])
    >>> result = ParentScorer("bkm-lkm", ksm).score(roll_up(batch, ["B1", "B1"]))
    >>> print(held_back_texts(result, "en")[0].replace(" | ", "\\n"))
    Most KSM have grown: 2 KSM with incomplete data: KSM-1, KSM-2
    Most KSM strengthened: 1 KSM not yet at the strengthening stage: KSM-1; 1 KSM with incomplete data: KSM-2
    KSM in arrears handled: 1 KSM in arrears: KSM-1
    At most 10% of borrowing KSM in arrears: 1 KSM in arrears: KSM-1
    Most KSM independent: 1 KSM not yet independent: KSM-1; 1 KSM with incomplete data: KSM-2
    """
    items = held_back(result) if items is None else items
    words: dict[str, str] = {}
    rs = result.scorer.ruleset
    labels = {c.id: c.label.get(lang) for c in rs.criteria}
    noun = result.members.noun.get(lang)
    out = np.full(len(items), None, dtype=object)
    for p, found in enumerate(items):
        against: dict[str, list[str]] = {}
        open_: dict[str, dict[str, None]] = {}
        for h in found:
            if h.kind == "open":  # one list per criterion, whatever field it is
                open_.setdefault(h.criterion, {}).update(dict.fromkeys(h.members))
            else:
                what = words.get(h.field)
                if what is None:
                    what = words[h.field] = _what(result, h.field, lang)
                against.setdefault(h.criterion, []).append(
                    f"{len(h.members)} {what}: " + _names(h.members, lang))
        clauses = []
        for c in dict.fromkeys([h.criterion for h in found]):
            parts = against.get(c, [])
            if c in open_:
                parts.append(f"{len(open_[c])} {noun} {_OPEN[lang == 'en']}: "
                             + _names(list(open_[c]), lang))
            clauses.append(f"{labels[c]}: " + "; ".join(parts))
        if clauses:
            out[p] = " | ".join(clauses)
    return out


def _what(result: ParentResult, field: str, lang: str) -> str:
    """What the members pulling ``field`` the wrong way are, e.g. "KSM
    penunggak"."""
    en = lang == "en"
    noun = result.members.noun.get(lang)
    binding = result.members.fields[field]
    if binding.held_back_by is not None:
        return binding.held_back_by.get(lang)
    agg = result.aggregates[field]
    better = result.scorer.ruleset.field(field).better
    words = _WORDS[agg.which or agg.measure][en][better == "higher"]
    return f"{noun} " + words.format(**_labels(result, agg, lang))


def _labels(result: ParentResult, agg: Aggregate, lang: str) -> dict[str, str]:
    member = result.member
    by_kind: dict[str, Sequence[Any]] = {
        "stage": member.stages, "class": member.classes, "criterion": member.criteria,
        "value": [*member.fields, *member.derived]}
    items = by_kind.get(agg.ref_kind or "", [])
    text = next((i.label.get(lang) for i in items if i.id == agg.ref), agg.ref or "")
    return {"s": text, "k": text, "c": text, "v": text}


def _names(members: Sequence[str], lang: str) -> str:
    shown = ", ".join(members[:LIST_LIMIT])
    rest = len(members) - LIST_LIMIT
    if rest > 0:
        shown += " " + _MORE[lang == "en"].format(n=format_value(rest, lang))
    return shown
