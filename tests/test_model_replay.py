"""Exact replay: a replicate's trajectory depends only on (config, seed, replicate)."""

from __future__ import annotations

import dataclasses

import mesa
import numpy as np
import pandas as pd
import pytest

from sim import OBSERVED, TeamModel, build_team, run_block, simulate
from sim.simulate import run_points

SCENARIOS = [
    (),
    ("scenario=two_hires", "pressure=high"),
    ("ebe.employment=external", "ebe.embedding=separate", "organisation.intervision=0.5"),
    ("organisation.experiential_authority=0.8", "organisation.rehire_delay_weeks=0"),
]


@pytest.mark.parametrize("overrides", SCENARIOS)
def test_replicate_is_independent_of_batch_and_chunk(small, overrides):
    cfg = small(*overrides, weeks=60, replicates=40)
    params = build_team(cfg)
    whole = run_block(params, cfg.run.seed, range(40))
    for ids in ([17], [3, 17, 39], list(range(39, -1, -1))):
        part = run_block(params, cfg.run.seed, ids)
        np.testing.assert_array_equal(part, whole[ids])
    chunked = dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, chunk_size=7))
    np.testing.assert_array_equal(run_block(build_team(chunked), cfg.run.seed, range(40)),
                                  whole)


def test_summaries_without_trajectories_equal_those_with(small):
    """``weekly=False`` summarises chunk by chunk; the numbers are the same bits."""
    cfg = small("scenario=two_hires", weeks=60, replicates=30)
    cfg = dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, chunk_size=7))
    pd.testing.assert_frame_equal(simulate(cfg, weekly=False).replicates,
                                  simulate(cfg).replicates, check_exact=True)
    assert simulate(cfg, replicates=[]).replicates.empty
    assert simulate(cfg, replicates=[], weekly=False).replicates.empty


def test_team_model_replays_batch_replicate_to_the_bit(small):
    cfg = small("scenario=two_hires", "pressure=high", weeks=80, replicates=24)
    weekly = simulate(cfg).weekly
    for replicate in (0, 17, 23):
        model = TeamModel(cfg, replicate=replicate)
        while model.running:
            model.step()
        assert model.week == cfg.run.weeks
        numbers = [name for name in OBSERVED if name != "state"]
        mesa_rows = model.datacollector.get_model_vars_dataframe()
        engine_rows = weekly[weekly.replicate == replicate]
        np.testing.assert_array_equal(mesa_rows[numbers].to_numpy(float),
                                      engine_rows[numbers].to_numpy(float))
        np.testing.assert_array_equal(mesa_rows["state"], engine_rows["state"].astype(str))


def test_replicate_17_of_1000_equals_team_model_alone(small):
    """The issue's example, on the default team and horizon."""
    cfg = small(weeks=104, replicates=1000)
    whole = run_block(build_team(cfg), cfg.run.seed, range(1000))
    model = TeamModel(cfg, replicate=17)
    record = [model.engine.observation[0]]
    while model.running:
        model.step()
        record.append(model.engine.observation[0])
    np.testing.assert_array_equal(np.array(record), whole[17])


def test_different_seeds_give_different_runs(small):
    cfg = small(replicates=8)
    params = build_team(cfg)
    a = run_block(params, 1, range(8))
    b = run_block(params, 2, range(8))
    assert not np.array_equal(a, b)
    assert not np.array_equal(a[0], a[1])  # replicates differ from each other


def test_mesa_batch_run_matches_engine(small):
    cfg = small(weeks=20, replicates=4)
    rows = mesa.batch_run(TeamModel, {"config": cfg, "replicate": range(4)},
                          max_steps=cfg.run.weeks, data_collection_period=1,
                          display_progress=False)
    frame = pd.DataFrame(rows)
    weekly = simulate(cfg).weekly
    merged = frame.merge(weekly, left_on=["replicate", "Step"], right_on=["replicate", "week"],
                         suffixes=("_mesa", ""))
    assert len(merged) >= 4 * cfg.run.weeks
    np.testing.assert_array_equal(merged["distinctiveness_mesa"], merged["distinctiveness"])


def test_a_block_of_points_equals_each_point_alone(small):
    base = small(weeks=52, replicates=12)
    points = [dataclasses.replace(base, behaviour=dataclasses.replace(
                  base.behaviour, conformity=c, trust_gain=g, irritation_gain=i)) for c, g, i in
              ((0.012, 0.05, 0.15), (0.03, 0.2, 0.4), (0.001, 0.0, 0.9))]
    points.append(dataclasses.replace(base, organisation=dataclasses.replace(
        base.organisation, experiential_authority=0.7, dialogue_culture=0.9)))
    points.append(dataclasses.replace(base, team=dataclasses.replace(
        base.team, hierarchy_steepness=2.0, initial_trust=0.3), ebe=dataclasses.replace(
        base.ebe, initial_perspective=0.6, anchor_strength=0.05, trained_share=1.0)))
    points.append(dataclasses.replace(base, behaviour=dataclasses.replace(
        base.behaviour, exit_rate=0.9, external_exposure=0.2, stress_hazard_ratio=9.0)))
    block = run_points(points, 12, base.run.seed)
    for k, point in enumerate(points):
        alone = run_block(build_team(point), base.run.seed, range(12))
        np.testing.assert_array_equal(block[12 * k:12 * (k + 1)], alone)
    # external EBEs with different exposure: per-point contact arrays in one block
    external = [small("ebe.employment=external", f"behaviour.external_exposure={x}",
                      weeks=52, replicates=12) for x in (0.2, 0.6, 1.0)]
    block = run_points(external, 12, base.run.seed)
    for k, point in enumerate(external):
        alone = run_block(build_team(point), base.run.seed, range(12))
        np.testing.assert_array_equal(block[12 * k:12 * (k + 1)], alone)
    # any setting may differ between the points of a block but the seats and their roles
    mixed = [base, dataclasses.replace(base, ebe=dataclasses.replace(
        base.ebe, employment="external", embedding="separate")), dataclasses.replace(
        base, organisation=dataclasses.replace(base.organisation, rehire=False),
        run=dataclasses.replace(base.run, retention="ebe_mean"))]
    block = run_points(mixed, 12, base.run.seed)
    for k, point in enumerate(mixed):
        np.testing.assert_array_equal(block[12 * k:12 * (k + 1)],
                                      run_block(build_team(point), base.run.seed, range(12)))
    with pytest.raises(ValueError, match="same team layout"):
        run_points([base, dataclasses.replace(base, ebe=dataclasses.replace(
            base.ebe, count=2))], 4, 1)
