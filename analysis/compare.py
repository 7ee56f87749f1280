"""Compare scenarios: proportions with exact or Wilson intervals, and paired differences
on common random numbers with bootstrap intervals.

Every point of a study runs the same replicate indices from the same root seed, so the
replicate with ``(seed, replicate)`` in one scenario faces the same random events as in
another. A difference between two scenarios is therefore estimated on the paired
per-replicate differences (variance reduction by common random numbers; Law 2015, ch. 11),
with a BCa bootstrap interval of their mean (Efron & Tibshirani 1993, ``scipy.stats.bootstrap``;
the percentile interval beyond :data:`BCA_LIMIT` pairs).
Proportions get the Wilson (1927) score interval or the exact Clopper-Pearson (1934)
interval (``scipy.stats.binomtest``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.outcomes import OUTCOMES

#: The outcomes a comparison of scenarios reports: the perspective alive at the horizon,
#: the share of weeks alive, the weight of experiential knowledge, how far the team
#: moved, EBE exits (records of ``sim.outcomes``: a renamed outcome fails here).
MAIN_OUTCOMES = tuple(OUTCOMES[name].name for name in (
    "survived", "weeks_alive", "experiential_share", "team_shift", "exits"))
METHODS = {"wilson": "wilson", "clopper-pearson": "exact"}
#: Default minimum important difference of a share (proportion points): an effect is a
#: gain or a loss only when its whole 95% interval lies beyond it (:func:`verdict`).
MINIMUM_IMPORTANT = 0.05
#: Beyond this many pairs a bootstrap interval is the percentile interval, not BCa: BCa's
#: jackknife costs n^2 (71 s for one interval of 100,000 pairs, 3 s at this limit) while
#: its correction shrinks like 1/sqrt(n) (at 100,000 pairs the two intervals differed by
#: a hundredth of their width).
BCA_LIMIT = 20_000
#: Values per resampled batch (32 MB an array), so that memory does not grow with the
#: number of pairs squared (scipy's resamples and jackknife, all at once, need 8 n^2
#: bytes: 74.5 GiB for 100,000 pairs). Batching leaves every number unchanged.
BATCH_VALUES = 2 ** 22
#: Beyond this many times its replicates, the replicates an unclear effect needs
#: (:func:`replicates_needed`) are no guide: its estimate lies almost on the edge.
FAR = 100
#: Floating-point slack when an interval's edge equals the minimum important difference.
TOLERANCE = 1e-9


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


def bootstrap(samples: Sequence[np.ndarray], statistic: Callable[..., np.ndarray],
              confidence: float = 0.95, n_resamples: int = 2000,
              rng: int | np.random.Generator = 0) -> Estimate:
    """``statistic`` of paired samples (equal length, resampled together) with a BCa
    bootstrap interval (percentile beyond :data:`BCA_LIMIT` pairs), in batches of bounded
    memory. ``statistic(*samples, axis=-1)`` must be vectorised. Rows with a NaN in any
    sample are dropped; when every resample gives the same value (no sampling variation
    at all) the interval has zero width, and where BCa is undefined the percentile
    interval is given."""
    data = [np.asarray(s, dtype=float) for s in samples]
    keep = np.logical_and.reduce([~np.isnan(d) for d in data])
    data = [d[keep] for d in data]
    if data[0].size < 2:
        raise ValueError("need at least two paired observations")
    value = float(statistic(*data, axis=-1))
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        n = data[0].size
        res = stats.bootstrap(data, statistic, paired=True, vectorized=True,
                              method="BCa" if n <= BCA_LIMIT else "percentile",
                              confidence_level=confidence, n_resamples=n_resamples, rng=rng,
                              batch=max(1, BATCH_VALUES // n))
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if np.ptp(res.bootstrap_distribution) == 0:
        low = high = value
    elif np.isnan(low) or np.isnan(high):       # BCa undefined: percentile interval
        tail = (1 - confidence) / 2
        low, high = np.quantile(res.bootstrap_distribution, [tail, 1 - tail])
    return Estimate(value, float(low), float(high), data[0].size)


def _mean_of_differences(treated: np.ndarray, reference: np.ndarray,
                         axis: int = -1) -> np.ndarray:
    return np.mean(treated - reference, axis=axis)


def mean_difference(treated: Sequence[float], reference: Sequence[float],
                    confidence: float = 0.95, n_resamples: int = 2000,
                    rng: int | np.random.Generator = 0) -> Estimate:
    """Mean of the paired differences ``treated - reference`` (the same simulated teams
    under two settings) with a BCa bootstrap interval (:func:`bootstrap`)."""
    return bootstrap([treated, reference], _mean_of_differences, confidence, n_resamples, rng)


def rule_of_three(estimate: Estimate) -> Estimate:
    """A paired difference of yes/no outcomes whose bootstrap interval has zero width
    (every pair differed by the same amount, usually not at all), widened to ``±3/n``.

    The bootstrap cannot see what it never drew: when none of n pairs disagrees, the
    share of pairs that would disagree is still below 3/n with 95% confidence (the rule of
    three; Hanley & Lippman-Hand 1983, JAMA 249:1743), and so is the difference. With 10
    pairs that is ±30 points (unclear); with 1,000, ±0.3 (no meaningful difference).
    """
    if estimate.low < estimate.high or estimate.n < 1:
        return estimate
    reach = 3.0 / estimate.n
    return Estimate(estimate.value, max(estimate.value - reach, -1.0),
                    min(estimate.value + reach, 1.0), estimate.n)


def paired_effect(treated: Sequence[float], reference: Sequence[float],
                  confidence: float = 0.95, n_resamples: int = 2000,
                  rng: int | np.random.Generator = 0) -> Estimate:
    """:func:`mean_difference` of an effect a reader is told of: for yes/no outcomes (a
    share of teams) an interval of zero width is widened by :func:`rule_of_three`."""
    est = mean_difference(treated, reference, confidence, n_resamples, rng)
    yes_no = all(np.isin(np.asarray(x, dtype=float), (0.0, 1.0)).all()
                 for x in (treated, reference))
    return rule_of_three(est) if yes_no else est


def verdict(estimate: Estimate, minimum: float = MINIMUM_IMPORTANT) -> str:
    """What an effect's 95% interval says against the minimum important difference:

    * ``"gain"``: the whole interval lies above ``+minimum``;
    * ``"loss"``: the whole interval lies below ``-minimum``;
    * ``"none"`` (no meaningful difference): the whole interval lies within ``±minimum``;
    * ``"unclear"``: the interval reaches across ``+minimum`` or ``-minimum``, so the
      effect may or may not matter: more replicates are needed to tell
      (:func:`replicates_needed`).

    An edge that equals ``±minimum`` up to floating-point error (a bootstrap quantile
    of 5 in 100 teams may be 0.05000000000000001) counts as within it.
    """
    if minimum < 0:
        raise ValueError(f"minimum important difference = {minimum} must be >= 0")
    if estimate.low > minimum + TOLERANCE:
        return "gain"
    if estimate.high < -minimum - TOLERANCE:
        return "loss"
    if -minimum - TOLERANCE <= estimate.low and estimate.high <= minimum + TOLERANCE:
        return "none"
    return "unclear"


def replicates_needed(estimate: Estimate, minimum: float = MINIMUM_IMPORTANT) -> float:
    """Roughly how many replicates would give an unclear effect a verdict.

    An interval's half-width shrinks like ``1 / sqrt(n)``; around the estimate, it has a
    verdict once it no longer reaches across ``±minimum``, that is once its half-width is
    smaller than the distance from the estimate to the nearer of ``+minimum`` and
    ``-minimum``. So ``n * (half-width / distance)²`` (at least ``n``), if the estimate
    stays where it is (it moves as replicates are added: a rough guide). ``inf`` when the
    estimate lies on an edge.
    """
    half = (estimate.high - estimate.low) / 2
    distance = min(abs(estimate.value - minimum), abs(estimate.value + minimum))
    if distance == 0:
        return math.inf
    return estimate.n * max(1.0, (half / distance) ** 2)


def more_replicates(estimate: Estimate, minimum: float = MINIMUM_IMPORTANT) -> int | None:
    """:func:`replicates_needed` as a reader is told it: more than the replicates run,
    rounded up to two significant digits; None beyond :data:`FAR` times the replicates run
    (no guide: the estimate lies almost on ``±minimum``)."""
    needed = replicates_needed(estimate, minimum)
    if needed > FAR * estimate.n:
        return None
    return round_up(max(needed, estimate.n + 1))


def round_up(x: float) -> int:
    """``x`` rounded up to two significant digits: 1,782 -> 1,800; 57.2 -> 58."""
    step = 10 ** max(0, int(math.log10(x)) - 1) if x >= 1 else 1
    return int(math.ceil(x / step) * step)


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
    bootstrap interval. For ``survived`` the difference is in proportion points; for a
    yes/no outcome an interval of zero width is widened (:func:`paired_effect`)."""
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
                est = paired_effect(treat, base, confidence, n_resamples, seed)
                rows.append({**dict(zip(within, level, strict=True)), by: treatment,
                             "outcome": outcome, "baseline_mean": float(base.mean()),
                             "treatment_mean": float(treat.mean()), "difference": est.value,
                             "low": est.low, "high": est.high, "n": est.n})
    return pd.DataFrame(rows)
