"""Run many replicates of one parameter point on the batched engine.

``simulate(cfg)`` returns a :class:`Result` with one row per replicate (every outcome)
and, optionally, the weekly trajectories in long-by-week tidy form. Replicates are
advanced in chunks of ``run.chunk_size`` (memory only); results do not depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config import Config
from sim.engine import TeamEngine
from sim.outcomes import OBSERVED, STATES, summarise
from sim.parameters import Team, build_team, stack_parameters


@dataclass
class Result:
    """Outcomes of a block of replicates of one point."""

    replicates: pd.DataFrame       # one row per replicate: seed, replicate, outcomes
    weekly: pd.DataFrame | None    # one row per replicate and week: OBSERVED columns


def chunks(ids: Sequence[int], size: int) -> list[Sequence[int]]:
    """``ids`` cut into consecutive blocks of at most ``size``."""
    return [ids[start:start + size] for start in range(0, len(ids), size)]


def run_block(team: Team, seed: int, replicates: Sequence[int]) -> np.ndarray:
    """Observations ``(len(replicates), weeks + 1, len(OBSERVED))`` of those replicates."""
    weeks, size = team.cfg.run.weeks, team.cfg.run.chunk_size
    observed = np.empty((len(replicates), weeks + 1, len(OBSERVED)))
    for start, block in zip(range(0, len(replicates), size), chunks(list(replicates), size),
                            strict=True):
        TeamEngine(team, seed, block).run(weeks, out=observed[start:start + len(block)])
    return observed


def run_points(cfgs: Sequence[Config], replicates: int, seed: int) -> np.ndarray:
    """Replicates ``0..replicates-1`` of several points, advanced as one block.

    The points must share the team layout (see :func:`sim.parameters.stack_parameters`);
    each uses root ``seed`` (common random numbers). Returns observations
    ``(len(cfgs) * replicates, weeks + 1, K)``, point by point; each point's rows are the
    same bits as ``run_block`` of that point alone.
    """
    team = stack_parameters(cfgs)
    ids = list(range(replicates)) * len(cfgs)
    point_of = np.repeat(np.arange(len(cfgs)), replicates)
    return TeamEngine(team, seed, ids, point_of).run(team.cfg.run.weeks)


def replicate_table(observed: np.ndarray, seed: int, replicates: Sequence[int]) -> pd.DataFrame:
    """One row per replicate: ``seed``, ``replicate`` and every outcome of ``summarise``."""
    frame = pd.DataFrame(summarise(observed))
    frame.insert(0, "replicate", np.asarray(replicates, dtype=np.int64))
    frame.insert(0, "seed", np.int64(seed))
    return frame


def weekly_table(observed: np.ndarray, replicates: Sequence[int]) -> pd.DataFrame:
    """One row per replicate and week with every ``OBSERVED`` variable."""
    reps, weeks, _ = observed.shape
    frame = pd.DataFrame(observed.reshape(reps * weeks, len(OBSERVED)), columns=list(OBSERVED))
    frame.insert(0, "week", np.tile(np.arange(weeks, dtype=np.int64), reps))
    frame.insert(0, "replicate", np.repeat(np.asarray(replicates, dtype=np.int64), weeks))
    frame["state"] = pd.Categorical.from_codes(frame["state"].to_numpy(np.int8), STATES)
    frame["alive"] = frame["alive"].astype(bool)
    return frame


def simulate(cfg: Config, replicates: Sequence[int] | None = None, *,
             weekly: bool = True) -> Result:
    """Run ``replicates`` (default ``range(cfg.run.replicates)``) of ``cfg``."""
    team = build_team(cfg)
    ids = list(range(cfg.run.replicates)) if replicates is None else list(replicates)
    if weekly:
        observed = run_block(team, cfg.run.seed, ids)
        return Result(replicates=replicate_table(observed, cfg.run.seed, ids),
                      weekly=weekly_table(observed, ids))
    # without trajectories, summarise chunk by chunk and never hold them all
    tables = [replicate_table(run_block(team, cfg.run.seed, block), cfg.run.seed, block)
              for block in chunks(ids, cfg.run.chunk_size) or [[]]]
    return Result(pd.concat(tables, ignore_index=True), None)
