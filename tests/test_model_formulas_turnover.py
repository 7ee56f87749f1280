"""Formulas of stress, exits, hiring, new members' traits, the observation of the
perspective and who works with whom (ODD 7.10-7.16), on small hand-built states against
values worked out by hand; the arithmetic is in each test's docstring. See
``test_model_formulas.py``."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest
from test_model_formulas import SEED, approx, hand_built

from sim.events import new_events
from sim.layout import (
    ANCHOR,
    ANCHOR_STRENGTH,
    AUTHORITY,
    EXITED,
    FEEDBACK_TOLERANCE,
    HIRED,
    IRRITATION,
    ORIGIN,
    PERSPECTIVE,
    PRESENT,
    PRODUCTION,
    RETAINS,
    RULE_CLARITY,
    SENIORITY,
    STRESS,
    TENURE,
    TOGETHER,
    TRAINED,
    TRUST,
    VACANCY,
    WORKLOAD_PRESSURE,
)
from sim.observe import observe, perspective_state, professional_view, retaining
from sim.outcomes import ASSIMILATED, COLUMN, DIFFUSED, OBSERVED, RETAINED, VACANT
from sim.parameters import ally_seats
from sim.state import TRAIT_DRAWS, member_traits
from sim.streams import HIRES, replicate_stream
from sim.turnover import ebe_exit, professional_exit, rehiring, stress

PHI = NormalDist().cdf   # u = PHI(z) has the standard normal quantile z


# ---------------------------------------------------------------- 7.10 stress

def stress_state(*overrides: str):
    """Psychiatrist, nurse 1, nurse 2 (vacant), EBEs 3 and 4; intervision 1 with 2
    peers, stress_recovery 0.1; pressure 0.8, role clarity 0.4. Stress 0.3, 0.9, 0.5,
    0.5, 0; EBE 3's production 0.2 and the irritation toward it 0.3, 0.6, 0.9 (from the
    vacant nurse 2); no irritation toward EBE 4."""
    p, s = hand_built("organisation.intervision=1", "behaviour.intervision_peers=2",
                      "behaviour.stress_recovery=0.1", *overrides, ebes=2)
    s.flag[0, PRESENT, 2] = False
    s.team[0, WORKLOAD_PRESSURE] = 0.8
    s.team[0, RULE_CLARITY] = 0.4
    s.member[0, STRESS] = [0.3, 0.9, 0.5, 0.5, 0.0]
    s.member[0, PRODUCTION, 3] = 0.2
    s.relation[0, IRRITATION, :3, 3] = [0.3, 0.6, 0.9]
    return p, s, np.array([True, True, False, True, True])


def test_stress_moves_ebes_by_strain_and_recovery_and_professionals_toward_pressure():
    """ODD 7.10 on ``stress_state``, stress_gain 0.2, coaching 1 (recovery 0.1 * 2 = 0.2).

    k_3 = k_4 = 1 (the other EBE) + 1 * 2 = 3;  isolation = 1 / (1 + 3) = 0.25
    EBE 3: resentment = (0.3 + 0.6) / 2 = 0.45 (nurse 2 vacant, N_P = 2)
           strain = (0.25 + (1 - 0.4) + 0.2 + 0.45) / 4 = 1.5 / 4 = 0.375
           S_3 = 0.5 + 0.2 * 0.375 - 0.2 * 0.5 = 0.475
    EBE 4: strain = (0.25 + 0.6 + 0 + 0) / 4 = 0.2125;  S_4 = 0 + 0.2 * 0.2125 = 0.0425
    professionals: S_0 = 0.3 + 0.1 * (0.8 - 0.3) = 0.35;  S_1 = 0.9 + 0.1 * (0.8 - 0.9) = 0.89
                   S_2 (vacant) stays 0.5
    """
    p, s, present = stress_state("behaviour.stress_gain=0.2", "organisation.coaching=1")
    stress(s, p, p.point[0], 0, present)
    assert s.member[0, STRESS] == approx([0.35, 0.89, 0.5, 0.475, 0.0425])


def test_stress_is_clipped_at_one_and_updated_for_a_vacant_ebe_seat_too():
    """ODD 7.10 on ``stress_state`` with EBE 4 vacant, stress_gain 1, coaching 0
    (recovery 0.1), EBE 3's stress 0.9.

    EBE 3: k_3 = 0 + 2 = 2, isolation = 1/3; strain = (1/3 + 0.6 + 0.2 + 0.45) / 4
           S_3 = clip(0.9 + (1/3 + 1.25) / 4 - 0.1 * 0.9) = clip(1.2058) = 1
    EBE 4 (vacant, still updated): k_4 = 1 + 2 = 3, strain = (0.25 + 0.6) / 4 = 0.2125
           S_4 = 0 + 1 * 0.2125 = 0.2125
    """
    p, s, present = stress_state("behaviour.stress_gain=1", "organisation.coaching=0")
    present[4] = False
    s.member[0, STRESS, 3] = 0.9
    stress(s, p, p.point[0], 0, present)
    assert s.member[0, STRESS, 3] == 1.0
    assert s.member[0, STRESS, 4] == approx(0.2125)


# ---------------------------------------------------------------- 7.11 ebe_exit

def exit_state(*overrides: str):
    """Three EBEs (seats 3-5): S = 0.5, pi = 0.5 (seat 3); S = 1, pi = 0 (seat 4);
    seat 5 vacant. exit_rate 0.5, stress_hazard_ratio 4, extra_task_odds 9."""
    p, s = hand_built("behaviour.exit_rate=0.5", "behaviour.stress_hazard_ratio=4",
                      "behaviour.extra_task_odds=9", "organisation.rehire_delay_weeks=8",
                      *overrides, ebes=3)
    s.member[0, STRESS] = [0.0, 0.0, 0.0, 0.5, 1.0, 0.0]
    s.member[0, PRODUCTION] = [0.0, 0.0, 0.0, 0.5, 0.0, 0.0]
    s.flag[0, PRESENT, 5] = False
    return p, s


H0 = 1.0 - (1.0 - 0.5) ** (1.0 / 52.0)   # weekly hazard at zero strain, exit_rate 0.5


@pytest.mark.parametrize("below", [True, False])
def test_ebe_exit_hazard_is_h0_times_hazard_ratio_and_task_odds_powers(below):
    """ODD 7.11 on ``exit_state``: h0 = 1 - (1 - 0.5)^(1/52) = 0.013240.

    h_3 = h0 * 4^0.5 * 9^0.5 = 6 h0;   h_4 = h0 * 4^1 * 9^0 = 4 h0
    With u_e a relative 1e-9 below h_e each leaves (its seat vacant for
    rehire_delay_weeks = 8); 1e-9 above, each stays. Vacant seat 5 (u = 0) cannot
    leave; the professionals' uniforms (0) are not ebe_exit's.
    """
    p, s = exit_state()
    side = 1 - 1e-9 if below else 1 + 1e-9
    u = np.array([0.0, 0.0, 0.0, 6 * H0 * side, 4 * H0 * side, 0.0])
    ev = new_events(1, 6)
    ebe_exit(s, p, p.point[0], 0, u, 0, ev)
    assert ev.seat[0, EXITED].tolist() == [False] * 3 + [below, below, False]
    assert s.flag[0, PRESENT].tolist() == [True] * 3 + [not below, not below, False]
    if below:
        assert s.member[0, VACANCY, 3:5].tolist() == [8.0, 8.0]


def test_ebe_exit_without_rehiring_leaves_the_seat_vacant_for_good():
    """ODD 7.11: with organisation.rehire false the leaver's seat gets v = infinity."""
    p, s = exit_state("organisation.rehire=false")
    ev = new_events(1, 6)
    ebe_exit(s, p, p.point[0], 0, np.array([0.5, 0.5, 0.5, 0.0, 0.5, 0.5]), 0, ev)
    assert ev.seat[0, EXITED, 3]
    assert s.member[0, VACANCY, 3] == math.inf


