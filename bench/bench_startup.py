"""Benchmark start-up: ``import kematangan`` and the ``kematangan`` command.

Run ``python bench/bench_startup.py`` (``--runs N``, default 9; ``--imports`` to also
list the slowest imports of ``kematangan --help`` from ``python -X importtime``).
Each case runs N times in a fresh process; the table gives the median, fastest and
slowest wall time and the median CPU time (user + system) of the process. CPU time
moves less than wall time when other work shares the machine; the load average is
printed before and after, because figures taken on a busy machine are noisy.
Figures only; nothing is asserted. The target (issue 15): ``kematangan --help``
under 0.5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ppmk-ksm.csv"


def _command() -> list[str]:
    """The installed ``kematangan`` script (what users run), else ``-m``."""
    script = shutil.which("kematangan", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "kematangan"]


def cases() -> dict[str, list[str]]:
    cli = _command()
    return {
        "python (interpreter alone)": [sys.executable, "-c", "pass"],
        "import kematangan": [sys.executable, "-c", "import kematangan"],
        "kematangan --version": [*cli, "--version"],
        "kematangan --help": [*cli, "--help"],
        "kematangan score --help": [*cli, "score", "--help"],
        "kematangan rulesets list": [*cli, "rulesets", "list"],
        "kematangan explain (36 groups)": [*cli, "explain", str(EXAMPLE), "-r",
                                           "ppmk-ksm", "--group", "KSM-001"],
    }


def measure(argv: list[str], runs: int) -> tuple[list[float], list[float]] | int:
    """Wall and CPU seconds of ``runs`` fresh processes running ``argv``, or the
    exit code of a run that failed."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        code = subprocess.run(argv, check=False, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode
        if code:
            return code
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime
                    + after.ru_stime - before.ru_stime)
    return walls, cpus


def slowest_imports(argv: list[str], top: int = 15) -> list[tuple[float, str]]:
    """The imports with the largest cumulative time (seconds) in one run."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *argv], check=True,
                          capture_output=True, text=True)
    found = []
    for line in proc.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            found.append((int(parts[1]) / 1e6, parts[2].rstrip()))
    return sorted(found, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--imports", action="store_true",
                        help="list the slowest imports of kematangan --help")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f} before; {args.runs} runs each, seconds")
    print(f"{'':32} {'median':>7} {'fastest':>8} {'slowest':>8} {'cpu':>6}")
    for name, argv in cases().items():
        figures = measure(argv, args.runs)
        if isinstance(figures, int):
            print(f"{name:32} failed with exit code {figures}")
            continue
        walls, cpus = figures
        print(f"{name:32} {statistics.median(walls):7.3f} {min(walls):8.3f} "
              f"{max(walls):8.3f} {statistics.median(cpus):6.3f}")
    print(f"load average {os.getloadavg()[0]:.2f} after")
    if args.imports:
        print("\nslowest imports of kematangan --help (cumulative seconds):")
        for seconds, name in slowest_imports(["-m", "kematangan", "--help"]):
            print(f"  {seconds:6.3f} {name}")


if __name__ == "__main__":
    main()
