"""Statistics the validation needs beside :func:`analysis.compare.mean_difference`: the
mean of one arm (a level) and the ratio of two paired means, each with the BCa interval
of :func:`analysis.compare.bootstrap` (paired resampling keeps the common random
numbers' pairing; Efron & Tibshirani 1993, ch. 14)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.compare import Estimate, bootstrap


def _mean(values: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(values, axis=axis)


def _ratio(treated: np.ndarray, reference: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(treated, axis=axis) / np.mean(reference, axis=axis)


def level(values: Sequence[float], confidence: float = 0.95, n_resamples: int = 2000,
          seed: int = 0) -> Estimate:
    """The mean of one arm's values with its interval (NaN values dropped)."""
    return bootstrap([values], _mean, confidence, n_resamples, seed)


def ratio_of_means(treated: Sequence[float], reference: Sequence[float],
                   confidence: float = 0.95, n_resamples: int = 2000,
                   seed: int = 0) -> Estimate:
    """``mean(treated) / mean(reference)`` over the pairs where both are finite, with a
    paired interval. Raises ValueError when the reference mean is 0."""
    t, r = np.asarray(treated, dtype=float), np.asarray(reference, dtype=float)
    if t.shape != r.shape:
        raise ValueError(f"paired samples need equal lengths, got {t.size} and {r.size}")
    if np.nanmean(r) == 0:
        raise ValueError("the reference mean is 0: a ratio is not defined")
    return bootstrap([t, r], _ratio, confidence, n_resamples, seed)
