"""Proportions and paired differences on synthetic data with known answers."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from analysis.compare import (
    Estimate,
    bootstrap,
    mean_difference,
    more_replicates,
    paired,
    paired_differences,
    proportion,
    proportions,
    replicates_needed,
    round_up,
    rule_of_three,
    verdict,
)


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson (1927) score interval, written out."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_wilson_interval_matches_the_formula():
    est = proportion(23, 100)
    low, high = wilson(23, 100)
    assert est.value == 0.23
    assert est.low == pytest.approx(low, abs=1e-6) and est.high == pytest.approx(high, abs=1e-6)


def test_clopper_pearson_with_no_successes():
    est = proportion(0, 10, method="clopper-pearson")
    assert est.low == 0.0
    assert est.high == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-9)
    with pytest.raises(ValueError, match="wilson, clopper-pearson"):
        proportion(1, 10, method="agresti")
    with pytest.raises(ValueError, match="successes"):
        proportion(11, 10)


def crn_frame(effect: float, n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Two scenarios on common random numbers: treatment = baseline + effect + small noise;
    rows shuffled so that pairing must use (seed, replicate)."""
    rng = np.random.default_rng(seed)
    shared = rng.normal(0, 1, n)
    base = pd.DataFrame({"label": "base", "seed": 1, "replicate": np.arange(n),
                         "pressure": "normal", "team_shift": shared,
                         "survived": shared > 0})
    treat = base.assign(label="treat", team_shift=shared + effect + rng.normal(0, 0.1, n),
                        survived=shared > -0.5)
    return pd.concat([base, treat]).sample(frac=1, random_state=3).reset_index(drop=True)


def test_paired_difference_recovers_a_known_effect_with_a_narrow_interval():
    frame = crn_frame(0.5)
    table = paired_differences(frame, "label", "base", ["team_shift", "survived"])
    shift = table[table["outcome"] == "team_shift"].iloc[0]
    assert shift["low"] < 0.5 < shift["high"]
    assert shift["high"] - shift["low"] < 0.05  # pairing removes the shared N(0, 1) noise
    surv = table[table["outcome"] == "survived"].iloc[0]
    truth = frame.query("label == 'treat'")["survived"].mean() - \
        frame.query("label == 'base'")["survived"].mean()
    assert surv["difference"] == pytest.approx(truth)
    assert surv["low"] <= truth <= surv["high"] and surv["low"] > 0


def test_mean_difference_of_identical_scenarios_is_zero_wide():
    same = np.arange(50.0)
    est = mean_difference(same, same)
    assert (est.value, est.low, est.high) == (0.0, 0.0, 0.0)


def test_mean_difference_drops_pairs_with_a_missing_value():
    treated = np.array([1.0, 2.0, np.nan, 4.0, 6.0])
    reference = np.array([0.0, 1.0, 5.0, np.nan, 4.0])
    est = mean_difference(treated, reference)
    assert est.n == 3 and est.value == pytest.approx((1 + 1 + 2) / 3)


def test_bootstrap_interval_of_a_statistic_covers_the_truth_at_its_level():
    # The ratio of two paired means: over 100 samples of 200 the 95% BCa interval should
    # cover the true ratio 2 in 88-100% of them (95% nominal; BCa is close at n = 200).
    rng = np.random.default_rng(5)

    def ratio(a, b, axis=-1):
        return np.mean(a, axis=axis) / np.mean(b, axis=axis)

    covered = 0
    for _ in range(100):
        b = rng.exponential(1.0, 200)
        a = 2 * b + rng.normal(0, 0.5, 200)
        est = bootstrap([a, b], ratio, n_resamples=999, rng=rng)
        covered += est.low <= 2.0 <= est.high
    assert covered >= 88


def test_a_difference_over_100000_pairs_fits_in_memory_and_has_the_normal_interval():
    """Resampled and jackknifed all at once, 100,000 pairs need 8 n^2 bytes (74.5 GiB);
    in batches, with the percentile interval beyond BCA_LIMIT, the interval is the
    normal-theory one, mean +- 1.96 sd / sqrt(n), to a tenth of its half-width (the
    Monte Carlo error of 2,000 resamples is about a thirtieth)."""
    rng = np.random.default_rng(7)
    n = 100_000
    treated = (rng.random(n) < 0.6).astype(float)
    reference = (rng.random(n) < 0.5).astype(float)
    tracemalloc.start()
    try:
        est = mean_difference(treated, reference)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    differences = treated - reference
    half = 1.959964 * differences.std(ddof=1) / math.sqrt(n)
    assert peak < 400 * 2 ** 20
    assert est.n == n
    assert est.low == pytest.approx(differences.mean() - half, abs=0.1 * half)
    assert est.high == pytest.approx(differences.mean() + half, abs=0.1 * half)


