"""The study's summary: one row per point, printed, written to ``summary.csv`` and drawn.

``teamsim run`` calls :func:`report` when a study is complete. Per point:

* ``p_alive``: the share of teams whose perspective is alive (retained by an EBE or
  carried by the team) at the horizon, with a 95% Wilson score interval (Wilson 1927;
  Brown, Cai & DasGupta 2001 recommend it over the Wald interval);
* ``weeks_alive``: the mean share of weeks with the perspective alive;
* ``retained, diffused, assimilated, vacant``: the share of teams in each state at the
  horizon (they sum to 1);
* ``median_weeks_to_loss``: the Kaplan-Meier median week of the first loss (any cause),
  blank when more than half of the teams never lost it (``median_censored``: the median
  is beyond the horizon, censored);
* ``assimilated_by_horizon``: the cumulative incidence of assimilation as the first loss
  by the horizon, a vacancy being a competing event (:mod:`analysis.survival`), with its
  95% interval;
* the means of the experiential share of decisions, the team shift, the EBE shift (teams
  with an EBE at both ends) and EBE exits.

A study that sets the EBEs as a share of the team (``ebe.share``, as ``critical_mass``
does) gets the number of EBE seats each point had (``ebe_count``, round(share x team
size)) beside its keys, and a note names the points whose shares round to the same team.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import figures
from analysis.compare import proportion
from analysis.load import StudyError, load_replicates, load_weekly
from analysis.survival import cumulative_incidence, kaplan_meier
from analysis.trajectories import STATE_VARIABLES, state_shares
from experiments.point import CHANGED_LEVEL
from experiments.store import atomic
from sim.outcomes import OUTCOMES, STATES

#: Outcomes the summary reads (records of ``sim.outcomes``: a renamed one fails here).
TABLE_OUTCOMES = tuple(OUTCOMES[name].name for name in (
    "survived", "state", "weeks_alive", "weeks_to_loss", "lost", "loss_cause",
    "experiential_share", "team_shift", "ebe_shift", "exits"))
#: Point columns that never distinguish points in a table.
NOT_KEYS = ("study", "point_id")
#: The EBEs as a share of the team, and the seats it gives (derived by ``analysis.load``).
SHARE, EBE_COUNT = "ebe.share", "ebe_count"
#: The pressure level's column, and the prefix of the settings it names.
LEVEL, WORKLOAD = "pressure", "workload."
CONFIDENCE = 0.95


def key_columns(replicates: pd.DataFrame, order: Sequence[str] = ()) -> list[str]:
    """Point columns that vary across the study (``label`` if none do), those named in
    ``order`` (e.g. the sweep's keys) first and in that order."""
    point_columns = list(replicates.columns[:replicates.columns.get_loc("seed")])
    keys = [c for c in point_columns
            if c not in NOT_KEYS and replicates[c].nunique(dropna=False) > 1]
    if _named_by_workload(replicates, keys):
        keys.remove(LEVEL)
    rank = {key: i for i, key in enumerate(order)}
    distinct: list[str] = []
    for key in sorted(keys, key=lambda c: rank.get(c, len(rank))):
        if not any(same_partition(replicates, key, other) for other in distinct):
            distinct.append(key)     # e.g. `label` repeats a swept `scenario`: shown once
    return distinct or ["label"]


def _named_by_workload(replicates: pd.DataFrame, keys: Sequence[str]) -> bool:
    """True if the varied ``workload.*`` settings determine the varied pressure level: it
    then only says which of them are a level's own (``normal`` at caseload 0.5,
    ``normal*`` elsewhere) and distinguishes no points the settings do not."""
    settings = [k for k in keys if k.startswith(WORKLOAD)]
    return LEVEL in keys and bool(settings) and bool(
        (replicates.groupby(settings, dropna=False)[LEVEL].nunique() == 1).all())


def seat_columns(replicates: pd.DataFrame) -> list[str]:
    """``[ebe_count]`` when the points set their EBEs as a share of the team and the number
    of seats varies: a share rounds to seats per team size, so the share alone hides how
    many EBEs a point had (0.1 is one EBE in a team of 12, two in a team of 16)."""
    if SHARE not in replicates or EBE_COUNT not in replicates \
            or replicates[SHARE].isna().all() or replicates[EBE_COUNT].nunique() < 2:
        return []
    return [EBE_COUNT]


def same_partition(frame: pd.DataFrame, a: str, b: str) -> bool:
    """True if columns ``a`` and ``b`` determine each other."""
    pairs = frame[[a, b]].drop_duplicates()
    return pairs[a].is_unique and pairs[b].is_unique


def _point_row(point: pd.DataFrame, horizon: int) -> dict:
    n = len(point)
    alive = proportion(int(point["survived"].sum()), n, CONFIDENCE)
    states = point["state"].astype(str).value_counts(normalize=True)
    km = kaplan_meier(point["weeks_to_loss"], point["lost"], horizon, CONFIDENCE)
    cif = cumulative_incidence(point["weeks_to_loss"], point["loss_cause"].astype(str),
                               horizon, "assimilated", CONFIDENCE)
    assimilated, low, high = cif.at(horizon)
    ebe_shift = point["ebe_shift"].dropna() if "ebe_shift" in point else pd.Series()
    return {
        "n": n, "horizon": horizon,
        "p_alive": alive.value, "p_alive_low": alive.low, "p_alive_high": alive.high,
        "weeks_alive": point["weeks_alive"].mean(),
        **{state: float(states.get(state, 0.0)) for state in STATES},
        "median_weeks_to_loss": km.median, "median_censored": math.isnan(km.median),
        "assimilated_by_horizon": assimilated, "assimilated_low": low,
        "assimilated_high": high,
        "experiential_share": point["experiential_share"].mean(),
        "team_shift": point["team_shift"].mean(),
        "ebe_shift": ebe_shift.mean() if len(ebe_shift) else math.nan,
        "ebe_exits": point["exits"].mean(),
    }


def summary_table(replicates: pd.DataFrame, order: Sequence[str] = ()) -> pd.DataFrame:
    """One row per point (in study order): the key columns (with the EBE seats of
    :func:`seat_columns`), ``point_id`` and the columns of the module docstring."""
    keys = key_columns(replicates, order)
    keys += [c for c in seat_columns(replicates) if c not in keys]
    rows = []
    for pid, point in replicates.groupby("point_id", sort=False):
        horizon = int(point["horizon"].iloc[0])
        rows.append({**{k: point[k].iloc[0] for k in keys}, "point_id": pid,
                     **_point_row(point, horizon)})
    return pd.DataFrame(rows)


def _interval(p: float, low: float, high: float) -> str:
    return f"{100 * p:.1f} [{100 * low:.1f}, {100 * high:.1f}]"


def format_table(summary: pd.DataFrame) -> str:
    """The summary as a text table for the terminal, with a legend of its columns."""
    keys = list(summary.columns[:summary.columns.get_loc("point_id")])
    weeks = int(summary["horizon"].max())
    shown = summary[keys].rename(columns={EBE_COUNT: "EBEs"})
    shown["n"] = summary["n"]
    shown[f"alive@{weeks} % [95% CI]"] = [
        _interval(*row) for row in summary[["p_alive", "p_alive_low", "p_alive_high"]]
        .itertuples(index=False)]
    shown["wks alive %"] = summary["weeks_alive"].map(lambda v: f"{100 * v:.0f}")
    shown["ret/dif/ass/vac %"] = [
        "/".join(f"{100 * v:.0f}" for v in row)
        for row in summary[list(STATES)].itertuples(index=False)]
    shown["median 1st loss"] = [f">{h}" if censored else f"{m:.0f}" for m, h, censored
                                   in summary[["median_weeks_to_loss", "horizon",
                                               "median_censored"]].itertuples(index=False)]
    shown[f"assimilated@{weeks} % [CI]"] = [
        _interval(*row) for row in summary[["assimilated_by_horizon", "assimilated_low",
                                            "assimilated_high"]].itertuples(index=False)]
    shown["exp.share"] = summary["experiential_share"].map("{:.3f}".format)
    shown["team shift"] = summary["team_shift"].map("{:+.3f}".format)
    shown["EBE shift"] = ["-" if math.isnan(s) else f"{s:+.3f}" for s in summary["ebe_shift"]]
    shown["exits"] = summary["ebe_exits"].map("{:.2f}".format)
    legend = (f"alive@{weeks}: perspective retained by an EBE or carried by the team in week "
              f"{weeks}, with 95% Wilson interval; wks alive: mean share of weeks alive\n"
              f"ret/dif/ass/vac: teams retained / diffused / assimilated / vacant in week "
              f"{weeks}; median 1st loss: Kaplan-Meier median week of the first loss "
              f"('>{weeks}': not reached, censored)\nassimilated@{weeks}: cumulative "
              "incidence of assimilation as the first loss (a vacancy is a competing event); "
              "exits: EBEs who left per team")
    if EBE_COUNT in keys:
        legend += f"\nEBEs: EBE seats per team, round({SHARE} x team size)"
    for level in changed_levels(summary):
        legend += (f"\n{level}{CHANGED_LEVEL}: pressure level {level} with workload settings "
                   f"changed from configs/pressure/{level}.yaml")
    return shown.to_string(index=False) + "\n" + legend


def changed_levels(summary: pd.DataFrame) -> list[str]:
    """The pressure levels whose workload settings some point changed (shown ``normal*``)."""
    if LEVEL not in summary:
        return []
    marked = summary[LEVEL].astype(str)
    return list(dict.fromkeys(v.removesuffix(CHANGED_LEVEL) for v in marked
                              if v.endswith(CHANGED_LEVEL)))


def same_teams(summary: pd.DataFrame) -> list[str]:
    """One line per set of points whose shares round to the same EBE seats while every
    other key is equal: the same team, simulated once per share ('team.size 8: ebe.share
    0.2 and 0.3 both give 2 EBEs')."""
    keys = list(summary.columns[:summary.columns.get_loc("point_id")])
    if EBE_COUNT not in keys or SHARE not in keys:
        return []
    others = [k for k in keys if k not in (SHARE, EBE_COUNT) and summary[k].nunique() > 1]
    notes = []
    for _, points in summary.groupby([*others, EBE_COUNT], sort=False, dropna=False):
        shares = points[SHARE].dropna().drop_duplicates().tolist()
        if len(shares) < 2:
            continue
        where = ", ".join(f"{k} {v}" for k, v in zip(others, points[others].iloc[0],
                                                     strict=True))
        count = int(points[EBE_COUNT].iloc[0])
        listed = ", ".join(f"{s:g}" for s in shares[:-1]) + f" and {shares[-1]:g}"
        notes.append(f"{where + ': ' if where else ''}{SHARE} {listed} "
                     f"{'both' if len(shares) == 2 else 'all'} give {count} "
                     f"EBE{'' if count == 1 else 's'}")
    return notes


def figure_inputs(study_dir: Path, summary: pd.DataFrame, keys: Sequence[str]
                  ) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame]:
    """``props`` (P(alive) per point), weekly state shares per point (None without
    weekly trajectories) and the states at the horizon, all with the key columns."""
    keys = list(keys)
    props = summary[[*keys, "point_id", "n"]].assign(p=summary["p_alive"],
                                                low=summary["p_alive_low"],
                                                high=summary["p_alive_high"])
    states = summary[[*keys, "point_id", *STATES]]
    try:
        weekly = load_weekly(study_dir, variables=["state", *STATE_VARIABLES])
    except StudyError:         # no weekly file (study.trajectories=none): no areas
        return props, None, states
    shares = state_shares(weekly, "point_id").merge(summary[[*keys, "point_id"]],
                                                    on="point_id")
    return props, shares, states


