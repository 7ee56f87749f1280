"""Study folders in the sweeps' layout, made from small ``sim.simulate`` runs, and the
loader's tests. Other analysis tests import :func:`write_study` from here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.load import (
    StudyError,
    is_quantile_form,
    load_replicates,
    load_weekly,
    points,
    select,
    tidy,
)
from sim import compose, simulate

QUANTILES = {"q05": 0.05, "q25": 0.25, "q50": 0.5, "q75": 0.75, "q95": 0.95}


def _table(ids: dict, frame: pd.DataFrame) -> pa.Table:
    """Point columns, then ``frame``'s columns; names may repeat (the level ``pressure``
    and the outcome ``pressure``), as the data contract allows."""
    n = len(frame)
    arrays = [pa.array([value] * n) for value in ids.values()]
    arrays += [pa.array(frame[c].to_numpy()) for c in frame.columns]
    return pa.Table.from_arrays(arrays, names=[*ids, *frame.columns])


def _write(table: pa.Table, path: Path, meta: dict) -> None:
    table = table.replace_schema_metadata({b"teamsim": json.dumps(meta).encode()})
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def _quantiles(weekly: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Weekly quantiles of every variable (the weekly ``pressure`` is the level here:
    ``assign`` replaced it, as a sweep writing quantiles keeps the level)."""
    weekly = pd.concat([weekly.drop(columns="state"),
                        pd.get_dummies(weekly["state"], prefix="state", prefix_sep="=")], axis=1)
    variables = [c for c in weekly.columns if c not in (*ids, "replicate", "week")]
    long = weekly.melt(id_vars=[*ids, "week"], value_vars=variables, var_name="variable")
    long["value"] = long["value"].astype(float)
    grouped = long.groupby([*ids, "week", "variable"], sort=False)["value"]
    out = grouped.mean().rename("mean").to_frame()
    for name, q in QUANTILES.items():
        out[name] = grouped.quantile(q)
    return out.reset_index()


def write_study(root: Path, study: str, grid: Sequence[tuple[str, Sequence[str]]],
                replicates: int, *, swept: Sequence[str] = (), weekly: str = "full",
                collect: bool = False) -> Path:
    """Write ``root/study`` as ``teamsim run`` does: one ``points/<id>.parquet`` and one
    ``points/<id>.weekly.parquet`` per ``(label, overrides)`` in ``grid``; with
    ``collect``, also ``replicates.parquet``, ``weekly.parquet`` and ``manifest.json``."""
    folder = root / study
    frames, weeklies = [], []
    for i, (label, overrides) in enumerate(grid):
        cfg = compose([*overrides, f"run.replicates={replicates}"])
        point_id = f"p{i:03d}"
        result = simulate(cfg)
        values = {key: _lookup(asdict(cfg), key) for key in swept}
        ids = {"study": study, "point_id": point_id, "label": label, "team": cfg.team.name,
               "pressure": cfg.workload.name, **values}
        reps = _table(ids, result.replicates)
        if weekly == "quantiles":
            week = pa.Table.from_pandas(_quantiles(result.weekly.assign(**ids), list(ids)),
                                        preserve_index=False)
        else:
            week = _table(ids, result.weekly)
        meta = {"study": study, "point_id": point_id, "config": asdict(cfg),
                "overrides": [*overrides], "seed": cfg.run.seed}
        _write(reps, folder / "points" / f"{point_id}.parquet", meta)
        _write(week, folder / "points" / f"{point_id}.weekly.parquet", meta)
        frames.append(reps)
        weeklies.append(week)
    if collect:
        meta = {"study": study}
        _write(pa.concat_tables(frames), folder / "replicates.parquet", meta)
        _write(pa.concat_tables(weeklies), folder / "weekly.parquet", meta)
        (folder / "manifest.json").write_text(json.dumps({"study": study,
                                                          "points": len(grid)}))
    return folder


def _lookup(tree: dict, dotted: str):
    for part in dotted.split("."):
        tree = tree[part]
    return tree


@pytest.fixture(scope="module")
def hires(tmp_path_factory) -> Path:
    grid = [(label, [f"scenario={label}", f"pressure={p}"])
            for p in ("normal", "high") for label in ("no_ebe", "single_hire", "two_hires")]
    return write_study(tmp_path_factory.mktemp("studies"), "hire_more_than_one", grid, 40,
                       swept=["ebe.count"], collect=True)


def test_points_and_collected_files_give_the_same_table(hires):
    collected = load_replicates(hires)
    (hires / "replicates.parquet").unlink()
    per_point = load_replicates(hires)
    pd.testing.assert_frame_equal(collected, per_point)
    assert len(per_point) == 6 * 40
    assert set(per_point["ebe_count"]) == {0, 1, 2}
    assert (per_point["horizon"] == 104).all()
    assert "workload_pressure" in per_point
    assert per_point["workload_pressure"].between(0, 1).all()


