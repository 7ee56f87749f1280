"""Run the arms a set of patterns needs and estimate every check with its interval.

Each arm runs replicates ``0..n-1`` from one root seed (common random numbers), so the
replicate with the same index in two arms faces the same random draws and differences
are paired. Levels and paired differences get the BCa interval of
:func:`analysis.compare.mean_difference`, ratios that of
:func:`analysis.validation_stats.ratio_of_means`. Every bootstrap draws from a stream
spawned from the run's seed and the check's identity, so a check has the same interval
whichever subset of patterns runs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm import tqdm

from analysis.compare import Estimate, mean_difference
from analysis.validation_stats import level, ratio_of_means
from experiments.validation.measures import MEASURES
from experiments.validation.patterns import ARMS, BY_NUMBER, DIFFERENCE, LEVEL, Check, Pattern
from sim import Config, compose, simulate

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Settings:
    """Size and seed of a run; ``overrides`` apply to every arm (to explore a calibration)."""

    replicates: int
    resamples: int
    seed: int
    quick: bool = False
    overrides: tuple[str, ...] = ()


def arm_config(name: str, settings: Settings) -> Config:
    """The config of arm ``name``: its overrides of the defaults, then the run's size."""
    return compose([*settings.overrides, *ARMS[name], f"run.replicates={settings.replicates}",
                    f"run.seed={settings.seed}"])


def run_arm(name: str, settings: Settings) -> tuple[Config, pd.DataFrame]:
    """Replicates ``0..replicates-1`` of an arm (no weekly record)."""
    cfg = arm_config(name, settings)
    return cfg, simulate(cfg, weekly=False).replicates


@dataclass(frozen=True)
class Outcome:
    """The measured result of one check."""

    pattern: int
    index: int
    check: Check
    estimate: float
    low: float
    high: float
    n: int                       # replicates (pairs) the statistic used
    values: dict[str, float]     # the measure's mean in each arm (same replicates)

    @property
    def passed(self) -> bool:
        return bool(np.isfinite(self.low) and np.isfinite(self.high)
                    and self.check.rule.passes(self.low, self.high))

    @property
    def id(self) -> str:
        return f"{self.pattern}.{self.index + 1}"


def bootstrap_seed(seed: int, pattern: int, index: int) -> int:
    """The bootstrap seed of one check, spawned from the run's seed."""
    return int(np.random.SeedSequence(seed, spawn_key=(pattern, index)).generate_state(1)[0])


def estimate(check: Check, data: Sequence[np.ndarray], resamples: int, seed: int) -> Estimate:
    """The check's statistic of its arms' per-replicate values, with its interval."""
    if check.statistic == LEVEL:
        return level(data[0], CONFIDENCE, resamples, seed)
    treated, reference = data
    if check.statistic == DIFFERENCE:
        return mean_difference(treated, reference, CONFIDENCE, resamples, seed)
    return ratio_of_means(treated, reference, CONFIDENCE, resamples, seed)


def evaluate(pattern: Pattern, index: int, measured: dict[tuple[str, str], np.ndarray],
             seed: int, resamples: int) -> Outcome:
    """Estimate check ``index`` of ``pattern`` from the measured arms."""
    check = pattern.checks[index]
    data = [measured[(arm, check.measure)] for arm in check.arms]
    keep = np.logical_and.reduce([np.isfinite(d) for d in data])
    data = [d[keep] for d in data]
    est = estimate(check, data, resamples, bootstrap_seed(seed, pattern.number, index))
    values = {arm: float(np.mean(d)) if d.size else float("nan")
              for arm, d in zip(check.arms, data, strict=True)}
    return Outcome(pattern.number, index, check, est.value, est.low, est.high, est.n, values)


@dataclass
class Validation:
    """All outcomes of one run, with its settings and timing."""

    outcomes: list[Outcome]
    tables: dict[str, pd.DataFrame]
    settings: Settings
    seconds: float

    def pattern_passed(self, number: int) -> bool:
        return all(o.passed for o in self.outcomes if o.pattern == number)

    @property
    def patterns(self) -> list[Pattern]:
        return [BY_NUMBER[n] for n in dict.fromkeys(o.pattern for o in self.outcomes)]

    @property
    def failed(self) -> list[Pattern]:
        return [p for p in self.patterns if not self.pattern_passed(p.number)]


def run_validation(numbers: Sequence[int], settings: Settings,
                   show_progress: bool | None = None) -> Validation:
    """Simulate every arm the chosen patterns need once, then evaluate every check."""
    start = time.perf_counter()
    patterns = [BY_NUMBER[n] for n in numbers]
    arms = list(dict.fromkeys(arm for p in patterns for arm in p.arms))
    wanted = {arm: {c.measure for p in patterns for c in p.checks if arm in c.arms}
              for arm in arms}
    tables: dict[str, pd.DataFrame] = {}
    measured: dict[tuple[str, str], np.ndarray] = {}
    disable = None if show_progress is None else not show_progress  # None: only on a terminal
    bar = tqdm(arms, desc="validation arms", unit="arm", disable=disable, leave=False)
    for arm in bar:
        bar.set_postfix_str(arm, refresh=False)
        cfg, tables[arm] = run_arm(arm, settings)
        for name in sorted(wanted[arm]):
            measured[(arm, name)] = MEASURES[name].compute(cfg, tables[arm])
    outcomes = [evaluate(p, i, measured, settings.seed, settings.resamples)
                for p in patterns for i in range(len(p.checks))]
    return Validation(outcomes, tables, settings, time.perf_counter() - start)
