"""Points of a study: identity, seeds, streamed output, resume, failures and collect
(in-process, no launcher)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hydra import compose as hydra_compose
from hydra import initialize_config_dir

import experiments.job as job
from experiments.collect import collect, describe
from experiments.job import is_complete, run_point
from experiments.plan import make_plan
from experiments.point import make_point, point_id
from experiments.progress import StudyProgress
from experiments.store import (
    failed_path,
    read_meta,
    replicates_path,
    weekly_path,
)
from sim import config_dir, simulate
from sim.outcomes import NUMERIC

SHORT = ["run.weeks=20", "run.replicates=60"]


def point(*overrides: str):
    """The point of ``overrides`` (plus a short horizon) as a job would see it."""
    overrides = [*SHORT, *overrides]
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        node = hydra_compose("config", overrides)
    return make_point(node, overrides)


def test_point_identity_ignores_replicates_chunking_and_study_settings():
    base = point("scenario=two_hires")
    assert point("scenario=two_hires", "run.replicates=7").id == base.id
    assert point("scenario=two_hires", "run.chunk_size=3").id == base.id
    assert point("scenario=two_hires", "study.trajectories=full").id == base.id
    assert point("scenario=two_hires", "ebe.count=3").id != base.id
    assert point("scenario=two_hires", "run.seed=1").id != base.id
    assert len(base.id) == 12 and base.id == point_id(base.config)


def test_common_random_numbers_by_default_and_derived_seeds_on_request():
    a, b = point("ebe.count=1"), point("ebe.count=2")
    assert a.seed == b.seed == a.config.run.seed          # paired comparisons
    pa_, pb = (point(f"ebe.count={n}", "study.seeds=per_point") for n in (1, 2))
    assert pa_.seed != pb.seed and pa_.seed == point("ebe.count=1", "study.seeds=per_point").seed
    assert 0 <= pa_.seed < 2**63 and pa_.id == a.id


def test_columns_lead_with_the_point_then_the_override_keys():
    p = point("experiment=hire_more_than_one", "ebe.count=2", "pressure=high")
    assert list(p.columns) == ["study", "point_id", "label", "team", "pressure", "run.weeks",
                               "ebe.count"]
    assert p.columns["ebe.count"] == 2 and p.columns["study"] == "hire_more_than_one"


def test_the_pressure_column_names_a_level_only_for_its_own_workload():
    high = point("pressure=high").config.workload
    assert point("pressure=high").columns["pressure"] == "high"
    own = point("pressure=normal").config.workload.caseload
    assert point(f"workload.caseload={own}").columns["pressure"] == "normal"
    # high's caseload under the normal level is neither normal nor high
    changed = point(f"workload.caseload={high.caseload}")
    assert changed.columns["pressure"] == "normal*"
    assert changed.config.workload.name == "normal"
    assert point(f"workload.crisis_rate={high.crisis_rate}").columns["pressure"] == "normal*"


@pytest.fixture(scope="module")
def two_hires_high():
    return point("scenario=two_hires", "pressure=high", "study.block_size=7",
                 "study.trajectories=full")


def test_streamed_blocks_equal_one_simulate_call(tmp_path, two_hires_high):
    p = two_hires_high
    assert run_point(p, tmp_path) == "done"
    rows = pd.read_parquet(replicates_path(tmp_path, p.id))
    direct = simulate(p.config)
    expected = direct.replicates
    pd.testing.assert_frame_equal(rows[expected.columns], expected, check_exact=True)
    assert list(rows.columns[:8]) == ["study", "point_id", "label", "team", "pressure",
                                      "run.weeks", "scenario", "seed"]
    assert (rows["pressure"] == "high").all() and rows["workload_pressure"].dtype == float
    weekly = pd.read_parquet(weekly_path(tmp_path, p.id))
    expected = direct.weekly
    pd.testing.assert_frame_equal(weekly[expected.columns], expected, check_exact=True)


def test_provenance_in_the_parquet_metadata(tmp_path, two_hires_high):
    p = two_hires_high
    run_point(p, tmp_path)
    meta = read_meta(replicates_path(tmp_path, p.id))
    assert meta["point_id"] == p.id and meta["overrides"] == list(p.overrides)
    assert meta["config"]["ebe"]["count"] == 2 and meta["config"]["study"]["block_size"] == 7
    assert meta["seeds"] == {"mode": "common", "root": p.root_seed, "seed": p.seed,
                             "replicates": [0, 59]}
    assert {"numpy", "pandas", "mesa", "hydra-core"} <= set(meta["versions"])
    assert "git_commit" in meta
    assert read_meta(weekly_path(tmp_path, p.id))["kind"] == "weekly"


def test_weekly_quantiles_mean_over_all_quantiles_over_the_first_replicates(tmp_path):
    p = point("scenario=two_hires", "study.block_size=16", "study.quantile_replicates=40")
    run_point(p, tmp_path)
    table = pd.read_parquet(weekly_path(tmp_path, p.id))
    assert list(table.columns[-8:]) == ["week", "variable", "mean", "q05", "q25", "q50",
                                        "q75", "q95"]
    weekly = simulate(p.config).weekly
    got = table[table["variable"] == "team_perspective"].set_index("week")
    np.testing.assert_allclose(got["mean"], weekly.groupby("week")["team_perspective"].mean())
    first = weekly[weekly["replicate"] < 40].groupby("week")["team_perspective"]
    np.testing.assert_allclose(got["q25"], first.quantile(0.25))
    variables = set(table["variable"])
    assert variables == set(NUMERIC)
    shares = table[table["variable"].str.startswith("state=")].groupby("week")["mean"].sum()
    np.testing.assert_allclose(shares, 1.0)     # every team is in exactly one state
    retained = table[table["variable"] == "state=retained"].set_index("week")["mean"]
    np.testing.assert_allclose(retained, (weekly["state"] == "retained").groupby(
        weekly["week"]).mean())
    one_block = point("scenario=two_hires", "study.quantile_replicates=40")
    run_point(one_block, tmp_path / "one")
    pd.testing.assert_frame_equal(pd.read_parquet(weekly_path(tmp_path / "one", p.id)), table,
                                  check_exact=True)


def test_resume_skips_complete_points_and_redoes_outdated_ones(tmp_path):
    p = point("scenario=single_hire")
    assert run_point(p, tmp_path) == "done"
    before = replicates_path(tmp_path, p.id).stat().st_mtime_ns
    assert is_complete(p, tmp_path) and run_point(p, tmp_path) == "skipped"
    assert replicates_path(tmp_path, p.id).stat().st_mtime_ns == before
    more = point("scenario=single_hire", "run.replicates=80")
    assert more.id == p.id and not is_complete(more, tmp_path)
    assert run_point(more, tmp_path) == "done"
    rows = pd.read_parquet(replicates_path(tmp_path, p.id))
    assert len(rows) == 80
    first = simulate(p.config, weekly=False).replicates
    np.testing.assert_array_equal(rows["weeks_to_loss"][:60], first["weeks_to_loss"])
    assert not list(tmp_path.glob("points/*.tmp*"))


def test_a_failing_point_is_recorded_and_the_study_goes_on(tmp_path, monkeypatch):
    good, bad = point("ebe.count=1"), point("ebe.count=2")

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    assert run_point(good, tmp_path) == "done"
    monkeypatch.setattr(job, "simulate_point", explode)
    assert run_point(bad, tmp_path) == "failed"
    assert "disk on fire" in json.loads(failed_path(tmp_path, bad.id).read_text())["error"]
    assert not replicates_path(tmp_path, bad.id).exists()
    assert not list(tmp_path.glob("points/*.tmp*"))
    monkeypatch.undo()
    assert run_point(bad, tmp_path) == "done" and not failed_path(tmp_path, bad.id).exists()


def test_collect_reports_complete_missing_and_failed_points(tmp_path, monkeypatch):
    plan = make_plan(["ebe.share=0,0.2,0.4", "team.size=10", *SHORT, f"study.dir={tmp_path}"])
    assert plan.study_dir == tmp_path and plan.settings.name == "sweep"
    plan.write()
    first, second, third = plan.points
    run_point(first, tmp_path)
    run_point(third, tmp_path)
    monkeypatch.setattr(job, "simulate_point", lambda *a, **k: 1 / 0)
    run_point(second, tmp_path)
    manifest = collect(tmp_path)
    assert manifest["complete"] == [first.id, third.id]
    assert [f["point_id"] for f in manifest["failed"]] == [second.id]
    assert "ZeroDivisionError" in describe(manifest)
    rows = pd.read_parquet(tmp_path / "replicates.parquet")
    assert list(rows["point_id"].unique()) == [first.id, third.id]     # plan order
    assert rows["ebe.share"].tolist() == [0.0] * 60 + [0.4] * 60        # int 0 and 0.4 unified
    assert json.loads((tmp_path / "manifest.json").read_text())["planned"] == 3
    failed_path(tmp_path, second.id).unlink()
    assert [m["point_id"] for m in collect(tmp_path)["missing"]] == [second.id]


def test_progress_names_a_point_once_when_no_override_describes_it(tmp_path, capsys):
    plan = make_plan(["run.replicates=2", f"study.dir={tmp_path}"], multirun=False)
    assert plan.points[0].describe() == plan.points[0].id
    with StudyProgress(plan, interval=60, enabled=False) as progress:
        run_point(plan.points[0], tmp_path)
        progress.poll()
    assert capsys.readouterr().out == f"  point 1/1 done: {plan.points[0].id}\n"


def test_progress_counts_replicates_as_point_files_appear(tmp_path):
    plan = make_plan(["ebe.count=1,2", *SHORT, f"study.dir={tmp_path}"], multirun=False)
    assert plan.multirun and len(plan.points) == 2
    run_point(plan.points[0], tmp_path)
    plan = make_plan(["ebe.count=1,2", *SHORT, f"study.dir={tmp_path}"])
    assert plan.complete == {plan.points[0].id} and plan.todo == plan.points[1:]
    with StudyProgress(plan, interval=60, enabled=True) as progress:
        assert (progress.bar.n, progress.bar.total) == (60, 120)
        run_point(plan.points[1], tmp_path)
        progress.poll()
        assert progress.bar.n == 120 and progress.replicates == 60
