"""The team changes too (issue 13): professional turnover, rules changed by critique,
earned experiential authority, who works with whom, allies.

Each mechanism reduces to the model before it when switched off, keeps the team's
bookkeeping, and moves its outcomes the way its source says (paired comparisons on
common random numbers, one-sided Wilcoxon signed-rank tests).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim import OBSERVED, TeamModel, build_team, compose, run_block, simulate
from sim.layout import CONTACT, TOGETHER
from sim.parameters import ally_seats, staffing, working_together

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(DATA))
from make_pre_renewal import CASES  # noqa: E402  (the cases the reference was made of)

OFF = ("team.turnover=0", "behaviour.rule_change=0", "behaviour.authority_rate=0")
ALPHA = 1e-3


@pytest.mark.parametrize("case", list(CASES))
def test_with_every_new_mechanism_off_the_model_is_the_one_before_it(case):
    """``tests/data/pre_renewal.npz`` was written by the model before issue 13. One
    observation was fixed since: the weekly ``rejection`` now averages over the EBEs the
    week's case review weighed, not those present at the end of the week, so it is left
    out; every other column, the whole trajectory, must be the same bits."""
    reference = np.load(DATA / "pre_renewal.npz")
    names = [name for name in reference["columns"] if name != "rejection"]
    columns = [OBSERVED.index(name) for name in names]
    old = [list(reference["columns"]).index(name) for name in names]
    # the calibration after team renewal raised the drift from 0.015 (docs/calibration.md)
    cfg = compose([*CASES[case], *OFF, "behaviour.anchor_drift=0.015", "run.weeks=52"])
    record = run_block(build_team(cfg), cfg.run.seed, range(6))
    np.testing.assert_array_equal(record[:, :, columns], reference[case][:, :, old])


@pytest.mark.parametrize("idle", [("team.vacancy_weeks=1",), ("team.outside_contact=0.9",),
                                  ("team.ally_perspective=0.95",), ("team.subteams=5",)])
def test_settings_of_a_switched_off_mechanism_change_nothing(small, idle):
    base = small(*OFF, replicates=20)
    other = small(*OFF, *idle, replicates=20)
    pd.testing.assert_frame_equal(simulate(base).weekly, simulate(other).weekly,
                                  check_exact=True)


def weekly(*overrides, replicates=60, weeks=104):
    return simulate(compose([*overrides, f"run.replicates={replicates}",
                             f"run.weeks={weeks}"]))


def test_professionals_come_and_go_and_every_seat_stays_accounted_for():
    """Exits minus starts over the run = professionals missing at the horizon; the
    final-responsibility seat is never empty (a locum covers it)."""
    cfg = compose(["team.turnover=0.6", "team.vacancy_weeks=6", "run.replicates=12"])
    reps = simulate(cfg, weekly=False).replicates
    assert reps.professional_exits.sum() > 50
    professionals = sum(role != "expert_by_experience" for role in staffing(cfg))
    for row in reps.itertuples():
        model = TeamModel(cfg, replicate=row.replicate)
        while model.running:
            model.step()
            assert 0 in model.members
        present = sum(m.role != "expert_by_experience" for m in model.members.values())
        assert row.professional_exits - row.professional_hires == professionals - present
        assert len(model.members) + sum(
            1 for seat in range(len(model.params.roles)) if seat not in model.members
        ) == len(staffing(cfg))


def test_a_locum_keeps_final_responsibility_and_newcomers_start_at_their_training():
    cfg = compose(["team.turnover=0.9", "team.vacancy_weeks=2", "run.weeks=80"])
    model = TeamModel(cfg, replicate=3)
    joined = []
    while model.running:
        model.step()
        for seat in model.last_week.hires[:, 0].nonzero()[0]:
            member = model.members[int(seat)]
            if member.role != "expert_by_experience":
                joined.append((member, member.perspective, member.anchor))
        assert model.members[0].seat == 0
    assert any("locum" in member.name for member, _, _ in joined)
    assert len({member.name for member, _, _ in joined}) == len(joined)
    # a newcomer's view and anchor are the training view they were drawn with
    assert all(view == anchor for _, view, anchor in joined)
    means = cfg.team.initial_perspective
    views = np.array([view for _, view, _ in joined])
    expected = np.array([means[member.role] for member, _, _ in joined])
    assert np.abs(views - expected).max() < 6 * cfg.team.perspective_spread


def paired(outcome, first, second, replicates=400):
    """``outcome`` per replicate under two sets of overrides (same random numbers)."""
    a = simulate(compose([*first, f"run.replicates={replicates}"]), weekly=False).replicates
    b = simulate(compose([*second, f"run.replicates={replicates}"]), weekly=False).replicates
    return a[outcome].to_numpy(float), b[outcome].to_numpy(float)


def less(a, b):
    """p-value of a one-sided Wilcoxon test that ``a`` is below ``b`` (paired)."""
    return stats.wilcoxon(a, b, alternative="less", nan_policy="omit").pvalue


DIFFUSING = ("behaviour.critique_uptake=0.2", "organisation.policy_seat=1")


def test_turnover_drains_the_diffusion_a_team_achieved():
    """Newcomers start at their training view, so a moved team slides back."""
    high, none = paired("team_shift", (*DIFFUSING, "team.turnover=0.35"),
                        (*DIFFUSING, "team.turnover=0"))
    assert less(high, none) < ALPHA
    assert np.mean(none) - np.mean(high) > 0.03


def test_accepted_critique_changes_the_rules_and_the_rules_let_experience_in():
    changed, fixed = paired("experiential_discount", ("behaviour.rule_change=0.1",),
                            ("behaviour.rule_change=0",))
    assert (fixed == 0.5).all() and (changed <= 0.5).all()
    assert less(changed, fixed) < ALPHA
    more, less_share = paired("experiential_share", ("behaviour.rule_change=0.1",),
                              ("behaviour.rule_change=0",))
    assert less(less_share, more) < ALPHA
    reps = simulate(compose(["behaviour.rule_change=0.1", "run.replicates=100"]),
                    weekly=False).replicates
    np.testing.assert_array_equal(reps.rules_changed, reps.critique_accepted)
    np.testing.assert_allclose(reps.experiential_discount,
                               0.5 * 0.9 ** reps.critique_accepted, rtol=1e-12)


def test_authority_is_earned_by_accepted_critique_and_lost_without_it():
    # no critique and no grant: nothing to earn it with
    silent = simulate(compose(["behaviour.critique_rate=0", "run.replicates=50"])).weekly
    assert (silent.authority.dropna() == 0).all()
    earned, none = paired("authority", (), ("behaviour.authority_rate=0",))
    assert (none[~np.isnan(none)] == 0).all() and less(none, earned) < ALPHA
    # a generous grant is lost where feedback is given and taken as an attack
    kept, eroded = paired("authority", ("organisation.experiential_authority=0.8",
                                        "behaviour.authority_rate=0"),
                          ("organisation.experiential_authority=0.8",))
    assert less(eroded, kept) < ALPHA


def test_high_authority_dries_up_feedback_to_the_ebe():
    """Seed 000: everyone follows the EBE, and feedback is never given."""
    high, low = paired("feedback_given_to_ebe",
                       ("organisation.experiential_authority=1.0",
                        "behaviour.authority_deference=6"), ())
    assert less(high, low) < ALPHA
    assert np.mean(high) < 0.3 * np.mean(low)


def test_duos_concentrate_contact_and_cut_feedback_across_the_team():
    cfg = compose(["team.structure=duos", "ebe.count=2"])
    roles = staffing(cfg)
    together = working_together(cfg, roles)
    ebes = [i for i, r in enumerate(roles) if r == "expert_by_experience"]
    assert [together[e, 1 + k] for k, e in enumerate(ebes)] == [1.0, 1.0]
    assert together[ebes[0], 2] == cfg.team.outside_contact == together[ebes[0], ebes[1]]
    assert (together == together.T).all() and not together.diagonal().any()
    team = build_team(cfg)
    np.testing.assert_array_equal(team.parameters.pair[0, TOGETHER], together)
    np.testing.assert_array_equal(team.parameters.pair[0, CONTACT], together)
    duo, full = paired("feedback_given_to_ebe", ("team.structure=duos",), ())
    assert less(duo, full) < ALPHA


def test_care_lines_keep_the_final_responsibility_holder_in_every_line():
    cfg = compose(["team.structure=subteams", "team.subteams=3", "ebe.count=3"])
    together = working_together(cfg, staffing(cfg))
    assert (together[0, 1:] == 1.0).all()
    lines = [{j for j in range(1, len(together)) if together[i, j] == 1.0} for i in (1, 2, 3)]
    assert lines[0].isdisjoint(lines[1]) and lines[1].isdisjoint(lines[2])


def test_allies_carry_their_own_view_and_slow_the_ebes_assimilation():
    assert ally_seats(10, 0.2) == [1, 5] and ally_seats(10, 0.0) == []
    assert ally_seats(3, 1.0) == [1, 2]          # never the final-responsibility holder
    team = build_team(compose(["team.ally_share=0.2"]))
    model = TeamModel(compose(["team.ally_share=0.2"]))
    assert [m.seat for m in model.members.values() if getattr(m, "ally", False)] == [1, 5]
    assert team.parameters.seat[0, 1, 1] == 0.6  # PERSPECTIVE_MEAN of an ally seat
    with_allies, without = paired("ebe_shift", ("team.ally_share=0.4",), ())
    assert less(without, with_allies) < ALPHA


def test_a_member_who_left_keeps_the_values_they_left_with():
    cfg = compose(["team.turnover=0.9", "team.vacancy_weeks=1", "behaviour.exit_rate=0.9",
                   "organisation.rehire_delay_weeks=1", "run.weeks=60"])
    model = TeamModel(cfg, replicate=1)
    seen = {}
    while model.running:
        for member in model.members.values():
            seen[id(member)] = (member.perspective, member.stress, member.tenure)
        model.step()
        for gone in model.departed:
            if gone.left_week == model.week and gone.role == "expert_by_experience":
                assert gone.retains is False
    assert len(model.departed) > 5
    refilled = [g for g in model.departed if g.seat in model.members]
    assert refilled, "seats refilled by newcomers"
    for gone in refilled:
        newcomer = model.members[gone.seat]
        assert (gone.perspective, gone.tenure) != (newcomer.perspective, newcomer.tenure)
    weekly = simulate(cfg).weekly
    assert (weekly.professionals_present + weekly.ebe_present).max() <= len(staffing(cfg))
    assert weekly.professionals_present.min() >= 1
