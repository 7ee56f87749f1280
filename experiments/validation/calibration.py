"""The calibration targets: patterns from the field that were used to set parameters.

They are kept apart from the validation patterns (:mod:`~experiments.validation.patterns`),
which set nothing. ``python -m experiments.validation.calibration`` measures every target
on the current defaults and over the grid of the two constants the targets pin together
(``behaviour.anchor_drift`` x ``behaviour.closure_pressure``), and writes the tables
between the markers of ``docs/calibration.md``; the admissible region the grid leaves is
what the global sensitivity analysis samples (``docs/parameters.yaml``).
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.compare import Estimate, proportion
from analysis.validation_stats import level, ratio_of_means
from experiments.store import atomic
from experiments.validation import freshness
from sim import compose, simulate
from sim.parameters import staffing

DOCUMENT = freshness.ROOT / "docs" / "calibration.md"
START, END = "<!-- calibration:start -->", "<!-- calibration:end -->"
#: "Present but absent" (C2, C3): a share of decisions below half a head-count share.
LOW_SHARE = 0.5


def _low_share(table: pd.DataFrame, seats: int) -> np.ndarray:
    return table["experiential_share"].to_numpy(float) < LOW_SHARE / seats


def _soon(tables: dict[str, pd.DataFrame], seats: dict[str, int]) -> Estimate:
    t = tables["high_pressure"]
    lost = (t["lost"] & (t["weeks_to_loss"] <= 52)).to_numpy(bool)
    return proportion(int(lost.sum()), lost.size)


def _absent(tables: dict[str, pd.DataFrame], seats: dict[str, int]) -> Estimate:
    t = tables["steep_hierarchy"]
    hit = t["survived"].to_numpy(bool) & _low_share(t, seats["steep_hierarchy"])
    return proportion(int(hit.sum()), hit.size)


def _share_level(tables: dict[str, pd.DataFrame], seats: dict[str, int]) -> Estimate:
    share = tables["default"]["experiential_share"].to_numpy(float) * seats["default"]
    return level(share, n_resamples=1999)


def _exit_rate(tables: dict[str, pd.DataFrame], seats: dict[str, int]) -> Estimate:
    t = tables["default"]
    rate = ratio_of_means(t["exits"].to_numpy(float), t["ebe_years"].to_numpy(float),
                          n_resamples=1999)
    def annual(x: float) -> float:
        return -math.expm1(-x)
    return Estimate(annual(rate.value), annual(rate.low), annual(rate.high), rate.n)


def _autonomy(tables: dict[str, pd.DataFrame], seats: dict[str, int]) -> Estimate:
    return ratio_of_means(tables["autonomy"]["experiential_share"].to_numpy(float),
                          tables["default"]["experiential_share"].to_numpy(float),
                          n_resamples=1999)


@dataclass(frozen=True)
class Target:
    """A pattern used to set parameters, with the band it asks for."""

    key: str
    theme: str
    claim: str
    source: str
    sets: str
    how: str
    measure: str
    band: tuple[float, float]
    compute: Callable[[dict[str, pd.DataFrame], dict[str, int]], Estimate]

    def holds(self, e: Estimate) -> bool:
        return self.band[0] <= e.low and e.high <= self.band[1]


TARGETS: tuple[Target, ...] = (
    Target("C1", "P1", "A lone EBE in a high-load team loses the perspective soon: most "
           "within a year", "seed 001 ('leidt al snel tot de kleur aannemen van die "
           "omgeving')", "`behaviour.anchor_drift` (lower bound), with "
           "`behaviour.closure_pressure`", "grid over drift x closure (below)",
           "P(first loss within 52 weeks), one EBE, high pressure", (0.5, 1.0), _soon),
    Target("C2", "P7", "'Present but absent': in a steep hierarchy the perspective often "
           "survives in the EBE while its share of decisions stays low", "seed 004 "
           "('ontbreekt vaak in collectief besluitvormingsproces')",
           "`behaviour.anchor_drift` (upper bound), with `behaviour.closure_pressure`",
           "grid over drift x closure (below)",
           "P(alive at 104 weeks and share < half a head-count share), hierarchy "
           "steepness 2", (0.25, 1.0), _absent),
    Target("C3", "P3", "Experiential knowledge is often absent from collective decisions: "
           "one EBE carries far less than a head-count share", "seed 004",
           "`team.hierarchy_weight.expert_by_experience` (1.0) and "
           "`behaviour.experiential_discount` (0.5): the level only, not identified",
           "chosen by hand; 0.7 / 0.6 satisfy it as well",
           "experiential share x team size (1 = a head-count share), one EBE",
           (0.0, LOW_SHARE), _share_level),
    Target("C4", "P10", "Peer workers leave often: about 18% a year", "Lombardi et al. "
           "2025 (42% consider leaving, 44% of them within a year)",
           "`behaviour.exit_rate` (0.07) and `behaviour.stress_hazard_ratio` (4): checked, "
           "not changed", "the defaults were accepted because they fall in the band",
           "annual exit probability 1 - exp(-exits / EBE-years), one EBE", (0.10, 0.20),
           _exit_rate),
    Target("C5", "P4", "Professional autonomy gives experiential knowledge more room in "
           "decisions", "seed 004 ('Versterk de autonomie van professionals')",
           "a mechanism: the EBE's voice at the case review scales with room (ODD 7.3), "
           "added when the effect came out weak", "structural change of the model",
           "experiential share, autonomy 0.7 / 0.3", (1.1, math.inf), _autonomy),
)
ARMS = {"default": (), "high_pressure": ("pressure=high",),
        "steep_hierarchy": ("team.hierarchy_steepness=2.0",),
        "autonomy": ("organisation.professional_autonomy=0.7",)}
DRIFTS = (0.010, 0.012, 0.015, 0.018, 0.020, 0.025, 0.030)
CLOSURES = (0.5, 1.0, 1.5, 2.0)


def measure(overrides: Sequence[str], replicates: int, seed: int,
            targets: Sequence[Target] = TARGETS) -> dict[str, Estimate]:
    """Each target's estimate with ``overrides`` applied to every arm."""
    wanted = {"C1": ("high_pressure",), "C2": ("steep_hierarchy",), "C3": ("default",),
              "C4": ("default",), "C5": ("default", "autonomy")}
    arms = dict.fromkeys(a for t in targets for a in wanted[t.key])
    tables, seats = {}, {}
    for arm in arms:
        cfg = compose([*overrides, *ARMS[arm], f"run.replicates={replicates}",
                       f"run.seed={seed}"])
        tables[arm] = simulate(cfg, weekly=False).replicates
        seats[arm] = len(staffing(cfg))
    return {t.key: t.compute(tables, seats) for t in targets}


