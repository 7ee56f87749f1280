"""Figures of a study (matplotlib), in the Okabe-Ito colour-blind-safe palette.

Each function returns a :class:`matplotlib.figure.Figure` (no pyplot state, so figures
can be drawn in worker processes and servers); :func:`save` writes it as PNG and SVG and
:func:`png_base64` embeds it in a page. Axes carry their units.
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# colour-vision deficiency. Yellow (#F0E442) is kept last: weak on white.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
             "#F0E442")
PRESSURE_ORDER = ("calm", "normal", "high")
UNITS = {
    "distinctiveness": "distinctiveness\n(EBE view minus team view, 0-1 scale)",
    "experiential_share": "experiential share\n(share of decision weight)",
    "team_perspective": "team perspective\n(0 system world, 1 life world)",
}
OUTCOME_LABELS = {
    "survived": "perspective survives (percentage points)",
    "experiential_share": "experiential share of decisions (percentage points)",
    "team_shift": "team shift toward the life world (perspective units)",
    "exits": "EBE exits (persons per team)",
}
RC = {"font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
      "axes.grid": True, "grid.alpha": 0.3, "svg.fonttype": "none"}


def colour(i: int) -> str:
    return OKABE_ITO[i % len(OKABE_ITO)]


def ordered(values: Sequence) -> list:
    """Pressure levels calm < normal < high first, anything else sorted after them."""
    values = list(dict.fromkeys(values))
    known = [v for v in PRESSURE_ORDER if v in values]
    return known + sorted((v for v in values if v not in PRESSURE_ORDER), key=str)


def horizon_phrase(weeks: int) -> str:
    """'two years' for 104 weeks, 'one year' for 52, else 'N weeks'."""
    years = {52: "one year", 104: "two years", 156: "three years"}
    return years.get(int(weeks), f"{int(weeks)} weeks")


def new_figure(width: float, height: float) -> Figure:
    """A constrained-layout figure at 150 dpi."""
    fig = Figure(figsize=(width, height), layout="constrained")
    fig.set_dpi(150)
    return fig


def styled(draw):
    """Draw under the module's rc settings."""
    @functools.wraps(draw)
    def wrapped(*args, **kwargs):
        with rc_context(RC):
            return draw(*args, **kwargs)
    return wrapped


@styled
def survival_curves(table: pd.DataFrame, group: str, panel: str = "pressure",
                    group_label: str = "EBEs in the team") -> Figure:
    """Kaplan-Meier curves with 95% bands (``analysis.survival.survival_table``), one
    panel per level of ``panel`` and one colour per value of ``group``."""
    panels = ordered(table[panel].unique())
    fig = new_figure(3.4 * len(panels) + 0.6, 3.2)
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    for ax, level in zip(axes, panels, strict=True):
        rows = table[table[panel] == level]
        for i, value in enumerate(sorted(rows[group].unique(), key=str)):
            curve = rows[rows[group] == value]
            ax.step(curve["week"], 100 * curve["survival"], where="post", color=colour(i),
                    label=str(value))
            ax.fill_between(curve["week"], 100 * curve["lower"], 100 * curve["upper"],
                            step="post", color=colour(i), alpha=0.2, linewidth=0)
        ax.set_title(f"{level} pressure" if level in PRESSURE_ORDER else str(level))
        ax.set_xlabel("weeks since the start")
        ax.set_ylim(-2, 102)
    axes[0].set_ylabel("teams where the perspective survives (%)")
    fig.legend(*axes[0].get_legend_handles_labels(), title=group_label, frameon=False,
               loc="outside right center")
    return fig


@styled
def survival_by_hires(props: pd.DataFrame, horizon: int, x: str = "ebe_count",
                      line: str = "pressure") -> Figure:
    """P(perspective survives the horizon) against the number of EBEs, one line per
    pressure level, with intervals (``analysis.compare.proportions``)."""
    fig = new_figure(4.6, 3.2)
    ax = fig.subplots()
    for i, level in enumerate(ordered(props[line].unique())):
        rows = props[props[line] == level].sort_values(x)
        p = 100 * rows["p"].to_numpy()
        err = np.vstack([p - 100 * rows["low"], 100 * rows["high"] - p])
        ax.errorbar(rows[x], p, yerr=err, color=colour(i), marker="o", capsize=3,
                    label=f"{level} pressure" if level in PRESSURE_ORDER else str(level))
    ax.set_xlabel("number of EBEs hired (persons)")
    ax.set_ylabel(f"perspective survives {horizon_phrase(horizon)} (% of teams)")
    ax.set_xticks(sorted(props[x].unique()))
    ax.set_ylim(-2, 102)
    ax.legend(frameon=False)
    return fig


