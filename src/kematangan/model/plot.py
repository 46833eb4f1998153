"""The reliability diagram of an evaluation (matplotlib, imported when drawing)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kematangan.model.evaluation import Evaluation

__all__ = ["plot_reliability"]


def plot_reliability(evaluation: Evaluation, path: str | os.PathLike[str]) -> Path:
    """Save a reliability diagram of ``evaluation`` (PNG, SVG or PDF by suffix).

    Raises
    ------
    ImportError
        When matplotlib, an optional extra, is not installed.
    ValueError
        When the suffix is not ``.png``, ``.svg`` or ``.pdf``.

    Examples
    --------
    >>> import tempfile
    >>> from kematangan.model import MaturityModel, evaluate_model, make_synthetic
    >>> data = make_synthetic("ppmk-ksm", n=100, seed=1)   # SYNTHETIC groups
    >>> ev = evaluate_model(MaturityModel("ppmk-ksm"), data.records, data.labels,
    ...                     cv=2)
    >>> path = plot_reliability(ev, Path(tempfile.mkdtemp()) / "reliability.svg")
    >>> path.read_bytes().startswith(b"<?xml")
    True
    """
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ValueError(f"cannot save a plot as {out.suffix or 'no suffix'!r}; use "
                         ".png, .svg or .pdf")
    try:
        from matplotlib.figure import Figure
    except ImportError as err:
        raise ImportError("the reliability diagram needs matplotlib, an optional "
                          "extra: pip install matplotlib") from err
    fig = Figure(figsize=(5.0, 6.0))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    filled = [b for b in evaluation.bins if b.count]
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    top.plot([b.mean_predicted for b in filled], [b.observed for b in filled],
             marker="o", label="model")
    top.set_ylabel("observed rate of label 1")
    top.set_ylim(0, 1)
    top.legend(loc="upper left")
    top.set_title(f"Reliability ({evaluation.mode}, n={evaluation.n}); "
                  f"ECE {evaluation.ece:.3f} over {evaluation.n_bins} bins",
                  fontsize=9)
    widths = [b.upper - b.lower for b in evaluation.bins]
    bottom.bar([b.lower for b in evaluation.bins],
               [b.count for b in evaluation.bins], width=widths, align="edge",
               edgecolor="white")
    bottom.set_xlabel("predicted probability")
    bottom.set_ylabel("groups")
    bottom.set_xlim(0, 1)
    fig.tight_layout()
    fig.savefig(out)
    return out
