"""What the headline rests on: the advice re-estimated under other structural choices.

The headline is "a second EBE raises the chance that the experience perspective is alive
at two years"; the levers' advice is the sign of each lever's effect on that chance.
Each :data:`ROWS` entry changes one structural choice of the model (the horizon, the
form of Latané's group-size term, how retention is judged, exits) or switches one
mechanism off at its neutral setting (ODD section 7), and every contrast is re-estimated
there as a paired difference on common random numbers with a BCa interval. A row whose
difference falls below the smallest effect that matters (pattern 1's 0.10), or whose
interval reaches zero, shows a choice the advice depends on.

New mechanisms get a row each: a name, the overrides that switch them off, a note.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed

from analysis.compare import mean_difference
from experiments.validation.patterns import BY_NUMBER
from sim import compose, simulate


@dataclass(frozen=True)
class Row:
    """One structural variant: overrides of the defaults, and what they mean."""

    name: str
    group: str
    overrides: tuple[str, ...]
    note: str = ""


ROWS: tuple[Row, ...] = (
    Row("defaults", "reference", ()),
    Row("horizon 1 year", "horizon", ("run.weeks=52",)),
    Row("horizon 5 years", "horizon", ("run.weeks=260",)),
    Row("group-size term linear (t = 1)", "group-size term", ("behaviour.impact_exponent=1",)),
    Row("no group-size term (t = 0)", "group-size term", ("behaviour.impact_exponent=0",)),
    Row("retention on the EBEs' mean", "retention", ("run.retention=ebe_mean",)),
    Row("exits off", "exits", ("behaviour.exit_rate=0",)),
    Row("no rehiring", "exits", ("organisation.rehire=false",)),
    Row("closure under time pressure off", "mechanism off", ("behaviour.closure_pressure=0",)),
    Row("production pull off", "mechanism off", ("behaviour.production_rate=0",)),
    Row("production assimilation off", "mechanism off",
        ("behaviour.production_assimilation=0",)),
    Row("anchor drift off", "mechanism off", ("behaviour.anchor_drift=0",)),
    Row("peer renewal off", "mechanism off", ("behaviour.peer_renewal=0",)),
    Row("seniority anchoring off", "mechanism off", ("behaviour.seniority_anchor=0",)),
    Row("training anchoring off", "mechanism off", ("behaviour.training_anchor=0",)),
    Row("practice in the norm off", "mechanism off", ("behaviour.practice_weight=0",)),
    Row("perspective noise off", "mechanism off", ("behaviour.perspective_noise=0",)),
    Row("knowledge hierarchy flat", "mechanism off", ("team.hierarchy_steepness=0",)),
    Row("experiential discount off", "mechanism off", ("behaviour.experiential_discount=0",)),
    Row("risk dominance off", "mechanism off", ("behaviour.risk_dominance=0",)),
    Row("risk shading off", "mechanism off", ("behaviour.risk_shading=0",)),
    Row("feedback off", "mechanism off", ("behaviour.feedback_rate=0",)),
    Row("silk gloves off", "mechanism off", ("behaviour.silk_gloves=0",)),
    Row("irritation off", "mechanism off", ("behaviour.irritation_gain=0",)),
    Row("attack effects off", "mechanism off",
        ("behaviour.trust_loss=0", "behaviour.attack_stress=0"),
        "partial: an attack still adds the receiver's irritation (no single neutral setting)"),
    Row("dialogue resolution off", "mechanism off", ("behaviour.dialogue_resolution=0",),
        "partial: a dialogue still builds trust"),
    Row("identity threat off", "mechanism off", ("behaviour.identity_threat=0",)),
    Row("critique off", "mechanism off", ("behaviour.critique_rate=0",)),
    Row("stress from strain off", "mechanism off", ("behaviour.stress_gain=0",),
        "partial: attacks and rejected critique still add stress"),
    Row("stress does not drive exits", "mechanism off", ("behaviour.stress_hazard_ratio=1",)),
    Row("extra tasks do not drive exits", "mechanism off", ("behaviour.extra_task_odds=1",)),
    Row("no crises", "mechanism off", ("workload.crisis_rate=0",)),
    Row("professionals never leave", "team renewal off", ("team.turnover=0",)),
    Row("critique changes no rules", "team renewal off", ("behaviour.rule_change=0",)),
    Row("authority neither earned nor lost", "team renewal off",
        ("behaviour.authority_rate=0",)),
    Row("all team renewal off (the model before it)", "team renewal off",
        ("team.turnover=0", "behaviour.rule_change=0", "behaviour.authority_rate=0")),
    Row("no group-size term, no peer renewal, no exits", "combined",
        ("behaviour.impact_exponent=0", "behaviour.peer_renewal=0", "behaviour.exit_rate=0")),
)


@dataclass(frozen=True)
class Contrast:
    """A treatment compared with one EBE (``scenario=single_hire``) at one pressure."""

    name: str
    overrides: tuple[str, ...]


HEADLINE = Contrast("second EBE", ("scenario=two_hires",))
#: The levers of ``configs/experiment/levers.yaml`` (each one scenario over a single hire).
LEVERS = tuple(Contrast(name.replace("_", " "), (f"scenario={name}",)) for name in (
    "external_ebe", "intervision", "coaching", "clear_role", "policy_seat",
    "professional_autonomy", "dialogue_culture", "experiential_authority",
    "separate_ebe_team"))
CONTRASTS = (HEADLINE, *LEVERS)
PRESSURES = ("normal", "high")
BASELINE = ("scenario=single_hire",)
#: The smallest headline effect that matters (pattern 1's rule).
MINIMUM = BY_NUMBER[1].checks[0].rule.threshold


@dataclass(frozen=True)
class Cell:
    """One contrast in one row at one pressure."""

    row: str
    contrast: str
    pressure: str
    baseline: float
    treated: float
    difference: float
    low: float
    high: float
    n: int

    @property
    def sign(self) -> int:
        """+1 or -1 when the interval excludes 0, else 0."""
        return 1 if self.low > 0 else -1 if self.high < 0 else 0


def _survival(overrides: Sequence[str], replicates: int, seed: int) -> np.ndarray:
    cfg = compose([*overrides, f"run.replicates={replicates}", f"run.seed={seed}"])
    return simulate(cfg, weekly=False).replicates["survived"].to_numpy(np.int8)


def arms(rows: Sequence[Row] = ROWS) -> list[tuple[str, str, str]]:
    """Every (row, pressure, arm) to simulate; arm '' is the baseline."""
    return [(row.name, pressure, arm) for row in rows for pressure in PRESSURES
            for arm in ("", *(c.name for c in CONTRASTS))]


def run_structural(replicates: int, seed: int, rows: Sequence[Row] = ROWS, jobs: int = 2,
                   resamples: int = 1999) -> list[Cell]:
    """Every contrast in every row at both pressures, on common random numbers."""
    by_row = {r.name: r for r in rows}
    by_contrast = {c.name: c for c in CONTRASTS}
    tasks = arms(rows)
    overrides = [(*by_row[r].overrides, f"pressure={p}",
                  *(by_contrast[a].overrides if a else BASELINE)) for r, p, a in tasks]
    survival = Parallel(n_jobs=jobs)(delayed(_survival)(o, replicates, seed) for o in overrides)
    result = dict(zip(tasks, survival, strict=True))
    cells = []
    for k, (row, pressure, arm) in enumerate(t for t in tasks if t[2]):
        base, treated = result[(row, pressure, "")], result[(row, pressure, arm)]
        est = mean_difference(treated.astype(float), base.astype(float), 0.95, resamples, seed + k)
        cells.append(Cell(row, arm, pressure, float(base.mean()), float(treated.mean()),
                          est.value, est.low, est.high, est.n))
    return cells


def carriers(cells: Sequence[Cell], pressure: str = "normal") -> dict[str, list[str]]:
    """The rows in which the headline is lost, falls below the minimum that matters, or
    halves, compared with the defaults."""
    head = {c.row: c for c in cells if c.contrast == HEADLINE.name and c.pressure == pressure}
    reference = head["defaults"].difference
    out: dict[str, list[str]] = {"lost": [], "below minimum": [], "halved": [], "grown": []}
    for name, cell in head.items():
        if name == "defaults":
            continue
        if cell.sign <= 0:
            out["lost"].append(name)
        elif cell.low <= MINIMUM:
            out["below minimum"].append(name)
        elif cell.difference < reference / 2:
            out["halved"].append(name)
        elif cell.difference > reference * 1.5 and not math.isclose(reference, 0):
            out["grown"].append(name)
    return out


def flips(cells: Sequence[Cell]) -> dict[tuple[str, str], list[str]]:
    """Per (contrast, pressure): the rows where the sign differs from the defaults' sign
    (an interval on the other side of zero, or one that now reaches zero)."""
    reference = {(c.contrast, c.pressure): c.sign for c in cells if c.row == "defaults"}
    out: dict[tuple[str, str], list[str]] = {key: [] for key in reference}
    for c in cells:
        if c.row != "defaults" and c.sign != reference[(c.contrast, c.pressure)]:
            out[(c.contrast, c.pressure)].append(c.row)
    return out
