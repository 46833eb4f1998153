"""Hostile ruleset files and saved models, through the API and the command line,
each in a process of its own under a memory limit and a time bound: a clear error
with its code, never a traceback, a signal or a hang."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kematangan.model import MaturityModel, make_synthetic
from tests.hostile.harness import Run, Server

MEMORY = 1536 << 20
SECONDS = 20.0

HEAD = "id: x\nversion: 1.0.0\ntitle: X\ndescription: X\nsources: [{title: t}]\n"
FIELDS = "fields:\n  - {id: a, type: number, label: A}\n"


def _alias_bomb() -> bytes:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


RULESETS: list[tuple[str, Callable[[], bytes], str]] = [
    ("alias_bomb", _alias_bomb, "yaml_too_many_nodes"),
    ("self_alias", lambda: b"a: &a [*a]\n", "yaml_alias"),
    ("deep_nesting", lambda: b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "yaml"),
    ("deep_expression", lambda: (HEAD + FIELDS + "criteria:\n  - {id: c, label: C, "
                                 "expr: '" + "(" * 130 + "a > 1" + ")" * 130 + "'}\n"
                                 ).encode(), "expr_too_deep"),
    ("latin1_byte", lambda: HEAD.encode() + b"note: caf\xe9\n", "file_not_utf8"),
    ("complex_key", lambda: b"? [a, b]\n: 1\n", "yaml_complex_key"),
    ("nan_threshold", lambda: (HEAD + FIELDS + "criteria:\n  - {id: c, label: C, "
                               "threshold: {field: a, op: '>=', value: .nan}}\n"
                               ).encode(), "not_finite_number"),
    ("huge_file", lambda: b"# " + b"x" * (2 << 20) + b"\n", "file_too_large"),
    ("python_tag", lambda: b"a: !!python/object:os.system ls\n",
     "yaml_tag_unsupported"),
]


@pytest.mark.parametrize(("name", "make", "code"), RULESETS,
                         ids=[r[0] for r in RULESETS])
def test_hostile_ruleset_is_refused_with_its_code(
        name: str, make: Callable[[], bytes], code: str, server: Server,
        tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(make())
    run = server.run("ruleset", {"path": str(path)}, memory=MEMORY, seconds=SECONDS)
    _clean(run)
    assert run.result.get("error") == "RulesetError", run.result
    assert any(c.startswith(code) for c in run.result["codes"]), run.result
    cli = server.run("cli", {"argv": ["rulesets", "validate", str(path)]},
                     memory=MEMORY, seconds=SECONDS)
    _clean(cli)
    assert cli.exit == 1 and "error:" in cli.stderr


@pytest.fixture(scope="module")
def model_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    data = make_synthetic("ppmk-ksm", n=120, seed=3)
    path = tmp_path_factory.mktemp("model") / "m.json"
    MaturityModel("ppmk-ksm").fit(data.records, data.labels).save(path)
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _edit(doc: dict[str, object], key: str, value: object) -> bytes:
    changed = json.loads(json.dumps(doc))
    target, _, leaf = key.rpartition(".")
    node = changed
    for part in filter(None, target.split(".")):
        node = node[part]
    if isinstance(node[leaf], list):
        node[leaf][0] = value
    else:
        node[leaf] = value
    return json.dumps(changed).encode()


MODELS: list[tuple[str, Callable[[dict[str, object]], bytes], str]] = [
    ("nan_coefficient", lambda d: _edit(d, "coef", float("nan")), "coef"),
    ("text_scale", lambda d: _edit(d, "scaler.scale", "1"), "scaler.scale"),
    ("zero_scale", lambda d: _edit(d, "scaler.scale", 0.0), "scaler.scale"),
    ("boolean_intercept", lambda d: _edit(d, "intercept", True), "intercept"),
    ("deep_json", lambda d: b"[" * 100_000 + b"]" * 100_000, "nest"),
    ("truncated", lambda d: json.dumps(d).encode()[:200], "JSON"),
    ("huge_file", lambda d: b" " * (9 << 20) + b"{}", "bytes"),
]


@pytest.mark.parametrize(("name", "make", "fragment"), MODELS,
                         ids=[m[0] for m in MODELS])
def test_hostile_model_is_refused_naming_the_field(
        name: str, make: Callable[[dict[str, object]], bytes], fragment: str,
        model_document: dict[str, object], server: Server, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.json"
    path.write_bytes(make(model_document))
    run = server.run("model", {"path": str(path), "ruleset": "ppmk-ksm"},
                     memory=MEMORY, seconds=SECONDS)
    _clean(run)
    assert run.result.get("error") == "ModelError", run.result
    assert fragment in run.result["message"], run.result["message"]
    data = tmp_path / "groups.csv"
    data.write_text("Kode KSM;Jumlah anggota\nA;12\n", encoding="utf-8")
    cli = server.run("cli", {"argv": ["score", str(data), "-r", "ppmk-ksm",
                                      "--model", str(path), "-o",
                                      str(tmp_path / "out.csv")]},
                     memory=MEMORY, seconds=SECONDS)
    _clean(cli)
    assert cli.exit == 1 and "error:" in cli.stderr


def _clean(run: Run) -> None:
    assert not run.timed_out, "hang"
    assert run.signal is None, f"killed by signal {run.signal}"
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
