"""Next steps: the smallest set of changes that lifts a group to a target.

A target is the next stage, the next class, exit, or a named stage or class (such as
``unggulan``). The search, on the record's own values:

1. every criterion the target requires (its gates, a class's ``requires``, exit's
   ``requires``) that is not met is solved on its own
   (:class:`~kematangan.explain.solver.Solver`) and the changes are applied, round
   after round, so changes that interact are seen;
2. while points are short (a class's lowest score, a stage's ``min_points``), the
   change that closes the gap most cheaply is added: one that closes it alone if
   there is one, else the one that gains most points (fewest changes);
3. steps the target does not need are dropped, and each remaining change is moved
   back towards the current value as far as the target still holds;
4. the record with every change applied is scored again with :meth:`Scorer.score`,
   and the target counts as reachable only if that score reaches it.

The result is *irreducible* (no step can be dropped, no change made smaller) but
not guaranteed globally smallest. When no actionable path exists the answer says
why: data to record first, a field the group cannot change, a change that would
make a field worse, or points that no change can add.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from kematangan.criteria.ruleset import Text
from kematangan.errors import suggest
from kematangan.explain.facts import Context, ScorerLike, context
from kematangan.explain.gaps import level_index, required_stages
from kematangan.explain.solver import Changes, Failure, Solver, apply_changes
from kematangan.explain.types import (
    Blocker,
    Change,
    NextSteps,
    ResultSummary,
    Step,
    Target,
)
from kematangan.explain.wording import fmt_number
from kematangan.scoring import Assessment, Plan, RowResult, decode_value

__all__ = ["next_steps", "resolve_target"]

_ROUNDS = 12


_HOLDS = (1, 2)
"""Outcome codes a requirement is satisfied by: met, or does not apply."""


@dataclass(frozen=True)
class _Goal:
    target: Target
    index: int
    required: tuple[int, ...]
    pools: tuple[tuple[tuple[int, ...] | None, float, bool], ...]
    """(criteria whose points count or None for all, points needed, inclusive)."""

    def reached(self, row: RowResult) -> bool:
        if self.target.kind == "stage":
            return row.stage >= self.index
        if self.target.kind == "class":
            return row.class_ >= self.index
        return row.exit_ready == 1


def resolve_target(ctx: Context, assessment: Assessment, target: str
                   ) -> Target | None:
    """Turn ``next_stage``, ``next_class``, ``exit``, ``stage:<id>``,
    ``class:<id>`` or a bare stage or class id into a :class:`Target`.

    ``None`` when there is no next stage or class.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> s = Scorer("ppmk-ksm")
    >>> resolve_target(context(s), s.score({}), "next_stage").id
    'growth'
    >>> resolve_target(context(s), s.score({}), "maju").kind
    'class'
    """
    plan, rs = ctx.scorer.plan, ctx.ruleset
    if target == "next_stage":
        nxt = level_index(plan.stage_ids, assessment.stage) + 1
        if nxt >= len(plan.stage_ids):
            return None
        return Target(kind="stage", id=plan.stage_ids[nxt], label=rs.stages[nxt].label)
    if target == "next_class":
        nxt = level_index(plan.class_ids, assessment.class_) + 1
        if nxt >= len(plan.class_ids):
            return None
        return Target(kind="class", id=plan.class_ids[nxt], label=rs.classes[nxt].label)
    if target == "exit":
        if rs.exit is None:
            raise ValueError(f"ruleset {rs.id!r} has no exit rule, so 'exit' is not "
                             "a target; use a stage or class id")
        return Target(kind="exit", id="exit",
                      label=Text(id="Siap dilepas", en="Ready for exit"))
    kind, _, name = target.rpartition(":")
    stages = name in plan.stage_ids and kind in ("", "stage")
    classes = name in plan.class_ids and kind in ("", "class")
    if stages and classes:
        raise ValueError(f"{name!r} is both a stage and a class; write "
                         f"'stage:{name}' or 'class:{name}'")
    if stages:
        i = plan.stage_ids.index(name)
        return Target(kind="stage", id=name, label=rs.stages[i].label)
    if classes:
        i = plan.class_ids.index(name)
        return Target(kind="class", id=name, label=rs.classes[i].label)
    choices = ["next_stage", "next_class", "exit", *plan.stage_ids, *plan.class_ids]
    close = suggest(name, choices)
    hint = f" (did you mean {close!r}?)" if close else ""
    raise ValueError(f"unknown target {target!r}{hint}; use one of: "
                     + ", ".join(choices))


def _goal(plan: Plan, target: Target) -> _Goal:
    if target.kind == "class":
        k = plan.class_ids.index(target.id)
        low, _, low_in, _ = plan.class_bounds[k]
        return _Goal(target, k, plan.class_requires[k], ((None, low, low_in),))
    stage = plan.stage_ids.index(target.id) if target.kind == "stage" else (
        plan.exit_stage)
    chain = required_stages(plan, stage)
    required = [g for s in chain for g in plan.stage_gates[s]]
    if target.kind == "exit":
        required += list(plan.exit_requires)
    pools = tuple((plan.stage_members[s], need, True) for s in chain
                  if (need := plan.stage_min_points[s]) is not None)
    return _Goal(target, stage, tuple(dict.fromkeys(required)), pools)


@dataclass
class _Draft:
    """The steps found so far: each step owns the fields it changed."""

    vals: list[float]
    steps: list[tuple[str, list[int]]] = field(default_factory=list)
    owner: dict[int, int] = field(default_factory=dict)

    def add(self, cid: str, changes: Changes) -> None:
        own: list[int] = []
        for i, v in changes.items():
            self.vals[i] = v
            if i not in self.owner:
                self.owner[i] = len(self.steps)
                own.append(i)
        self.steps.append((cid, own))


def next_steps(assessment: Assessment, ruleset_or_scorer: ScorerLike,
               target: str = "next_stage") -> NextSteps | None:
    """The smallest set of changes found that lifts the group to ``target``.

    ``target`` is ``next_stage`` (default), ``next_class``, ``exit``, or a stage or
    class id (``stage:<id>``/``class:<id>`` when an id is both). Returns ``None``
    when there is no next stage or class.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> a = scorer.score(scorer.ruleset.tests[1].record)
    >>> plan = next_steps(a, scorer)
    >>> plan.target.id, plan.reachable, plan.result.stage
    ('strengthening', True, 'strengthening')
    >>> [(c.field, c.before, c.after) for s in plan.steps for c in s.changes]
    [('admin_books_kept', False, True)]
    >>> next_steps(scorer.score({"members": 2}), scorer).record_first[:2]
    ['basic_rule_1', 'basic_rule_2']
    """
    ctx = context(ruleset_or_scorer)
    ctx.check(assessment)
    resolved = resolve_target(ctx, assessment, target)
    if resolved is None:
        return None
    plan = ctx.scorer.plan
    goal = _goal(plan, resolved)
    solver = Solver(ctx)
    orig, _ = ctx.scorer.encode(assessment.inputs)
    start = solver.run(orig)
    if goal.reached(start):
        return NextSteps(target=resolved, already_reached=True, reachable=True,
                         steps=[], blockers=[], record_first=[],
                         result=_summary(assessment))
    draft = _Draft(list(orig))
    failures: dict[str, Failure] = {}
    short = _search(solver, goal, draft, failures)
    _tidy(solver, goal, draft, orig)

    final = solver.run(draft.vals)
    record = _decoded(plan, assessment, draft.vals)
    rescored = ctx.scorer.score(record, group_id=assessment.group_id)
    verified = _reached(plan, goal, rescored)
    # Values refused or set aside by a consistency check: fix them, not record them.
    invalid = {f for i in assessment.issues
               for f in ([i.field] if i.field else i.params.get("fields") or [])}
    blockers = [_blocker(ctx, f, invalid) for cid, f in failures.items()
                if final.outcomes[ctx.index[cid]] not in _HOLDS]
    if not goal.reached(final) and not blockers:
        blockers.append(_points_blocker(ctx, solver, final, short) if short > 0
                        else Blocker(kind="no_solution", criterion=None, fields=[],
                                     message=Text(
            id=f"Tidak ditemukan perubahan pada data yang dapat diubah "
               f"{_who(ctx, 'id')} yang mencapai target ini.",
            en=f"No change to data the {_who(ctx, 'en')} can change was found that "
               "reaches this target.")))
    if goal.reached(final) and not verified:
        blockers.append(Blocker(kind="not_verified", criterion=None, fields=[],
                                message=Text(
            id="Perubahan yang ditemukan tidak mencapai target saat dinilai ulang.",
            en="Scoring the changed record again does not reach the target.")))
    record_first = sorted({f for b in blockers if b.kind == "record_first"
                           for f in b.fields})
    return NextSteps(
        target=resolved, already_reached=False, reachable=verified and not blockers,
        steps=_steps(solver, start, final, orig, draft), blockers=blockers,
        record_first=record_first,
        result=_summary(rescored) if verified else None)


def _search(solver: Solver, goal: _Goal, draft: _Draft,
            failures: dict[str, Failure]) -> float:
    """Rounds of steps 1 and 2; returns the points still short (0 when none)."""
    plan = solver.plan
    short = 0.0
    for _ in range(_ROUNDS):
        row = solver.run(draft.vals)
        if goal.reached(row):
            return 0.0
        unmet = sorted((c for c in goal.required if row.outcomes[c] not in _HOLDS
                        and plan.criteria[c].id not in failures),
                       key=lambda c: (plan.criteria[c].stage, plan.criteria[c].id))
        progress = False
        for c in unmet:
            cid = plan.criteria[c].id
            found = solver.solve(cid, draft.vals)
            if isinstance(found, Failure):
                failures[cid] = found
            elif found:
                draft.add(cid, found)
                progress = True
        if unmet:
            if progress:
                continue
            return 0.0
        short = _points_short(goal, row)
        if short <= 0:
            return 0.0
        pick = _best_points_step(solver, goal, draft.vals, row, failures)
        if pick is None:
            return short
        draft.add(*pick)
    return short


def _points(goal_pool: tuple[int, ...] | None, row: RowResult) -> float:
    if goal_pool is None:
        return row.score
    return sum(row.points[c] for c in goal_pool)


def _points_short(goal: _Goal, row: RowResult) -> float:
    short = 0.0
    for pool, need, inclusive in goal.pools:
        have = _points(pool, row)
        if have < need or (not inclusive and have == need):
            # A bound like "(40, 75]" is not reached at exactly 40.
            short += max(need - have, 1e-9)
    return short


def _best_points_step(solver: Solver, goal: _Goal, vals: list[float], row: RowResult,
                      failures: dict[str, Failure]) -> tuple[str, Changes] | None:
    pool: set[int] = set()
    for members, _, _ in goal.pools:
        pool |= set(members) if members is not None else set(
            range(len(solver.plan.criteria)))
    now = sum(_points(m, row) for m, _, _ in goal.pools)
    closing: list[tuple[tuple[int, float], str, Changes]] = []
    gaining: list[tuple[float, tuple[int, float], str, Changes]] = []
    for c in sorted(pool, key=lambda c: solver.plan.criteria[c].id):
        step = solver.plan.criteria[c]
        if row.outcomes[c] == -1 or step.id in failures or (
                row.points[c] >= step.max_points and row.outcomes[c] == 1):
            continue
        found = solver.solve(step.id, vals)
        if not isinstance(found, Failure) and not found:
            found = solver.top_up(step.id, vals)
        if isinstance(found, Failure) or not found:
            continue
        after = solver.run(apply_changes(vals, found))
        gain = sum(_points(m, after) for m, _, _ in goal.pools) - now
        if gain <= 0:
            continue
        key = solver.cost(vals, found)
        if _points_short(goal, after) <= 0:
            closing.append((key, step.id, found))
        gaining.append((-gain, key, step.id, found))
    if closing:
        _, cid, changes = min(closing)
        return cid, changes
    if gaining:
        _, _, cid, changes = min(gaining)
        return cid, changes
    return None


def _tidy(solver: Solver, goal: _Goal, draft: _Draft, orig: Sequence[float]) -> None:
    """Step 3: drop steps the target does not need, then shrink each change."""
    if not goal.reached(solver.run(draft.vals)):
        return
    for n in range(len(draft.steps) - 1, -1, -1):
        cid, own = draft.steps[n]
        trial = apply_changes(draft.vals, {i: orig[i] for i in own})
        if own and goal.reached(solver.run(trial)):
            draft.vals = trial
            draft.steps[n] = (cid, [])
    for n, (cid, own) in enumerate(draft.steps):
        keep = []
        for i in own:
            changes = {i: draft.vals[i]}
            base = apply_changes(draft.vals, {i: orig[i]})
            shrunk = solver.shrink(
                changes, base, i, lambda v: goal.reached(solver.run(v)),
                solver.resolution(None, i))
            draft.vals[i] = shrunk.get(i, orig[i])
            if draft.vals[i] != orig[i]:
                keep.append(i)
        draft.steps[n] = (cid, keep)
    draft.steps = [(cid, own) for cid, own in draft.steps if own]


def _steps(solver: Solver, start: RowResult, final: RowResult,
           orig: Sequence[float], draft: _Draft) -> list[Step]:
    ctx, plan = solver.ctx, solver.plan
    newly = [c.id for c in plan.criteria
             if start.outcomes[c.index] != 1 and final.outcomes[c.index] == 1]
    out = []
    for cid, own in draft.steps:
        changed = {plan.fields[i].id for i in own}
        meets = [cid] + [c for c in newly if c != cid and ctx.reads[c] & changed]
        crit = ctx.criteria[cid]
        without = solver.run(apply_changes(draft.vals, {i: orig[i] for i in own}))
        out.append(Step(
            criterion=cid, label=crit.label, advice=crit.advice,
            meets=[c for c in meets if c in newly],
            points=final.score - without.score,
            changes=[Change(field=plan.fields[i].id,
                            label=ctx.fields[plan.fields[i].id].label,
                            before=_decode(plan, i, orig[i]),
                            after=_decode(plan, i, draft.vals[i]),
                            unit=ctx.fields[plan.fields[i].id].unit,
                            display=ctx.display(plan.fields[i].id))
                     for i in sorted(own)]))
    return out


def _decode(plan: Plan, i: int, v: float) -> object:
    slot = plan.fields[i]
    return decode_value(slot.type, slot.categories, v)


def _decoded(plan: Plan, a: Assessment, vals: Sequence[float]) -> dict[str, object]:
    record: dict[str, object] = dict(a.inputs)
    for slot in plan.fields:
        record[slot.id] = _decode(plan, slot.index, vals[slot.index])
    return record


def _reached(plan: Plan, goal: _Goal, a: Assessment) -> bool:
    if goal.target.kind == "stage":
        return level_index(plan.stage_ids, a.stage) >= goal.index
    if goal.target.kind == "class":
        return level_index(plan.class_ids, a.class_) >= goal.index
    return a.exit_ready is True


def _summary(a: Assessment) -> ResultSummary:
    return ResultSummary(stage=a.stage, class_=a.class_, score=a.score,
                         exit_ready=a.exit_ready)


def _names(ctx: Context, fields: Sequence[str], lang: str) -> str:
    labels = [f"'{ctx.label(f).get(lang)}'" for f in fields]
    if len(labels) <= 1:
        return "".join(labels)
    joiner = " and " if lang == "en" else " dan "
    return ", ".join(labels[:-1]) + joiner + labels[-1]


def _who(ctx: Context, lang: str) -> str:
    """What is assessed, as the ruleset names it ("kelompok", "UPK")."""
    return ctx.ruleset.subject.get(lang)


def _blocker(ctx: Context, f: Failure, invalid: set[str]) -> Blocker:
    crit = ctx.criteria[f.criterion].label
    c_id, c_en = crit.get("id"), crit.get("en")
    n_id, n_en = _names(ctx, f.fields, "id"), _names(ctx, f.fields, "en")
    if len(f.alternatives) > 1:
        # Any one of the alternatives will do: "A atau B".
        n_id, n_en = (f" {word} ".join(_names(ctx, alt, lang) for alt in f.alternatives)
                      for word, lang in (("atau", "id"), ("or", "en")))
    s_id, s_en = _who(ctx, "id"), _who(ctx, "en")
    if f.kind == "record_first" and invalid & set(f.fields):
        return Blocker(kind=f.kind, criterion=f.criterion, fields=list(f.fields),
                       message=Text(
            id=f"Perbaiki dulu {n_id}: nilainya kosong atau tidak dapat dipakai "
               f"(lihat Masalah data), jadi '{c_id}' belum dapat dinilai.",
            en=f"Fix {n_en} first: the value is missing or cannot be used (see "
               f"Data problems), so '{c_en}' cannot be judged yet."))
    texts = {
        "record_first": (
            f"Catat dulu {n_id}: datanya kosong, jadi '{c_id}' belum dapat dinilai.",
            f"Record {n_en} first: the data is missing, so '{c_en}' cannot be "
            "judged yet."),
        "not_actionable": (
            f"'{c_id}' bergantung pada {n_id}, yang tidak dapat diubah oleh "
            f"{s_id} sendiri.",
            f"'{c_en}' depends on {n_en}, which the {s_en} cannot change by "
            "itself."),
        "against_direction": (
            f"Untuk memenuhi '{c_id}', {n_id} harus berubah ke arah yang lebih "
            "buruk.",
            f"Meeting '{c_en}' would need {n_en} to get worse."),
        "out_of_bounds": (
            f"Nilai yang dibutuhkan '{c_id}' berada di luar rentang sah {n_id}.",
            f"The value '{c_en}' needs is outside the valid range of {n_en}."),
        "no_solution": (
            f"Tidak ditemukan perubahan pada data yang dapat diubah {s_id} yang "
            f"memenuhi '{c_id}'.",
            f"No change to data the {s_en} can change was found that meets "
            f"'{c_en}'."),
    }
    id_, en = texts[f.kind]
    return Blocker(kind=f.kind, criterion=f.criterion, fields=list(f.fields),
                   message=Text(id=id_, en=en))


def _points_blocker(ctx: Context, solver: Solver, row: RowResult, short: float
                    ) -> Blocker:
    plan = ctx.scorer.plan
    unknown = [c for c in range(len(plan.criteria)) if row.outcomes[c] == -1
               and plan.criteria[c].max_points > 0]
    blank: list[str] = []
    fields = list(row.values[:len(plan.fields)])
    for c in unknown:
        cid = plan.criteria[c].id
        empty = [f for f in sorted(ctx.reads[cid])
                 if math.isnan(row.values[solver.slot[f]])]
        if empty:
            # One way of recording is enough (the months, or the date).
            blank += solver.record_first(cid, fields, empty).alternatives[0]
    blank = sorted(set(blank))
    n_id, n_en = fmt_number(short, "id"), fmt_number(short, "en")
    if blank:
        return Blocker(kind="record_first", criterion=None, fields=blank, message=Text(
            id=f"Masih kurang {n_id} poin. Catat dulu {_names(ctx, blank, 'id')}: "
               "datanya kosong, jadi poinnya belum dihitung.",
            en=f"Still {n_en} points short. Record {_names(ctx, blank, 'en')} first: "
               "the data is missing, so its points are not counted yet."))
    return Blocker(kind="points", criterion=None, fields=[], message=Text(
        id=f"Masih kurang {n_id} poin, dan tidak ada perubahan lain pada data yang "
           f"dapat diubah {_who(ctx, 'id')} yang menambah poin.",
        en=f"Still {n_en} points short, and no other change to data the "
           f"{_who(ctx, 'en')} can change adds points."))
