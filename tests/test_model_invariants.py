"""Invariants of the engine's state and observations, and agents as windows on it."""

from __future__ import annotations

import numpy as np
import pytest

from sim import (
    OBSERVED,
    ExpertByExperience,
    Psychiatrist,
    TeamEngine,
    TeamModel,
    build_team,
    simulate,
)
from sim.outcomes import COLUMN, WEEKLY

UNIT_INTERVAL = ("perspective", "anchor", "origin", "feedback_tolerance", "stress", "production")
EBE_ONLY = tuple(name for name, outcome in WEEKLY.items() if outcome.ebe_only)


@pytest.mark.parametrize("overrides", [(), ("scenario=three_hires", "pressure=high"),
                                       ("scenario=no_ebe",), ("scenario=external_ebe",),
                                       ("organisation.experiential_authority=1",
                                        "organisation.dialogue_culture=1")])
def test_state_stays_in_bounds_with_right_shapes(small, overrides):
    cfg = small(*overrides, weeks=104, replicates=50)
    params = build_team(cfg)
    engine = TeamEngine(params, cfg.run.seed, range(50))
    m = params.seats
    for _ in range(cfg.run.weeks):
        engine.step()
        s = engine.state
        for name in UNIT_INTERVAL:
            values = getattr(s, name)
            assert values.shape == (50, m)
            assert np.all((values >= 0) & (values <= 1)), name
        for name in ("trust", "irritation"):
            values = getattr(s, name)
            assert values.shape == (50, m, m)
            assert np.all((values >= 0) & (values <= 1)), name
            # nobody trusts or resents themselves (social_influence relies on it)
            assert not np.any(values[:, np.arange(m), np.arange(m)]), name
        assert np.all(s.present[:, 0])  # a locum covers final responsibility at once
        assert np.all((s.authority >= 0) & (s.authority <= 1))
        assert not np.any(s.authority[:, ~params.is_ebe])
        assert np.all((s.workload_pressure >= 0) & (s.workload_pressure <= 1))
        assert np.all(s.anchor_strength > 0)


def test_observations_are_defined_and_consistent(small):
    cfg = small("scenario=two_hires", "pressure=high", weeks=104, replicates=200)
    result = simulate(cfg)
    weekly, reps = result.weekly, result.replicates
    always = [c for c in OBSERVED if c not in EBE_ONLY]
    assert not weekly[always].isna().any().any()
    absent = weekly.ebe_present == 0
    for name in ("ebe_perspective", "ebe_stress", "trust_cross", "irritation_cross"):
        assert weekly.loc[absent, name].isna().all()
        assert weekly.loc[~absent, name].notna().all()
    assert (weekly.loc[absent, "distinctiveness"] == 0).all()
    # a loss of distinctiveness is EBE drift or team shift: the parts add up exactly
    present = weekly[~absent]
    assert (present.distinctiveness
            == present.ebe_perspective - present.team_perspective).all()
    horizon = weekly[weekly.week == cfg.run.weeks].set_index("replicate")
    start = weekly[weekly.week == 0].set_index("replicate")
    np.testing.assert_array_equal(
        reps.set_index("replicate").ebe_shift,
        horizon.ebe_perspective - start.ebe_perspective)
    for name in ("feedback_given", "feedback_withheld", "feedback_attack", "exits", "hires"):
        assert (weekly[name] >= 0).all() and (weekly[name] % 1 == 0).all()
    assert weekly.experiential_share.between(0, 1).all()
    assert reps.weeks_to_loss.between(0, cfg.run.weeks).all()
    assert (reps.weeks_to_loss[~reps.lost] == cfg.run.weeks).all()
    # the fate of the perspective is read off the weekly states
    horizon_state = horizon.state.reindex(reps.replicate).to_numpy()
    np.testing.assert_array_equal(reps.state.to_numpy(), horizon_state.astype(str))
    np.testing.assert_array_equal(reps.survived, np.isin(horizon_state, ["retained",
                                                                        "diffused"]))
    assert (weekly.alive == weekly.state.isin(["retained", "diffused"])).all()
    assert ((weekly.ebes_retaining > 0) == (weekly.state == "retained")).all()
    assert (weekly.ebes_retaining <= weekly.ebe_present).all()
    assert (weekly.loc[absent, "state"].isin(["diffused", "vacant"])).all()
    assert (weekly.loc[~absent, "state"] != "vacant").all()
    # a loss is the first week in which the perspective is not alive; its cause that state
    lost = reps[reps.lost].iloc[0]
    rows = weekly[weekly.replicate == lost.replicate].set_index("week")
    assert not rows.alive[lost.weeks_to_loss]
    assert rows.alive[:lost.weeks_to_loss - 1].all()
    assert rows.state[lost.weeks_to_loss] == lost.loss_cause
    assert set(reps.loss_cause[~reps.lost]) <= {"none"}
    assert len(reps) == 200 and reps.replicate.is_unique


def test_no_ebe_team_has_no_perspective(small):
    reps = simulate(small("scenario=no_ebe", replicates=20)).replicates
    assert not reps.survived.any() and (reps.weeks_to_loss == 0).all()
    assert (reps.state == "vacant").all() and (reps.loss_cause == "vacant").all()
    assert (reps.experiential_share == 0).all() and (reps.exits == 0).all()


def test_agents_read_engine_state(small):
    model = TeamModel(small("scenario=two_hires", "pressure=high"), replicate=3)
    for _ in range(40):
        model.step()
        s = model.engine.state
        for seat, agent in model.members.items():
            assert agent.seat == seat
            assert agent.perspective == s.perspective[0, seat]
            assert agent.stress == s.stress[0, seat]
            assert agent.anchor == s.anchor[0, seat]
            assert agent.feedback_tolerance == s.feedback_tolerance[0, seat]
            assert agent.hierarchy_weight == model.params.hierarchy[seat]
            other = model.members[0]
            assert agent.trust_in(other) == s.trust[0, seat, 0]
            assert agent.irritation_toward(other) == s.irritation[0, seat, 0]
            if isinstance(agent, ExpertByExperience):
                assert agent.production == s.production[0, seat]
                assert agent.seniority == s.seniority[0, seat]
        assert len(model.members) == int(s.present[0].sum())
        assert model.observation()["ebe_present"] == model.engine.observation[0, COLUMN[
            "ebe_present"]]
    assert isinstance(model.members[0], Psychiatrist)
    assert len(model.agents) == len(model.members)


def test_departed_ebes_are_removed_and_replaced(small):
    cfg = small("behaviour.exit_rate=0.9", "organisation.rehire_delay_weeks=2", weeks=60)
    model = TeamModel(cfg, replicate=0)
    while model.running:
        model.step()
    assert model.departed, "with a 90% yearly exit hazard someone leaves within 60 weeks"
    for gone in model.departed:
        assert gone not in model.agents and gone.left_week is not None
    names = {a.name for a in model.departed}
    assert len(names) == len(model.departed)  # every hire gets a new name
