"""Tables, figures, trust warnings and the summary of a sensitivity run."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import figures
from experiments.sensitivity.design import Parameter
from experiments.store import atomic

#: Below this many base samples, Sobol intervals are too wide to rank parameters.
SOBOL_TRUSTED_N = 256
#: An ST interval wider than this (half-width) cannot rank parameters.
WIDE = 0.1
#: A share of output variance from replicate noise above this blurs the indices.
NOISY = 0.25


def markdown(table: pd.DataFrame, digits: int = 3) -> str:
    """A GitHub-flavoured markdown table."""
    def cell(value) -> str:
        if isinstance(value, float):
            return "" if math.isnan(value) else f"{value:.{digits}f}"
        return str(value)
    lines = ["| " + " | ".join(table.columns) + " |",
             "|" + "|".join("---" for _ in table.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in table.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def write_table(table: pd.DataFrame, stem: Path, title: str) -> None:
    """``stem``.csv, .parquet and .md, each written atomically."""
    for suffix, write in ((".csv", lambda p: table.to_csv(p, index=False)),
                          (".parquet", lambda p: table.to_parquet(p, index=False)),
                          (".md", lambda p: p.write_text(f"# {title}\n\n{markdown(table)}",
                                                         encoding="utf-8"))):
        with atomic(stem.with_suffix(suffix)) as tmp:
            write(tmp)


def flip_table(parameters: Sequence[Parameter], x: np.ndarray, y: np.ndarray,
               se: np.ndarray, outputs: Sequence[str], at_defaults: np.ndarray,
               levels: Sequence[str]) -> pd.DataFrame:
    """For every difference output: its value at the defaults, its spread over the
    sample, the share of points with the other sign (and beyond two standard errors), and
    the two parameters whose scaled values differ most between those points and the rest
    (standardised mean difference; '+' = flips at high values)."""
    low = np.array([p.low for p in parameters])
    span = np.array([p.high - p.low for p in parameters])
    scaled = (x - low) / span
    rows = []
    for k, output in enumerate(outputs):
        if k < len(levels):
            continue
        sign = np.sign(at_defaults[k]) or 1.0
        other = sign * y[:, k] < 0
        clear = sign * y[:, k] < -2 * se[:, k]
        separating = ""
        if 0 < other.sum() < len(other):
            pooled = scaled.std(axis=0)
            shift = (scaled[other].mean(0) - scaled[~other].mean(0)) / np.where(pooled, pooled, 1)
            order = np.argsort(-np.abs(shift))[:2]
            separating = "; ".join(f"{parameters[i].name} ({'+' if shift[i] > 0 else '-'}"
                                   f"{abs(shift[i]):.2f} sd)" for i in order)
        q = np.quantile(y[:, k], [0.05, 0.5, 0.95])
        rows.append({"output": output, "at_defaults": float(at_defaults[k]),
                     "min": float(y[:, k].min()), "p05": q[0], "median": q[1], "p95": q[2],
                     "max": float(y[:, k].max()), "other_sign": float(other.mean()),
                     "other_sign_beyond_2se": float(clear.mean()),
                     "separating": separating})
    return pd.DataFrame(rows)


def trust_warnings(sobol: pd.DataFrame, noise: pd.Series, n: int) -> list[str]:
    """Plain warnings when the design is too small or too noisy to trust."""
    out = []
    if n < SOBOL_TRUSTED_N:
        out.append(f"sensitivity.sobol.n = {n} base samples is a rough look: Sobol "
                   f"indices need N >= {SOBOL_TRUSTED_N} to rank parameters; do not read "
                   "the numbers below as results")
    for output, rows in sobol.groupby("output", sort=False):
        widest = float(rows["ST_conf"].max())
        if widest > WIDE:
            out.append(f"{output}: ST intervals up to +-{widest:.2f}, too wide to rank "
                       "parameters (raise sensitivity.sobol.n)")
        largest = float(rows["ST"].max())
        if largest > 1 + WIDE:
            out.append(f"{output}: ST = {largest:.2f} > 1 is an artefact of a small design, "
                       "not a result")
    for output, share in noise.items():
        if share > NOISY:
            out.append(f"{output}: {share:.0%} of its variance over the sample is replicate "
                       "noise (raise sensitivity.replicates)")
    return out


def summary(record: dict, sobol: pd.DataFrame, flips: pd.DataFrame, noise: pd.Series,
            parameters: Sequence[Parameter], chosen: Sequence[Parameter]) -> str:
    """The run in a page: what each difference depends on and whether it can flip."""
    lines = ["# What the advice depends on, over the admissible region", "",
             f"Baseline `{record['baseline']}` at {record['pressure']} pressure, horizon "
             f"{record['weeks']} weeks; {record['parameters']} parameters sampled over their "
             f"admissible ranges (`docs/parameters.yaml`); Morris {record['morris']['points']} "
             f"points, Sobol N = {record['sobol']['n']} over {len(chosen)} parameters "
             f"({record['sobol']['points']} points); {record['replicates_per_point']} "
             f"replicates per point and arm on common random numbers; {record['runs']:,} runs "
             f"in {record['seconds']:.0f} s on {record['jobs']} processes. Model fingerprint "
             f"`{record['model_fingerprint']}`. Reproduce: `{record['command']}`.", ""]
    if record["warnings"]:
        lines += ["**Warnings:**", "", *[f"- {w}" for w in record["warnings"]], ""]
    lines += ["## Sign flips", "", "Difference in P(alive) of each contrast minus the baseline: "
              "at the defaults (1,000 replicates), its spread over the Sobol sample, the "
              "share of points where its sign is the other one (beyond two standard errors "
              "of the point), and the parameters that separate those points.", "",
              markdown(flips), "## Sobol indices of the differences", "",
              "ST (total) and S1 (first order) per parameter; the share of each output's "
              "variance that is replicate noise is given first.", ""]
    for output, rows in sobol.groupby("output", sort=False):
        top = rows.sort_values("ST", ascending=False)
        parts = [f"{r.parameter} ST {r.ST:.2f}±{r.ST_conf:.2f} (S1 {r.S1:.2f})"
                 for r in top.itertuples() if r.ST > 0.05][:4]
        lines.append(f"- **{output}** (noise {noise[output]:.0%}): "
                     + ("; ".join(parts) or "no parameter above ST 0.05") + ".")
    lines += ["", "Parameters in the Sobol stage: " + ", ".join(p.name for p in chosen) + ".",
              ""]
    return "\n".join(lines)


@figures.styled
def _sobol(sobol: pd.DataFrame, noise: pd.Series) -> Figure:
    outputs = [o for o in dict.fromkeys(sobol["output"]) if " - " in o]
    order = (sobol[sobol["output"].isin(outputs)].groupby("parameter")["ST"].mean()
             .sort_values().index.tolist())
    cols = min(5, len(outputs))
    rows = math.ceil(len(outputs) / cols)
    fig = figures.new_figure(2.3 * cols + 1.8, (0.24 * len(order) + 1.1) * rows)
    axes = fig.subplots(rows, cols, sharey=True, squeeze=False)
    y = np.arange(len(order))
    for ax, output in zip(axes.flat, outputs, strict=False):
        r = sobol[sobol["output"] == output].set_index("parameter").reindex(order)
        ax.barh(y + 0.2, r["ST"], height=0.4, xerr=r["ST_conf"], color=figures.colour(0),
                label="total (ST)", error_kw={"linewidth": 0.7})
        ax.barh(y - 0.2, r["S1"], height=0.4, xerr=r["S1_conf"], color=figures.colour(1),
                label="first order (S1)", error_kw={"linewidth": 0.7})
        ax.set_title(f"{output.split(' - ')[0].replace('_', ' ')}\n(noise {noise[output]:.0%})",
                     fontsize=8)
        ax.set_xlim(-0.05, 1.05)
        ax.set_xlabel("share of variance", fontsize=7)
    for ax in axes.flat[len(outputs):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_yticks(y, [p.split(".")[1] for p in order], fontsize=7)
    axes.flat[0].legend(frameon=False, fontsize=7, loc="lower right")
    fig.suptitle("What each difference in P(alive) depends on (minus one EBE)", fontsize=9)
    return fig


def sobol_figure(sobol: pd.DataFrame, noise: pd.Series, stem: Path) -> None:
    figures.save(_sobol(sobol, noise), stem)


@figures.styled
def _morris(morris: pd.DataFrame, top: int = 15) -> Figure:
    scale = morris.groupby("output")["mu_star"].transform("max").replace(0, np.nan)
    table = morris.assign(rel=morris["mu_star"] / scale).pivot(
        index="parameter", columns="output", values="rel").fillna(0)
    table = table.loc[table.max(axis=1).sort_values(ascending=False).index[:top]]
    table = table[list(dict.fromkeys(morris["output"]))]
    fig = figures.new_figure(0.45 * table.shape[1] + 3.2, 0.28 * len(table) + 2.2)
    ax = fig.subplots()
    image = ax.imshow(table.to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_yticks(range(len(table)), [p.split(".")[1] for p in table.index], fontsize=7)
    ax.set_xticks(range(table.shape[1]), [c.replace(" - ", " -\n") for c in table.columns],
                  rotation=90, fontsize=6)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="mu* / largest mu* of the output", shrink=0.6)
    ax.set_title("Morris screening: which parameters move each output", fontsize=9)
    return fig


def morris_figure(morris: pd.DataFrame, stem: Path) -> None:
    figures.save(_morris(morris), stem)