def report(study_dir: Path | str, order: Sequence[str] = ()) -> pd.DataFrame:
    """Print the summary table; write ``summary.csv`` and ``figure.{png,svg}`` beside the
    data of the finished study in ``study_dir``; return the summary."""
    study_dir = Path(study_dir)
    replicates = load_replicates(study_dir, TABLE_OUTCOMES)
    summary = summary_table(replicates, order)
    keys = list(summary.columns[:summary.columns.get_loc("point_id")])
    if LEVEL not in keys:      # the table always says under which pressure it holds
        level = replicates.groupby("point_id", sort=False)[LEVEL].first()
        summary.insert(len(keys), LEVEL, summary["point_id"].map(level))
    with atomic(study_dir / "summary.csv") as tmp:
        summary.to_csv(tmp, index=False)
    name = str(replicates["study"].iloc[0])
    title = f"{name}: is the experience perspective still alive?"
    weeks = int(summary["horizon"].max())
    props, shares, states = figure_inputs(study_dir, summary, keys)
    paths = figures.save(figures.study_figure(props, shares, states, keys, weeks, title),
                         study_dir / "figure")
    notes = "".join(f"\nthe same team: {note}" for note in same_teams(summary))
    print(f"\n{title}  (n = replicates per point)\n{format_table(summary)}{notes}\n\n"
          f"figure: {', '.join(str(p) for p in paths)}\n"
          f"data:   {study_dir / 'replicates.parquet'}, {study_dir / 'weekly.parquet'}, "
          f"{study_dir / 'summary.csv'}", flush=True)
    return summary