# ---------------------------------------------------------------- 7.15 professional_exit

@pytest.mark.parametrize("below", [True, False])
def test_professional_exit_chance_is_the_weekly_share_of_yearly_turnover(below):
    """ODD 7.15, team.turnover 0.5, vacancy_weeks 6: h_P = 1 - (1 - 0.5)^(1/52) = 0.013240.

    u a relative 1e-9 below h_P for seats 0, 1 and 2 (nurse 2 vacant): seats 0 and 1
    leave, seat 0 with v_0 = 0 (a locum at once), seat 1 with v_1 = 6; 1e-9 above:
    nobody leaves. The EBE's uniform (0) is not professional_exit's.
    """
    p, s = hand_built("team.turnover=0.5", "team.vacancy_weeks=6")
    s.flag[0, PRESENT, 2] = False
    s.member[0, VACANCY] = [-1.0, -1.0, 3.0, -1.0]
    side = 1 - 1e-9 if below else 1 + 1e-9
    h_p = 1.0 - (1.0 - 0.5) ** (1.0 / 52.0)
    ev = new_events(1, 4)
    professional_exit(s, p.point[0], 0, np.array([1.0, h_p * side, h_p * side, h_p * side,
                                                  0.0]), 1, ev)
    assert ev.seat[0, EXITED].tolist() == [below, below, False, False]
    assert s.flag[0, PRESENT].tolist() == [not below, not below, False, True]
    assert s.member[0, VACANCY].tolist() == ([0.0, 6.0, 3.0, -1.0] if below
                                             else [-1.0, -1.0, 3.0, -1.0])


