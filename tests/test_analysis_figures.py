"""Figures and weekly bands: files written, axes labelled with units, bands correct."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import figures
from analysis.compare import paired_differences, proportions
from analysis.survival import survival_table
from analysis.trajectories import weekly_bands


@pytest.fixture
def replicates() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for pressure in ("high", "normal"):
        for n in (1, 2):
            weeks = rng.integers(1, 105, 50)
            rows.append(pd.DataFrame({
                "pressure": pressure, "ebe_count": n, "label": f"s{n}", "seed": 1,
                "replicate": np.arange(50), "weeks_to_loss": weeks, "lost": weeks < 104,
                "horizon": 104, "survived": weeks >= 104, "team_shift": rng.normal(0, 1, 50),
                "experiential_share": rng.uniform(0, 0.1, 50), "exits": rng.poisson(1, 50)}))
    return pd.concat(rows, ignore_index=True)


def test_every_figure_saves_png_and_svg_with_units(replicates, tmp_path):
    props = proportions(replicates, ["pressure", "ebe_count"])
    diffs = paired_differences(replicates, "label", "s1")
    drawn = {
        "curves": figures.survival_curves(survival_table(replicates, ["pressure", "ebe_count"]),
                                          "ebe_count"),
        "hires": figures.survival_by_hires(props, 104),
        "levers": figures.lever_effects(diffs),
        "heat": figures.heatmap(props, 104),
    }
    for name, fig in drawn.items():
        png, svg = figures.save(fig, tmp_path / name)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert svg.read_text().lstrip().startswith("<?xml")
        labels = [ax.get_xlabel() + ax.get_ylabel() for ax in fig.axes]
        assert any("(" in label for label in labels), name  # a unit in brackets
    titles = [ax.get_title() for ax in drawn["curves"].axes]
    assert titles == ["normal pressure", "high pressure"]  # calm < normal < high
    assert "two years" in drawn["hires"].axes[0].get_ylabel()


def test_palette_is_okabe_ito():
    assert figures.colour(0) == "#0072B2" and len(set(figures.OKABE_ITO)) == 8
    assert figures.ordered(["high", "x", "calm", "normal"]) == ["calm", "normal", "high", "x"]
    assert figures.horizon_phrase(52) == "one year" and figures.horizon_phrase(30) == "30 weeks"


def test_weekly_bands_from_full_trajectories_are_the_quantiles():
    rng = np.random.default_rng(1)
    weekly = pd.DataFrame({"point_id": "p", "pressure": "normal", "replicate": np.repeat(
        np.arange(200), 3), "week": np.tile(np.arange(3), 200),
        "distinctiveness": rng.uniform(0, 1, 600)})
    bands = weekly_bands(weekly, ["distinctiveness"], "pressure")
    week1 = weekly.loc[weekly["week"] == 1, "distinctiveness"]
    row = bands[bands["week"] == 1].iloc[0]
    assert row["q50"] == pytest.approx(np.quantile(week1, 0.5))
    assert row["q05"] == pytest.approx(np.quantile(week1, 0.05))
    assert row["mean"] == pytest.approx(week1.mean())


def test_quantile_trajectories_cannot_be_pooled_across_points():
    quant = pd.DataFrame({"point_id": ["a", "b"], "pressure": "normal", "week": 0,
                          "variable": "distinctiveness", "mean": 0.5, "q05": 0.1, "q25": 0.3,
                          "q50": 0.5, "q75": 0.7, "q95": 0.9})
    with pytest.raises(ValueError, match="cannot be pooled"):
        weekly_bands(quant, ["distinctiveness"], "pressure")
    assert len(weekly_bands(quant, ["distinctiveness"], ["pressure", "point_id"])) == 2
