"""``kematangan model``: fit and evaluate the optional calibrated model.

The model informs; the rules decide. It needs scikit-learn (and matplotlib for
``--plot``), imported only when a command runs.

Exit codes: 0 success; 1 input, ruleset or model-file errors (a message, no
traceback); 2 usage errors.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from typing import Annotated, Any, NoReturn, cast

import typer

from kematangan.criteria.model import Ruleset
from kematangan.errors import KematanganError
from kematangan.scoring.scorer import Scorer

__all__ = ["model_app", "read_labelled"]

model_app = typer.Typer(
    name="model",
    help="Fit and evaluate the optional calibrated model (needs scikit-learn). "
    "The model informs; the rules decide.",
    no_args_is_help=True,
)

DataArg = Annotated[Path, typer.Argument(
    help="Labelled group records: a .csv file (header row) or .jsonl file (one JSON "
    "object per line).")]
LabelOpt = Annotated[str, typer.Option(
    "--label", "-l", help="The column holding the label: 1/0, true/false, ya/tidak. "
    "Rows with a blank label are left out.")]
RulesetOpt = Annotated[str, typer.Option(
    "--ruleset", "-r", help="A bundled ruleset id or a YAML file.")]

_TRUE = {"1", "1.0", "true", "t", "yes", "y", "ya", "benar"}
_FALSE = {"0", "0.0", "false", "f", "no", "n", "tidak", "salah"}


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _warnings(caught: list[warnings.WarningMessage]) -> None:
    for w in caught:
        typer.echo(f"warning: {w.message}", err=True)


@model_app.command("fit")
def fit(
    data: DataArg,
    label: LabelOpt,
    ruleset: RulesetOpt,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Where to write the model (JSON).")],
    c: Annotated[float, typer.Option(
        "--C", "-C", help="Inverse regularization strength.")] = 1.0,
    penalty: Annotated[str, typer.Option(help="l2 or l1.")] = "l2",
    method: Annotated[str, typer.Option(
        help="Calibration: sigmoid (small data) or isotonic.")] = "sigmoid",
    cv: Annotated[int, typer.Option(help="Folds for out-of-fold calibration.")] = 5,
) -> None:
    """Fit a calibrated model of LABEL on DATA and save it as JSON."""
    from kematangan.scoring.model import CalibrationDataWarning, MaturityModel

    scorer = _scorer(ruleset)
    records, labels = read_labelled(data, label, scorer.ruleset)
    if penalty not in ("l2", "l1"):
        _fail(f"--penalty must be l2 or l1, not {penalty!r}")
    if method not in ("sigmoid", "isotonic"):
        _fail(f"--method must be sigmoid or isotonic, not {method!r}")
    model = MaturityModel(scorer.ruleset, C=c, penalty=cast(Any, penalty),
                          method=cast(Any, method), cv=cv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CalibrationDataWarning)
            model.fit(records, labels)
        model.save(output)
    except (KematanganError, ImportError, ValueError) as err:
        _fail(str(err))
    except OSError as err:
        _fail(f"cannot write {output}: {err.strerror}")
    _warnings(caught)
    t = model.training_
    typer.echo(f"fitted on {t['n']} labelled groups ({t['positives']} labelled 1, "
               f"{t['negatives']} labelled 0) with {scorer.ruleset.id} "
               f"{scorer.ruleset.version}")
    typer.echo(f"features: {len(model.feature_names_)}; calibration: {method}, "
               f"{cv}-fold out-of-fold; C={c}, penalty={penalty}")
    issues = scorer.score_batch(records).issues
    if issues:
        typer.echo(f"{len(issues)} values could not be used and were read as "
                   "missing (see 'kematangan score' for each one)")
    if t["synthetic"]:
        typer.echo("note: the data is SYNTHETIC, and so is this model")
    typer.echo(f"model written to {output}")


@model_app.command("evaluate")
def evaluate(
    data: DataArg,
    label: LabelOpt,
    ruleset: RulesetOpt,
    model_path: Annotated[Path, typer.Option(
        "--model", "-m", help="A model file written by 'kematangan model fit'.")],
    plot: Annotated[Path | None, typer.Option(
        help="Save a reliability diagram (.png, .svg or .pdf; needs matplotlib).")
    ] = None,
    cv: Annotated[int, typer.Option(
        help="0 (default): score the saved model on DATA as held-out data. K >= 2: "
        "instead cross-validate the model's settings on DATA with K folds.")] = 0,
    bins: Annotated[int, typer.Option(help="Equal-width bins for ECE.")] = 10,
) -> None:
    """Brier score, log loss, ROC AUC and calibration error of a model on DATA."""
    from kematangan.scoring.model import (
        CalibrationDataWarning,
        MaturityModel,
        evaluate_model,
    )

    scorer = _scorer(ruleset)
    records, labels = read_labelled(data, label, scorer.ruleset)
    if cv == 1 or cv < 0:
        _fail(f"--cv must be 0 (held-out) or at least 2, not {cv}")
    if bins < 1:
        _fail(f"--bins must be at least 1, not {bins}")
    try:
        model = MaturityModel.load(model_path, scorer.ruleset)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CalibrationDataWarning)
            ev = evaluate_model(model, records, labels, cv=cv or None, n_bins=bins,
                                plot=plot)
    except (KematanganError, ImportError, ValueError) as err:
        _fail(str(err))
    except OSError as err:
        _fail(f"cannot write {plot}: {err.strerror}")
    _warnings(caught)
    how = (f"{cv}-fold cross-validation of the model's settings" if cv
           else "the saved model on held-out data")
    typer.echo(f"{ev.n} labelled groups ({ev.positives} labelled 1); {how}")
    auc = "n/a (one label only)" if ev.roc_auc is None else f"{ev.roc_auc:.3f}"
    typer.echo(f"  Brier score  {ev.brier:.4f}")
    typer.echo(f"  log loss     {ev.log_loss:.4f}")
    typer.echo(f"  ROC AUC      {auc}")
    typer.echo(f"  ECE          {ev.ece:.4f}  ({bins} equal-width bins)")
    if model.training_.get("synthetic"):
        typer.echo("note: this model was fitted on SYNTHETIC data")
    if ev.plot:
        typer.echo(f"reliability diagram written to {ev.plot}")


def _scorer(ruleset: str) -> Scorer:
    try:
        return Scorer(ruleset)
    except KematanganError as err:
        _fail(str(err))


def read_labelled(path: Path, label: str, ruleset: Ruleset
                  ) -> tuple[list[dict[str, Any]], list[bool]]:
    """Records and labels from a CSV or JSON Lines file (a small interim reader).

    Headers are matched to field ids and aliases (ignoring case); CSV texts are
    turned into numbers and booleans per field type. Rows with a blank label are
    left out. Exits with code 1 and a message on unreadable input.
    """
    rows = _read_rows(path)
    names: dict[str, str] = {}
    for f in ruleset.fields:
        for alias in (f.id, *f.aliases):
            names.setdefault(_norm(alias), f.id)
    for alias in (ruleset.group_id.field, *ruleset.group_id.aliases):
        names.setdefault(_norm(alias), ruleset.group_id.field)
    types = {f.id: f.type for f in ruleset.fields}
    headers = list(rows[0]) if rows else []
    if label not in headers:
        _fail(f"{path} has no column {label!r}; columns: {', '.join(headers)}")
    records: list[dict[str, Any]] = []
    labels: list[bool] = []
    for n, row in enumerate(rows, 1):
        y = _label(row.get(label))
        if y is None:
            continue
        if isinstance(y, str):
            _fail(f"{path}, record {n}: label {y!r} in column {label!r} is not 1/0, "
                  "true/false or ya/tidak")
        rec: dict[str, Any] = {}
        for key, value in row.items():
            if key == label:
                continue
            fid = names.get(_norm(key), key)
            rec[fid] = _convert(value, types.get(fid))
        records.append(rec)
        labels.append(y)
    if not records:
        _fail(f"{path} has no record with a label in column {label!r}")
    return records, labels


def _read_rows(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        _fail(f"cannot read {path}: {err.strerror}")
    except UnicodeDecodeError:
        _fail(f"{path} is not UTF-8 text; save it as UTF-8 CSV or JSON lines")
    if suffix == ".csv":
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return list(csv.DictReader(io.StringIO(text, newline=""), dialect=dialect))
    if suffix in (".jsonl", ".ndjson"):
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                _fail(f"{path}, line {n}: not valid JSON ({err.msg})")
            if not isinstance(row, dict):
                _fail(f"{path}, line {n}: expected a JSON object of field values")
            rows.append(row)
        return rows
    _fail(f"cannot read {path}: use a .csv or .jsonl file")


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").split())


def _label(raw: Any) -> bool | str | None:
    """True/False, None for blank, or the raw text when it is not a label."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return str(raw)


def _convert(value: Any, kind: str | None) -> Any:
    """A CSV text as the type its field takes; JSON values pass through."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if kind in ("number", "integer"):
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if kind == "integer" and number.is_integer() else number
    if kind == "boolean":
        low = text.lower()
        return True if low in _TRUE else False if low in _FALSE else text
    return text
