"""The study's figure: survival of the experience perspective per point.

Left: probability that the perspective survives the horizon, with 95% Wilson
intervals, against the study's first varying key (e.g. the number of EBEs), one line
per value of the other keys (e.g. pressure). Right: Kaplan-Meier curves of the
perspective's survival over the weeks, one per point.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from experiments.store import atomic
from experiments.summary import kaplan_meier

STYLES = ("-", "--", ":", "-.")


def _series(summary: pd.DataFrame, keys: list[str]) -> list[tuple[str, pd.DataFrame]]:
    if len(keys) < 2:
        return [("", summary)]
    rest = keys[1:]
    groups = summary.groupby(rest, sort=False, dropna=False)
    return [(", ".join(f"{k}={v}" for k, v in zip(rest, name if isinstance(name, tuple)
                                                     else (name,), strict=True)), frame)
            for name, frame in groups]


def draw(replicates: pd.DataFrame, summary: pd.DataFrame, stem: Path, title: str,
         weeks: int) -> list[Path]:
    """Draw the figure; write ``<stem>.png`` and ``<stem>.svg``; return the paths."""
    keys = list(summary.columns[:summary.columns.get_loc("point_id")])
    x_key = keys[0]
    positions = {v: i for i, v in enumerate(pd.unique(summary[x_key]))}
    numeric = pd.api.types.is_numeric_dtype(summary[x_key])
    fig = Figure(figsize=(13, 4.8), layout="constrained")   # no pyplot: no GUI backend
    left, right = fig.subplots(1, 2)
    for name, frame in _series(summary, keys):
        x = frame[x_key] if numeric else frame[x_key].map(positions)
        err = [frame["p_survive"] - frame["ci_low"], frame["ci_high"] - frame["p_survive"]]
        left.errorbar(x, frame["p_survive"], yerr=err, marker="o", capsize=3, label=name or None)
    if numeric:
        left.xaxis.set_major_locator(MaxNLocator(integer=pd.api.types.is_integer_dtype(
            summary[x_key])))
    else:
        left.set_xticks(list(positions.values()), list(positions), rotation=40, ha="right")
    left.set(xlabel=x_key, ylabel=f"P(perspective survives {weeks} weeks)", ylim=(-0.02, 1.02),
             title="Survival with 95% Wilson interval")
    if len(keys) > 1:
        left.legend(frameon=False)
    colours = colormaps["viridis"]
    styles = {name: STYLES[i % len(STYLES)]
              for i, (name, _) in enumerate(_series(summary, keys))}
    for name, frame in _series(summary, keys):
        for _, row in frame.iterrows():
            point = replicates[replicates["point_id"] == row["point_id"]]
            times, survival = kaplan_meier(point["weeks_to_loss"], point["lost"])
            colour = colours(positions[row[x_key]] / max(len(positions) - 1, 1))
            right.step([0, *times], [1.0, *survival], where="post", color=colour,
                       linestyle=styles[name], linewidth=1.3,
                       label=", ".join(f"{k}={row[k]}" for k in keys))
    right.set(xlabel="week", ylabel="Kaplan-Meier survival of the perspective",
              xlim=(0, weeks), ylim=(-0.02, 1.02), title="Time to loss")
    right.legend(fontsize="x-small", frameon=False, loc="center left",
                 bbox_to_anchor=(1.0, 0.5), ncol=2 if len(summary) > 16 else 1)
    fig.suptitle(title)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        with atomic(path) as tmp:
            fig.savefig(tmp, format=path.suffix[1:], dpi=150)
    return paths
