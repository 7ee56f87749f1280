"""Weekly trajectories as bands: the median and the central 50% and 90% of replicates.

Works on either weekly form a study may hold: every replicate's weeks (quantiles are
computed here) or the quantiles the sweep already wrote per point.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.load import QUANTILE_COLUMNS, is_quantile_form

LEVELS = {"q05": 0.05, "q25": 0.25, "q50": 0.5, "q75": 0.75, "q95": 0.95}


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
        points = rows.groupby(keys)["point_id"].nunique()
        if (points > 1).any():
            raise ValueError(f"grouping by {by} pools several points: quantiles cannot be "
                             "pooled; group by the point's columns or load full trajectories")
        return rows[[*keys, *QUANTILE_COLUMNS]].sort_values(keys).reset_index(drop=True)
    missing = sorted(set(variables) - set(weekly.columns))
    if missing:
        raise ValueError(f"weekly trajectories lack variables {missing}")
    long = weekly.melt(id_vars=[*by, "week"], value_vars=list(variables), var_name="variable")
    grouped = long.astype({"value": float}).groupby(keys, sort=True)["value"]
    out = grouped.mean().rename("mean").to_frame()
    for name, q in LEVELS.items():
        out[name] = grouped.quantile(q)
    return out.reset_index()
