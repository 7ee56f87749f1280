"""Replay of a study run (experiments.classroom.replay) against the study format.

A study writes ``<study>/points/<point_id>.parquet`` with one row per replicate and a
provenance record (the composed config, point id, columns, overrides) under the key
that ``experiments.store`` owns. These tests write such files from ``simulate`` and check
that the replayed model runs exactly the trajectory the study recorded, that points
have readable names in a sensible order, and that the page shows the replayed run's
settings. (tests/test_classroom_guide.py replays a study made by ``teamsim run``.)
"""

from __future__ import annotations

import json
from dataclasses import asdict

import ipyvuetify as v
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import solara

from experiments.classroom.app import Page
from experiments.classroom.replay import (
    ReplayError,
    point_name,
    replay_model,
    study_points,
    study_run,
)
from experiments.classroom.team import ClassroomTeam
from experiments.store import META_KEY
from sim import OBSERVED, simulate

REPLICATES = [5, 6, 7]


def write_point(study, cfg, point_id, replicates, *, metadata=True, columns=None,
                overrides=None):
    """A point file as a study writes it (config with extra study keys, columns)."""
    result = simulate(cfg, replicates=replicates)
    table = pa.Table.from_pandas(result.replicates, preserve_index=False)
    if metadata:
        extra = columns or {}
        meta = {"config": {**asdict(cfg), "study": {"name": "lesson", "block_size": 8}},
                "point_id": point_id,
                "overrides": overrides or [f"pressure={cfg.workload.name}"],
                "columns": {"study": "lesson", "point_id": point_id, "label": cfg.label,
                            "team": cfg.team.name, "pressure": cfg.workload.name, **extra}}
        table = table.replace_schema_metadata({META_KEY: json.dumps(meta).encode()})
    (study / "points").mkdir(parents=True, exist_ok=True)
    pq.write_table(table, study / "points" / f"{point_id}.parquet")
    return result


@pytest.fixture(scope="module")
def study(tmp_path_factory, small):
    folder = tmp_path_factory.mktemp("study")
    cfg = small("scenario=two_hires", "pressure=high", "behaviour.exit_rate=0.5", weeks=40)
    result = write_point(folder, cfg, "9a0b1c2d3e4f", REPLICATES)
    write_point(folder, small("scenario=two_hires", "pressure=calm", weeks=5), "c0ffee", [0])
    write_point(folder, small("pressure=high", weeks=5), "5eed00", [0])
    (folder / "points" / "c0ffee.weekly.parquet").write_bytes(b"not a point")
    return folder, cfg, result


@pytest.fixture(scope="module")
def sweep(tmp_path_factory, small):
    """A sweep over ebe.count and pressure, like the main study (label 'hires')."""
    folder = tmp_path_factory.mktemp("sweep")
    for ebes in (2, 0, 10, 1):
        for pressure in ("normal", "high", "calm"):
            cfg = small(f"ebe.count={ebes}", f"pressure={pressure}", "label=hires", weeks=3)
            write_point(folder, cfg, f"{ebes:02d}{pressure}"[::-1], [0],
                        columns={"ebe.count": ebes},
                        overrides=[f"ebe.count={ebes}", f"pressure={pressure}"])
    return folder


def test_study_run_reads_config_seed_and_replicate(study):
    folder, cfg, result = study
    run = study_run(folder, "9a0b1c2d3e4f", "6")
    assert run.config == cfg
    assert (run.seed, run.replicate, run.point_id) == (cfg.run.seed, 6, "9a0b1c2d3e4f")
    assert run.name == "two hires: fact team, high pressure"


def test_points_have_readable_names_in_a_sensible_order(sweep):
    names = [p.name for p in study_points(sweep)]
    assert names[:4] == ["hires: 0 EBEs, fact team, calm pressure",
                         "hires: 0 EBEs, fact team, normal pressure",
                         "hires: 0 EBEs, fact team, high pressure",
                         "hires: 1 EBE, fact team, calm pressure"]
    assert names[-1] == "hires: 10 EBEs, fact team, high pressure"  # 10 after 2, not 1
    assert len(names) == 12


def test_a_scenario_column_that_repeats_the_label_is_not_repeated():
    meta = {"point_id": "x", "columns": {"study": "levers", "point_id": "x",
                                          "label": "two_hires", "team": "fact",
                                          "pressure": "high", "scenario": "two_hires",
                                          "organisation.intervision": 0.5}}
    assert point_name(meta) == ("two hires: organisation.intervision=0.5, fact team, "
                                "high pressure")


@pytest.mark.parametrize("words", ["two_hires high", "pressure=high two_hires",
                                   " 9a0b1c2d3e4f ", "two hires: fact team, high pressure",
                                   "Two hires HIGH pressure"])
