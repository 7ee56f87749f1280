"""Survival of the experience perspective: Kaplan-Meier curves, the cumulative incidence
of assimilation with vacancy as a competing event, log-rank tests and the hazard ratio per
extra EBE.

``weeks_to_loss`` is the first week in which the perspective is not alive (event
``lost``); a replicate that kept it is right-censored at the horizon. ``loss_cause`` says
how it was first lost: ``assimilated`` (EBEs present, none retains it) or ``vacant`` (no
EBE present). For the week of the first assimilation a vacancy before it is a competing
event, not censoring: the cumulative incidence function (Aalen-Johansen; Marubini &
Valsecchi 1995) comes from ``statsmodels`` ``CumIncidenceRight`` with its delta-method
standard error, and its interval from the log-log transform (as R's ``cmprsk``).

Kaplan-Meier estimates and their pointwise 95% bands (log-log transform, Kalbfleisch &
Prentice 2002) come from ``scipy.stats.ecdf`` on ``scipy.stats.CensoredData``; the
log-rank test (Mantel 1966) from ``scipy.stats.logrank``; the Cox proportional-hazards
model (Cox 1972; Efron's method for tied weeks) from ``statsmodels`` ``PHReg``. The median
survival time and its interval follow Brookmeyer & Crowley (1982): the first week the
curve, or its upper or lower band, falls to 0.5 or below.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import CumIncidenceRight
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from analysis.compare import proportion
from sim import outcomes as registry

#: How the perspective can first be lost, in ``sim.outcomes`` order (``loss_cause``).
CAUSES = tuple(c for c in registry.OUTCOMES["loss_cause"].categories if c != registry.NO_LOSS)


@dataclass(frozen=True)
class SurvivalCurve:
    """A Kaplan-Meier curve on the weeks ``0..horizon`` with its pointwise band."""

    weeks: np.ndarray
    survival: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    n: int
    events: int
    confidence: float

    def at(self, week: int) -> tuple[float, float, float]:
        """Survival and its band at ``week``."""
        i = int(np.searchsorted(self.weeks, week))
        return float(self.survival[i]), float(self.lower[i]), float(self.upper[i])

    @property
    def median(self) -> float:
        """First week with survival <= 0.5 (NaN if not reached within the horizon)."""
        return _first_at_or_below_half(self.weeks, self.survival)

    @property
    def median_interval(self) -> tuple[float, float]:
        """Interval of the median: where the lower and the upper band reach 0.5."""
        return (_first_at_or_below_half(self.weeks, self.lower),
                _first_at_or_below_half(self.weeks, self.upper))


def _first_at_or_below_half(weeks: np.ndarray, curve: np.ndarray) -> float:
    below = np.flatnonzero(curve <= 0.5)
    return float(weeks[below[0]]) if below.size else float("nan")


def kaplan_meier(weeks_to_loss: Sequence[float], lost: Sequence[bool], horizon: int,
                 confidence: float = 0.95) -> SurvivalCurve:
    """Kaplan-Meier estimate of the share of teams keeping the perspective, per week.

    ``weeks_to_loss`` of a replicate with ``lost`` False is its censoring time. Where the
    log-log band is undefined (survival 0 or 1) it collapses to the estimate.
    """
    times = np.asarray(weeks_to_loss, dtype=float)
    events = np.asarray(lost, dtype=bool)
    if times.size == 0:
        raise ValueError("kaplan_meier needs at least one replicate")
    if times.shape != events.shape:
        raise ValueError("weeks_to_loss and lost must have the same length")
    grid = np.arange(horizon + 1)
    if not events.any():
        ones = np.ones(grid.size)
        return SurvivalCurve(grid, ones, ones, ones, times.size, 0, confidence)
    data = stats.CensoredData(uncensored=times[events], right=times[~events])
    estimate = stats.ecdf(data).sf
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The confidence interval is undefined")
        band = estimate.confidence_interval(confidence, method="log-log")
    survival = estimate.evaluate(grid)
    lower = np.where(np.isnan(low := band.low.evaluate(grid)), survival, low)
    upper = np.where(np.isnan(high := band.high.evaluate(grid)), survival, high)
    return SurvivalCurve(grid, survival, lower, upper, times.size, int(events.sum()),
                         confidence)


@dataclass(frozen=True)
class Incidence:
    """Cumulative incidence of one cause of loss on the weeks ``0..horizon``, with its
    pointwise interval."""

    cause: str
    weeks: np.ndarray
    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: int
    events: int
    confidence: float

    def at(self, week: int) -> tuple[float, float, float]:
        """Cumulative incidence by ``week`` and its interval."""
        i = int(np.searchsorted(self.weeks, week))
        return float(self.estimate[i]), float(self.low[i]), float(self.high[i])


def cumulative_incidence(weeks_to_loss: Sequence[float], loss_cause: Sequence[str],
                         horizon: int, cause: str = "assimilated",
                         confidence: float = 0.95) -> Incidence:
    """Share of teams whose perspective was first lost through ``cause`` by each week,
    the other causes of :data:`CAUSES` being competing events.

    ``loss_cause`` of a replicate that never lost the perspective is ``"none"``; it is
    censored at its ``weeks_to_loss``. Where the log-log interval is undefined (an
    estimate of 0 or 1) the interval is the Wilson interval of the share, which the
    estimate equals when no team was censored before that week (studies censor only at
    the horizon).
    """
    if cause not in CAUSES:
        raise ValueError(f"cause {cause!r}: choose one of {', '.join(CAUSES)}")
    times = np.asarray(weeks_to_loss, dtype=float)
    causes = np.asarray(loss_cause, dtype=object)
    if times.size == 0 or times.shape != causes.shape:
        raise ValueError("cumulative_incidence needs equally long, non-empty weeks and causes")
    unknown = set(causes) - {*CAUSES, registry.NO_LOSS}
    if unknown:
        raise ValueError(f"loss_cause values {sorted(unknown)}: expected "
                         f"{', '.join((*CAUSES, registry.NO_LOSS))}")
    status = np.zeros(times.size, dtype=int)
    for code, name in enumerate(CAUSES, start=1):
        status[causes == name] = code
    k = CAUSES.index(cause)
    grid = np.arange(horizon + 1)
    estimate = np.zeros(grid.size)
    se = np.zeros(grid.size)
    if status.max() > k:      # CumIncidenceRight keeps causes 1..max(status) only
        with np.errstate(divide="ignore", invalid="ignore"):
            fit = CumIncidenceRight(times, status)
        index = np.searchsorted(fit.times, grid, side="right") - 1
        seen = index >= 0
        estimate[seen] = fit.cinc[k][index[seen]]
        se[seen] = fit.cinc_se[k][index[seen]]
    low, high = _loglog_interval(estimate, se, confidence)
    events = (status == k + 1)
    for i in np.flatnonzero(np.isnan(low)):
        share = proportion(int(np.sum(events & (times <= grid[i]))), times.size, confidence)
        low[i], high[i] = share.low, share.high
    return Incidence(cause, grid, estimate, low, high, times.size, int(events.sum()),
                     confidence)


def _loglog_interval(estimate: np.ndarray, se: np.ndarray,
                     confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """F^exp(+-z se / (F |log F|)): the log(-log F) interval; NaN where undefined."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    low, high = np.full(estimate.size, np.nan), np.full(estimate.size, np.nan)
    ok = (estimate > 0) & (estimate < 1) & np.isfinite(se)
    f = estimate[ok]
    spread = np.exp(z * se[ok] / (f * np.abs(np.log(f))))
    low[ok], high[ok] = f ** spread, f ** (1 / spread)
    return low, high