# ---------------------------------------------------------------- 7.12 rehiring

HIRE = ("team.perspective_spread=0", "ebe.perspective_spread=0",
        "team.initial_perspective.nurse=0.4", "ebe.initial_perspective=0.8",
        "ebe.trained_share=1", "ebe.anchor_heterogeneity=0", "ebe.anchor_strength=0.2",
        "team.professional_anchor=0.1", "ebe.seniority_weeks=30",
        "organisation.experiential_authority=0.4", "team.initial_trust=0.7",
        "ebe.initial_trust=0.5", "team.feedback_tolerance=0.8", "ebe.feedback_tolerance=0.5")


def test_rehiring_fills_seats_whose_countdown_passes_zero_with_fresh_newcomers():
    """ODD 7.12-7.13. Psychiatrist and nurse 2 present; nurse 1 and EBE 3 vacant with
    v = 0, EBE 4 vacant with v = 2. Spreads 0, trained_share 1, anchor_heterogeneity 0,
    so only the tolerance depends on the draws: the first block of 4 * 5 uniforms of the
    replicate's hire stream, u (numpy's generator for that stream, the same numbers,
    ``test_model_streams.py``). Everything else of the hired seats is set to stale
    values first; trust is 0.3 and irritation 0.6 between every two members.

    v = [., 0 - 1, ., 0 - 1, 2 - 1] = [., -1, ., -1, 1]: seats 1 and 3 hired, 4 not.
    nurse 1: x = a = o = 0.4 + 0 * Phi^-1(u_1) = 0.4; trained false; sigma = 0.1;
             tau = 0.8 + 0.2 (u[2 * 5 + 1] - 0.5); seniority 0; A = 0
    EBE 3:   x = a = o = 0.8; trained = [u_8 < 1] = true; sigma = 0.2 * exp(0) = 0.2;
             tau = 0.5 + 0.2 (u[13] - 0.5); seniority 30; A = 0.4
    both:    S = pi = tenure = v = 0, present; rows and columns of T reset to the
             initial trust (0.7 among professionals and among EBEs, 0.5 across, 0 on the
             diagonal), of I to 0; the other pairs keep T = 0.3, I = 0.6.
    """
    p, s = hand_built(*HIRE, ebes=2)
    m = 5
    s.flag[0, PRESENT] = [True, False, True, False, False]
    s.member[0, VACANCY] = [0.0, 0.0, 0.0, 0.0, 2.0]
    for row in (PERSPECTIVE, ANCHOR, ORIGIN, FEEDBACK_TOLERANCE, ANCHOR_STRENGTH, STRESS,
                PRODUCTION, SENIORITY, TENURE, AUTHORITY):
        s.member[0, row] = 0.9
    off = 1.0 - np.eye(m)
    s.relation[0, TRUST], s.relation[0, IRRITATION] = 0.3 * off, 0.6 * off
    ev = new_events(1, m)
    rehiring(s, p, p.point[0], 0, 0, ev, np.empty(TRAIT_DRAWS * m), np.empty((4, m)))

    u = replicate_stream(SEED, 0, HIRES).random(TRAIT_DRAWS * m)
    assert ev.seat[0, HIRED].tolist() == [False, True, False, True, False]
    assert s.flag[0, PRESENT].tolist() == [True, True, True, True, False]
    assert s.member[0, VACANCY].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]
    for row in (PERSPECTIVE, ANCHOR, ORIGIN):
        assert s.member[0, row, [1, 3]] == approx([0.4, 0.8])
    assert s.flag[0, TRAINED, [1, 3]].tolist() == [False, True]
    assert s.member[0, ANCHOR_STRENGTH, [1, 3]] == approx([0.1, 0.2])
    assert s.member[0, FEEDBACK_TOLERANCE, [1, 3]] == approx(
        [0.8 + 0.2 * (u[2 * m + 1] - 0.5), 0.5 + 0.2 * (u[2 * m + 3] - 0.5)])
    assert s.member[0, SENIORITY, [1, 3]].tolist() == [0.0, 30.0]
    assert s.member[0, AUTHORITY, [1, 3]] == approx([0.0, 0.4])
    for row in (STRESS, PRODUCTION, TENURE):
        assert s.member[0, row, [1, 3]].tolist() == [0.0, 0.0]
    assert s.member[0, STRESS, [0, 2, 4]].tolist() == [0.9, 0.9, 0.9]   # not hired
    trust, irritation = 0.3 * off, 0.6 * off
    initial = np.array([[0.0, 0.7, 0.7, 0.5, 0.5],
                        [0.7, 0.0, 0.7, 0.5, 0.5],
                        [0.7, 0.7, 0.0, 0.5, 0.5],
                        [0.5, 0.5, 0.5, 0.0, 0.7],
                        [0.5, 0.5, 0.5, 0.7, 0.0]])
    for seat in (1, 3):
        trust[seat], trust[:, seat] = initial[seat], initial[:, seat]
        irritation[seat], irritation[:, seat] = 0.0, 0.0
    assert s.relation[0, TRUST] == approx(trust)
    assert s.relation[0, IRRITATION] == approx(irritation)


