"""Figures and weekly bands: files written, axes labelled with units, every series visible
in high-contrast colours, bands and state shares correct."""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest

from analysis import figures
from analysis.compare import paired_differences, proportions
from analysis.survival import survival_table
from analysis.trajectories import state_shares, weekly_bands
from sim.outcomes import STATES


@pytest.fixture
def replicates() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for pressure in ("high", "normal"):
        for n in (0, 1, 2):
            weeks = rng.integers(1, 105, 50) if n else np.zeros(50, int)
            rows.append(pd.DataFrame({
                "pressure": pressure, "ebe_count": n, "label": f"s{n}", "seed": 1,
                "replicate": np.arange(50), "weeks_to_loss": weeks, "lost": weeks < 104,
                "horizon": 104, "survived": weeks >= 104, "weeks_alive": weeks / 104,
                "team_shift": rng.normal(0, 1, 50),
                "experiential_share": rng.uniform(0, 0.1, 50), "exits": rng.poisson(1, 50)}))
    return pd.concat(rows, ignore_index=True)


def contrast_on_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio of ``colour`` against white."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in mcolors.to_rgb(colour))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_every_figure_saves_png_and_svg_with_units(replicates, tmp_path):
    props = proportions(replicates, ["pressure", "ebe_count"])
    diffs = paired_differences(replicates[replicates["ebe_count"] > 0], "label", "s1")
    with_ebe = replicates[replicates["ebe_count"] > 0]
    drawn = {
        "curves": figures.survival_curves(survival_table(with_ebe, ["pressure", "ebe_count"]),
                                          "ebe_count"),
        "hires": figures.alive_by_count(props, 104),
        "levers": figures.lever_effects(diffs, minimum=0.05),
        "dots": figures.dot_interval(proportions(replicates, ["pressure", "label"]), "label",
                                     104, dodge="pressure"),
        "heat": figures.heatmap(props, 104),
    }
    for name, fig in drawn.items():
        png, svg = figures.save(fig, tmp_path / name)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert svg.read_text().lstrip().startswith("<?xml")
        labels = [ax.get_xlabel() + ax.get_ylabel() for ax in fig.axes]
        assert any("(" in label for label in labels), name  # a unit in brackets
    titles = [ax.get_title() for ax in drawn["curves"].axes]
    assert titles == ["normal pressure", "high pressure"]   # calm < normal < high
    assert "two years" in drawn["hires"].axes[0].get_ylabel()


def test_series_at_zero_stay_visible_and_lines_have_contrast(replicates):
    props = proportions(replicates, ["pressure", "ebe_count"])
    fig = figures.alive_by_count(props, 104)
    ax = fig.axes[0]
    assert ax.get_ylim()[0] < 0 < 100 < ax.get_ylim()[1]   # 0% and 100% not on the frame
    lines = [container.lines[0] for container in ax.containers]   # the data, not the caps
    assert len(lines) == 2
    xs = [tuple(line.get_xdata()) for line in lines]
    assert xs[0] != xs[1]          # dodged: two series at 0% do not hide one another
    for line in lines:
        assert not line.get_clip_on() and line.get_marker() not in ("", "None")
        assert contrast_on_white(line.get_color()) >= 3.0
    assert all(contrast_on_white(c) >= 3.0 for c in figures.LINES)


def test_dutch_figures_speak_dutch(replicates):
    props = proportions(replicates, ["pressure", "ebe_count"])
    ax = figures.alive_by_count(props, 104, lang="nl").axes[0]
    assert " ".join(ax.get_ylabel().split()) == "perspectief levend na twee jaar (% van de teams)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["werkdruk normaal", "werkdruk hoog"]


def test_pressure_levels_are_ordered_calm_normal_high():
    assert figures.ordered(["high", "x", "calm", "normal"]) == ["calm", "normal", "high", "x"]


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


def test_state_shares_from_both_weekly_forms_agree():
    # 4 replicates x 2 weeks: week 0 all retained; week 1 one of each state.
    full = pd.DataFrame({"point_id": "p", "replicate": np.repeat(np.arange(4), 2),
                         "week": np.tile([0, 1], 4),
                         "state": pd.Categorical(["retained", "retained", "retained",
                                                  "diffused", "retained", "assimilated",
                                                  "retained", "vacant"], categories=STATES)})
    shares = state_shares(full, "point_id")
    assert shares[list(STATES)].to_numpy().tolist() == [[1, 0, 0, 0], [.25, .25, .25, .25]]
    quant = pd.DataFrame({"point_id": "p", "week": np.repeat([0, 1], 4),
                          "variable": [f"state={s}" for s in STATES] * 2,
                          "mean": [1, 0, 0, 0, .25, .25, .25, .25], "q05": 0.0, "q25": 0.0,
                          "q50": 0.0, "q75": 0.0, "q95": 1.0})
    pd.testing.assert_frame_equal(state_shares(quant, "point_id"), shares, check_dtype=False)
    figure = figures.state_areas(shares.assign(pressure="normal"), "point_id", "pressure")
    assert len(figure.axes) == 1 and figure.legends
