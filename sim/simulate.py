"""Run many replicates of one parameter point on the batched engine.

``simulate(cfg)`` returns a :class:`Result` with one row per replicate (every outcome)
and, optionally, the weekly trajectories in long-by-week tidy form. Replicates are
advanced in chunks of ``run.chunk_size`` (memory only); results do not depend on it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config import Config, ConfigError, RunConfig
from sim.engine import TeamEngine, run_weeks
from sim.jit import cache_dir
from sim.outcomes import OBSERVED, STATES, WEEKLY, summarise
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


#: Column types of the weekly tables, from the kind of each observation (sim.outcomes).
DTYPES = {"count": np.int32, "flag": np.bool_, "category": np.int8, "number": np.float64}


def _weekly_columns(rows: int) -> dict[str, np.ndarray]:
    columns = {"replicate": np.empty(rows, np.int64), "week": np.empty(rows, np.int64)}
    return columns | {name: np.empty(rows, DTYPES[WEEKLY[name].kind]) for name in OBSERVED}


def _fill_weekly(columns: dict[str, np.ndarray], start: int, observed: np.ndarray,
                 replicates: Sequence[int]) -> None:
    """Write a block's record ``(B, weeks + 1, K)`` into rows ``start...`` of ``columns``."""
    reps, weeks, _ = observed.shape
    rows = slice(start, start + reps * weeks)
    columns["replicate"][rows] = np.repeat(np.asarray(replicates, dtype=np.int64), weeks)
    columns["week"][rows] = np.tile(np.arange(weeks, dtype=np.int64), reps)
    for k, name in enumerate(OBSERVED):
        columns[name][rows] = observed[:, :, k].reshape(-1)


def _frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    columns["state"] = pd.Categorical.from_codes(columns["state"], STATES)
    return pd.DataFrame(columns, copy=False)


def weekly_table(observed: np.ndarray, replicates: Sequence[int]) -> pd.DataFrame:
    """One row per replicate and week with every ``OBSERVED`` variable: counts as integers,
    flags as booleans, ``state`` as a category, the rest as floats."""
    columns = _weekly_columns(observed.shape[0] * observed.shape[1])
    _fill_weekly(columns, 0, observed, replicates)
    return _frame(columns)


def engine_on_disk() -> bool:
    """Whether the compiled engine of this version of ``sim/`` is in the cache."""
    return any(cache_dir().glob(f"*/engine.{run_weeks.__name__}-*.nbi"))


def compile_engine() -> float:
    """Make sure the engine is compiled (about 9 s of CPU the first time after a change to
    ``sim/``; later runs load it from the cache); return the seconds it took."""
    start = time.perf_counter()
    simulate(Config(run=RunConfig(weeks=1)), replicates=[0], weekly=False)
    return time.perf_counter() - start


def ensure_compiled(say: Callable[[str], object]) -> None:
    """Compile the engine unless it is in the cache, with ``say`` before and after: the
    first run after installing or changing the model would otherwise sit silent for
    about 10 s."""
    if not engine_on_disk():
        say("compiling the engine (once after installing or changing the model, about 10 s)")
        say(f"compiled in {compile_engine():.0f} s; later runs load it from the cache")


def memory_needed(cfg: Config, replicates: int, weekly: bool) -> int:
    """Bytes ``simulate`` holds at its peak beyond the imported libraries: the weekly
    table (``weekly``) and one chunk's record of every week, twice over for the summaries'
    temporaries (measured: 255 MB used against 381 MB estimated for 500 replicates x
    1,041 weeks of a team of 60 with weekly trajectories; 175 MB against 278 MB without)."""
    weeks = cfg.run.weeks + 1
    record = 2 * min(replicates, cfg.run.chunk_size) * weeks * len(OBSERVED) * 8
    row = sum(column.itemsize for column in _weekly_columns(0).values())
    return record + (replicates * weeks * row if weekly else 0)


def simulate(cfg: Config, replicates: Sequence[int] | None = None, *,
             weekly: bool = True, memory_limit_gb: float = 4.0) -> Result:
    """Run ``replicates`` (default ``range(cfg.run.replicates)``) of ``cfg``.

    Replicates run ``run.chunk_size`` at a time: each chunk is summarised and, with
    ``weekly``, written into the weekly table's columns, so the full record of every
    replicate is never held at once. A request whose tables would need more than
    ``memory_limit_gb`` (:func:`memory_needed`) stops with a ConfigError before any work.
    """
    ids = list(range(cfg.run.replicates)) if replicates is None else list(replicates)
    needed = memory_needed(cfg, len(ids), weekly)
    if needed > memory_limit_gb * 2**30:
        raise ConfigError(
            f"simulate: {len(ids):,} replicates x {cfg.run.weeks + 1:,} weeks"
            f"{' with weekly trajectories' if weekly else ''} need about "
            f"{needed / 2**30:.1f} GB, more than memory_limit_gb = {memory_limit_gb:g}: ask "
            "for fewer replicates or weeks, weekly=False, a higher memory_limit_gb, or run "
            "the point with `teamsim run`, which streams to Parquet")
    team = build_team(cfg)
    weeks = cfg.run.weeks + 1
    columns = _weekly_columns(len(ids) * weeks) if weekly else None
    tables = []
    for start, block in zip(range(0, len(ids), cfg.run.chunk_size),
                            chunks(ids, cfg.run.chunk_size), strict=True):
        observed = run_block(team, cfg.run.seed, block)
        tables.append(replicate_table(observed, cfg.run.seed, block))
        if columns is not None:
            _fill_weekly(columns, start * weeks, observed, block)
    if not tables:
        tables = [replicate_table(np.empty((0, weeks, len(OBSERVED))), cfg.run.seed, [])]
    return Result(pd.concat(tables, ignore_index=True),
                  _frame(columns) if columns is not None else None)