def _groups(frame: pd.DataFrame, by: str | Sequence[str]) -> list[str]:
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in by if c not in frame]
    if missing:
        raise ValueError(f"cannot group by {missing}: columns are {list(frame.columns)}")
    return by


def curves(frame: pd.DataFrame, by: str | Sequence[str],
           confidence: float = 0.95) -> dict[tuple, SurvivalCurve]:
    """One Kaplan-Meier curve per group of ``by`` (keys are tuples of group values)."""
    by = _groups(frame, by)
    return {key: kaplan_meier(rows["weeks_to_loss"], rows["lost"], int(rows["horizon"].max()),
                              confidence)
            for key, rows in frame.groupby(by, sort=True)}


def incidences(frame: pd.DataFrame, by: str | Sequence[str], cause: str = "assimilated",
                confidence: float = 0.95) -> dict[tuple, Incidence]:
    """One cumulative incidence of ``cause`` per group of ``by``."""
    by = _groups(frame, by)
    return {key: cumulative_incidence(rows["weeks_to_loss"], rows["loss_cause"],
                                      int(rows["horizon"].max()), cause, confidence)
            for key, rows in frame.groupby(by, sort=True)}


def survival_table(frame: pd.DataFrame, by: str | Sequence[str],
                   confidence: float = 0.95) -> pd.DataFrame:
    """Long table of the curves: group columns, ``week, survival, lower, upper``."""
    by = _groups(frame, by)
    parts = []
    for key, curve in curves(frame, by, confidence).items():
        part = pd.DataFrame({"week": curve.weeks, "survival": curve.survival,
                             "lower": curve.lower, "upper": curve.upper})
        for column, value in zip(by, key, strict=True):
            part.insert(0, column, value)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def medians(frame: pd.DataFrame, by: str | Sequence[str],
            confidence: float = 0.95) -> pd.DataFrame:
    """Median weeks to loss per group with its interval (NaN: not reached)."""
    by = _groups(frame, by)
    rows = []
    for key, curve in curves(frame, by, confidence).items():
        low, high = curve.median_interval
        rows.append({**dict(zip(by, key, strict=True)), "median": curve.median,
                     "median_low": low, "median_high": high, "n": curve.n,
                     "events": curve.events})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class LogRank:
    """A two-sided log-rank test between two groups.

    ``statistic`` is scipy's signed z: observed minus expected losses in ``first``, over
    its standard error (positive: ``first`` lost the perspective sooner or more often);
    z squared is the chi-square statistic with one degree of freedom. Both ``statistic``
    and ``pvalue`` are NaN when there is nothing to test (no loss in either group, or
    every team lost the perspective in the same week: zero variance)."""

    first: object
    second: object
    statistic: float
    pvalue: float


