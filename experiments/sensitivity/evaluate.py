"""Run a design: every sample point in every arm, on common random numbers.

An *arm* is the analysed config with one scenario file merged over it (the baseline, e.g.
``single_hire``, or a contrast such as ``two_hires`` or ``intervision``). Each sample
point runs replicates ``0..R-1`` of the same seed in every arm, so an arm's difference
from the baseline at that point is paired replicate by replicate. A task takes a block
of points and runs it arm by arm, each arm's block advancing together in one engine
(:func:`sim.simulate.run_points`; a point's numbers are the bits it has alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed
from omegaconf import DictConfig, OmegaConf, open_dict
from tqdm import tqdm

from experiments.sensitivity.design import with_values
from sim import Config, ConfigError, config_dir, replicate_table, to_config
from sim.simulate import run_points


def scenario_arm(cfg: DictConfig, scenario: str) -> Config:
    """``cfg`` with ``configs/scenario/<scenario>.yaml`` merged over it (its label too)."""
    path = config_dir() / "scenario" / f"{scenario}.yaml"
    if not path.exists():
        choices = sorted(p.stem for p in path.parent.glob("*.yaml"))
        raise ConfigError(f"scenario '{scenario}' does not exist: choose from "
                          + ", ".join(choices))
    node = OmegaConf.load(path)
    if "defaults" in node:
        raise ConfigError(f"scenario '{scenario}' changes config groups (defaults list); "
                          "a sensitivity contrast can only change values")
    merged = OmegaConf.merge(cfg, node)
    with open_dict(merged):
        merged.pop("hydra", None)
    return to_config(merged)


@dataclass(frozen=True)
class Outputs:
    """Per sample point: each arm's mean of each outcome, and the paired standard error
    of each arm's mean difference from the baseline (arm 0)."""

    means: np.ndarray        # (points, arms, outcomes)
    difference_se: np.ndarray  # (points, arms, outcomes); 0 for the baseline


def evaluate_block(arms: Sequence[Config], names: Sequence[str], samples: np.ndarray,
                   replicates: int, outcomes: Sequence[str]) -> Outputs:
    """:class:`Outputs` of a block of sample points."""
    values = []
    for arm in arms:
        points = [with_values(arm, names, row) for row in samples]
        observed = run_points(points, replicates, arm.run.seed)
        table = replicate_table(observed, arm.run.seed, list(range(replicates)) * len(points))
        values.append(table[list(outcomes)].to_numpy(float).reshape(len(points), replicates,
                                                                    len(outcomes)))
    per_rep = np.stack(values, axis=1)                   # (points, arms, R, outcomes)
    diff = per_rep - per_rep[:, :1]
    se = np.nanstd(diff, axis=2, ddof=1) / np.sqrt(replicates) if replicates > 1 else \
        np.zeros_like(diff[:, :, 0])
    return Outputs(np.nanmean(per_rep, axis=2), se)


def evaluate(arms: Sequence[Config], names: Sequence[str], samples: np.ndarray,
             replicates: int, outcomes: Sequence[str], jobs: int = 1, block: int = 64,
             label: str = "") -> Outputs:
    """:func:`evaluate_block` over all ``samples`` in blocks on ``jobs`` processes, with
    a progress bar of sample points (tqdm, as the rest of teamsim)."""
    starts = range(0, len(samples), block)
    tasks = (delayed(evaluate_block)(arms, names, samples[s:s + block], replicates, outcomes)
             for s in starts)
    results = Parallel(n_jobs=jobs, return_as="generator")(tasks) if jobs > 1 else (
        evaluate_block(arms, names, samples[s:s + block], replicates, outcomes) for s in starts)
    parts = []
    with tqdm(total=len(samples), desc=label, unit="point", leave=False, disable=None) as bar:
        for part in results:
            parts.append(part)
            bar.update(len(part.means))
    if not parts:
        empty = np.empty((0, len(arms), len(outcomes)))
        return Outputs(empty, empty)
    return Outputs(np.concatenate([p.means for p in parts]),
                   np.concatenate([p.difference_se for p in parts]))