def test_rehiring_without_a_seat_due_only_counts_down_and_draws_nothing():
    """ODD 7.12: EBE 4 vacant with v = 2 -> v = 1, no hire, and no block is drawn from
    the hire stream (its state is unchanged)."""
    p, s = hand_built(*HIRE, ebes=2)
    s.flag[0, PRESENT, 4] = False
    s.member[0, VACANCY, 4] = 2.0
    rng = s.rng.copy()
    ev = new_events(1, 5)
    rehiring(s, p, p.point[0], 0, 0, ev, np.empty(TRAIT_DRAWS * 5), np.empty((4, 5)))
    assert not ev.seat[0, HIRED].any()
    assert s.member[0, VACANCY, 4] == 1.0
    assert not s.flag[0, PRESENT, 4]
    assert (s.rng == rng).all()


# ---------------------------------------------------------------- 7.13 member_traits

def test_member_traits_turns_four_uniforms_per_seat_into_view_training_tolerance_anchor():
    """ODD 7.13 (and the ally's mean view, 7.16). Psychiatrist (mean 0.2), nurse 1 an
    ally (ally_share 0.34: round(0.34 * 3) = 1 ally, in seat 1 + 0; mean 0.6), nurse 2
    (mean 0.4), EBE 3 (mean 0.8); spreads 0.1 (team), 0.05 (EBE); tolerance 0.95 (team),
    0.5 (EBE); trained_share 0.5; anchor_strength 0.2, anchor_heterogeneity 0.5;
    professional_anchor 0.1. Draw d of seat i is u[4 d + i]:

    u0 = [0.5, Phi(1), Phi(-5), Phi(1)]: x = [0.2 + 0.1 * 0, 0.6 + 0.1 * 1,
                                              clip(0.4 - 0.1 * 5) = 0, 0.8 + 0.05 * 1]
                                           = [0.2, 0.7, 0, 0.85]
    u1 = [0.1, 0.1, 0.1, 0.4]:  trained = [false, false, false, 0.4 < 0.5] (professionals never)
    u2 = [0, 1, 0.5, 0.25]:     tau = [0.95 - 0.1, clip(0.95 + 0.1) = 1, 0.95, 0.5 - 0.05]
                                    = [0.85, 1, 0.95, 0.45]
    u3 = [0.1, 0.9, 0.5, Phi(1)]: sigma = [0.1, 0.1, 0.1, 0.2 * exp(0.5 * 1)]
    """
    p, _ = hand_built("team.initial_perspective.psychiatrist=0.2",
                      "team.initial_perspective.nurse=0.4", "team.ally_share=0.34",
                      "team.ally_perspective=0.6", "team.perspective_spread=0.1",
                      "ebe.initial_perspective=0.8", "ebe.perspective_spread=0.05",
                      "team.feedback_tolerance=0.95", "ebe.feedback_tolerance=0.5",
                      "ebe.trained_share=0.5", "ebe.anchor_strength=0.2",
                      "ebe.anchor_heterogeneity=0.5", "team.professional_anchor=0.1")
    u = np.array([0.5, PHI(1.0), PHI(-5.0), PHI(1.0),
                  0.1, 0.1, 0.1, 0.4,
                  0.0, 1.0, 0.5, 0.25,
                  0.1, 0.9, 0.5, PHI(1.0)])
    traits = np.full((4, 4), np.nan)
    member_traits(p, 0, u, traits, 4)
    assert traits[0] == approx([0.2, 0.7, 0.0, 0.85])
    assert traits[1].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert traits[2] == approx([0.85, 1.0, 0.95, 0.45])
    assert traits[3] == approx([0.1, 0.1, 0.1, 0.2 * math.exp(0.5)])


