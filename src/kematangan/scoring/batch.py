"""Columnar batch results: numpy arrays per column, never a Python object per cell."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from kematangan.problems import Problem
from kematangan.scoring.plan import Plan
from kematangan.scoring.result import (
    Assessment,
    ColumnResult,
    RowResult,
    blocking_criteria,
    build_assessment,
    decode_value,
)

__all__ = ["BatchResult", "record_positions"]

_OUTCOME_NAMES = np.array(["unknown", "not_met", "met", "not_applicable"],
                          dtype=object)


def record_positions(row_numbers: npt.NDArray[np.int64], wanted: Sequence[int]
                     ) -> dict[int, int]:
    """The position in the batch of each wanted row number (a few problems among a
    million records cost a few lookups, not a dict of a million rows).

    Examples
    --------
    >>> record_positions(np.array([4, 7, 9]), [9, 4])
    {4: 0, 9: 2}
    """
    if not wanted:
        return {}
    at = np.flatnonzero(np.isin(row_numbers, np.unique(np.asarray(wanted))))
    return dict(zip(row_numbers[at].tolist(), at.tolist(), strict=True))


@dataclass(frozen=True, eq=False)
class BatchResult:
    """The results of :meth:`~kematangan.scoring.Scorer.score_batch`, one row a record.

    Arrays are per record, in input order. ``outcomes`` and ``points`` are
    ``[criterion, record]`` matrices (criterion order as in the ruleset); an outcome is
    1 (met), 0 (not met), -1 (unknown) or 2 (does not apply). Stage and class
    indexes are -1 for none.
    ``issues`` lists every unusable input value at its record's row number, and
    problems of the whole input (a column that is not a field) with no row;
    ``row_numbers`` holds each record's (1, 2, 3... unless the scorer was given
    others, such as a spreadsheet's rows). ``index`` is the input DataFrame's
    index, when it was one (kept by :meth:`to_pandas`).
    """

    plan: Plan
    raw: ColumnResult
    group_ids: npt.NDArray[np.object_] | None
    issues: tuple[Problem, ...]
    row_numbers: npt.NDArray[np.int64]
    index: Any = None

    def __len__(self) -> int:
        return int(self.raw.score.shape[0])

    @property
    def score(self) -> npt.NDArray[np.float64]:
        """Total points per record (points from criteria known to be met)."""
        return self.raw.score

    @property
    def max_score(self) -> npt.NDArray[np.float64]:
        """Most points per record: criteria that do not apply to it leave it."""
        return self.raw.max_score

    @property
    def score_upper(self) -> npt.NDArray[np.float64]:
        """Total points if every unknown criterion turned out met."""
        return self.raw.score_upper

    def _names(self, ids: tuple[str, ...], idx: npt.NDArray[np.int16]
               ) -> npt.NDArray[np.object_]:
        table = np.array([*ids, None], dtype=object)
        names: npt.NDArray[np.object_] = table[np.where(idx < 0, len(ids), idx)]
        return names

    @property
    def stage(self) -> npt.NDArray[np.object_]:
        """Stage id reached for certain, or None."""
        return self._names(self.plan.stage_ids, self.raw.stage)

    @property
    def stage_upper(self) -> npt.NDArray[np.object_]:
        """Highest stage reachable once unknown data is known, or None."""
        return self._names(self.plan.stage_ids, self.raw.stage_upper)

    @property
    def class_(self) -> npt.NDArray[np.object_]:
        """Class id for certain, or None."""
        return self._names(self.plan.class_ids, self.raw.class_)

    @property
    def class_upper(self) -> npt.NDArray[np.object_]:
        """Highest class reachable once unknown data is known, or None."""
        return self._names(self.plan.class_ids, self.raw.class_upper)

    @property
    def exit_ready(self) -> npt.NDArray[np.object_]:
        """True, False, or None when missing data decides it."""
        table = np.array([False, True, None], dtype=object)
        return table[np.where(self.raw.exit_ready < 0, 2, self.raw.exit_ready)]

    def outcome(self, criterion_id: str) -> npt.NDArray[np.object_]:
        """Outcome names (``met``, ``not_met``, ``unknown``) of one criterion.

        Examples
        --------
        >>> from kematangan import Scorer
        >>> batch = Scorer("ppmk-ksm").score_batch([{"members": 3}, {"members": 9}])
        >>> batch.outcome("enough_members").tolist()
        ['not_met', 'met']
        """
        ci = self.plan.criterion_ids.index(criterion_id)
        names: npt.NDArray[np.object_] = _OUTCOME_NAMES[self.raw.outcomes[ci] + 1]
        return names

    def row(self, i: int) -> RowResult:
        """Record ``i``'s raw result."""
        r = self.raw
        return RowResult(
            outcomes=r.outcomes[:, i].tolist(), points=r.points[:, i].tolist(),
            score=float(r.score[i]), score_upper=float(r.score_upper[i]),
            stage=int(r.stage[i]), stage_upper=int(r.stage_upper[i]),
            class_=int(r.class_[i]), class_upper=int(r.class_upper[i]),
            exit_ready=int(r.exit_ready[i]), values=[float(c[i]) for c in r.columns],
            max_score=float(r.max_score[i]))

    def issues_by_record(self) -> dict[int, list[Problem]]:
        """Issues grouped by record (0-based position in the batch); those of the
        whole input (no row) are left out.

        Examples
        --------
        >>> from kematangan import Scorer
        >>> batch = Scorer("ppmk-ksm").score_batch([{"members": 3}, {"members": -1}])
        >>> [(i, p.row, p.code) for i, ps in batch.issues_by_record().items()
        ...  for p in ps]
        [(1, 2, 'below_minimum')]
        """
        index = record_positions(self.row_numbers,
                                 [x.row for x in self.issues if x.row is not None])
        out: dict[int, list[Problem]] = {}
        for issue in self.issues:
            if issue.row is not None:
                out.setdefault(index[issue.row], []).append(issue)
        return out

    def assessment(self, i: int) -> Assessment:
        """Record ``i`` (0-based) as a full :class:`Assessment`."""
        gid = self.group_ids[i] if self.group_ids is not None else None
        row = int(self.row_numbers[i])
        issues = [x for x in self.issues if x.row == row]
        return build_assessment(self.plan, self.row(i), issues,
                                None if gid is None else str(gid))

    def __iter__(self) -> Iterator[Assessment]:
        by_record = self.issues_by_record()
        for i in range(len(self)):
            gid = self.group_ids[i] if self.group_ids is not None else None
            yield build_assessment(self.plan, self.row(i), by_record.get(i, []),
                                   None if gid is None else str(gid))

    def columns(self, *, outcomes: bool = True) -> dict[str, npt.NDArray[Any]]:
        """A flat table: one array per column (group id, stage, class, score, ...,
        then one outcome column per criterion named ``outcome.<id>``)."""
        cols: dict[str, npt.NDArray[Any]] = {}
        if self.group_ids is not None:
            cols["group_id"] = self.group_ids
        cols["stage"] = self.stage
        cols["stage_upper"] = self.stage_upper
        cols["class"] = self.class_
        cols["class_upper"] = self.class_upper
        cols["score"] = self.score
        cols["score_upper"] = self.score_upper
        cols["exit_ready"] = self.exit_ready
        counts = np.zeros(len(self), np.int64)
        for i, found in self.issues_by_record().items():
            counts[i] = len(found)
        cols["issues"] = counts
        if outcomes:
            for c in self.plan.criteria:
                cols[f"outcome.{c.id}"] = _OUTCOME_NAMES[self.raw.outcomes[c.index] + 1]
        return cols

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per record (the :class:`Assessment` shape).

        Examples
        --------
        >>> from kematangan import Scorer
        >>> rec = Scorer("ppmk-ksm").score_batch([{"members": 9}]).to_records()[0]
        >>> rec["stage"], rec["outcomes"]["enough_members"]["outcome"]
        (None, 'met')
        """
        return [a.model_dump(mode="json", by_alias=True) for a in self]

    def to_jsonl(self, fp: IO[str]) -> int:
        """Write one JSON object per line to ``fp``; return the number of lines."""
        count = 0
        for a in self:
            fp.write(a.model_dump_json(by_alias=True))
            fp.write("\n")
            count += 1
        return count

    def to_pandas(self) -> Any:
        """The flat table of :meth:`columns` as a pandas DataFrame (needs pandas),
        on the input DataFrame's index when the batch was scored from one, so
        ``df.join(batch.to_pandas())`` lines up.

        Examples
        --------
        >>> import pandas as pd
        >>> from kematangan import Scorer
        >>> df = pd.DataFrame({"members": [3, 9]}, index=["a", "b"])
        >>> Scorer("ppmk-ksm").score_batch(df).to_pandas().index.tolist()
        ['a', 'b']
        """
        try:
            import pandas as pd
        except ImportError as err:  # pragma: no cover - depends on environment
            raise ImportError("to_pandas() needs pandas: pip install pandas") from err
        # Keep object columns as objects so a missing stage stays None, not NaN.
        index = self.index if self.index is not None and len(self.index) == len(
            self) else None
        return pd.DataFrame({
            name: pd.Series(col, dtype=object if col.dtype == object else col.dtype,
                            index=index)
            for name, col in self.columns().items()}, index=index)

    def summary(self) -> dict[str, Any]:
        """Counts per stage and class (``none``: no stage or class reached for
        certain), how many of those missing data leaves undetermined, exit-ready
        groups and records with issues."""
        stages = {s: int((self.raw.stage == i).sum())
                  for i, s in enumerate(self.plan.stage_ids)}
        stages["none"] = int((self.raw.stage < 0).sum())
        classes = {k: int((self.raw.class_ == i).sum())
                   for i, k in enumerate(self.plan.class_ids)}
        classes["none"] = int((self.raw.class_ < 0).sum())
        rows_with_issues = len(self.issues_by_record())
        return {
            "records": len(self),
            "stage": stages,
            "stage_undetermined": int((self.raw.stage != self.raw.stage_upper).sum()),
            "class": classes,
            "class_undetermined": int(
                (self.raw.class_ != self.raw.class_upper).sum()),
            "exit_ready": int((self.raw.exit_ready == 1).sum()),
            "records_with_issues": rows_with_issues,
            "ruleset": {"id": self.plan.ruleset_id, "version": self.plan.version,
                        "hash": self.plan.content_hash},
        }

    def blocking(self, i: int) -> list[str]:
        """Criteria holding record ``i`` back from its next stage."""
        return blocking_criteria(self.plan, self.raw.outcomes[:, i].tolist(),
                                 int(self.raw.stage[i]))

    def value(self, name: str) -> list[Any]:
        """Decoded values of a field or derived value, per record."""
        idx = self.plan.value_index(name)
        f = next((x for x in self.plan.fields if x.id == name), None)
        kind, cats = (f.type, f.categories) if f else (
            next(d.type for d in self.plan.derived if d.id == name), ())
        return [decode_value(kind, cats, float(v)) for v in self.raw.columns[idx]]

    def to_json(self) -> str:
        """All records as one JSON array."""
        return json.dumps(self.to_records(), ensure_ascii=False)