@styled
def trajectories(bands: pd.DataFrame, group: str, panel: str = "pressure",
                 variables: Sequence[str] = ("distinctiveness", "experiential_share"),
                 group_label: str = "EBEs") -> Figure:
    """Median per week with the central 50% (dark) and 90% (light) of replicates, one row
    per variable and one column per level of ``panel`` (``weekly_bands``)."""
    panels = ordered(bands[panel].unique())
    fig = new_figure(3.4 * len(panels) + 0.6, 2.6 * len(variables))
    axes = fig.subplots(len(variables), len(panels), sharex=True, squeeze=False)
    for r, variable in enumerate(variables):
        for c, level in enumerate(panels):
            ax = axes[r][c]
            rows = bands[(bands["variable"] == variable) & (bands[panel] == level)]
            for i, value in enumerate(sorted(rows[group].unique(), key=str)):
                b = rows[rows[group] == value].sort_values("week")
                ax.fill_between(b["week"], b["q05"], b["q95"], color=colour(i), alpha=0.12,
                                linewidth=0)
                ax.fill_between(b["week"], b["q25"], b["q75"], color=colour(i), alpha=0.3,
                                linewidth=0)
                ax.plot(b["week"], b["q50"], color=colour(i), label=str(value))
            if r == 0:
                ax.set_title(f"{level} pressure" if level in PRESSURE_ORDER else str(level))
            if c == 0:
                ax.set_ylabel(UNITS.get(variable, variable))
            if r == len(variables) - 1:
                ax.set_xlabel("weeks since the start")
    fig.legend(*axes[0][0].get_legend_handles_labels(), title=group_label, frameon=False,
               loc="outside right center")
    return fig


@styled
def lever_effects(diffs: pd.DataFrame, lever: str = "label", outcome: str = "survived",
                  dodge: str = "pressure") -> Figure:
    """Ranked effects of the levers against the baseline with 95% intervals, one marker
    per level of ``dodge`` (``analysis.compare.paired_differences``)."""
    rows = diffs[diffs["outcome"] == outcome]
    scale = 100.0 if outcome in ("survived", "experiential_share") else 1.0
    rank = rows.groupby(lever)["difference"].mean().sort_values().index.tolist()
    levels = ordered(rows[dodge].unique())
    fig = new_figure(5.2, 0.35 * len(rank) + 1.3)
    ax = fig.subplots()
    offsets = np.linspace(-0.15, 0.15, len(levels)) if len(levels) > 1 else [0.0]
    for i, (level, offset) in enumerate(zip(levels, offsets, strict=True)):
        sub = rows[rows[dodge] == level].set_index(lever).reindex(rank)
        y = np.arange(len(rank)) + offset
        d = scale * sub["difference"].to_numpy()
        err = np.vstack([d - scale * sub["low"], scale * sub["high"] - d])
        ax.errorbar(d, y, xerr=err, fmt="o", color=colour(i), capsize=2, markersize=4,
                    label=f"{level} pressure" if level in PRESSURE_ORDER else str(level))
    ax.axvline(0, color="0.4", linewidth=0.8)
    ax.set_yticks(np.arange(len(rank)), [str(r).replace("_", " ") for r in rank])
    ax.set_xlabel("effect against the baseline:\n" + OUTCOME_LABELS.get(outcome, outcome))
    ax.legend(frameon=False, fontsize=8)
    return fig


@styled
def heatmap(props: pd.DataFrame, horizon: int, x: str = "ebe_count",
            y: str = "pressure") -> Figure:
    """P(perspective survives the horizon) on a pressure x hires grid, in % per cell."""
    ys, xs = ordered(props[y].unique()), sorted(props[x].unique())
    grid = props.pivot_table(index=y, columns=x, values="p").reindex(index=ys, columns=xs)
    fig = new_figure(2.4 + 0.8 * len(xs), 1.4 + 0.5 * len(ys))
    ax = fig.subplots()
    image = ax.imshow(100 * grid.to_numpy(), cmap="cividis", vmin=0, vmax=100, aspect="auto",
                      origin="lower")
    for (i, j), value in np.ndenumerate(100 * grid.to_numpy()):
        if not np.isnan(value):
            ax.text(j, i, f"{value:.0f}", ha="center", va="center",
                    color="black" if value > 55 else "white", fontsize=8)
    ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    ax.set_yticks(range(len(ys)), [str(v) for v in ys])
    ax.set_xlabel("number of EBEs hired (persons)")
    ax.set_ylabel("pressure level" if y == "pressure" else y)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label=f"survives {horizon_phrase(horizon)} (% of teams)")
    return fig


def save(fig: Figure, stem: Path | str) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg``; return both paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        fig.savefig(path)
    return paths


def png_base64(fig: Figure) -> str:
    """The figure as a base64 PNG for a ``data:`` URL."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")
