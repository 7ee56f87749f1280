"""Per-replicate measures the validation patterns use, from the model's public outputs.

Each measure maps an arm's config and its replicate table (``sim.simulate(...).replicates``,
columns from :data:`sim.outcomes.OUTCOMES`) to one float per replicate; NaN marks a
replicate where the measure is not defined (e.g. no loss, no feedback occasion), and
such replicates drop out of the statistic (and out of the pairs of a paired statistic).
``trust_gap`` needs trust among professionals, which no outcome reports, so it reads the
Mesa agents of :class:`sim.TeamModel` (public API) for a quarter of the replicates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from sim import Config
from sim.config import EBE

T = TypeVar("T")

#: ``trust_gap`` steps Mesa models one by one: it uses replicates 0 .. n // this - 1.
AGENT_FRACTION = 4


@dataclass(frozen=True)
class Measure:
    """A per-replicate quantity with its meaning and unit."""

    description: str
    unit: str
    compute: Callable[[Config, pd.DataFrame], np.ndarray]


def _column(name: str) -> Callable[[Config, pd.DataFrame], np.ndarray]:
    def compute(cfg: Config, table: pd.DataFrame) -> np.ndarray:
        return table[name].to_numpy(float)
    return compute


def loss_by_assimilation(cfg: Config, table: pd.DataFrame) -> np.ndarray:
    """1 if the first week without the perspective was ``assimilated``, 0 if ``vacant``,
    NaN if the perspective was never lost (or never held)."""
    cause = table["loss_cause"].to_numpy(object)
    out = np.full(len(cause), np.nan)
    out[cause == "assimilated"] = 1.0
    out[cause == "vacant"] = 0.0
    return out


def gap_closed(cfg: Config, table: pd.DataFrame) -> np.ndarray:
    """Professionals' shift toward the life world as a share of the week-0 gap between
    the EBEs' and the professionals' mean views (NaN without a gap)."""
    gap = table["distinctiveness_start"].to_numpy(float)
    shift = table["team_shift"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(gap > 0, shift / gap, np.nan)


def withheld_share_to_ebe(cfg: Config, table: pd.DataFrame) -> np.ndarray:
    """Share of feedback occasions toward EBEs in which the feedback was withheld."""
    withheld = table["feedback_withheld_to_ebe"].to_numpy(float)
    occasions = withheld + table["feedback_given_to_ebe"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(occasions > 0, withheld / occasions, np.nan)


def team_trust_gap(members: Sequence[tuple[bool, T]], trust: Callable[[T, T], float]) -> float:
    """Mean ``trust(a, b)`` over ordered pairs of professionals minus the mean over
    professional-EBE pairs in both directions; ``members`` are ``(is_ebe, member)``. NaN
    when no EBE (or fewer than two professionals) is present."""
    pros = [m for is_ebe, m in members if not is_ebe]
    ebes = [m for is_ebe, m in members if is_ebe]
    if not ebes or len(pros) < 2:
        return float("nan")
    within = [trust(a, b) for a in pros for b in pros if a is not b]
    cross = [trust(a, b) for a in pros for b in ebes] + [trust(b, a) for a in pros for b in ebes]
    return float(np.mean(within) - np.mean(cross))


def trust_gap(cfg: Config, table: pd.DataFrame) -> np.ndarray:
    """:func:`team_trust_gap` of the team at the horizon, replicate by replicate through
    ``sim.TeamModel`` (exact replay of the same replicate); NaN beyond the first
    ``len(table) // AGENT_FRACTION`` replicates."""
    from sim import TeamModel  # Mesa is imported only when this measure is used

    out = np.full(len(table), np.nan)
    for row, replicate in enumerate(table["replicate"].to_numpy()[:len(table) // AGENT_FRACTION]):
        model = TeamModel(cfg, seed=int(table["seed"].iloc[row]), replicate=int(replicate))
        while model.running:
            model.step()
        members = [(m.role == EBE, m) for m in model.members.values()]
        out[row] = team_trust_gap(members, lambda a, b: a.trust_in(b))
    return out


MEASURES: dict[str, Measure] = {
    "survived": Measure("the perspective is alive at the horizon (retained or diffused)",
                        "share of teams", _column("survived")),
    "loss_by_assimilation": Measure(
        "the first loss of the perspective was assimilation, not a vacancy (teams that lost "
        "it)", "share of losses", loss_by_assimilation),
    "gap_closed": Measure("team shift / week-0 gap between the EBEs' and professionals' views",
                          "share of the gap", gap_closed),
    "experiential_share": Measure("mean weekly share of decision weight carried by EBEs",
                                  "share", _column("experiential_share")),
    "withheld_share_to_ebe": Measure(
        "withheld / (withheld + given) feedback toward EBEs over the run", "share of occasions",
        withheld_share_to_ebe),
    "trust_gap": Measure(
        "mean trust among professionals minus mean trust across the EBE line, at the horizon",
        "trust (0-1)", trust_gap),
    "irritation_cross": Measure("mean irritation across the EBE line, weeks with an EBE",
                                "level 0-1", _column("irritation_cross")),
    "critique_accepted": Measure("critiques of rules taken up by the team over the run",
                                 "events", _column("critique_accepted")),
}