# ---------------------------------------------------------------- 7.14 observation

def test_professional_view_is_the_mean_view_of_the_present_professionals():
    """ODD 7.14: views 0.2, 0.4, 0.9 (nurse 2 vacant), EBE 0.7:
    x_P = (0.2 + 0.4) / 2 = 0.3."""
    _, s = hand_built()
    s.member[0, PERSPECTIVE] = [0.2, 0.4, 0.9, 0.7]
    s.flag[0, PRESENT, 2] = False
    assert professional_view(s.member, s.flag, 0, 3) == approx(0.3)


def retaining_state(retention: str):
    """Reference 0.3, survival_fraction 0.5. EBE 3: origin 0.9, view 0.65; EBE 4:
    origin 0.6, view 0.42; EBE 5: origin 0.25 (below the reference), view 0.9."""
    p, s = hand_built("run.survival_fraction=0.5", f"run.retention={retention}", ebes=3)
    s.member[0, ORIGIN] = [0.2, 0.3, 0.4, 0.9, 0.6, 0.25]
    s.member[0, PERSPECTIVE] = [0.2, 0.3, 0.4, 0.65, 0.42, 0.9]
    return p, s


def test_retaining_counts_ebes_still_at_least_halfway_from_the_reference_to_their_origin():
    """ODD 7.14, per EBE, reference 0.3, survival_fraction 0.5:

    EBE 3: d = 0.9 - 0.3 = 0.6 > 0;  0.65 - 0.3 = 0.35 >= 0.5 * 0.6 = 0.3  -> retains
    EBE 4: d = 0.6 - 0.3 = 0.3 > 0;  0.42 - 0.3 = 0.12 <  0.5 * 0.3 = 0.15 -> not
    EBE 5: d = 0.25 - 0.3 = -0.05, not > 0                               -> not
    holding = 1
    """
    p, s = retaining_state("per_ebe")
    ev = new_events(1, 6)
    ebe_view = (0.65 + 0.42 + 0.9) / 3
    assert retaining(s, ev, p.point[0], 0, 3, 0.3, ebe_view) == 1
    assert ev.seat[0, RETAINS].tolist() == [False] * 3 + [True, False, False]


