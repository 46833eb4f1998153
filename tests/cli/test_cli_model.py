"""``kematangan model fit`` and ``evaluate`` (the ``model_app`` sub-application)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kematangan.cli.model_commands import model_app
from kematangan.model import make_synthetic

pytest.importorskip("sklearn")

runner = CliRunner()


def _write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fp:
        writer = csv.DictWriter(fp, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return path


@pytest.fixture(scope="module")
def train_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = make_synthetic("ppmk-ksm", n=300, seed=21).rows(label="sustained")
    return _write_csv(tmp_path_factory.mktemp("cli") / "train.csv", rows)


@pytest.fixture(scope="module")
def model_json(train_csv: Path) -> Path:
    out = train_csv.parent / "model.json"
    result = runner.invoke(model_app, ["fit", str(train_csv), "--label", "sustained",
                                       "--ruleset", "ppmk-ksm", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_fit_writes_a_json_model_and_a_summary(train_csv: Path,
                                               model_json: Path) -> None:
    data = json.loads(model_json.read_text(encoding="utf-8"))
    assert data["format"] == "kematangan-model"
    assert data["training"]["n"] == 300
    result = runner.invoke(model_app, ["fit", str(train_csv), "-l", "sustained",
                                       "-r", "ppmk-ksm", "-o",
                                       str(model_json.parent / "again.json")])
    assert "fitted on 300 labelled groups" in result.output


def test_evaluate_held_out_jsonl_prints_the_metrics(model_json: Path,
                                                    tmp_path: Path) -> None:
    rows = make_synthetic("ppmk-ksm", n=200, seed=22).rows(label="sustained")
    path = tmp_path / "test.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = runner.invoke(model_app, ["evaluate", str(path), "--label", "sustained",
                                       "--ruleset", "ppmk-ksm", "--model",
                                       str(model_json)])
    assert result.exit_code == 0, result.output
    for word in ("Brier score", "log loss", "ROC AUC", "ECE", "held-out",
                 "10 equal-width bins", "SYNTHETIC"):
        assert word in result.output


def test_evaluate_cross_validates_and_plots(train_csv: Path, model_json: Path,
                                            tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "rel.svg"
    result = runner.invoke(model_app, ["evaluate", str(train_csv), "-l", "sustained",
                                       "-r", "ppmk-ksm", "-m", str(model_json),
                                       "--cv", "3", "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert "3-fold cross-validation" in result.output
    assert plot.read_bytes().startswith(b"<?xml")


def test_blank_labels_are_left_out(tmp_path: Path) -> None:
    rows = make_synthetic("ppmk-ksm", n=120, seed=23).rows(label="y")
    for row in rows[:20]:
        row["y"] = None
    path = _write_csv(tmp_path / "d.csv", rows)
    result = runner.invoke(model_app, ["fit", str(path), "-l", "y", "-r", "ppmk-ksm",
                                       "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 0, result.output
    assert "fitted on 100 labelled groups" in result.output


def test_small_data_prints_a_warning(tmp_path: Path) -> None:
    rows = make_synthetic("ppmk-ksm", n=30, seed=24).rows(label="y")
    path = _write_csv(tmp_path / "d.csv", rows)
    result = runner.invoke(model_app, ["fit", str(path), "-l", "y", "-r", "ppmk-ksm",
                                       "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 0, result.output
    assert "warning: only 30 labelled groups" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--label", "nope"], "has no column 'nope'"),
     (["--ruleset", "ppmk-ksn"], "did you mean 'ppmk-ksm'"),
     (["--method", "platt"], "--method must be sigmoid or isotonic"),
     (["--cv", "500"], "needs at least 500 of each")],
)
def test_fit_input_errors_exit_1_with_a_message(train_csv: Path, tmp_path: Path,
                                                args: list[str],
                                                message: str) -> None:
    base = {"--label": "sustained", "--ruleset": "ppmk-ksm"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = ["fit", str(train_csv), "-o", str(tmp_path / "m.json")]
    for flag, value in base.items():
        argv += [flag, value]
    result = runner.invoke(model_app, argv)
    assert result.exit_code == 1
    assert "error:" in result.output and message in result.output


def test_bad_label_value_exits_1_naming_the_record(tmp_path: Path) -> None:
    rows = make_synthetic("ppmk-ksm", n=10, seed=25).rows(label="y")
    rows[3]["y"] = "maybe"
    path = _write_csv(tmp_path / "d.csv", rows)
    result = runner.invoke(model_app, ["fit", str(path), "-l", "y", "-r", "ppmk-ksm",
                                       "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 1
    assert "row 5: label 'maybe'" in result.output  # row 1 is the header


def test_evaluate_refuses_a_model_of_another_ruleset(train_csv: Path,
                                                     model_json: Path,
                                                     tmp_path: Path) -> None:
    data = json.loads(model_json.read_text(encoding="utf-8"))
    data["ruleset"]["hash"] = "0" * 64
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(model_app, ["evaluate", str(train_csv), "-l", "sustained",
                                       "-r", "ppmk-ksm", "-m", str(other)])
    assert result.exit_code == 1
    assert "the model was fitted with ruleset 'ppmk-ksm'" in result.output


def test_damaged_workbook_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    path.write_bytes(b"PK")
    result = runner.invoke(model_app, ["fit", str(path), "-l", "y", "-r", "ppmk-ksm",
                                       "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 1
    assert "damaged or is not a workbook" in result.output
    assert "Traceback" not in result.output


def _tampered(model_json: Path, tmp_path: Path, kind: str) -> Path:
    text = model_json.read_text(encoding="utf-8")
    data = json.loads(text)
    if kind == "nan":
        data["coef"][3] = float("nan")
        text = json.dumps(data)
    elif kind == "text":
        data["scaler"]["scale"][0] = "1.0"
        text = json.dumps(data)
    elif kind == "truncated":
        text = text[: len(text) // 2]
    bad = tmp_path / f"{kind}.json"
    bad.write_text(text, encoding="utf-8")
    return bad


TAMPERED = [("nan", "bad.json: coef[3]: expected a finite number, got NaN"),
            ("text", 'scaler.scale[0]: expected a number, got "1.0"'),
            ("truncated", "not valid JSON")]


@pytest.mark.parametrize(("kind", "message"), TAMPERED)
def test_evaluate_with_a_tampered_model_exits_1_with_one_message(
        train_csv: Path, model_json: Path, tmp_path: Path, kind: str,
        message: str) -> None:
    bad = _tampered(model_json, tmp_path, kind)
    result = runner.invoke(model_app, ["evaluate", str(train_csv), "-l", "sustained",
                                       "-r", "ppmk-ksm", "-m", str(bad)])
    assert result.exit_code == 1
    assert result.output.count("error:") == 1
    assert message.replace("bad.json", str(bad)) in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("kind", "message"), TAMPERED)
def test_score_with_a_tampered_model_exits_1_with_one_message(
        train_csv: Path, model_json: Path, tmp_path: Path, kind: str,
        message: str) -> None:
    from kematangan.cli.app import app

    bad = _tampered(model_json, tmp_path, kind)
    out = tmp_path / "scored.csv"
    result = runner.invoke(app, ["score", str(train_csv), "-r", "ppmk-ksm",
                                 "--model", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.count("error:") == 1
    assert f"cannot use model {bad}: " in result.output
    assert message.replace("bad.json", str(bad)) in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
