"""The study's summary table and figure."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from experiments.figure import draw
from experiments.summary import (
    format_table,
    key_columns,
    median_weeks_to_loss,
    summarise,
    wilson_interval,
)


@pytest.mark.parametrize(("k", "n"), [(0, 500), (13, 500), (250, 500), (500, 500), (3, 7)])
def test_wilson_interval_matches_statsmodels(k, n):
    assert wilson_interval(k, n) == pytest.approx(proportion_confint(k, n, method="wilson"))


def test_kaplan_meier_median_by_hand():
    # at risk 5, loss at 2 -> 0.8; 4 at risk, loss at 4 -> 0.6 (one censored at 4);
    # 2 at risk, loss at 6 -> 0.3: the median is week 6
    weeks = np.array([2, 4, 4, 6, 8])
    lost = np.array([True, True, False, True, False])
    assert median_weeks_to_loss(weeks, lost) == 6
    assert math.isnan(median_weeks_to_loss(np.array([104, 104]), np.array([False, False])))


def study(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for count in (1, 2):
        for level in ("normal", "high"):
            n = 200
            lost = rng.random(n) < (0.9 if count == 1 else 0.4)
            rows.append(pd.DataFrame({
                "study": "s", "point_id": f"p{count}{level}", "label": "hires", "team": "fact",
                "pressure": level, "scenario": f"sc{count}", "ebe.count": count, "seed": 1,
                "replicate": np.arange(n), "survived": ~lost, "lost": lost,
                "weeks_to_loss": np.where(lost, rng.integers(1, 104, n), 104),
                "experiential_share": rng.random(n), "team_shift": rng.normal(size=n),
                "ebe_shift": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
                "exits": rng.integers(0, 3, n)}))
    return pd.concat(rows, ignore_index=True)


def test_table_has_a_row_per_point_in_study_order(tmp_path):
    frame = study(np.random.default_rng(5))
    assert key_columns(frame, ["ebe.count", "pressure"]) == ["ebe.count", "pressure"]
    summary = summarise(frame, ["ebe.count", "pressure"])
    assert summary[["ebe.count", "pressure"]].values.tolist() == [
        [1, "normal"], [1, "high"], [2, "normal"], [2, "high"]]
    first = frame[frame["point_id"] == "p1normal"]
    assert summary.loc[0, "p_survive"] == first["survived"].mean()
    assert summary.loc[0, "ci_low"] < summary.loc[0, "p_survive"] < summary.loc[0, "ci_high"]
    assert summary.loc[0, "ebe_shift"] == first["ebe_shift"].dropna().mean()
    text = format_table(summary, 104)
    assert "P(survive 104 wk) [95% CI]" in text and "EBE exits" in text
    assert f"{summary.loc[0, 'ebe_shift']:+.3f}" in text
    older = summarise(frame.drop(columns="ebe_shift"), ["ebe.count", "pressure"])
    assert older["ebe_shift"].isna().all() and " - " in format_table(older, 104)
    paths = draw(frame, summary, tmp_path / "figure", "test", 104)
    assert [p.name for p in paths] == ["figure.png", "figure.svg"]
    assert all(p.stat().st_size > 10_000 for p in paths)