@pytest.mark.parametrize(("view_4", "holds"), [(0.42, True), (0.3, False)])
def test_retaining_by_the_ebe_mean_judges_the_mean_view_against_the_mean_entry(view_4, holds):
    """ODD 7.14, run.retention = ebe_mean, EBE 5 vacant; reference 0.3, fraction 0.5:

    mean entry = ((0.9 - 0.3) + (0.6 - 0.3)) / 2 = 0.45 > 0;  threshold 0.5 * 0.45 = 0.225
    view_4 = 0.42: mean view (0.65 + 0.42) / 2 = 0.535, 0.235 >= 0.225: both EBEs retain (2)
    view_4 = 0.3:  mean view (0.65 + 0.3) / 2 = 0.475,  0.175 <  0.225: none (0)
    """
    p, s = retaining_state("ebe_mean")
    s.flag[0, PRESENT, 5] = False
    s.member[0, PERSPECTIVE, 4] = view_4
    ev = new_events(1, 6)
    holding = retaining(s, ev, p.point[0], 0, 3, 0.3, (0.65 + view_4) / 2)
    assert holding == (2 if holds else 0)
    assert ev.seat[0, RETAINS].tolist() == [False] * 3 + [holds, holds, False]


@pytest.mark.parametrize(("holding", "carried", "ebes", "state"), [
    (1, False, 1, RETAINED), (2, True, 2, RETAINED), (0, True, 1, DIFFUSED),
    (0, True, 0, DIFFUSED), (0, False, 2, ASSIMILATED), (0, False, 0, VACANT)])
def test_perspective_state_is_retained_before_diffused_before_assimilated_or_vacant(
        holding, carried, ebes, state):
    """ODD 7.14: retained if an EBE retains; else diffused if the team carries; else
    assimilated with an EBE present, vacant without."""
    assert perspective_state(holding, carried, ebes) == state


@pytest.mark.parametrize(("views", "first", "carried"), [
    ([0.5, 0.6, 0.6], False, True), ([0.5, 0.5, 0.6], False, False),
    ([0.5, 0.6, 0.6], True, False)])