def _censored(rows: pd.DataFrame) -> stats.CensoredData:
    lost = rows["lost"].to_numpy(bool)
    times = rows["weeks_to_loss"].to_numpy(float)
    return stats.CensoredData(uncensored=times[lost], right=times[~lost])


def logrank(frame: pd.DataFrame, by: str, first, second) -> LogRank:
    """Log-rank test of equal survival of the perspective in groups ``first`` and
    ``second`` of column ``by``."""
    values = list(frame[by].unique())
    for name in (first, second):
        if name not in values:
            raise ValueError(f"{by} = {name!r} not in the data: available "
                             f"{', '.join(sorted(map(str, values)))}")
    a, b = frame[frame[by] == first], frame[frame[by] == second]
    if not (a["lost"].any() or b["lost"].any()):
        return LogRank(first, second, float("nan"), float("nan"))   # no loss: no test
    with np.errstate(invalid="ignore", divide="ignore"):   # every team lost at one week:
        result = stats.logrank(_censored(a), _censored(b))  # zero variance, NaN
    return LogRank(first, second, float(result.statistic), float(result.pvalue))


def pairwise_logrank(frame: pd.DataFrame, by: str,
                     within: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Log-rank tests between consecutive groups of ``by`` (sorted), within each level of
    ``within`` (one column or several): e.g. 1 vs 2 EBEs and 2 vs 3 EBEs per pressure
    level."""
    within = [within] if isinstance(within, str) else list(within or [])
    parts = frame.groupby(within, sort=True) if within else [((), frame)]
    rows = []
    for level, rows_of_level in parts:
        groups = sorted(rows_of_level[by].unique())
        for first, second in zip(groups, groups[1:], strict=False):
            test = logrank(rows_of_level, by, first, second)
            rows.append({**dict(zip(within, level, strict=True)), "first": first,
                         "second": second, "statistic": test.statistic,
                         "pvalue": test.pvalue})
    return pd.DataFrame(rows)


class NotEstimable(ValueError):
    """A hazard ratio the data cannot estimate: ``reason`` is ``no_loss`` or ``no_fit``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class HazardRatio:
    """Hazard ratio per unit of a covariate with its interval (Cox model)."""

    covariate: str
    ratio: float
    low: float
    high: float
    pvalue: float
    n: int
    events: int
    strata: str | None


def hazard_ratio(frame: pd.DataFrame, covariate: str = "ebe_count",
                 strata: str | None = "pressure", confidence: float = 0.95) -> HazardRatio:
    """Cox model of the weekly hazard of losing the perspective on ``covariate`` (default:
    the number of EBEs), stratified by ``strata`` (a baseline hazard per pressure level).

    Points with no EBE have no perspective to lose (it is absent from week 0), so rows with
    ``ebe_count == 0`` are left out. Ties (whole weeks) follow Efron's method. A ratio that
    cannot be estimated (no team lost the perspective, or the likelihood has no maximum,
    as when every loss falls in one group) raises :class:`NotEstimable`.
    """
    rows = frame[frame["ebe_count"] > 0] if "ebe_count" in frame else frame
    if rows[covariate].nunique() < 2:
        raise ValueError(f"hazard_ratio needs at least two values of {covariate}")
    if not rows["lost"].any():
        raise NotEstimable("no_loss", "no simulated team lost the perspective")
    model = PHReg(rows["weeks_to_loss"].to_numpy(float),
                  rows[[covariate]].to_numpy(float),
                  status=rows["lost"].to_numpy(int),
                  strata=rows[strata].to_numpy() if strata else None, ties="efron")
    with warnings.catch_warnings(record=True) as said, np.errstate(over="ignore"):
        warnings.simplefilter("always")
        fit = model.fit()
        low, high = np.exp(fit.conf_int(alpha=1.0 - confidence)[0])
    failed = any(issubclass(w.category, ConvergenceWarning) for w in said)
    if failed or not np.isfinite([low, high]).all():
        raise NotEstimable("no_fit", "too few losses to estimate it (the fit does not converge)")
    return HazardRatio(covariate, float(np.exp(fit.params[0])), float(low), float(high),
                       float(fit.pvalues[0]), len(rows), int(rows["lost"].sum()), strata)