def test_a_point_can_be_named_by_its_words(study, words):
    assert study_run(study[0], words, 5).point_id == "9a0b1c2d3e4f"


@pytest.mark.parametrize("words, point", [("1 EBE high", "hgih10"),
                                          ("ebe.count=10 calm", "mlac01"),
                                          ("hires: 2 EBEs, fact team, normal pressure",
                                           "lamron20")])
def test_a_sweep_point_can_be_named_by_its_count_and_pressure(sweep, words, point):
    assert study_run(sweep, words, 0).point_id == point


def test_ambiguous_words_list_the_candidates_by_name(study):
    with pytest.raises(ReplayError, match=r"'two_hires' matches several points: allowed "
                                          r"two hires: fact team, calm pressure \(c0ffee\); "
                                          r"two hires: fact team, high pressure"):
        study_run(study[0], "two_hires", 5)


@pytest.mark.parametrize("replicate", REPLICATES)
def test_replay_is_exact(study, replicate):
    folder, _, result = study
    model = replay_model(folder, "9a0b1c2d3e4f", replicate)
    while model.running:
        model.step()
    numbers = [name for name in OBSERVED if name != "state"]
    replayed = model.datacollector.get_model_vars_dataframe()
    weekly = result.weekly[result.weekly["replicate"] == replicate]
    np.testing.assert_array_equal(replayed[numbers].to_numpy(float),
                                  weekly[numbers].to_numpy(float))
    np.testing.assert_array_equal(replayed["state"], weekly["state"].astype(str))


def test_classroom_replays_a_study_run_with_its_settings(study):
    folder, cfg, result = study
    model = ClassroomTeam(study=str(folder), point="two_hires high", replicate="7")
    assert model.problem is None
    assert model.title == "Replay: two hires: fact team, high pressure · run 7"
    assert model.levers["ebes"] == 2 and model.levers["pressure"] == "high"
    while model.running:
        model.step()
    row = result.replicates.set_index("replicate").loc[7]
    assert sum(model.datacollector.model_vars["exits"]) == row["exits"]
    assert len(model.journal) == cfg.run.weeks + 1


def test_the_page_shows_the_replayed_runs_settings(study):
    """Fill in the replay card, Reset: the sliders show the run's settings, locked."""
    folder = study[0]
    box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    field = rc.find(v.TextField, label="Study folder").widget
    field.v_model = str(folder)
    field.fire_event("focusout", None)
    names = rc.find(v.Select, label="Point").widget.items
    assert names == [p.name for p in study_points(folder)]
    rc.find(v.Select, label="Point").widget.v_model = "two hires: fact team, high pressure"
    run = rc.find(v.TextField, label="Run (replicate)").widget
    run.v_model = "6"
    run.fire_event("focusout", None)
    rc.find(v.Btn, children=["Reset"]).widget.click()
    sliders = {w.label.split(":")[0]: w for w in rc.find(v.Slider).widgets}
    assert sliders["Number of EBEs"].v_model == 2
    assert sliders["Number of EBEs"].label == "Number of EBEs: 2"
    assert rc.find(v.Select, label="Pressure (caseload)").widget.v_model == "high"
    assert rc.find(v.TextField, label="Seed").widget.v_model == str(study[1].run.seed)
    assert all(w.disabled for w in sliders.values())


@pytest.mark.parametrize("where, point, replicate, message", [
    ("nowhere", "two_hires", 5, "has no points/ folder"),
    ("study", "one_hire", 5, r"'one_hire' is not a point of this study: allowed single "
                             r"hire: fact team, high pressure \(5eed00\); two hires"),
    ("study", "9a0b1c2d3e4f", 99, r"replicate = 99 is not in point 'two hires: fact team, "
                                  r"high pressure': allowed 5 \.\. 7"),
    ("study", "9a0b1c2d3e4f", "five", "replicate = 'five' is not a whole number"),
])
def test_bad_replay_names_what_is_missing(study, tmp_path, where, point, replicate, message):
    folder = study[0] if where == "study" else tmp_path / where
    with pytest.raises(ReplayError, match=message):
        study_run(folder, point, replicate)


def test_file_without_provenance_is_refused(tmp_path, small):
    write_point(tmp_path, small(weeks=5), "plain", [0], metadata=False)
    with pytest.raises(ReplayError, match="no readable teamsim provenance record"):
        study_run(tmp_path, "plain", 0)


def test_classroom_shows_a_bad_replay_instead_of_failing(tmp_path):
    model = ClassroomTeam(study=str(tmp_path), point="x", replicate="0")
    assert "has no points/ folder" in model.problem
    assert model.title.startswith("default team")