def interval(e: Estimate) -> str:
    return f"{e.value:.3f} [{e.low:.3f}, {e.high:.3f}]"


def target_table(values: dict[str, Estimate]) -> list[str]:
    rows = ["| Target | Theme | Pattern | Source | Sets | How | Measure | Band | At the "
            "defaults [95% CI] | Holds |", "|---|---|---|---|---|---|---|---|---|---|"]
    for t in TARGETS:
        e = values[t.key]
        band = f"[{t.band[0]:g}, {t.band[1]:g}]"
        rows.append(f"| {t.key} | {t.theme} | {t.claim} | {t.source} | {t.sets} | {t.how} | "
                    f"{t.measure} | {band} | {interval(e)} | {'yes' if t.holds(e) else '**no**'} |")
    return rows


def grid(replicates: int, seed: int) -> pd.DataFrame:
    """C1 and C2 over :data:`DRIFTS` x :data:`CLOSURES`."""
    rows = []
    for drift, closure in itertools.product(DRIFTS, CLOSURES):
        values = measure((f"behaviour.anchor_drift={drift}",
                          f"behaviour.closure_pressure={closure}"), replicates, seed,
                         TARGETS[:2])
        rows.append({"anchor_drift": drift, "closure_pressure": closure,
                     **{f"{k}": v for k, v in values.items()}})
    return pd.DataFrame(rows)


def grid_table(frame: pd.DataFrame) -> list[str]:
    c1, c2 = TARGETS[0], TARGETS[1]
    rows = ["| `anchor_drift` \\ `closure_pressure` | "
            + " | ".join(f"{c:g}" for c in CLOSURES) + " |", "|---|" + "---|" * len(CLOSURES)]
    for drift in DRIFTS:
        cells = []
        for closure in CLOSURES:
            row = frame[(frame.anchor_drift == drift) & (frame.closure_pressure == closure)]
            e1, e2 = row["C1"].iloc[0], row["C2"].iloc[0]
            both = c1.holds(e1) and c2.holds(e2)
            text = (f"C1 {e1.value:.2f}{'✓' if c1.holds(e1) else '✗'}, "
                    f"C2 {e2.value:.2f}{'✓' if c2.holds(e2) else '✗'}")
            cells.append(f"**{text}**" if both else text)
        rows.append(f"| {drift:g} | " + " | ".join(cells) + " |")
    return rows


def admissible(frame: pd.DataFrame) -> list[tuple[float, float]]:
    """The grid points where C1 and C2 both hold."""
    c1, c2 = TARGETS[0], TARGETS[1]
    return [(r.anchor_drift, r.closure_pressure) for r in frame.itertuples()
            if c1.holds(r.C1) and c2.holds(r.C2)]


def block(values: dict[str, Estimate], frame: pd.DataFrame, replicates: int, seed: int) -> str:
    region = admissible(frame)
    if region:
        drifts = sorted({d for d, _ in region})
        closures = sorted({c for _, c in region})
        words = (f"Both C1 and C2 hold at {len(region)} of {len(frame)} grid points: "
                 + ", ".join(f"({d:g}, {c:g})" for d, c in region)
                 + f"; drift {drifts[0]:g}-{drifts[-1]:g}, closure {closures[0]:g}-"
                   f"{closures[-1]:g}.")
    else:
        words = "C1 and C2 hold together at **no** grid point."
    lines = [
        START,
        f"*Generated by `python -m experiments.validation.calibration --replicates "
        f"{replicates} --seed {seed}` on the model with fingerprint "
        f"`{freshness.model_fingerprint()}` (do not edit between the markers).*", "",
        "### The targets on the current defaults", "", *target_table(values), "",
        "### C1 and C2 over drift x closure (95% Wilson intervals; ✓: the whole interval in "
        "the band; bold: both hold)", "", *grid_table(frame), "", words, "",
        END,
    ]
    return "\n".join(lines)


def write(text: str, path: Path = DOCUMENT) -> None:
    doc = path.read_text(encoding="utf-8")
    start, end = doc.find(START), doc.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{path} needs the markers {START} and {END}")
    with atomic(path) as tmp:
        tmp.write_text(doc[:start] + text + doc[end + len(END):], encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the calibration targets and "
                                     "rewrite their tables in docs/calibration.md")
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=compose([]).run.seed)
    parser.add_argument("--output", type=Path, default=DOCUMENT)
    args = parser.parse_args(argv)
    values = measure((), args.replicates, args.seed)
    frame = grid(args.replicates, args.seed)
    text = block(values, frame, args.replicates, args.seed)
    print(text)
    write(text, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
