"""Statistics the validation needs beyond :mod:`analysis.compare`: the ratio of two paired
means with a bootstrap interval.

Differences of paired replicates and means of one arm use
:func:`analysis.compare.mean_difference` (a mean is a mean difference from zero). A
*ratio* of means ("a quarter lower", "a fifth more") is not a mean of per-replicate
values, so its interval comes from a paired BCa bootstrap of the ratio itself (Efron &
Tibshirani 1993, ch. 14; ``scipy.stats.bootstrap`` with ``paired=True``): each resample
draws the same replicates for both arms, which keeps the common random numbers' pairing.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from scipy import stats

from analysis.compare import Estimate


def _ratio(treated: np.ndarray, reference: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(treated, axis=axis) / np.mean(reference, axis=axis)


def ratio_of_means(treated: Sequence[float], reference: Sequence[float],
                   confidence: float = 0.95, n_resamples: int = 2000,
                   seed: int = 0) -> Estimate:
    """``mean(treated) / mean(reference)`` over the pairs where both are finite, with a
    paired BCa bootstrap interval. Raises ValueError when the reference mean is 0."""
    t = np.asarray(treated, dtype=float)
    r = np.asarray(reference, dtype=float)
    if t.shape != r.shape:
        raise ValueError(f"paired samples need equal lengths, got {t.size} and {r.size}")
    keep = np.isfinite(t) & np.isfinite(r)
    t, r = t[keep], r[keep]
    if t.size < 2:
        raise ValueError("need at least two pairs")
    if r.mean() == 0:
        raise ValueError("the reference mean is 0: a ratio is not defined")
    value = float(_ratio(t, r))
    if np.ptp(t) == 0 and np.ptp(r) == 0:
        return Estimate(value, value, value, t.size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        res = stats.bootstrap((t, r), _ratio, paired=True, vectorized=True, method="BCa",
                              confidence_level=confidence, n_resamples=n_resamples,
                              rng=np.random.default_rng(seed))
    return Estimate(value, float(res.confidence_interval.low),
                    float(res.confidence_interval.high), t.size)
