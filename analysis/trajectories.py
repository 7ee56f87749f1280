"""Weekly trajectories: bands (the median and the central 50% and 90% of replicates) and
the share of teams in each state of the perspective, week by week.

Works on either weekly form a study may hold: every replicate's weeks (computed here) or
the quantiles the sweep already wrote per point, whose ``state=<name>`` indicators have
the share of teams in that state as their weekly mean.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.load import QUANTILE_COLUMNS, is_quantile_form
from experiments.job import QUANTILES
from sim.outcomes import STATES

#: The weekly variables of the state indicators, as the quantile form names them.
STATE_VARIABLES = tuple(f"state={name}" for name in STATES)


def _single_points(rows: pd.DataFrame, keys: list[str], by: list[str]) -> None:
    points = rows.groupby(keys)["point_id"].nunique()
    if (points > 1).any():
        raise ValueError(f"grouping by {by} pools several points: quantiles cannot be "
                         "pooled; group by the point's columns or load full trajectories")


def weekly_bands(weekly: pd.DataFrame, variables: Sequence[str],
                 by: str | Sequence[str]) -> pd.DataFrame:
    """One row per group of ``by``, variable and week: ``mean, q05, q25, q50, q75, q95``.

    From quantile-form data each group must be a single point (quantiles of different
    points cannot be pooled); a :class:`ValueError` says so otherwise.
    """
    by = [by] if isinstance(by, str) else list(by)
    keys = [*by, "variable", "week"]
    if is_quantile_form(weekly):
        rows = weekly[weekly["variable"].isin(variables)]
        missing = sorted(set(variables) - set(rows["variable"]))
        if missing:
            raise ValueError(f"weekly quantiles lack variables {missing}")
        _single_points(rows, keys, by)
        return rows[[*keys, *QUANTILE_COLUMNS]].sort_values(keys).reset_index(drop=True)
    missing = sorted(set(variables) - set(weekly.columns))
    if missing:
        raise ValueError(f"weekly trajectories lack variables {missing}")
    long = weekly.melt(id_vars=[*by, "week"], value_vars=list(variables), var_name="variable")
    grouped = long.astype({"value": float}).groupby(keys, sort=True)["value"]
    out = grouped.mean().rename("mean").to_frame()
    for name, q in QUANTILES.items():
        out[name] = grouped.quantile(q)
    return out.reset_index()


def state_shares(weekly: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Share of teams in each state of the perspective per group and week: one row per
    group of ``by`` and week, one column per state (in ``sim.outcomes.STATES`` order),
    summing to 1.

    From quantile-form data each group must be a single point (its ``state=...``
    indicators' weekly means are the shares); from full trajectories the shares are
    counted over the group's replicates.
    """
    by = [by] if isinstance(by, str) else list(by)
    if is_quantile_form(weekly):
        rows = weekly[weekly["variable"].isin(STATE_VARIABLES)]
        if rows.empty:
            raise ValueError("weekly quantiles lack the state indicators "
                             f"{', '.join(STATE_VARIABLES)}")
        _single_points(rows, [*by, "variable", "week"], by)
        wide = rows.pivot_table(index=[*by, "week"], columns="variable", values="mean",
                                observed=True)
        wide = wide.reindex(columns=list(STATE_VARIABLES), fill_value=0.0)
        wide.columns = list(STATES)
    else:
        if "state" not in weekly:
            raise ValueError("weekly trajectories lack the variable 'state'")
        counts = pd.crosstab([weekly[c] for c in [*by, "week"]],
                             weekly["state"].astype(str)).reindex(columns=list(STATES),
                                                                  fill_value=0)
        wide = counts.div(counts.sum(axis=1), axis=0)
    wide.columns.name = None
    return wide.reset_index().sort_values([*by, "week"], kind="stable").reset_index(drop=True)
