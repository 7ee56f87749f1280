"""Replay of a study run (sim.replay) against the study output contract.

The study writes ``<study>/points/<point_id>.parquet`` with one row per replicate and
the composed config under the Parquet schema metadata key ``b"teamsim"``. These tests
write such a file themselves from ``simulate`` and check that the replayed model runs
exactly the trajectory the study recorded.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim import OBSERVED, simulate
from sim.app import ClassroomTeam
from sim.replay import ReplayError, replay_model, study_run

REPLICATES = [5, 6, 7]


def write_point(study, cfg, point_id, replicates, *, metadata=True, columns=None):
    """A point file as the study writes it (config with extra study keys, columns)."""
    result = simulate(cfg, replicates=replicates)
    table = pa.Table.from_pandas(result.replicates, preserve_index=False)
    if metadata:
        meta = {"config": {**asdict(cfg), "study": {"name": "lesson", "block_size": 8}},
                "point_id": point_id, "overrides": [f"pressure={cfg.workload.name}"],
                "columns": {"study": "lesson", "point_id": point_id, "label": cfg.label,
                            "team": cfg.team.name, "pressure": cfg.workload.name,
                            **(columns or {})}}
        table = table.replace_schema_metadata({b"teamsim": json.dumps(meta).encode()})
    (study / "points").mkdir(parents=True, exist_ok=True)
    pq.write_table(table, study / "points" / f"{point_id}.parquet")
    return result


@pytest.fixture(scope="module")
def study(tmp_path_factory, small):
    folder = tmp_path_factory.mktemp("study")
    cfg = small("scenario=two_hires", "pressure=high", "behaviour.exit_rate=0.5", weeks=40)
    result = write_point(folder, cfg, "two_hires-high", REPLICATES)
    write_point(folder, small("scenario=two_hires", "pressure=calm", weeks=5), "c0ffee", [0])
    write_point(folder, small("pressure=high", weeks=5), "5eed00", [0])
    (folder / "points" / "c0ffee.weekly.parquet").write_bytes(b"not a point")
    return folder, cfg, result


def test_study_run_reads_config_seed_and_replicate(study):
    folder, cfg, result = study
    run = study_run(folder, "two_hires-high", "6")
    assert run.config == cfg
    assert (run.seed, run.replicate, run.point_id) == (cfg.run.seed, 6, "two_hires-high")
    assert run.description == "two_hires, fact, high"


@pytest.mark.parametrize("words", ["two_hires high", "pressure=high two_hires",
                                   " two_hires-high "])
def test_a_point_can_be_named_by_its_description(study, words):
    assert study_run(study[0], words, 5).point_id == "two_hires-high"


def test_ambiguous_description_lists_the_candidates(study):
    with pytest.raises(ReplayError, match=r"'two_hires' matches several points: allowed "
                                          r"c0ffee \(two_hires, fact, calm\); two_hires-high"):
        study_run(study[0], "two_hires", 5)


@pytest.mark.parametrize("replicate", REPLICATES)
def test_replay_is_exact(study, replicate):
    folder, _, result = study
    model = replay_model(folder, "two_hires-high", replicate)
    while model.running:
        model.step()
    numbers = [name for name in OBSERVED if name != "state"]
    replayed = model.datacollector.get_model_vars_dataframe()
    weekly = result.weekly[result.weekly["replicate"] == replicate]
    np.testing.assert_array_equal(replayed[numbers].to_numpy(float),
                                  weekly[numbers].to_numpy(float))
    np.testing.assert_array_equal(replayed["state"], weekly["state"].astype(str))


def test_classroom_replays_a_study_run(study):
    folder, cfg, result = study
    model = ClassroomTeam(study=str(folder), point="two_hires-high", replicate="7")
    assert model.problem is None
    assert model.title == "Replay: two_hires, fact, high · run 7"
    while model.running:
        model.step()
    row = result.replicates.set_index("replicate").loc[7]
    assert model.datacollector.model_vars["exits"] and sum(
        model.datacollector.model_vars["exits"]) == row["exits"]
    assert len(model.journal) == cfg.run.weeks + 1


@pytest.mark.parametrize("where, point, replicate, message", [
    ("nowhere", "two_hires-high", 5, "has no points/ folder"),
    ("study", "one_hire", 5, r"'one_hire' is not a point of this study: allowed 5eed00 "
                             r"\(single_hire, fact, high\); c0ffee"),
    ("study", "two_hires-high", 99, r"replicate = 99 is not in point .*allowed 5 \.\. 7"),
    ("study", "two_hires-high", "five", "replicate = 'five' is not a whole number"),
])
def test_bad_replay_names_what_is_missing(study, tmp_path, where, point, replicate, message):
    folder = study[0] if where == "study" else tmp_path / where
    with pytest.raises(ReplayError, match=message):
        study_run(folder, point, replicate)


def test_file_without_metadata_is_refused(tmp_path, small):
    write_point(tmp_path, small(weeks=5), "plain", [0], metadata=False)
    with pytest.raises(ReplayError, match="no readable 'teamsim' schema metadata"):
        study_run(tmp_path, "plain", 0)


def test_classroom_shows_a_bad_replay_instead_of_failing(tmp_path):
    model = ClassroomTeam(study=str(tmp_path), point="x", replicate="0")
    assert "has no points/ folder" in model.problem
    assert model.title.startswith("default team")
