"""``kematangan model``: fit and evaluate the optional calibrated model.

The model informs; the rules decide. It needs scikit-learn (and matplotlib for
``--plot``), imported only when a command runs, as is everything else heavy.

Exit codes: 0 success; 1 input, ruleset or model-file errors (a message, no
traceback); 2 usage errors and output problems.
"""

from __future__ import annotations

import warnings
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from kematangan.cli.options import RulesetOpt, fail, read_problem, scorer_for
from kematangan.cli.output import writing
from kematangan.errors import CalibrationDataWarning, KematanganError, suggest

if TYPE_CHECKING:
    from kematangan.criteria import Ruleset

__all__ = ["model_app", "read_labelled"]

model_app = typer.Typer(
    name="model",
    help="Fit and evaluate the optional calibrated model (needs scikit-learn). "
    "The model informs; the rules decide.",
    no_args_is_help=True,
)

DataArg = Annotated[Path, typer.Argument(
    help="Labelled group records: .xlsx, .xls, .ods, .csv, .tsv, .json, .jsonl or "
    ".parquet, one row per group.")]
LabelOpt = Annotated[str, typer.Option(
    "--label", "-l", help="The column holding the label: 1/0, true/false, ya/tidak. "
    "Rows with a blank label are left out.")]


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
    from kematangan.model import MaturityModel

    scorer = scorer_for(ruleset)
    records, labels = read_labelled(data, label, scorer.ruleset)
    if penalty not in ("l2", "l1"):
        fail(f"--penalty must be l2 or l1, not {penalty!r}")
    if method not in ("sigmoid", "isotonic"):
        fail(f"--method must be sigmoid or isotonic, not {method!r}")
    model = MaturityModel(scorer.ruleset, C=c, penalty=cast(Any, penalty),
                          method=cast(Any, method), cv=cv)
    with writing(output, inputs=[data]):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", CalibrationDataWarning)
                model.fit(records, labels)
            model.save(output)
        except (KematanganError, ImportError, ValueError) as err:
            fail(str(err))
    _warnings(caught)
    t = model.training_
    typer.echo(f"fitted on {t['n']} labelled groups ({t['positives']} labelled 1, "
               f"{t['negatives']} labelled 0) with {scorer.ruleset.id} "
               f"{scorer.ruleset.version}")
    typer.echo(f"features: {len(model.feature_names_)}; calibration: {method}, "
               f"{cv}-fold out-of-fold; C={c}, penalty={penalty}")
    issues = [p for p in scorer.score_batch(records).issues if p.row is not None]
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
    from kematangan.model import MaturityModel, evaluate_model

    scorer = scorer_for(ruleset)
    records, labels = read_labelled(data, label, scorer.ruleset)
    if cv == 1 or cv < 0:
        fail(f"--cv must be 0 (held-out) or at least 2, not {cv}")
    if bins < 1:
        fail(f"--bins must be at least 1, not {bins}")
    try:
        model = MaturityModel.load(model_path, scorer.ruleset)
    except (KematanganError, ImportError, ValueError) as err:
        fail(str(err))
    plotting = (writing(plot, option="--plot", inputs=[data, model_path])
                if plot is not None else nullcontext())
    with plotting:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", CalibrationDataWarning)
                ev = evaluate_model(model, records, labels, cv=cv or None,
                                    n_bins=bins, plot=plot)
        except (KematanganError, ImportError, ValueError) as err:
            fail(str(err))
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


def read_labelled(path: Path, label: str, ruleset: Ruleset
                  ) -> tuple[dict[str, Any], list[bool]]:
    """Columns and labels from any file the project's readers take.

    The label column holds 1/0, true/false or ya/tidak; rows with a blank label are
    left out. Exits with code 1 and a message on unreadable input or labels.
    """
    import numpy as np

    from kematangan.criteria.ruleset import FieldSpec, Text
    from kematangan.io import read_table
    from kematangan.io.values import read_boolean

    spec = FieldSpec(id="label", type="boolean", label=Text(id="label"))
    try:
        table = read_table(path, ruleset)
    except KematanganError as err:
        fail(str(err))
    except OSError as err:
        fail(read_problem(path, err))
    if label not in table.passthrough:
        close = suggest(label, list(table.passthrough))
        hint = f" (did you mean {close!r}?)" if close else ""
        fail(f"{path} has no column {label!r}{hint}")
    keep: list[int] = []
    labels: list[bool] = []
    for i, raw in enumerate(table.passthrough[label]):
        reading = read_boolean(raw, spec)
        if reading.severity == "error":
            fail(f"{path}, row {int(table.row_numbers[i])}: label {raw!r} in column "
                  f"{label!r} is not 1/0, true/false or ya/tidak")
        if reading.value is None:
            continue
        keep.append(i)
        labels.append(reading.value == 1.0)
    if not keep:
        fail(f"{path} has no record with a label in column {label!r}")
    index = np.array(keep)
    columns: dict[str, Any] = {k: v[index] for k, v in table.columns.items()}
    if table.group_ids is not None:
        columns[ruleset.group_id.field] = table.group_ids[index]
    if "synthetic" in table.passthrough:  # keep the synthetic-data flag visible
        columns["synthetic"] = table.passthrough["synthetic"][index]
    return columns, labels