def test_observe_the_team_carries_once_it_moved_the_diffusion_share_of_the_gap(
        views, first, carried):
    """ODD 7.14, reference 0.3, week-0 gap 0.5, diffusion_fraction 0.5 (threshold 0.25);
    the EBE (origin 0.9, view 0.5) does not retain: 0.5 - 0.3 = 0.2 < 0.5 * 0.6 = 0.3.

    views 0.5, 0.6, 0.6: team view 1.7 / 3, 1.7 / 3 - 0.3 = 0.2667 >= 0.25: carried,
                         state diffused, alive (not in week 0: assimilated)
    views 0.5, 0.5, 0.6: team view 1.6 / 3, 1.6 / 3 - 0.3 = 0.2333 < 0.25: assimilated
    distinctiveness = 0.5 - team view
    """
    p, s = hand_built("run.diffusion_fraction=0.5", "run.survival_fraction=0.5")
    s.member[0, PERSPECTIVE] = [*views, 0.5]
    s.member[0, ORIGIN] = [*views, 0.9]
    record = np.full((1, 1, len(OBSERVED)), np.nan)
    observe(s, p, new_events(1, 4), 0, 0.3, 0.5, first, record, 0)
    row = dict(zip(OBSERVED, record[0, 0], strict=True))
    assert row["carried"] == carried
    assert row["state"] == (DIFFUSED if carried else ASSIMILATED)
    assert row["alive"] == carried
    assert row["ebes_retaining"] == 0
    assert row["team_perspective"] == approx(sum(views) / 3)
    assert row["distinctiveness"] == approx(0.5 - sum(views) / 3)
    assert record[0, 0, COLUMN["ebe_present"]] == 1


# ---------------------------------------------------------------- 7.16 working_together

def test_working_together_in_duos_pairs_the_kth_ebe_with_professional_one_plus_k_mod_n_minus_1():
    """ODD 7.16, duos, three professionals (seats 0-2), EBEs in seats 3, 4, 5,
    outside_contact 0.3: EBE k works with professional 1 + (k mod 2): 3 -> 1, 4 -> 2,
    5 -> 1. W = 1 among professionals and in a duo, 0.3 for every other pair, 0 on the
    diagonal.
    """
    p, _ = hand_built("team.structure=duos", "team.outside_contact=0.3", ebes=3)
    o = 0.3
    expected = np.array([[0, 1, 1, o, o, o],
                         [1, 0, 1, 1, o, 1],
                         [1, 1, 0, o, 1, o],
                         [o, 1, o, 0, o, o],
                         [o, o, 1, o, 0, o],
                         [o, 1, o, o, o, 0]])
    assert p.pair[0, TOGETHER] == approx(expected)


def test_working_together_in_care_lines_puts_seat_zero_in_every_line():
    """ODD 7.16, subteams, 2 lines, outside_contact 0.3; psychiatrist 0, nurses 1-4,
    EBEs 5 and 6. Lines: nurse i in (i - 1) mod 2 -> 1: 0, 2: 1, 3: 0, 4: 1; EBE k in
    k mod 2 -> 5: 0, 6: 1; seat 0 in both. So line 0 = {1, 3, 5}, line 1 = {2, 4, 6}:
    W = 1 within a line and with seat 0, 0.3 across.
    """
    p, _ = hand_built("team.structure=subteams", "team.subteams=2",
                      "team.outside_contact=0.3", nurses=4, ebes=2)
    line = {1: 0, 2: 1, 3: 0, 4: 1, 5: 0, 6: 1}
    expected = np.array([[0.0 if i == j else 1.0 if 0 in (i, j) or line[i] == line[j]
                          else 0.3 for j in range(7)] for i in range(7)])
    assert p.pair[0, TOGETHER] == approx(expected)


def test_ally_seats_are_round_share_times_n_spread_over_seats_after_zero():
    """ODD 7.16: allies = min(round(share * n), n - 1), in seats 1 + floor(j (n - 1) /
    allies).

    n = 10, share 0.3:  3 allies, seats 1 + 0, 1 + 9 // 3 = 4, 1 + 18 // 3 = 7
    n = 10, share 0.25: round(2.5) = 3 (half up), the same seats
    n = 3,  share 1:    min(3, 2) = 2 allies, seats 1 + 0, 1 + 2 // 2 = 2
    n = 10, share 0.04: round(0.4) = 0, none
    """
    assert ally_seats(10, 0.3) == [1, 4, 7]
    assert ally_seats(10, 0.25) == [1, 4, 7]
    assert ally_seats(3, 1.0) == [1, 2]
    assert ally_seats(10, 0.04) == []
