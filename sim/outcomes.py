"""What the model reports: the weekly observations and the per-replicate outcomes
(ODD 7.14: ``survival_outcomes``, ``summarise``; the weekly ``observe`` is in
:mod:`sim.observe`).

This module is the one owner of the outcome lists. :data:`WEEKLY` describes every variable
observed each week (in the column order of the engine's record) and :data:`OUTCOMES`
every per-replicate outcome; each entry carries its description, unit and bounds, which
the documentation, ``teamsim collect``'s range checks and the analysis all read from here.

The perspective's fate (seeds 001, 002, 004): the *reference* is the professionals' mean
view in week 0 (the system world of the run). An EBE *retains* the perspective while
their own distance from that reference is at least ``run.survival_fraction`` of their
distance at entry (week 0, or the week a rehired EBE arrives). The team *carries* it
when the professionals' mean has moved toward the life world by at least
``run.diffusion_fraction`` of the week-0 gap between the EBEs and the reference. Each
week is in exactly one :data:`STATES`:

* ``retained``: at least one present EBE retains the perspective;
* ``diffused``: no EBE retains it, but the team carries it (the goal of seeds 002, 004);
* ``assimilated``: EBEs are present, none retains it, the team does not carry it
  (seed 001: 'takes on the colour of the environment');
* ``vacant``: no EBE is present and the team does not carry it.

The perspective is *alive* in ``retained`` and ``diffused``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STATES = ("retained", "diffused", "assimilated", "vacant")
RETAINED, DIFFUSED, ASSIMILATED, VACANT = range(len(STATES))
#: ``loss_cause`` of a replicate that never lost the perspective.
NO_LOSS = "none"
#: When an EBE measure is undefined.
NO_EBE = "no EBE present"


@dataclass(frozen=True)
class Outcome:
    """One reported variable: its meaning, unit and bounds (inclusive; None = open)."""

    name: str
    description: str
    unit: str
    low: float | None = None
    high: float | None = None
    kind: str = "number"          # number | count | flag | category
    categories: tuple[str, ...] = ()
    missing: str = ""             # when the value is undefined (NaN); "" = never

    @property
    def ebe_only(self) -> bool:
        """NaN when no EBE is present (weekly) or none ever was (per replicate)."""
        return self.missing == NO_EBE

    def check(self, values: np.ndarray) -> np.ndarray:
        """Mask of values outside the bounds or categories (NaN only where allowed)."""
        if self.kind == "category":
            return ~np.isin(np.asarray(values, dtype=object), self.categories)
        v = np.asarray(values, dtype=float)
        bad = np.isnan(v) & (not self.missing)
        with np.errstate(invalid="ignore"):
            if self.low is not None:
                bad |= v < self.low
            if self.high is not None:
                bad |= v > self.high
        return bad


def _table(*rows: Outcome) -> dict[str, Outcome]:
    return {row.name: row for row in rows}


SCALE = "perspective scale (0 system world, 1 life world)"
SHIFT = "change on the perspective scale"

#: Weekly observations, in the column order of the engine's record.
WEEKLY = _table(
    Outcome("state", "state of the perspective: " + ", ".join(STATES), "category",
            kind="category", categories=STATES),
    Outcome("alive", "the perspective is alive (retained or diffused)", "flag", 0, 1, "flag"),
    Outcome("carried", "the team carries the perspective (professionals moved toward the "
            "life world by run.diffusion_fraction of the week-0 gap)", "flag", 0, 1, "flag"),
    Outcome("ebes_retaining", "present EBEs who retain the perspective", "persons", 0, None,
            "count"),
    Outcome("distinctiveness", "mean view of present EBEs minus that of the professionals "
            "(0 with no EBE present)", SHIFT, -1, 1),
    Outcome("ebe_present", "EBEs present", "persons", 0, None, "count"),
    Outcome("professionals_present", "professionals present", "persons", 1, None, "count"),
    Outcome("team_perspective", "mean view of the professionals", SCALE, 0, 1),
    Outcome("ebe_perspective", "mean view of present EBEs", SCALE, 0, 1, missing=NO_EBE),
    Outcome("experiential_share", "share of the week's decision weight carried by EBEs",
            "share", 0, 1),
    Outcome("decision", "mean orientation of the week's case decisions", SCALE, 0, 1),
    Outcome("rejection", "mean rejection as deviates of the EBEs at the week's case review",
            "share", 0, 1, missing=NO_EBE),
    Outcome("feedback_given", "feedback given in the team", "events", 0, None, "count"),
    Outcome("feedback_withheld", "feedback withheld in the team", "events", 0, None, "count"),
    Outcome("feedback_attack", "feedback taken as a personal attack", "events", 0, None,
            "count"),
    Outcome("feedback_given_to_ebe", "feedback given to EBEs", "events", 0, None, "count"),
    Outcome("feedback_withheld_to_ebe", "feedback withheld from EBEs", "events", 0, None,
            "count"),
    Outcome("irritation", "mean unspoken irritation over present pairs", "level 0-1", 0, 1,
            missing="fewer than two members present"),
    Outcome("irritation_cross", "mean irritation across the EBE line, both ways",
            "level 0-1", 0, 1, missing=NO_EBE),
    Outcome("trust_cross", "mean trust across the EBE line, both ways", "level 0-1", 0, 1,
            missing=NO_EBE),
    Outcome("ebe_stress", "mean stress of present EBEs", "level 0-1", 0, 1, missing=NO_EBE),
    Outcome("exits", "EBEs who left", "persons", 0, None, "count"),
    Outcome("hires", "EBEs who started", "persons", 0, None, "count"),
    Outcome("critique_raised", "critiques of rules raised by EBEs", "events", 0, None,
            "count"),
    Outcome("critique_accepted", "critiques taken up by the team", "events", 0, None,
            "count"),
    Outcome("dialogue", "a deeper dialogue was held", "flag", 0, 1, "flag"),
    Outcome("workload_pressure", "workload pressure", "level 0-1", 0, 1),
    Outcome("risk_avoidance", "risk avoidance of decisions", "level 0-1", 0, 1),
    Outcome("professional_exits", "professionals who left", "persons", 0, None, "count"),
    Outcome("professional_hires", "professionals who started (newcomers and locums)",
            "persons", 0, None, "count"),
    Outcome("authority", "mean experiential authority of present EBEs", "level 0-1", 0, 1,
            missing=NO_EBE),
    Outcome("experiential_discount", "the team's rule: share of an EBE's weight lost in a "
            "closed climate", "fraction", 0, 1),
    Outcome("risk_shading", "the team's rule: how far risk avoidance pulls a decision to "
            "the system world", "fraction", 0, 1),
    Outcome("role_clarity", "the team's rule: clarity of the EBE role", "clarity", 0, 1),
    Outcome("rules_changed", "rule changes by accepted critique so far", "changes", 0, None,
            "count"),
)
OBSERVED = tuple(WEEKLY)
COLUMN = {name: i for i, name in enumerate(OBSERVED)}
#: Weekly variables as numbers for averaging: ``state`` becomes one indicator per state
#: (``state=retained`` ...), whose weekly mean is the share of teams in that state.
NUMERIC = tuple(f"state={name}" for name in STATES) + tuple(
    name for name in OBSERVED if name != "state")


def numeric_record(observed: np.ndarray) -> np.ndarray:
    """The ``(R, T, K)`` record with ``state`` expanded into :data:`NUMERIC` indicators."""
    i = COLUMN["state"]
    indicators = (observed[..., i:i + 1] == np.arange(len(STATES))).astype(float)
    return np.concatenate([indicators, np.delete(observed, i, axis=-1)], axis=-1)


#: Weekly flows summed into a per-replicate total of the same name.
FLOWS = ("feedback_given", "feedback_withheld", "feedback_attack", "feedback_given_to_ebe",
         "feedback_withheld_to_ebe", "critique_raised", "critique_accepted",
         "professional_exits", "professional_hires")
#: Weekly levels reported per replicate by their value in week T.
AT_HORIZON = ("authority", "experiential_discount", "risk_shading", "role_clarity",
              "rules_changed")

#: Per-replicate outcomes (one row per replicate of ``simulate``).
OUTCOMES = _table(
    Outcome("survived", "the perspective is alive at the horizon (retained or diffused)",
            "flag", 0, 1, "flag"),
    Outcome("state", "state of the perspective at the horizon", "category",
            kind="category", categories=STATES),
    Outcome("weeks_alive", "share of weeks 1..T in which the perspective was alive",
            "share", 0, 1),
    Outcome("weeks_to_loss", "first week in which the perspective was not alive; the "
            "horizon T if it never was lost (censored)", "weeks", 0, None, "count"),
    Outcome("lost", "the perspective was not alive in some week 0..T (event indicator of "
            "weeks_to_loss)", "flag", 0, 1, "flag"),
    Outcome("loss_cause", "state of the first week without the perspective (assimilated "
            f"or vacant), '{NO_LOSS}' if never lost", "category", kind="category",
            categories=("assimilated", "vacant", NO_LOSS)),
    Outcome("distinctiveness_start", "distinctiveness in week 0", SHIFT, -1, 1),
    Outcome("distinctiveness", "distinctiveness in week T", SHIFT, -1, 1),
    Outcome("experiential_share", "mean weekly share of decision weight carried by EBEs",
            "share", 0, 1),
    Outcome("team_shift", "professionals' mean view in week T minus week 0 (> 0: toward "
            "the life world)", SHIFT, -1, 1),
    Outcome("ebe_shift", "EBEs' mean view in week T minus week 0 (NaN if no EBE in week T "
            "or week 0)", SHIFT, -1, 1, missing=NO_EBE),
    Outcome("decision", "mean orientation of decisions over weeks 1..T", SCALE, 0, 1),
    Outcome("ebe_weeks_present", "share of weeks 1..T with an EBE present", "share", 0, 1),
    Outcome("ebe_years", "EBE person-years present over weeks 1..T", "person-years", 0, None),
    Outcome("distinctiveness_present", "mean distinctiveness over weeks with an EBE present",
            SHIFT, -1, 1, missing=NO_EBE),
    Outcome("exits", "EBEs who left during the run", "persons", 0, None, "count"),
    Outcome("hires", "EBEs who started during the run (rehires)", "persons", 0, None, "count"),
    Outcome("irritation", "mean irritation over present pairs in week T", "level 0-1", 0, 1,
            missing="fewer than two members present in week T"),
    Outcome("ebe_stress", "mean EBE stress over weeks with an EBE present", "level 0-1", 0, 1,
            missing=NO_EBE),
    Outcome("trust_cross", "mean trust across the EBE line over weeks with an EBE present",
            "level 0-1", 0, 1, missing=NO_EBE),
    Outcome("irritation_cross", "mean irritation across the EBE line over weeks with an "
            "EBE present", "level 0-1", 0, 1, missing=NO_EBE),
    Outcome("rejection", "mean rejection of EBEs over weeks with an EBE present", "share",
            0, 1, missing=NO_EBE),
    Outcome("workload_pressure", "mean workload pressure over weeks 1..T", "level 0-1", 0, 1),
    Outcome("risk_avoidance", "mean risk avoidance over weeks 1..T", "level 0-1", 0, 1),
    Outcome("dialogues", "deeper dialogues held", "events", 0, None, "count"),
    *(Outcome(name, WEEKLY[name].description + " (sum over the run)", WEEKLY[name].unit, 0,
              None, "count") for name in FLOWS),
    *(Outcome(name, WEEKLY[name].description + " (in week T)", WEEKLY[name].unit,
              WEEKLY[name].low, WEEKLY[name].high, WEEKLY[name].kind,
              missing=WEEKLY[name].missing) for name in AT_HORIZON),
)


def survival_outcomes(observed: np.ndarray) -> dict[str, np.ndarray]:
    """The perspective's fate per replicate from the weekly ``state`` and ``alive``."""
    alive = observed[:, :, COLUMN["alive"]] > 0
    state = observed[:, :, COLUMN["state"]].astype(np.intp)
    lost = ~alive.all(1)
    first = np.where(lost, (~alive).argmax(1), observed.shape[1] - 1)
    labels = np.array(STATES, dtype=object)
    cause = np.where(lost, labels[state[np.arange(len(state)), first]], NO_LOSS)
    return {"survived": alive[:, -1], "state": labels[state[:, -1]],
            "weeks_alive": alive[:, 1:].mean(1), "weeks_to_loss": first, "lost": lost,
            "loss_cause": cause}


