"""Compare scenarios: proportions with exact or Wilson intervals, and paired differences
on common random numbers with bootstrap intervals.

Every point of a study runs the same replicate indices from the same root seed, so the
replicate with ``(seed, replicate)`` in one scenario faces the same random events as in
another. A difference between two scenarios is therefore estimated on the paired
per-replicate differences (variance reduction by common random numbers; Law 2015, ch. 11),
with a BCa bootstrap interval of their mean (Efron & Tibshirani 1993, ``scipy.stats.bootstrap``).
Proportions get the Wilson (1927) score interval or the exact Clopper-Pearson (1934)
interval (``scipy.stats.binomtest``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

MAIN_OUTCOMES = ("survived", "experiential_share", "team_shift", "exits")
METHODS = {"wilson": "wilson", "clopper-pearson": "exact"}


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its interval."""

    value: float
    low: float
    high: float
    n: int


def proportion(successes: int, n: int, confidence: float = 0.95,
               method: str = "wilson") -> Estimate:
    """Proportion ``successes / n`` with a Wilson or Clopper-Pearson interval."""
    if method not in METHODS:
        raise ValueError(f"method {method!r}: choose one of {', '.join(METHODS)}")
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got {successes} of {n}")
    ci = stats.binomtest(int(successes), int(n)).proportion_ci(confidence, METHODS[method])
    return Estimate(successes / n, float(ci.low), float(ci.high), int(n))


def proportions(frame: pd.DataFrame, by: str | Sequence[str], outcome: str = "survived",
                confidence: float = 0.95, method: str = "wilson") -> pd.DataFrame:
    """Per group: ``successes, n, p, low, high`` of a boolean outcome."""
    by = [by] if isinstance(by, str) else list(by)
    rows = []
    for key, group in frame.groupby(by, sort=True):
        values = group[outcome].astype(bool)
        est = proportion(int(values.sum()), len(values), confidence, method)
        rows.append({**dict(zip(by, key, strict=True)), "successes": int(values.sum()),
                     "n": est.n, "p": est.value, "low": est.low, "high": est.high})
    return pd.DataFrame(rows)


def mean_difference(differences: Sequence[float], confidence: float = 0.95,
                    n_resamples: int = 2000, seed: int = 0) -> Estimate:
    """Mean of paired differences with a BCa bootstrap interval (degenerate samples,
    all differences equal, get a zero-width interval)."""
    d = np.asarray(differences, dtype=float)
    d = d[~np.isnan(d)]
    if d.size < 2:
        raise ValueError("need at least two paired differences")
    mean = float(d.mean())
    if np.ptp(d) == 0:
        return Estimate(mean, mean, mean, d.size)
    res = stats.bootstrap((d,), np.mean, confidence_level=confidence, n_resamples=n_resamples,
                          method="BCa", vectorized=True, rng=np.random.default_rng(seed))
    return Estimate(mean, float(res.confidence_interval.low),
                    float(res.confidence_interval.high), d.size)


def paired(frame: pd.DataFrame, by: str, baseline, treatment, outcome: str) -> pd.DataFrame:
    """Outcome of ``baseline`` and ``treatment`` (values of column ``by``) side by side,
    one row per ``(seed, replicate)`` present in both."""
    values = set(frame[by].unique())
    for name in (baseline, treatment):
        if name not in values:
            raise ValueError(f"{by} = {name!r} not in the data: available "
                             f"{', '.join(sorted(map(str, values)))}")
    keys = ["seed", "replicate"]
    a = frame.loc[frame[by] == baseline, [*keys, outcome]]
    b = frame.loc[frame[by] == treatment, [*keys, outcome]]
    for name, rows in ((baseline, a), (treatment, b)):
        if rows.duplicated(keys).any():
            raise ValueError(f"{by} = {name!r} has several rows per (seed, replicate): "
                             "select one point per scenario first (e.g. one pressure level)")
    both = a.merge(b, on=keys, suffixes=("_baseline", "_treatment"))
    if both.empty:
        raise ValueError(f"{by} = {baseline!r} and {treatment!r} share no (seed, replicate): "
                         "they were not run on common random numbers")
    return both.astype({f"{outcome}_baseline": float, f"{outcome}_treatment": float})


def paired_differences(frame: pd.DataFrame, by: str, baseline,
                       outcomes: Sequence[str] = MAIN_OUTCOMES,
                       within: str | Sequence[str] = ("pressure",),
                       treatments: Sequence | None = None, confidence: float = 0.95,
                       n_resamples: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Effect of every other value of ``by`` against ``baseline`` on each outcome, within
    each level of ``within``: mean paired difference (treatment - baseline) with a
    bootstrap interval. For ``survived`` the difference is in proportion points."""
    within = [within] if isinstance(within, str) else list(within)
    groups = frame.groupby(within, sort=True) if within else [((), frame)]
    rows = []
    for level, rows_of_level in groups:
        chosen = (treatments if treatments is not None
                  else sorted(v for v in rows_of_level[by].unique() if v != baseline))
        for treatment in chosen:
            for outcome in outcomes:
                pairs = paired(rows_of_level, by, baseline, treatment, outcome)
                base = pairs[f"{outcome}_baseline"]
                treat = pairs[f"{outcome}_treatment"]
                est = mean_difference(treat - base, confidence, n_resamples, seed)
                rows.append({**dict(zip(within, level, strict=True)), by: treatment,
                             "outcome": outcome, "baseline_mean": float(base.mean()),
                             "treatment_mean": float(treat.mean()), "difference": est.value,
                             "low": est.low, "high": est.high, "n": est.n})
    return pd.DataFrame(rows)


def summary(frame: pd.DataFrame, by: str | Sequence[str],
            confidence: float = 0.95) -> pd.DataFrame:
    """Per group: P(survived) with a Wilson interval, and the means of experiential share,
    team shift and EBE exits."""
    by = [by] if isinstance(by, str) else list(by)
    table = proportions(frame, by, "survived", confidence)
    means = frame.groupby(by, sort=True)[["experiential_share", "team_shift", "exits"]].mean()
    return table.merge(means.reset_index(), on=by)