def test_points_carry_their_configs(hires):
    found = points(hires)
    assert len(found) == 6
    assert {p.ebe_count for p in found.values()} == {0, 1, 2}
    assert {p.config.workload.name for p in found.values()} == {"normal", "high"}


def test_select_by_scenario_pressure_and_outcome(hires):
    frame = load_replicates(hires)
    rows = select(frame, scenario="two_hires", pressure="high", outcome=["survived"])
    assert len(rows) == 40
    assert set(rows["label"]) == {"two_hires"}
    assert "experiential_share" not in rows and "survived" in rows
    with pytest.raises(StudyError, match="available .*single_hire"):
        select(frame, scenario="seven_hires")
    with pytest.raises(StudyError, match="outcome .*happiness"):
        select(frame, outcome="happiness")


def test_every_outcome_of_the_model_can_be_selected(hires):
    frame = load_replicates(hires)
    rows = select(frame, pressure="normal", outcome=["ebe_years", "distinctiveness_present"])
    assert list(rows.columns[-2:]) == ["ebe_years", "distinctiveness_present"]
    ebe = rows[rows["ebe_count"] == 2]["ebe_years"]
    assert ebe.between(0, 2 * 2).all() and ebe.mean() > 1  # two seats over two years


def test_tidy_long_form(hires):
    frame = load_replicates(hires)
    long = tidy(frame, ["survived", "exits"])
    assert len(long) == 2 * len(frame)
    assert set(long["outcome"]) == {"survived", "exits"}
    assert long["value"].dtype == float
    every = tidy(frame)
    assert "ebe_years" not in every.columns and "distinctiveness_present" not in every
    assert {"ebe_years", "distinctiveness_present"} <= set(every["outcome"])


def test_tidy_turns_a_category_into_shares(hires):
    frame = load_replicates(hires)
    long = tidy(frame, ["state"])
    assert set(long["outcome"]) == {"state=retained", "state=diffused", "state=assimilated",
                                    "state=vacant"}
    shares = long.groupby("outcome")["value"].mean()
    assert shares.sum() == pytest.approx(1.0)
    assert shares["state=vacant"] == pytest.approx((frame["state"] == "vacant").mean())


def test_only_the_outcomes_asked_for_are_read(hires):
    frame = load_replicates(hires, outcomes=["survived"])
    assert "survived" in frame and "exits" not in frame and "ebe_count" in frame
    with pytest.raises(StudyError, match="is not an outcome"):
        load_replicates(hires, outcomes=["happiness"])
    weekly = load_weekly(hires, variables=["state"])
    assert set(weekly.columns) >= {"point_id", "replicate", "week", "state"}
    assert "distinctiveness" not in weekly


def test_several_studies_load_into_one_frame(hires, tmp_path):
    other = write_study(tmp_path, "levers", [("single_hire", ["scenario=single_hire"])], 10)
    both = load_replicates([hires, other])
    assert set(both["study"]) == {"hire_more_than_one", "levers"}
    assert len(both) == 6 * 40 + 10


def test_weekly_full_and_quantile_forms(hires, tmp_path):
    full = load_weekly(hires)
    assert not is_quantile_form(full)
    assert full["week"].max() == 104
    quant = load_weekly(write_study(tmp_path, "q", [("single_hire", [])], 20,
                                    weekly="quantiles"))
    assert is_quantile_form(quant)
    row = quant[(quant["variable"] == "distinctiveness") & (quant["week"] == 0)]
    assert np.all(row["q05"] <= row["q50"]) and np.all(row["q50"] <= row["q95"])


def test_missing_study_is_named(tmp_path):
    with pytest.raises(StudyError, match="does not exist"):
        load_replicates(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StudyError, match="no replicate results"):
        load_replicates(tmp_path / "empty")


def test_a_changed_pressure_level_is_marked_also_in_a_folder_written_before(tmp_path):
    own = compose(["pressure=normal"]).workload.caseload
    grid = [("hires", [f"workload.caseload={c}"]) for c in (own, 0.95)]
    # write_study stores the level's name as teamsim wrote it before the mark: normal
    study = write_study(tmp_path, "pressure_by_hires", grid, 3, swept=["workload.caseload"])
    stored = pd.read_parquet(study / "points" / "p001.parquet")
    assert set(stored["pressure"]) == {"normal"}
    frame = load_replicates(study)
    levels = frame.groupby("workload.caseload")["pressure"].unique()
    assert list(levels[own]) == ["normal"] and list(levels[0.95]) == ["normal*"]
    weekly = load_weekly(study, variables=["workload_pressure"])
    assert set(weekly.groupby("point_id")["pressure"].first()) == {"normal", "normal*"}