def _nanmean_rows(values: np.ndarray) -> np.ndarray:
    count = (~np.isnan(values)).sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, np.nansum(values, 1) / count, np.nan)


def summarise(observed: np.ndarray) -> dict[str, np.ndarray]:
    """One value per replicate for every outcome of :data:`OUTCOMES`, from the
    ``(R, weeks + 1, K)`` record."""
    col = {name: observed[:, :, i] for name, i in COLUMN.items()}
    weeks = slice(1, None)
    out = survival_outcomes(observed)
    out |= {
        "distinctiveness_start": col["distinctiveness"][:, 0],
        "distinctiveness": col["distinctiveness"][:, -1],
        "experiential_share": col["experiential_share"][:, weeks].mean(1),
        "team_shift": col["team_perspective"][:, -1] - col["team_perspective"][:, 0],
        "ebe_shift": col["ebe_perspective"][:, -1] - col["ebe_perspective"][:, 0],
        "decision": col["decision"][:, weeks].mean(1),
        "ebe_weeks_present": (col["ebe_present"][:, weeks] > 0).mean(1),
        "ebe_years": col["ebe_present"][:, weeks].sum(1) / 52.0,
        "distinctiveness_present": _nanmean_rows(np.where(
            col["ebe_present"][:, weeks] > 0, col["distinctiveness"][:, weeks], np.nan)),
        "exits": col["exits"].sum(1),
        "hires": col["hires"].sum(1),
        "irritation": col["irritation"][:, -1],
        "ebe_stress": _nanmean_rows(col["ebe_stress"][:, weeks]),
        "trust_cross": _nanmean_rows(col["trust_cross"][:, weeks]),
        "irritation_cross": _nanmean_rows(col["irritation_cross"][:, weeks]),
        "rejection": _nanmean_rows(col["rejection"][:, weeks]),
        "workload_pressure": col["workload_pressure"][:, weeks].mean(1),
        "risk_avoidance": col["risk_avoidance"][:, weeks].mean(1),
        "dialogues": col["dialogue"].sum(1),
    }
    for name in FLOWS:
        out[name] = col[name].sum(1)
    for name in AT_HORIZON:
        out[name] = col[name][:, -1]
    return {name: out[name] for name in OUTCOMES}
