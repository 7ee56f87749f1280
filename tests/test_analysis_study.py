"""The study's summary table, summary.csv and figure (``teamsim run`` prints and writes
them through ``analysis.study.report``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_analysis_load import write_study

from analysis.study import format_table, key_columns, report, same_teams, summary_table
from sim import compose
from sim.config import ebe_count


def point(pid: str, count: int, level: str, states: list[str], weeks: list[int],
          causes: list[str]) -> pd.DataFrame:
    n = len(states)
    return pd.DataFrame({
        "study": "s", "point_id": pid, "label": "hires", "team": "fact", "pressure": level,
        "scenario": f"sc{count}", "ebe.count": count, "seed": 1, "replicate": np.arange(n),
        "survived": [s in ("retained", "diffused") for s in states], "state": states,
        "weeks_alive": np.linspace(0.5, 1.0, n), "weeks_to_loss": weeks,
        "lost": [c != "none" for c in causes], "loss_cause": causes,
        "experiential_share": 0.1, "team_shift": 0.02,
        "ebe_shift": [np.nan] + [-0.1] * (n - 1), "exits": np.arange(n) % 2, "horizon": 10})


@pytest.fixture
def frame() -> pd.DataFrame:
    # point a: 4 teams; one assimilated at week 2 and still so, one vacant at week 3 and
    # rehired (retained at the end), two never lost (censored at the horizon, week 10).
    a = point("a", 1, "normal", ["assimilated", "retained", "retained", "diffused"],
              [2, 3, 10, 10], ["assimilated", "vacant", "none", "none"])
    # point b: every team lost by assimilation at weeks 1..4.
    b = point("b", 1, "high", ["assimilated"] * 4, [1, 2, 3, 4], ["assimilated"] * 4)
    return pd.concat([a, b], ignore_index=True)


def test_summary_numbers_by_hand(frame):
    table = summary_table(frame, ["ebe.count", "pressure"])
    assert key_columns(frame, ["ebe.count", "pressure"]) == ["pressure"]  # only it varies
    a, b = table.iloc[0], table.iloc[1]
    assert (a["n"], a["horizon"], a["p_alive"]) == (4, 10, 0.75)
    assert a["p_alive_low"] < 0.75 < a["p_alive_high"]
    assert [a[s] for s in ("retained", "diffused", "assimilated", "vacant")] == [
        0.5, 0.25, 0.25, 0.0]
    # Kaplan-Meier of the first loss: 3/4 after week 2, 2/4 after week 3 -> median 3
    assert a["median_weeks_to_loss"] == 3 and not a["median_censored"]
    # the vacancy competes: only one of four first losses was assimilation
    assert a["assimilated_by_horizon"] == pytest.approx(0.25)
    assert a["ebe_shift"] == pytest.approx(-0.1)          # the team without an EBE is left out
    assert (b["p_alive"], b["assimilated_by_horizon"], b["median_weeks_to_loss"]) == (0, 1, 2)


def test_a_median_not_reached_is_blank_and_censored(frame):
    kept = frame.assign(lost=False, loss_cause="none", weeks_to_loss=10, state="retained",
                        survived=True)
    table = summary_table(kept)
    assert table["median_censored"].all() and table["median_weeks_to_loss"].isna().all()
    text = format_table(table)
    assert ">10" in text and "not reached, censored" in text


def test_the_printed_table_shows_every_measure(frame):
    text = format_table(summary_table(frame, ["ebe.count", "pressure"]))
    header = text.splitlines()[0]
    for column in ("alive@10 % [95% CI]", "wks alive %", "ret/dif/ass/vac %",
                   "median 1st loss", "assimilated@10 % [CI]", "exp.share", "team shift",
                   "EBE shift", "exits"):
        assert column in header
    assert "75.0 [" in text and "50/25/25/0" in text and "100.0 [" in text


def test_report_writes_summary_csv_and_a_figure(tmp_path, capsys):
    grid = [("hires", [f"ebe.count={n}", f"pressure={p}"])
            for p in ("normal", "high") for n in (0, 1, 2)]
    study = write_study(tmp_path, "hire_more_than_one", grid, 30, swept=["ebe.count"],
                        weekly="quantiles", collect=True)
    summary = report(study, ["ebe.count", "pressure"])
    out = capsys.readouterr().out
    assert "alive@104" in out and "figure:" in out
    csv = pd.read_csv(study / "summary.csv")
    assert list(csv["ebe.count"]) == [0, 1, 2, 0, 1, 2]
    assert "ebe_count" not in csv          # ebe.count is the number of EBEs already
    assert {"median_weeks_to_loss", "median_censored", "horizon", "p_alive_low",
            "assimilated_by_horizon"} <= set(csv.columns)
    blank = csv["median_weeks_to_loss"].isna()
    assert (blank == csv["median_censored"]).all()
    states = csv[["retained", "diffused", "assimilated", "vacant"]].sum(axis=1)
    assert np.allclose(states, 1.0)
    assert math.isclose(csv["p_alive"].iloc[0], 0.0) and csv["vacant"].iloc[0] == 1.0
    assert len(summary) == 6
    for name in ("figure.png", "figure.svg"):
        assert (study / name).stat().st_size > 10_000


@pytest.fixture(scope="module")
def shares(tmp_path_factory) -> Path:
    """A critical-mass study in small: EBE shares of teams of 8 and 16."""
    grid = [("critical_mass", [f"ebe.share={share}", f"team.size={size}"])
            for share in (0.1, 0.2, 0.3) for size in (8, 16)]
    return write_study(tmp_path_factory.mktemp("shares"), "critical_mass", grid, 4,
                       swept=["ebe.share", "team.size"], weekly="quantiles")


def test_a_study_of_shares_shows_the_ebes_each_point_had(shares, capsys):
    summary = report(shares, ["ebe.share", "team.size"])
    seats = {(share, size): ebe_count(compose([f"ebe.share={share}", f"team.size={size}"]))
             for share, size in summary[["ebe.share", "team.size"]].itertuples(index=False)}
    keys = list(summary.columns[:summary.columns.get_loc("point_id")])
    assert keys[:3] == ["ebe.share", "team.size", "ebe_count"]
    assert list(summary["ebe_count"]) == list(seats.values())
    csv = pd.read_csv(shares / "summary.csv")
    assert list(csv["ebe_count"]) == list(seats.values())
    out = capsys.readouterr().out
    assert " EBEs " in out.splitlines()[2] and "round(ebe.share x team size)" in out


def test_shares_that_round_to_the_same_team_are_named(shares, capsys):
    summary = report(shares, ["ebe.share", "team.size"])
    same = summary.groupby(["team.size", "ebe_count"])["ebe.share"].agg(list)
    expected = [f"team.size {size}: ebe.share {' and '.join(f'{s:g}' for s in found)} both "
                f"give {count} EBEs" for (size, count), found in same.items() if len(found) == 2]
    assert expected                       # 0.2 and 0.3 of 8 are two EBEs
    assert sorted(same_teams(summary)) == sorted(expected)
    out = capsys.readouterr().out
    assert all(f"the same team: {note}" in out for note in expected)


def _with_caseload(frame: pd.DataFrame, caseload: dict[str, float]) -> pd.DataFrame:
    """``frame`` with a swept ``workload.caseload`` per point (before ``seed``)."""
    frame = frame.copy()
    frame.insert(frame.columns.get_loc("seed"), "workload.caseload",
                 frame["point_id"].map(caseload))
    return frame


def test_a_level_the_swept_workload_names_is_no_key(frame):
    # caseload 0.5 is normal's own, 0.8 and 0.95 are not: two points are normal*
    third = frame[frame["point_id"] == "b"].assign(point_id="c")
    caseload = {"a": 0.5, "b": 0.8, "c": 0.95}
    levels = {"a": "normal", "b": "normal*", "c": "normal*"}
    normal = pd.concat([frame, third], ignore_index=True)
    normal["pressure"] = normal["point_id"].map(levels)
    swept = _with_caseload(normal, caseload)
    assert key_columns(swept, ["workload.caseload"]) == ["workload.caseload"]
    # the levels swept too: the caseload no longer says which level a point had
    high = normal.assign(point_id=normal["point_id"] + "h",
                         pressure=normal["pressure"].str.replace("normal", "high"))
    both = _with_caseload(pd.concat([normal, high], ignore_index=True),
                          {**caseload, **{f"{k}h": v for k, v in caseload.items()}})
    assert key_columns(both, ["workload.caseload", "pressure"]) == ["workload.caseload",
                                                                    "pressure"]


def test_a_changed_level_is_printed_with_its_meaning(tmp_path, capsys):
    grid = [("hires", [f"workload.caseload={c}", f"ebe.count={n}"])
            for c in (0.5, 0.95) for n in (1, 2)]
    study = write_study(tmp_path, "pressure_by_hires", grid, 4,
                        swept=["workload.caseload", "ebe.count"], weekly="quantiles")
    summary = report(study, ["workload.caseload", "ebe.count"])
    marked = summary["workload.caseload"] != compose([]).workload.caseload
    assert (summary.loc[marked, "pressure"] == "normal*").all()
    assert (summary.loc[~marked, "pressure"] == "normal").all()
    out = capsys.readouterr().out
    assert "normal*: pressure level normal with workload settings changed" in out
    assert list(pd.read_csv(study / "summary.csv")["pressure"]) == list(summary["pressure"])
