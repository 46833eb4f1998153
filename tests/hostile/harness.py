"""Run one input through the API or the CLI in a process of its own, under a memory
limit and a time bound, and report how it ended.

A server (``python -m tests.hostile.harness``) imports kematangan once and forks a
child per case, so a case costs a fork, not an interpreter start. The child caps its
address space (``RLIMIT_AS``), sends its output to files and runs a *driver*; the
server waits for it with ``wait4`` (exit status, signal, peak memory) and kills its
process group when time is up. A driver that raises anything is reported with its
traceback, exactly as the real command would print it.

Drivers are the extension point: ``read`` reads a data file with
:func:`kematangan.io.read_table`, ``cli`` runs the command line, ``ruleset`` loads a
ruleset file and ``model`` a saved model.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]


def _limits(spec: dict[str, Any]) -> Any:
    from kematangan.io import Limits

    return Limits(**spec) if spec else None


def drive_read(args: dict[str, Any]) -> dict[str, Any]:
    """Read a data file with the API: the rows and issues, or the error."""
    from kematangan.criteria import load_ruleset
    from kematangan.errors import KematanganError
    from kematangan.io import read_table

    try:
        table = read_table(args["path"], load_ruleset(args["ruleset"]),
                           limits=_limits(args.get("limits", {})))
    except KematanganError as err:
        return {"error": type(err).__name__, "message": str(err)}
    return {"rows": len(table), "issues": [[i.row, i.code, i.severity]
                                           for i in table.issues]}


def drive_cli(args: dict[str, Any]) -> dict[str, Any]:
    """Run the command line; its exit code is the child's."""
    from kematangan.cli import main

    sys.argv = ["kematangan", *args["argv"]]
    try:
        main()
    except SystemExit as done:
        code = done.code
        if isinstance(code, str):
            print(code, file=sys.stderr)
            code = 1
        return {"exit": code or 0}
    return {"exit": 0}


def drive_ruleset(args: dict[str, Any]) -> dict[str, Any]:
    """Load a ruleset file with the API: its id, or the error and its codes."""
    from kematangan.criteria import load_ruleset
    from kematangan.errors import RulesetError

    try:
        ruleset = load_ruleset(Path(args["path"]))
    except RulesetError as err:
        return {"error": type(err).__name__, "message": str(err),
                "codes": [p.code for p in err.problems]}
    return {"id": ruleset.id}


def drive_model(args: dict[str, Any]) -> dict[str, Any]:
    """Load a saved model with the API: its feature count, or the error."""
    from kematangan.errors import KematanganError
    from kematangan.model import MaturityModel

    try:
        model = MaturityModel.load(args["path"], args["ruleset"])
    except KematanganError as err:
        return {"error": type(err).__name__, "message": str(err)}
    return {"features": len(model.feature_names_)}


DRIVERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "read": drive_read,
    "cli": drive_cli,
    "ruleset": drive_ruleset,
    "model": drive_model,
}


@dataclass(frozen=True)
class Run:
    """How one case ended."""

    exit: int | None
    """The child's exit code (``None`` when a signal ended it)."""
    signal: int | None
    seconds: float
    peak_mb: float
    """Peak resident memory of the child beyond the server's own."""
    timed_out: bool
    stdout: str
    stderr: str
    result: dict[str, Any]


def _child(request: dict[str, Any], result: str) -> int:
    os.setpgid(0, 0)
    memory = int(request["memory"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    outcome = DRIVERS[request["driver"]](request["args"])
    Path(result).write_text(json.dumps(outcome), encoding="utf-8")
    return int(outcome.get("exit", 0))


def _read(fh: IO[bytes]) -> str:
    fh.seek(0)
    return fh.read().decode("utf-8", "replace")


def run_one(request: dict[str, Any], baseline_kb: int) -> dict[str, Any]:
    """Fork a child for ``request`` and report how it ended (server side)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as tmp:
        result = os.path.join(tmp, "result.json")
        sys.stdout.flush()
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child
            code = 70
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = open(1, "w", closefd=False)
                sys.stderr = open(2, "w", closefd=False)
                code = _child(request, result)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        deadline = start + float(request["seconds"])
        timed_out = False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() > deadline and not timed_out:
                timed_out = True
                os.killpg(pid, signal.SIGKILL)
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        try:
            os.killpg(pid, signal.SIGKILL)  # helpers it left, if any
        except ProcessLookupError:
            pass
        outcome = json.loads(Path(result).read_text()) if os.path.exists(result) \
            else {}
        return {
            "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "seconds": seconds,
            "peak_mb": max(0, usage.ru_maxrss - baseline_kb) / 1024,
            "timed_out": timed_out,
            "stdout": _read(out),
            "stderr": _read(err),
            "result": outcome,
        }


def serve() -> None:
    """Answer requests, one JSON line each on stdin, with one JSON line each."""
    import kematangan.cli
    import kematangan.io
    import kematangan.scorefile  # noqa: F401  (loaded once, shared by every child)

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for line in sys.stdin:
        reply = run_one(json.loads(line), baseline)
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


class Server:
    """The test side: starts the server and sends it cases."""

    def __init__(self) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile.harness"], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, driver: str, args: dict[str, Any], *, memory: int,
            seconds: float) -> Run:
        """Run one case; see :class:`Run`."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {"driver": driver, "args": args, "memory": memory,
                   "seconds": seconds}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        return Run(**reply)

    def close(self) -> None:
        """Stop the server."""
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


if __name__ == "__main__":
    serve()
