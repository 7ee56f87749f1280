"""The study's summary table: one row per point.

For each point: the probability that the experience perspective survives the horizon
(two years by default) with a 95% Wilson score interval (Wilson 1927; Brown, Cai &
DasGupta 2001 recommend it over the Wald interval), the Kaplan-Meier median weeks to
loss (``scipy.stats.ecdf`` on right-censored data; censoring is at the horizon), and
the mean experiential share of decisions, team shift and EBE exits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

#: Columns of a study's replicate rows that never distinguish points in a table.
NOT_KEYS = ("study", "point_id")
CONFIDENCE = 0.95


def wilson_interval(successes: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a binomial proportion."""
    ci = stats.binomtest(int(successes), int(n)).proportion_ci(CONFIDENCE, method="wilson")
    return float(ci.low), float(ci.high)


def kaplan_meier(weeks: np.ndarray, lost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier survival of the perspective: (weeks, survival just after each week)."""
    weeks = np.asarray(weeks, dtype=float)
    lost = np.asarray(lost, dtype=bool)
    sf = stats.ecdf(stats.CensoredData(uncensored=weeks[lost], right=weeks[~lost])).sf
    return np.asarray(sf.quantiles), np.asarray(sf.probabilities)


def median_weeks_to_loss(weeks: np.ndarray, lost: np.ndarray) -> float:
    """Kaplan-Meier median: first week with survival <= 0.5; NaN if not reached."""
    times, survival = kaplan_meier(weeks, lost)
    below = np.flatnonzero(survival <= 0.5)
    return float(times[below[0]]) if below.size else math.nan


def key_columns(replicates: pd.DataFrame, order: Sequence[str] = ()) -> list[str]:
    """Point columns that vary across the study (``label`` if none do), those named in
    ``order`` (e.g. the sweep's keys) first and in that order."""
    point_columns = list(replicates.columns[:replicates.columns.get_loc("seed")])
    keys = [c for c in point_columns
            if c not in NOT_KEYS and replicates[c].nunique(dropna=False) > 1]
    rank = {key: i for i, key in enumerate(order)}
    distinct: list[str] = []
    for key in sorted(keys, key=lambda c: rank.get(c, len(rank))):
        if not any(_same_partition(replicates, key, other) for other in distinct):
            distinct.append(key)     # e.g. `label` repeats a swept `scenario`: shown once
    return distinct or ["label"]


def _same_partition(frame: pd.DataFrame, a: str, b: str) -> bool:
    """True if columns ``a`` and ``b`` determine each other."""
    pairs = frame[[a, b]].drop_duplicates()
    return pairs[a].is_unique and pairs[b].is_unique


def summarise(replicates: pd.DataFrame, order: Sequence[str] = ()) -> pd.DataFrame:
    """One row per point (in study order): keys, n, survival with interval, medians."""
    keys = key_columns(replicates, order)
    rows = []
    for pid, point in replicates.groupby("point_id", sort=False):
        n = len(point)
        survived = int(point["survived"].sum())
        low, high = wilson_interval(survived, n)
        rows.append({
            **{k: point[k].iloc[0] for k in keys},
            "point_id": pid,
            "n": n,
            "p_survive": survived / n,
            "ci_low": low,
            "ci_high": high,
            "median_weeks_to_loss": median_weeks_to_loss(point["weeks_to_loss"], point["lost"]),
            "experiential_share": point["experiential_share"].mean(),
            "team_shift": point["team_shift"].mean(),
            # teams with an EBE at the end; studies written before ebe_shift existed lack it
            "ebe_shift": point["ebe_shift"].mean() if "ebe_shift" in point else math.nan,
            "ebe_exits": point["exits"].mean(),
        })
    return pd.DataFrame(rows)


def format_table(summary: pd.DataFrame, weeks: int) -> str:
    """The summary as a text table for the terminal."""
    keys = list(summary.columns[:summary.columns.get_loc("point_id")])
    shown = summary[keys].copy()
    shown["n"] = summary["n"]
    shown[f"P(survive {weeks} wk) [95% CI]"] = [
        f"{p:.3f} [{lo:.3f}, {hi:.3f}]"
        for p, lo, hi in summary[["p_survive", "ci_low", "ci_high"]].itertuples(index=False)]
    shown["median wk to loss"] = [f">{weeks}" if math.isnan(m) else f"{m:.0f}"
                                  for m in summary["median_weeks_to_loss"]]
    shown["experiential share"] = summary["experiential_share"].map("{:.3f}".format)
    shown["team shift"] = summary["team_shift"].map("{:+.3f}".format)
    shown["EBE shift"] = ["-" if math.isnan(s) else f"{s:+.3f}" for s in summary["ebe_shift"]]
    shown["EBE exits"] = summary["ebe_exits"].map("{:.2f}".format)
    return shown.to_string(index=False)
