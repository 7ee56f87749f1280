"""Survival analysis on synthetic data with known answers."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.compare import proportion
from analysis.survival import (
    NotEstimable,
    cumulative_incidence,
    curves,
    hazard_ratio,
    incidences,
    kaplan_meier,
    logrank,
    medians,
    pairwise_logrank,
    survival_table,
)

RATE = 0.02  # per week: median ln 2 / 0.02 = 34.7 weeks
HORIZON = 104


def exponential(n: int, rate: float, seed: int, censor: np.ndarray | None = None):
    """Times to loss ~ Exp(rate), censored at the horizon (and at ``censor``)."""
    t = np.random.default_rng(seed).exponential(1.0 / rate, n)
    limit = np.full(n, float(HORIZON)) if censor is None else np.minimum(censor, HORIZON)
    return np.minimum(t, limit), t <= limit


def test_kaplan_meier_of_an_exponential_is_within_the_dkw_bound():
    # Censored only at the horizon, KM = 1 - ECDF on [0, horizon]: the Dvoretzky-Kiefer-
    # Wolfowitz inequality bounds sup |KM - S| by sqrt(ln(2/a) / 2n) with prob. 1 - a.
    n, alpha = 2000, 0.001
    weeks, lost = exponential(n, RATE, seed=1)
    curve = kaplan_meier(weeks, lost, HORIZON)
    truth = np.exp(-RATE * curve.weeks)
    assert np.max(np.abs(curve.survival - truth)) < math.sqrt(math.log(2 / alpha) / (2 * n))
    inside = (curve.lower <= truth) & (truth <= curve.upper)
    assert inside.mean() > 0.9  # pointwise 95% bands
    assert np.all(curve.lower <= curve.survival) and np.all(curve.survival <= curve.upper)


def test_band_covers_the_truth_under_random_censoring():
    n = 1500
    censor = np.random.default_rng(7).uniform(0, 200, n)
    weeks, lost = exponential(n, RATE, seed=2, censor=censor)
    curve = kaplan_meier(weeks, lost, HORIZON)
    for week in (10, 30, 60, 100):
        s, low, high = curve.at(week)
        assert low <= math.exp(-RATE * week) <= high
        assert high - low < 0.12


def test_median_and_its_interval():
    weeks, lost = exponential(3000, RATE, seed=3)
    curve = kaplan_meier(weeks, lost, HORIZON)
    truth = math.log(2) / RATE
    low, high = curve.median_interval
    assert low <= truth <= high + 1  # weeks are whole: the median is the week it is reached
    assert abs(curve.median - truth) < 3
    never = kaplan_meier(np.full(50, HORIZON), np.zeros(50, bool), HORIZON)
    assert math.isnan(never.median) and np.all(never.survival == 1)


def test_logrank_matches_a_hand_computed_example():
    # A: losses at weeks 1, 2, 3; B: at 2, 4, 5 (no censoring). At t = 1, 2, 3:
    # E_A = 1*3/6 + 2*2/5 + 1*1/3 = 1.6333, O_A = 3;
    # V = 1*(3/6)(3/6)(5/5) + 2*(2/5)(3/5)(3/4) + 1*(1/3)(2/3)(2/2) = 0.8322;
    # Z = (3 - 1.6333) / sqrt(0.8322) = 1.4982, two-sided p = 0.1341.
    frame = pd.DataFrame({"group": list("AAABBB"), "weeks_to_loss": [1, 2, 3, 2, 4, 5],
                          "lost": [True] * 6})
    test = logrank(frame, "group", "A", "B")
    assert abs(test.statistic) == pytest.approx(1.4982, abs=1e-4)
    assert test.pvalue == pytest.approx(0.1341, abs=1e-4)


def test_logrank_without_any_loss_has_nothing_to_test_and_warns_nothing():
    kept = pd.DataFrame({"group": list("AAABBB"), "weeks_to_loss": [8] * 6,
                         "lost": [False] * 6})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        test = logrank(kept, "group", "A", "B")
        together = logrank(kept.assign(weeks_to_loss=1, lost=True), "group", "A", "B")
    assert math.isnan(test.statistic) and math.isnan(test.pvalue)
    assert math.isnan(together.pvalue)          # all lost in one week: zero variance


def test_logrank_separates_different_groups_and_not_identical_ones():
    same_a = exponential(400, RATE, seed=10)
    same_b = exponential(400, RATE, seed=11)
    fast = exponential(400, 2 * RATE, seed=12)
    frame = pd.concat([pd.DataFrame({"g": name, "weeks_to_loss": w, "lost": e})
                       for name, (w, e) in (("a", same_a), ("b", same_b), ("fast", fast))])
    assert logrank(frame, "g", "a", "b").pvalue > 0.05
    assert logrank(frame, "g", "a", "fast").pvalue < 1e-6
    with pytest.raises(ValueError, match="available"):
        logrank(frame, "g", "a", "missing")


def proportional_hazards(ratio: float, seed: int, whole_weeks: bool = True) -> pd.DataFrame:
    """Weeks to loss with hazard RATE * ratio**(EBEs - 1) at two pressure levels."""
    rng = np.random.default_rng(seed)
    parts = []
    for pressure, base in (("normal", RATE), ("high", 2 * RATE)):
        for count in (1, 2, 3):
            t = rng.exponential(1.0 / (base * ratio ** (count - 1)), 1500)
            t = np.ceil(t) if whole_weeks else t
            parts.append(pd.DataFrame({"pressure": pressure, "ebe_count": count,
                                       "weeks_to_loss": np.minimum(t, HORIZON),
                                       "lost": t <= HORIZON, "horizon": HORIZON}))
    return pd.concat(parts, ignore_index=True)


def test_hazard_ratio_per_extra_ebe_recovers_the_true_ratio():
    frame = proportional_hazards(0.6, seed=0, whole_weeks=False)  # a 95% CI: fixed seed
    absent = pd.DataFrame({"pressure": "normal", "ebe_count": 0, "weeks_to_loss": 0,
                           "lost": True, "horizon": HORIZON}, index=range(100))
    hr = hazard_ratio(pd.concat([frame, absent]))
    assert hr.low < 0.6 < hr.high
    assert hr.ratio == pytest.approx(0.6, abs=0.03)
    assert hr.n == len(frame)  # no-EBE points have no perspective to lose: left out
    assert hr.pvalue < 1e-10
    grouped = hazard_ratio(proportional_hazards(0.6, seed=5))
    assert grouped.ratio == pytest.approx(0.6, abs=0.03)  # whole weeks: slight attenuation


def test_a_hazard_ratio_the_runs_cannot_estimate_says_why():
    """No loss at all, or every loss with one EBE and none with two (the likelihood then
    grows without bound as the ratio goes to 0): NotEstimable, not a crash or an overflow."""
    frame = proportional_hazards(0.6, seed=0).query("pressure == 'normal'")
    frame = frame[frame["ebe_count"].isin([1, 2])].copy()
    never = frame.assign(lost=False, weeks_to_loss=HORIZON)
    with pytest.raises(NotEstimable, match="no simulated team lost") as stop:
        hazard_ratio(never, strata=None)
    assert stop.value.reason == "no_loss"
    apart = frame.assign(lost=frame["ebe_count"] == 1)
    apart.loc[~apart["lost"], "weeks_to_loss"] = HORIZON
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # no overflow or convergence warning leaks
        with pytest.raises(NotEstimable, match="too few losses") as stop:
            hazard_ratio(apart, strata=None)
    assert stop.value.reason == "no_fit"


def test_tables_per_group():
    frame = proportional_hazards(0.6, seed=6)
    table = survival_table(frame, ["pressure", "ebe_count"])
    assert len(table) == 6 * (HORIZON + 1)
    assert set(table.columns) == {"pressure", "ebe_count", "week", "survival", "lower", "upper"}
    med = medians(frame, "ebe_count")
    assert med["median"].is_monotonic_increasing  # fewer losses with more EBEs
    assert len(curves(frame, "pressure")) == 2
    tests = pairwise_logrank(frame, "ebe_count", within="pressure")
    assert len(tests) == 4 and (tests["pvalue"] < 0.01).all()


# ---------------------------------------------------------------- competing risks


def test_cumulative_incidence_by_hand():
    # losses: week 1 assimilated, 2 vacant, 3 censored, 4 assimilated, 5 censored.
    # Aalen-Johansen: S(0) = 1; week 1: 1 of 5 at risk assimilated -> F_A = 1/5, S = 4/5;
    # week 2: 1 of 4 vacant -> S = 3/5 (F_A unchanged); week 4: 1 of 2 at risk
    # assimilated -> F_A = 1/5 + (3/5)(1/2) = 1/2.
    inc = cumulative_incidence([1, 2, 3, 4, 5],
                               ["assimilated", "vacant", "none", "assimilated", "none"], 5)
    assert inc.estimate.tolist() == pytest.approx([0, 0.2, 0.2, 0.2, 0.5, 0.5])
    vac = cumulative_incidence([1, 2, 3, 4, 5],
                               ["assimilated", "vacant", "none", "assimilated", "none"], 5,
                               cause="vacant")
    assert vac.at(5)[0] == pytest.approx(0.2)
    assert inc.events == 2 and vac.events == 1
    assert np.all(inc.low <= inc.estimate) and np.all(inc.estimate <= inc.high)


def test_without_early_censoring_the_incidence_is_the_share_with_its_binomial_error():
    # Studies censor only at the horizon: the Aalen-Johansen estimate at the horizon is
    # then the share of teams first lost by assimilation, and statsmodels' delta-method
    # variance reduces to p (1 - p) / n (checked here through the interval's width).
    rng = np.random.default_rng(4)
    n = 400
    cause = rng.choice(["assimilated", "vacant", "none"], n, p=[0.3, 0.2, 0.5])
    weeks = np.where(cause == "none", HORIZON, rng.integers(0, HORIZON, n))
    inc = cumulative_incidence(weeks, cause, HORIZON)
    p = np.mean(cause == "assimilated")
    estimate, low, high = inc.at(HORIZON)
    assert estimate == pytest.approx(p)
    se = math.sqrt(p * (1 - p) / n)
    g = 1.959964 * se / (p * abs(math.log(p)))  # log-log interval: p ** exp(+-g)
    assert (low, high) == pytest.approx((p ** math.exp(g), p ** math.exp(-g)))


def test_incidence_interval_covers_the_true_competing_risk_curve():
    # Exponential competing risks: F_A(t) = a / (a + v) (1 - exp(-(a + v) t)); random
    # censoring. Over 200 samples the 95% interval at week 50 should cover the truth in
    # 90-99% of them (binomial: 95% +- 3.1 points is a 99% range for 200 draws).
    a, v, week = 0.01, 0.02, 50
    truth = a / (a + v) * (1 - math.exp(-(a + v) * week))
    rng = np.random.default_rng(11)
    covered = 0
    for _ in range(200):
        t = rng.exponential(1 / (a + v), 300)
        kind = np.where(rng.random(300) < a / (a + v), "assimilated", "vacant")
        censor = rng.uniform(20, 200, 300)
        weeks = np.minimum(np.minimum(t, censor), HORIZON)
        cause = np.where(t <= np.minimum(censor, HORIZON), kind, "none")
        _, low, high = cumulative_incidence(weeks, cause, HORIZON).at(week)
        covered += low <= truth <= high
    assert 0.90 <= covered / 200 <= 0.99


def test_incidence_without_events_and_bad_input():
    none = cumulative_incidence(np.full(50, HORIZON), ["none"] * 50, HORIZON)
    assert none.at(HORIZON)[0] == 0 and none.events == 0
    assert none.at(HORIZON)[2] == pytest.approx(proportion(0, 50).high)  # Wilson bound
    all_vacant = cumulative_incidence(np.zeros(20), ["vacant"] * 20, HORIZON)
    assert all_vacant.at(HORIZON)[0] == 0
    assert cumulative_incidence(np.zeros(20), ["vacant"] * 20, HORIZON,
                                cause="vacant").at(0)[0] == 1
    with pytest.raises(ValueError, match="assimilated, vacant"):
        cumulative_incidence([1], ["gone"], HORIZON)
    with pytest.raises(ValueError, match="cause 'left'"):
        cumulative_incidence([1], ["vacant"], HORIZON, cause="left")


def test_incidences_per_group():
    frame = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4, "horizon": HORIZON,
                          "weeks_to_loss": [1, 2, HORIZON, HORIZON] * 2,
                          "loss_cause": ["assimilated", "vacant", "none", "none",
                                         "assimilated", "assimilated", "none", "none"]})
    found = incidences(frame, "g")
    assert found[("a",)].at(HORIZON)[0] == pytest.approx(0.25)
    assert found[("b",)].at(HORIZON)[0] == pytest.approx(0.5)
