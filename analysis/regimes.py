"""Where experiential authority decays and where it runs away (seed 000; issue 13).

Reads a collected ``authority_regimes`` study (``teamsim run experiment=authority_regimes``)
and draws, per number of EBEs, the granted authority against the team's dialogue
culture: the EBEs' authority after the horizon (colour), the line where half of the
teams ended with authority at most ``DECAYED`` (experiential knowledge stays out of
decisions) and the line where half ended with at least ``RAN_AWAY`` (feedback to the EBEs
dries up), and, in a second row, the unspoken irritation across the EBE line with the same
lines. ``python -m analysis.regimes <study_dir>`` writes ``regimes.png``, ``regimes.svg``
and ``regimes.csv`` into the study folder.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure

from analysis.load import StudyError, load_replicates

DECAYED, RAN_AWAY = 0.2, 0.8
GRANT, DIALOGUE, EBES = ("organisation.experiential_authority",
                         "organisation.dialogue_culture", "ebe.count")
#: Outcomes the table reads.
OUTCOMES = ("authority", "feedback_given_to_ebe", "irritation_cross")


def check_study(replicates: pd.DataFrame, study: str = "the study") -> None:
    """Raise :class:`StudyError` unless ``replicates`` sweep the grant, the dialogue
    culture and the number of EBEs (as ``experiment=authority_regimes`` does)."""
    missing = [c for c in (GRANT, DIALOGUE, EBES, *OUTCOMES) if c not in replicates]
    if missing:
        raise StudyError(f"{study} has no column {', '.join(missing)}: the regimes need a "
                         "study of authority granted x dialogue culture x ebe.count "
                         "(teamsim run experiment=authority_regimes)")


def regimes(replicates: pd.DataFrame) -> pd.DataFrame:
    """Per EBE count, dialogue culture and grant: mean authority at the horizon, the
    shares of teams where it decayed or ran away, feedback given to the EBEs per team and
    the mean irritation across the EBE line."""
    check_study(replicates)
    authority = replicates["authority"]
    table = replicates.assign(decayed=authority <= DECAYED, ran_away=authority >= RAN_AWAY)
    return (table.groupby([EBES, DIALOGUE, GRANT])
            .agg(authority=("authority", "mean"), decayed=("decayed", "mean"),
                 ran_away=("ran_away", "mean"), feedback_to_ebes=("feedback_given_to_ebe", "mean"),
                 irritation=("irritation_cross", "mean"), teams=("authority", "size"))
            .reset_index())


def _grid(rows: pd.DataFrame, value: str) -> np.ndarray:
    return rows.pivot(index=GRANT, columns=DIALOGUE, values=value).to_numpy()


def figure(table: pd.DataFrame) -> Figure:
    """Two rows (authority; irritation) of one panel per number of EBEs."""
    counts = sorted(table[EBES].unique())
    fig = Figure(figsize=(3.6 * len(counts) + 1.2, 6.4), layout="constrained")
    axes = fig.subplots(2, len(counts), squeeze=False, sharex=True, sharey=True)
    rows = (("authority", "EBE authority after two years", "viridis", (0, 1)),
            ("irritation", "irritation across the EBE line", "magma_r", (0, None)))
    for row, (value, label, colours, (low, high)) in enumerate(rows):
        high = high if high is not None else float(table[value].max())
        for column, count in enumerate(counts):
            ax = axes[row, column]
            cells = table[table[EBES] == count]
            x = np.sort(cells[DIALOGUE].unique())
            y = np.sort(cells[GRANT].unique())
            mesh = ax.pcolormesh(x, y, _grid(cells, value), cmap=colours, vmin=low, vmax=high,
                                 shading="nearest")
            for share, style in (("decayed", "--"), ("ran_away", "-")):
                grid = _grid(cells, share)
                if grid.min() < 0.5 < grid.max():
                    lines = ax.contour(x, y, grid, levels=[0.5], colors="black",
                                       linestyles=style, linewidths=1.8)
                    lines.set_path_effects([patheffects.withStroke(linewidth=4.5,
                                                                   foreground="white")])
            if row == 0:
                ax.set_title(f"{count} EBE{'s' if count > 1 else ''}")
            if row == 1:
                ax.set_xlabel("dialogue culture")
            if column == 0:
                ax.set_ylabel("authority granted at entry")
        fig.colorbar(mesh, ax=axes[row, :], label=label, shrink=0.9)
    fig.suptitle("When experiential authority decays (dashed: half the teams at most "
                 f"{DECAYED:g}) or runs away (solid: half at least {RAN_AWAY:g})",
                 fontsize="medium")
    return fig


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.regimes",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("study_dir", type=Path)
    args = parser.parse_args(argv)
    try:
        replicates = load_replicates(args.study_dir, OUTCOMES)
        check_study(replicates, str(args.study_dir))
    except StudyError as err:
        print(f"{parser.prog}: {err}", file=sys.stderr)
        return 2
    table = regimes(replicates)
    table.to_csv(args.study_dir / "regimes.csv", index=False)
    fig = figure(table)
    for suffix in (".png", ".svg"):
        fig.savefig(args.study_dir / f"regimes{suffix}", dpi=150)
    print(f"wrote {args.study_dir / 'regimes.png'}, .svg and regimes.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