def test_verdict_needs_the_whole_interval_beyond_the_minimum_important_difference():
    assert verdict(Estimate(0.20, 0.12, 0.28, 100)) == "gain"
    assert verdict(Estimate(-0.2, -0.3, -0.06, 100)) == "loss"
    assert verdict(Estimate(0.08, 0.04, 0.12, 100), minimum=0.03) == "gain"
    with pytest.raises(ValueError, match="must be >= 0"):
        verdict(Estimate(0, 0, 0, 1), minimum=-0.1)


def test_no_meaningful_difference_needs_the_whole_interval_within_it_else_unclear():
    assert verdict(Estimate(-0.01, -0.03, -0.001, 100)) == "none"  # the '-1 (-3 to -0)' case
    assert verdict(Estimate(0.01, -0.05, 0.05, 100)) == "none"     # edges on ±5 pp
    assert verdict(Estimate(0.03, 0.01, 0.05 + 1e-15, 100)) == "none"   # float noise
    assert verdict(Estimate(0.08, 0.04, 0.12, 100)) == "unclear"   # reaches 4 and 12 pp
    assert verdict(Estimate(0.10, 0.0, 0.40, 10)) == "unclear"     # '+10 (0 to +40)'
    assert verdict(Estimate(-0.02, -0.08, 0.03, 100)) == "unclear"
    assert verdict(Estimate(0.0, 0.0, 0.0, 100), minimum=0.0) == "none"
    assert verdict(Estimate(0.01, -0.01, 0.03, 100), minimum=0.0) == "unclear"


def test_replicates_needed_shrink_the_interval_to_the_nearer_edge():
    unclear = Estimate(0.062, 0.047, 0.079, 1000)          # +6 (+5 to +8) at 1,000
    needed = replicates_needed(unclear, 0.05)
    half = (unclear.high - unclear.low) / 2 * math.sqrt(unclear.n / needed)
    assert half == pytest.approx(unclear.value - 0.05)     # then it clears +5 pp
    assert needed == pytest.approx(1000 * (0.016 / 0.012) ** 2)
    assert replicates_needed(Estimate(0.10, 0.0, 0.40, 10), 0.05) == pytest.approx(160)
    assert replicates_needed(Estimate(0.05, 0.0, 0.1, 100), 0.05) == math.inf
    assert replicates_needed(Estimate(0.06, 0.055, 0.066, 100), 0.05) == 100   # at least n
    assert [round_up(x) for x in (1777.8, 160, 57.2, 0.4)] == [1800, 160, 58, 1]


def test_the_replicates_a_reader_is_told_are_more_than_were_run_or_none():
    assert more_replicates(Estimate(0.062, 0.047, 0.079, 1000)) == 1800
    skewed = Estimate(0.025, 0.01, 0.055, 200)      # '+3 (+1 to +6)': reaches +5 by skew
    assert replicates_needed(skewed) == 200 and more_replicates(skewed) == 210
    assert more_replicates(Estimate(0.0505, 0.0, 0.10, 100)) is None   # on the edge


def test_pairing_errors_are_named():
    frame = crn_frame(0.1)
    with pytest.raises(ValueError, match="available base, treat"):
        paired(frame, "label", "base", "other", "team_shift")
    other_seed = frame.assign(seed=np.where(frame["label"] == "treat", 2, 1))
    with pytest.raises(ValueError, match="common random numbers"):
        paired(other_seed, "label", "base", "treat", "team_shift")
    doubled = pd.concat([frame, frame.assign(pressure="high")])
    with pytest.raises(ValueError, match="several rows"):
        paired(doubled, "label", "base", "treat", "team_shift")


def test_proportions_per_group():
    frame = crn_frame(0.2)
    table = proportions(frame, "label")
    expected = frame.groupby("label")["survived"].mean()
    assert table.set_index("label")["p"].to_dict() == pytest.approx(expected.to_dict())
    assert (table["low"] <= table["p"]).all() and (table["p"] <= table["high"]).all()


@pytest.mark.parametrize(("n", "call"), [(10, "unclear"), (1000, "none")])
def test_no_pair_differing_is_bounded_by_the_rule_of_three(n, call):
    """All teams alive under both settings: the bootstrap's interval is 0 to 0, whatever
    n; the rule of three bounds the difference by 3/n (95%)."""
    frame = pd.DataFrame({"seed": 1, "replicate": np.tile(np.arange(n), 2),
                          "label": np.repeat(["one", "two"], n), "survived": True})
    row = paired_differences(frame, "label", "one", ["survived"], within=())
    est = Estimate(*row[["difference", "low", "high", "n"]].iloc[0])
    assert est == Estimate(0.0, -3 / n, 3 / n, n)
    assert verdict(est) == call
    assert rule_of_three(Estimate(0.2, 0.1, 0.3, 10)) == Estimate(0.2, 0.1, 0.3, 10)
    assert rule_of_three(Estimate(1.0, 1.0, 1.0, 10)) == Estimate(1.0, 0.7, 1.0, 10)
