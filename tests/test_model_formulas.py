"""Each submodel's formula on a small hand-built state, against values worked out by hand.

The direction tests (``test_model_mechanisms.py``) show that each mechanism moves its
outcome the way its source says; a formula error that keeps the sign passes them. Here
each submodel of ODD section 7 is called on one replicate of a team of four to seven
(seat 0 a psychiatrist, nurses, then one to three EBEs), with round values for
everything its formula reads, and the result is compared with the ODD's formula
applied by hand; the arithmetic is in each test's docstring. Random draws are passed
in as the uniforms the functions take.

Stress, turnover, hiring, traits, observation and who works with whom (7.10-7.16):
``test_model_formulas_turnover.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import build_team, compose
from sim.authority import experiential_authority
from sim.case_review import case_review, regard
from sim.critique import bridge_critique
from sim.events import ATTACK, CONTENT, WITHHELD, new_events
from sim.feedback import dialogue, feedback_exchange
from sim.identity_threat import identity_threat
from sim.layout import (
    ACCEPTANCE,
    ACCEPTED,
    ANCHOR,
    ANCHOR_STRENGTH,
    AUTHORITY,
    DECISION,
    EXPERIENTIAL_SHARE,
    FEEDBACK_TOLERANCE,
    GIVER,
    IRRITATION,
    KIND,
    ORIGIN,
    PERSPECTIVE,
    PRESENT,
    PRODUCTION,
    RAISED,
    RECEIVER,
    REJECTION,
    REVIEWED,
    RISK_AVOIDANCE,
    ROOM,
    RULE_CLARITY,
    RULE_DISCOUNT,
    RULE_SHADING,
    RULES_CHANGED,
    SENIORITY,
    SHOCK,
    STRESS,
    TENURE,
    TRAINED,
    TRUST,
    WORKLOAD_PRESSURE,
)
from sim.pressure import production_pull, workload_pressure
from sim.social_influence import social_influence
from sim.state import new_state

EXACT = 1e-12
SEED = 7


def hand_built(*overrides: str, nurses: int = 2, ebes: int = 1):
    """Parameters and a one-replicate state of a team of a psychiatrist (seat 0,
    hierarchy weight 3), ``nurses`` nurses (weight 1) and ``ebes`` EBEs (weight 1),
    everyone present and every other state variable 0; the test sets what its formula
    reads."""
    cfg = compose([f"team.disciplines={{psychiatrist:1,nurse:{nurses}}}",
                   f"ebe.count={ebes}", *overrides])
    team = build_team(cfg)
    assert team.roles == ("psychiatrist",) + ("nurse",) * nurses + (
        "expert_by_experience",) * ebes
    state = new_state(team, SEED, [0])
    state.flag[0, PRESENT] = True
    return team.parameters, state


def approx(value):
    return pytest.approx(value, rel=EXACT)


# ---------------------------------------------------------------- 7.1 workload_pressure

PRESSURE = ("workload.caseload=0.5", "workload.crisis_rate=0.1",
            "workload.crisis_intensity=0.2", "workload.crisis_persistence=0.5",
            "workload.accountability=0.6", "organisation.professional_autonomy=0.5")


def test_workload_pressure_in_a_crisis_week_adds_the_decayed_and_the_new_shock():
    """ODD 7.1, crisis_rate 0.1, u = 0.05 < 0.1: a crisis week; shock 0.4 before.

    shock = 0.5 * 0.4 + 0.2 * 1 = 0.4
    P     = min(1, 0.5 + 0.4) = 0.9
    A_acc = 0.6 * (1 - 0.5) = 0.3
    rho   = 0.9 * (1 + 0.3) / 2 = 0.585
    omega = 1 - 0.9 * (1 - 0.5 / 2) = 1 - 0.675 = 0.325
    """
    p, s = hand_built(*PRESSURE)
    s.team[0, SHOCK] = 0.4
    crisis = workload_pressure(s, p.point[0], 0, 0.05)
    assert crisis
    assert s.team[0, SHOCK] == approx(0.4)
    assert s.team[0, WORKLOAD_PRESSURE] == approx(0.9)
    assert s.team[0, RISK_AVOIDANCE] == approx(0.585)
    assert s.team[0, ROOM] == approx(0.325)


def test_workload_pressure_without_a_crisis_decays_the_shock_and_caps_pressure_at_one():
    """ODD 7.1, u = 0.5 >= crisis_rate 0.1: no crisis; shock 1.6 before.

    shock = 0.5 * 1.6 + 0.2 * 0 = 0.8
    P     = min(1, 0.5 + 0.8) = 1
    rho   = 1 * (1 + 0.3) / 2 = 0.65
    omega = 1 - 1 * (1 - 0.25) = 0.25
    """
    p, s = hand_built(*PRESSURE)
    s.team[0, SHOCK] = 1.6
    crisis = workload_pressure(s, p.point[0], 0, 0.5)
    assert not crisis
    assert s.team[0, SHOCK] == approx(0.8)
    assert s.team[0, WORKLOAD_PRESSURE] == 1.0
    assert s.team[0, RISK_AVOIDANCE] == approx(0.65)
    assert s.team[0, ROOM] == approx(0.25)


def test_workload_pressure_at_the_defaults_gives_the_odd_example():
    """ODD 7.1: "At the defaults without a crisis: P = 0.5, rho = 0.355, omega = 0.575".

    caseload 0.5, accountability 0.6, autonomy 0.3, no shock, u = 0.99 (no crisis):
    P = 0.5;  rho = 0.5 * (1 + 0.6 * 0.7) / 2 = 0.355;  omega = 1 - 0.5 * (1 - 0.15) = 0.575
    """
    p, s = hand_built()
    assert not workload_pressure(s, p.point[0], 0, 0.99)
    assert s.team[0, WORKLOAD_PRESSURE] == approx(0.5)
    assert s.team[0, RISK_AVOIDANCE] == approx(0.355)
    assert s.team[0, ROOM] == approx(0.575)


# ---------------------------------------------------------------- 7.2 production_pull

@pytest.mark.parametrize(("employment", "expected"), [("employed", 0.16), ("external", 0.104)])
def test_production_pull_moves_a_present_ebe_toward_pressure_times_role_ambiguity(
        employment, expected):
    """ODD 7.2, P = 0.8, role clarity kappa = 0.5, production_rate 0.2; EBE seat 3
    present with pi = 0.1, EBE seat 4 vacant with pi = 0.3.

    employed: target = 0.8 * (1 - 0.5) * 1   = 0.4,  pi_3 = 0.1 + 0.2 * (0.4 - 0.1) = 0.16
    external: target = 0.8 * (1 - 0.5) * 0.3 = 0.12, pi_3 = 0.1 + 0.2 * (0.12 - 0.1) = 0.104
    The vacant seat keeps pi_4 = 0.3; professionals keep pi = 0.
    """
    p, s = hand_built("behaviour.production_rate=0.2", f"ebe.employment={employment}",
                      ebes=2)
    s.team[0, WORKLOAD_PRESSURE] = 0.8
    s.team[0, RULE_CLARITY] = 0.5
    s.member[0, PRODUCTION] = [0.0, 0.0, 0.0, 0.1, 0.3]
    s.flag[0, PRESENT, 4] = False
    production_pull(s, p, p.point[0], 0)
    assert s.member[0, PRODUCTION, 3] == approx(expected)
    assert s.member[0, PRODUCTION, 4] == 0.3
    assert (s.member[0, PRODUCTION, :3] == 0.0).all()


# ---------------------------------------------------------------- 7.3 case_review

def review_state(*overrides: str):
    """Seats: psychiatrist (h 3), nurse, nurse (h 1), EBE (h 1); views 0.2, 0.4, 0.3,
    0.8; room 0.5, risk avoidance 0.5, discount delta 0.5, shading theta 0.2; trust of
    the professionals in the EBE 0.6, 0.8, 0.4, irritation of the psychiatrist toward
    the EBE 0.5; the EBE's production 0.2, stress 0.4, authority 0.1."""
    p, s = hand_built("behaviour.voice_probability=0.5", "behaviour.closure_pressure=1",
                      "behaviour.risk_dominance=2", "behaviour.authority_gain=10",
                      "behaviour.cases_per_week=2", "team.hierarchy_steepness=1",
                      *overrides)
    s.member[0, PERSPECTIVE] = [0.2, 0.4, 0.3, 0.8]
    s.team[0, ROOM] = 0.5
    s.team[0, RISK_AVOIDANCE] = 0.5
    s.team[0, RULE_DISCOUNT] = 0.5
    s.team[0, RULE_SHADING] = 0.2
    s.relation[0, TRUST, :3, 3] = [0.6, 0.8, 0.4]
    s.relation[0, IRRITATION, 0, 3] = 0.5
    s.member[0, PRODUCTION, 3] = 0.2
    s.member[0, STRESS, 3] = 0.4
    s.member[0, AUTHORITY, 3] = 0.1
    return p, s


def test_regard_is_the_mean_trust_times_one_minus_irritation_of_present_professionals():
    """ODD 7.3, g_e = sum_i present_i T_ie (1 - I_ie) / N_P, state of ``review_state``.

    all present:      g = (0.6 * (1 - 0.5) + 0.8 + 0.4) / 3 = 1.5 / 3 = 0.5
    seat 2 vacant:    g = (0.3 + 0.8) / 2 = 0.55
    """
    _, s = review_state()
    present = np.ones(4, np.bool_)
    assert regard(s.relation, 0, 3, 3, present) == approx(0.5)
    present[2] = False
    assert regard(s.relation, 0, 3, 3, present) == approx(0.55)


def test_case_review_weighs_views_by_hierarchy_voice_acceptance_authority_and_risk():
    """ODD 7.3 on ``review_state``; team view x_P = (0.2 + 0.4 + 0.3) / 3 = 0.3; two
    cases with uniforms 0.0 and 0.8.

    g_3   = 0.5 (test above)
    r_3   = min(1, 1 * (1 - 0.5) * |0.8 - 0.3|) = 0.25
    a_3   = (1 - 0.5 * (1 - 0.5)) * (1 - 0.25) = 0.75 * 0.75 = 0.5625
    q_3   = 0.5 * 1 * 0.5 * (1 - 0.5 * 0.2) * (1 - 0.5 * 0.4) = 0.25 * 0.9 * 0.8 = 0.18
    mu_3  = 1 + 10 * 0.1 = 2
    w     = [1 * 3, 0.5 * 1, 0.5 * 1, 0.18 * 1 * 0.5625 * 2] = [3, 0.5, 0.5, 0.2025]
    sum_{i>=1} w_i = 1.2025;  sum_{i>=1} w_i x_i = 0.2 + 0.15 + 0.162 = 0.512
    case 1: z = 0.0 * 0.5 = 0;   w_0k = 3;                 total = 4.2025
            decision = (3 * 0.2 + 0.512) / 4.2025 * (1 - 0.2 * 0) = 1.112 / 4.2025
            share    = 0.2025 / 4.2025
    case 2: z = 0.8 * 0.5 = 0.4; w_0k = 3 * (1 + 2 * 0.4) = 5.4; total = 6.6025
            decision = (5.4 * 0.2 + 0.512) / 6.6025 * (1 - 0.2 * 0.4) = 1.592 * 0.92 / 6.6025
            share    = 0.2025 / 6.6025
    D     = (1.112 / 4.2025 + 1.592 * 0.92 / 6.6025) / 2 = (0.264604 + 0.221831) / 2 = 0.243218
    share = (0.2025 / 4.2025 + 0.2025 / 6.6025) / 2 = (0.048186 + 0.030670) / 2 = 0.039428
    Professionals: acceptance 1, rejection 0.
    """
    p, s = review_state()
    ev = new_events(1, 4)
    present = np.ones(4, np.bool_)
    u = np.array([0.9, 0.9, 0.0, 0.8])    # the case uniforms start at index 2
    case_review(s, p, p.point[0], 0, 0, u, 2, present, 0.3, ev)
    assert ev.week[0, DECISION] == approx((1.112 / 4.2025 + 1.592 * 0.92 / 6.6025) / 2)
    assert ev.week[0, EXPERIENTIAL_SHARE] == approx((0.2025 / 4.2025 + 0.2025 / 6.6025) / 2)
    assert ev.review[0, ACCEPTANCE] == approx([1.0, 1.0, 1.0, 0.5625])
    assert ev.review[0, REJECTION] == approx([0.0, 0.0, 0.0, 0.25])
    assert ev.seat[0, REVIEWED].all()


def test_case_review_cuts_the_voice_of_an_ebe_in_a_separate_team_to_six_tenths():
    """ODD 7.3 on ``review_state`` with ebe.embedding = separate (f_sep = 0.6).

    q_3 = 0.5 * 0.6 * 0.5 * 0.9 * 0.8 = 0.108;  w_3 = 0.108 * 0.5625 * 2 = 0.1215
    sum_{i>=1} w_i = 1.1215;  sum_{i>=1} w_i x_i = 0.2 + 0.15 + 0.1215 * 0.8 = 0.4472
    case 1: total = 3 + 1.1215 = 4.1215, decision = (0.6 + 0.4472) / 4.1215
    case 2: total = 5.4 + 1.1215 = 6.5215, decision = (1.08 + 0.4472) / 6.5215 * 0.92
    D     = (1.0472 / 4.1215 + 1.5272 * 0.92 / 6.5215) / 2
    share = (0.1215 / 4.1215 + 0.1215 / 6.5215) / 2
    """
    p, s = review_state("ebe.embedding=separate")
    ev = new_events(1, 4)
    case_review(s, p, p.point[0], 0, 0, np.array([0.9, 0.9, 0.0, 0.8]), 2,
                np.ones(4, np.bool_), 0.3, ev)
    assert ev.week[0, DECISION] == approx((1.0472 / 4.1215 + 1.5272 * 0.92 / 6.5215) / 2)
    assert ev.week[0, EXPERIENTIAL_SHARE] == approx((0.1215 / 4.1215 + 0.1215 / 6.5215) / 2)


# ---------------------------------------------------------------- 7.4 social_influence

INFLUENCE = ("behaviour.conformity=0.1", "behaviour.closure_pressure=1",
             "behaviour.impact_exponent=0.5", "behaviour.production_assimilation=1",
             "behaviour.practice_weight=0.5", "behaviour.seniority_anchor=0.5",
             "behaviour.training_anchor=0.25", "behaviour.coaching_anchor=1",
             "organisation.coaching=0", "behaviour.anchor_drift=0.1",
             "behaviour.peer_renewal=0.05", "behaviour.perspective_noise=0.01",
             "behaviour.intervision_peers=3", "team.hierarchy_steepness=1")


def influence_state(*overrides: str):
    """Psychiatrist (h 3), three nurses (h 1), one EBE (seat 4); views 0.2, 0.4, 0.4,
    0.4, 0.8; room 0.5. Nurse 1: anchor 0.3, anchor strength 0.1, trust 0.5 in seats
    0, 2, 3 and 0 in the EBE. EBE: anchor 0.7, origin 0.9, strength 0.2, production 0.5,
    seniority 52 weeks, trained, trust 0.5 in every professional."""
    p, s = hand_built(*INFLUENCE, *overrides, nurses=3)
    s.member[0, PERSPECTIVE] = [0.2, 0.4, 0.4, 0.4, 0.8]
    s.member[0, ANCHOR] = [0.2, 0.3, 0.4, 0.4, 0.7]
    s.member[0, ORIGIN] = [0.2, 0.3, 0.4, 0.4, 0.9]
    s.member[0, ANCHOR_STRENGTH] = [0.1, 0.1, 0.1, 0.1, 0.2]
    s.member[0, PRODUCTION, 4] = 0.5
    s.member[0, SENIORITY, 4] = 52.0
    s.flag[0, TRAINED, 4] = True
    s.team[0, ROOM] = 0.5
    s.relation[0, TRUST] = 0.5 * (1.0 - np.eye(5))
    s.relation[0, TRUST, 1, 4] = 0.0
    return p, s


def influence(p, s, decision, noise, present=None):
    x, heeded = np.empty(5), np.empty(5)
    present = np.ones(5, np.bool_) if present is None else present
    social_influence(s, p, p.point[0], 0, 0, decision, present, np.array(noise), 0, x, heeded)


def test_social_influence_moves_a_lone_ebe_by_conformity_times_latane_impact():
    """ODD 7.4 on ``influence_state``, decision D = 0.3, EBE noise uniform 0.5 (eta = 0).

    closure  = 0.1 * (1 + 1 * (1 - 0.5)) = 0.15
    L_4j     = 0.5 * h_j = [1.5, 0.5, 0.5, 0.5]     y_4 = (0.3 + 0.6) / 3 = 0.3
    n_4      = 0.5 * 0.3 + 0.5 * 0.3 = 0.3
    lambda_4 = 0.15 * (4 / (1 + 0)) ^ 0.5 * (1 + 1 * 0.5) * 1 = 0.15 * 2 * 1.5 = 0.45
    sigma'_4 = 0.2 * (1 + 0.5 * min(52 / 52, 4) + 1 * 0 + 0.25 * 1) = 0.35
    s_4      = min(0.35, 1 - 0.45) = 0.35
    x_4      = 0.8 + 0.45 * (0.3 - 0.8) + 0.35 * (0.7 - 0.8) = 0.8 - 0.225 - 0.035 = 0.54
    nu_4     = min(0.05 * 0, 1 - 0.1) = 0
    a_4      = 0.7 + 0.1 * (0.54 - 0.7) + 0 = 0.684
    """
    p, s = influence_state()
    influence(p, s, 0.3, [0.5] * 5)
    assert s.member[0, PERSPECTIVE, 4] == approx(0.54)
    assert s.member[0, ANCHOR, 4] == approx(0.684)


def test_social_influence_moves_a_professional_by_conformity_anchor_and_noise():
    """ODD 7.4 on ``influence_state``, D = 0.3, nurse 1's noise uniform 0.75.

    L_1j     = [0.5 * 3, -, 0.5, 0.5, 0 (no trust in the EBE)]
    y_1      = (1.5 * 0.2 + 0.5 * 0.4 + 0.5 * 0.4) / 2.5 = 0.7 / 2.5 = 0.28
    n_1      = 0.5 * 0.28 + 0.5 * 0.3 = 0.29
    lambda_1 = 0.1 * (1 + 1 * 0.5) = 0.15;   s_1 = min(0.1, 1 - 0.15) = 0.1
    eta_1    = 0.01 * sqrt(12) * (0.75 - 0.5) = 0.0025 * sqrt(12)
    x_1      = 0.4 + 0.15 * (0.29 - 0.4) + 0.1 * (0.3 - 0.4) + eta_1
             = 0.3735 + 0.0025 * sqrt(12)
    A professional's anchor does not move here: a_1 = 0.3.
    """
    p, s = influence_state()
    influence(p, s, 0.3, [0.5, 0.75, 0.5, 0.5, 0.5])
    assert s.member[0, PERSPECTIVE, 1] == approx(0.3735 + 0.0025 * np.sqrt(12.0))
    assert s.member[0, ANCHOR, 1] == 0.3


def test_social_influence_counts_and_hears_only_the_present_professionals():
    """ODD 7.4 on ``influence_state`` with nurse 3 vacant (noise uniform 0.9, unused):
    N_P = 3, L_43 = 0.

    y_4      = (1.5 * 0.2 + 0.5 * 0.4 + 0.5 * 0.4) / (1.5 + 0.5 + 0.5) = 0.7 / 2.5 = 0.28
    n_4      = 0.5 * 0.28 + 0.5 * 0.3 = 0.29
    lambda_4 = 0.15 * (3 / 1) ^ 0.5 * 1.5 = 0.225 sqrt(3) = 0.3897;  s_4 = min(0.35, 0.61) = 0.35
    x_4      = 0.8 + 0.225 sqrt(3) * (0.29 - 0.8) + 0.35 * (0.7 - 0.8)
    the vacant nurse 3 keeps x_3 = 0.4
    """
    p, s = influence_state()
    influence(p, s, 0.3, [0.5, 0.5, 0.5, 0.9, 0.5],
              present=np.array([True, True, True, False, True]))
    assert s.member[0, PERSPECTIVE, 4] == approx(
        0.8 + 0.225 * np.sqrt(3.0) * (0.29 - 0.8) + 0.35 * (0.7 - 0.8))
    assert s.member[0, PERSPECTIVE, 3] == 0.4


def test_social_influence_divides_the_impact_over_intervision_peers_who_renew_the_anchor():
    """ODD 7.4 on ``influence_state`` with intervision 1 (3 peers): k_4 = 0 + 1 * 3 = 3.

    lambda_4 = 0.15 * (4 / (1 + 3)) ^ 0.5 * 1.5 = 0.225;   s_4 = min(0.35, 0.775) = 0.35
    x_4      = 0.8 + 0.225 * (0.3 - 0.8) + 0.35 * (0.7 - 0.8) = 0.8 - 0.1125 - 0.035 = 0.6525
    nu_4     = min(0.05 * 3, 1 - 0.1) = 0.15
    a_4      = 0.7 + 0.1 * (0.6525 - 0.7) + 0.15 * (0.9 - 0.7) = 0.7 - 0.00475 + 0.03 = 0.72525
    """
    p, s = influence_state("organisation.intervision=1")
    influence(p, s, 0.3, [0.5] * 5)
    assert s.member[0, PERSPECTIVE, 4] == approx(0.6525)
    assert s.member[0, ANCHOR, 4] == approx(0.72525)


def test_social_influence_caps_the_pull_at_one_half_and_the_anchor_at_the_rest():
    """ODD 7.4 on ``influence_state`` with conformity 0.3 and EBE anchor strength 0.4.

    lambda_4 = 0.3 * 1.5 * 2 * 1.5 = 1.35 -> min(1.35, 0.5) = 0.5
    sigma'_4 = 0.4 * 1.75 = 0.7 -> s_4 = min(0.7, 1 - 0.5) = 0.5
    x_4      = 0.8 + 0.5 * (0.3 - 0.8) + 0.5 * (0.7 - 0.8) = 0.5
    a_4      = 0.7 + 0.1 * (0.5 - 0.7) = 0.68
    """
    p, s = influence_state("behaviour.conformity=0.3")
    s.member[0, ANCHOR_STRENGTH, 4] = 0.4
    influence(p, s, 0.3, [0.5] * 5)
    assert s.member[0, PERSPECTIVE, 4] == approx(0.5)
    assert s.member[0, ANCHOR, 4] == approx(0.68)


# ---------------------------------------------------------------- 7.5 experiential_authority

def authority_state(*overrides: str):
    """Psychiatrist, two nurses, EBEs in seats 3 and 4; settling_weeks 20, deference 2.
    EBE 3: A = 0.5, tenure 10, regard 0.5 (trust 0.6, 0.8, 0.4, irritation 0.5 from
    the psychiatrist); EBE 4: A = 0.4, tenure 40, regard 0.25 (trust 0.25 from each)."""
    p, s = hand_built("behaviour.settling_weeks=20", "behaviour.authority_deference=2",
                      *overrides, ebes=2)
    s.member[0, AUTHORITY] = [0.0, 0.0, 0.0, 0.5, 0.4]
    s.member[0, TENURE] = [0.0, 0.0, 0.0, 10.0, 40.0]
    s.relation[0, TRUST, :3, 3] = [0.6, 0.8, 0.4]
    s.relation[0, IRRITATION, 0, 3] = 0.5
    s.relation[0, TRUST, :3, 4] = 0.25
    return p, s


def test_experiential_authority_grows_with_accepted_critique_and_settled_regard():
    """ODD 7.5 on ``authority_state``, authority_rate 0.1.

    EBE 3 (critique accepted, one attack):
      settled = min(1, 10 / 20) = 0.5;  g = (0.6 * 0.5 + 0.8 + 0.4) / 3 = 0.5
      gain = 1 + 2 * 0.5 * 0.5 * 0.5 = 1.25;  loss = 1 + 0 = 1
      A = 0.5 + 0.1 * (1.25 * (1 - 0.5) - 1 * 0.5) = 0.5 + 0.1 * 0.125 = 0.5125
    EBE 4 (critique raised and rejected, no attack):
      settled = min(1, 40 / 20) = 1;  g = 0.25
      gain = 0 + 2 * 0.4 * 0.25 * 1 = 0.2;  loss = 0 + 1 = 1
      A = 0.4 + 0.1 * (0.2 * (1 - 0.4) - 1 * 0.4) = 0.4 - 0.028 = 0.372
    """
    p, s = authority_state("behaviour.authority_rate=0.1")
    ev = new_events(1, 5)
    ev.seat[0, RAISED, 3:] = True
    ev.seat[0, ACCEPTED, 3] = True
    attacks = np.array([0.0, 0.0, 0.0, 1.0, 0.0])
    experiential_authority(s, p, p.point[0], 0, np.ones(5, np.bool_), ev, attacks)
    assert s.member[0, AUTHORITY, 3] == approx(0.5125)
    assert s.member[0, AUTHORITY, 4] == approx(0.372)


def test_experiential_authority_is_clipped_to_the_unit_interval():
    """ODD 7.5 on ``authority_state``, authority_rate 1.

    EBE 3 (three attacks, no critique): gain = 2 * 0.5 * 0.5 * 0.5 = 0.25, loss = 3
      A = clip(0.5 + 1 * (0.25 * 0.5 - 3 * 0.5)) = clip(-0.875) = 0
    EBE 4 (A = 0.9, critique accepted): gain = 1 + 2 * 0.9 * 0.25 * 1 = 1.45, loss = 0
      A = clip(0.9 + 1 * 1.45 * 0.1) = clip(1.045) = 1
    """
    p, s = authority_state("behaviour.authority_rate=1")
    s.member[0, AUTHORITY, 4] = 0.9
    ev = new_events(1, 5)
    ev.seat[0, RAISED, 4] = ev.seat[0, ACCEPTED, 4] = True
    attacks = np.array([0.0, 0.0, 0.0, 3.0, 0.0])
    experiential_authority(s, p, p.point[0], 0, np.ones(5, np.bool_), ev, attacks)
    assert s.member[0, AUTHORITY, 3] == 0.0
    assert s.member[0, AUTHORITY, 4] == 1.0


# ---------------------------------------------------------------- 7.6 feedback_exchange

def feedback_week(*overrides: str):
    """Psychiatrist 0, nurses 1 and 2 (seat 2 vacant), EBE 3 with tolerance 0.5 and
    authority 0.5; nurses' tolerance 0.8. feedback_rate 0.5, room 0.8, willingness 0.8,
    silk_gloves 0.5, dialogue_culture 0.2, irritation_gain 0.5, trust_loss 0.5,
    irritation_release 0.5, trust_gain 0.5, irritation_erosion 0.1, attack_stress 0.1.
    Trust 0.7 and irritation 0 everywhere except T_03 = T_13 = 0.5, T_30 = T_31 = 0.6,
    I_13 = 0.2, I_31 = 0.5; EBE stress 0.2. Pair uniforms: u_03 = 0.35, u_13 = 0.1,
    u_31 = 0.3, u_20 = u_11 = 0, all others 0.9. Runs one exchange; returns the state,
    the events, the attacks and the starting trust and irritation."""
    p, s = hand_built("behaviour.feedback_rate=0.5", "behaviour.feedback_willingness=0.8",
                      "behaviour.silk_gloves=0.5", "organisation.dialogue_culture=0.2",
                      "behaviour.irritation_gain=0.5", "behaviour.trust_loss=0.5",
                      "behaviour.irritation_release=0.5", "behaviour.trust_gain=0.5",
                      "behaviour.irritation_erosion=0.1", "behaviour.attack_stress=0.1",
                      *overrides)
    s.team[0, ROOM] = 0.8
    s.member[0, FEEDBACK_TOLERANCE] = [0.8, 0.8, 0.8, 0.5]
    s.member[0, AUTHORITY, 3] = 0.5
    s.member[0, STRESS, 3] = 0.2
    trust = 0.7 * (1.0 - np.eye(4))
    trust[0, 3] = trust[1, 3] = 0.5
    trust[3, 0] = trust[3, 1] = 0.6
    irritation = np.zeros((4, 4))
    irritation[1, 3], irritation[3, 1] = 0.2, 0.5
    s.relation[0, TRUST], s.relation[0, IRRITATION] = trust, irritation
    present = np.array([True, True, False, True])
    draws = np.full((4, 4), 0.9)
    draws[0, 3], draws[1, 3], draws[3, 1] = 0.35, 0.1, 0.3
    draws[2, 0] = draws[1, 1] = 0.0
    u = np.concatenate([[0.5], draws.ravel()])     # pair (i, j) draws u[1 + 4 i + j]
    ev, attacks = new_events(1, 4), np.empty(4)
    feedback_exchange(s, p, p.point[0], 0, 0, u, 1, present, ev, attacks)
    return s, ev, attacks, trust, irritation


def feedback_events(ev, number):
    return [[ev.feedback[0, row, e] for row in (GIVER, RECEIVER, KIND)] for e in range(number)]


def test_feedback_exchange_sorts_each_occasion_by_its_uniform_and_applies_the_effects():
    """ODD 7.6 on ``feedback_week``, everyone working together (W = 1).

    o = 0.5 * 0.8 * 1 = 0.4;  gloves across the line = 1 - 0.5 * (1 - 0.2) = 0.6
    0 -> 3: w = 0.8 * (0.5 + 0.5 * 0.5) * 0.6 * (1 - 0.5) = 0.18, b_3 = 0.5 * 0.9 = 0.45
            withheld below 0.4 * 0.82 = 0.328, attack below 0.328 + 0.4 * 0.18 * 0.45
            = 0.3604;  u = 0.35 -> ATTACK
    1 -> 3: same w, u = 0.1 < 0.328 -> WITHHELD
    3 -> 1: w = 0.8 * (0.5 + 0.5 * 0.6) * 0.6 * 1 = 0.384, b_1 = 0.2 * 0.9 = 0.18;
            withheld below 0.4 * 0.616 = 0.2464, attack below 0.2464 + 0.4 * 0.384
            * 0.18 = 0.274048, occasion below 0.4;  u = 0.3 -> CONTENT
    2 -> 0 (u = 0, giver vacant) and 1 -> 1 (u = 0, diagonal): nothing; others u = 0.9.
    Effects: WITHHELD I_13 = 0.2 + 0.5 * 0.8 = 0.6
             ATTACK   I_30 = 0 + 0.5 * 1 = 0.5;  T_30 = 0.6 * 0.5 = 0.3
             CONTENT  I_31 = 0.5 * 0.5 = 0.25;  T_31 = 0.6 + 0.5 * 0.4 = 0.8;
                      T_13 = 0.5 + 0.5 * 0.5 = 0.75
    erosion: T_13 = 0.75 * (1 - 0.1 * 0.6) = 0.705;  T_30 = 0.3 * (1 - 0.1 * 0.5) = 0.285;
             T_31 = 0.8 * (1 - 0.1 * 0.25) = 0.78;  the rest (I = 0) unchanged
    stress:  S_3 = min(1, 0.2 + 0.1 * 1) = 0.3
    """
    s, ev, attacks, trust, irritation = feedback_week("team.structure=full")
    trust[1, 3], trust[3, 0], trust[3, 1] = 0.705, 0.285, 0.78
    irritation[1, 3], irritation[3, 0], irritation[3, 1] = 0.6, 0.5, 0.25
    assert s.relation[0, TRUST] == approx(trust)
    assert s.relation[0, IRRITATION] == approx(irritation)
    assert s.member[0, STRESS] == approx([0.0, 0.0, 0.0, 0.3])
    assert attacks == approx([0.0, 0.0, 0.0, 1.0])
    assert feedback_events(ev, 3) == [[0, 3, ATTACK], [1, 3, WITHHELD], [3, 1, CONTENT]]
    assert ev.feedback_counts[0].tolist() == [[0, 1], [0, 1], [1, 0]]  # kind x to an EBE


def test_feedback_exchange_scales_the_occasion_by_how_closely_the_pair_works_together():
    """ODD 7.6 and 7.16 on ``feedback_week`` in duos, outside_contact 0.5: the EBE (the
    0th) works with professional 1 + (0 mod 2) = 1 (W = 1), with the psychiatrist at
    W_03 = 0.5.

    0 -> 3: o_03 = 0.5 * 0.8 * 0.5 = 0.2 <= u = 0.35: no occasion (no attack, T_30 = 0.6,
            I_30 = 0, S_3 = 0.2)
    1 -> 3 (WITHHELD) and 3 -> 1 (CONTENT) as with W = 1: I_13 = 0.6, I_31 = 0.25,
            T_13 = 0.705, T_31 = 0.78
    """
    s, ev, attacks, trust, irritation = feedback_week("team.structure=duos",
                                                      "team.outside_contact=0.5")
    trust[1, 3], trust[3, 1] = 0.705, 0.78
    irritation[1, 3], irritation[3, 1] = 0.6, 0.25
    assert s.relation[0, TRUST] == approx(trust)
    assert s.relation[0, IRRITATION] == approx(irritation)
    assert s.member[0, STRESS] == approx([0.0, 0.0, 0.0, 0.2])
    assert attacks == approx([0.0, 0.0, 0.0, 0.0])
    assert feedback_events(ev, 2) == [[1, 3, WITHHELD], [3, 1, CONTENT]]
    assert ev.feedback_counts[0].tolist() == [[0, 1], [0, 0], [1, 0]]


# ---------------------------------------------------------------- 7.7 dialogue

@pytest.mark.parametrize(("u", "held"), [(0.3, True), (0.4, False)])
def test_dialogue_resolves_half_the_irritation_and_builds_trust_when_held(u, held):
    """ODD 7.7, dialogue_culture 0.5, room 0.8: held iff u < 0.5 * 0.8 = 0.4 (so u = 0.4
    is not). dialogue_resolution 0.5, trust_gain 0.2; trust 0.5 and irritation 0.4
    between every two members.

    held:     I = (1 - 0.5) * 0.4 = 0.2;  T = 0.5 + 0.2 * (1 - 0.5) = 0.6 (diagonal stays 0)
    not held: I = 0.4, T = 0.5
    """
    p, s = hand_built("organisation.dialogue_culture=0.5", "behaviour.dialogue_resolution=0.5",
                      "behaviour.trust_gain=0.2")
    off = 1.0 - np.eye(4)
    s.team[0, ROOM] = 0.8
    s.relation[0, TRUST] = 0.5 * off
    s.relation[0, IRRITATION] = 0.4 * off
    assert dialogue(s, p.point[0], 0, u) == held
    assert s.relation[0, TRUST] == approx((0.6 if held else 0.5) * off)
    assert s.relation[0, IRRITATION] == approx((0.2 if held else 0.4) * off)


# ---------------------------------------------------------------- 7.8 identity_threat

def test_identity_threat_cuts_professionals_trust_in_a_new_ebe_by_novelty_and_view_gap():
    """ODD 7.8, identity_threat 0.5, role clarity kappa 0.5, settling_weeks 10; EBE 3
    with tenure 10 and view 0.8; psychiatrist 0.2, nurse 1 0.4, nurse 2 vacant; trust
    0.5 between every two members.

    T_03 = 0.5 * (1 - 0.5 * (1 - 0.5) * exp(-10 / 10) * |0.2 - 0.8|) = 0.5 * (1 - 0.15 / e)
    T_13 = 0.5 * (1 - 0.25 * exp(-1) * |0.4 - 0.8|) = 0.5 * (1 - 0.1 / e)
    T_23 (vacant professional), the EBE's trust and trust among professionals: 0.5
    """
    p, s = hand_built("behaviour.identity_threat=0.5", "behaviour.settling_weeks=10")
    off = 1.0 - np.eye(4)
    s.team[0, RULE_CLARITY] = 0.5
    s.member[0, TENURE, 3] = 10.0
    s.member[0, PERSPECTIVE] = [0.2, 0.4, 0.2, 0.8]
    s.relation[0, TRUST] = 0.5 * off
    identity_threat(s, p, p.point[0], 0, np.array([True, True, False, True]))
    expected = 0.5 * off
    expected[0, 3] = 0.5 * (1.0 - 0.15 / np.e)
    expected[1, 3] = 0.5 * (1.0 - 0.1 / np.e)
    assert s.relation[0, TRUST] == approx(expected)


# ---------------------------------------------------------------- 7.9 bridge_critique

def critique_state(*overrides: str):
    """Psychiatrist 0 (view 0.2, anchor 0.3), nurse 1 (0.9, 0.85), nurse 2 vacant
    (0.2, 0.2), EBE 3 (view 0.8, production 0.5, seniority 0, acceptance 0.8), EBE 4
    (view 0.6, production 0, seniority 52, acceptance 0.5, stress 0.2); critique_rate
    0.4, policy_seat 0.5, critique_uptake 0.2, rule_change 0.1, rejection_stress 0.1;
    rules delta 0.5, theta 0.2, kappa 0.3."""
    p, s = hand_built("behaviour.critique_rate=0.4", "organisation.policy_seat=0.5",
                      "behaviour.critique_uptake=0.2", "behaviour.rule_change=0.1",
                      "behaviour.rejection_stress=0.1", "behaviour.external_critique=2",
                      *overrides, ebes=2)
    s.member[0, PERSPECTIVE] = [0.2, 0.9, 0.2, 0.8, 0.6]
    s.member[0, ANCHOR] = [0.3, 0.85, 0.2, 0.8, 0.6]
    s.member[0, PRODUCTION] = [0.0, 0.0, 0.0, 0.5, 0.0]
    s.member[0, SENIORITY] = [0.0, 0.0, 0.0, 0.0, 52.0]
    s.member[0, STRESS, 4] = 0.2
    s.team[0, RULE_DISCOUNT], s.team[0, RULE_SHADING], s.team[0, RULE_CLARITY] = 0.5, 0.2, 0.3
    ev = new_events(1, 5)
    ev.review[0, ACCEPTANCE] = [1.0, 1.0, 1.0, 0.8, 0.5]
    return p, s, ev


PRESENT_BUT_NURSE_2 = np.array([True, True, False, True, True])


def critique(p, s, ev, u3, u4):
    u = np.array([0.5, 0.5, 0.5, u3, u4])
    bridge_critique(s, p, p.point[0], 0, u, 0, PRESENT_BUT_NURSE_2, ev)


def test_bridge_critique_moves_professionals_and_rules_by_one_accepted_critique():
    """ODD 7.9 on ``critique_state``; u_3 = 0.05, u_4 = 0.3.

    EBE 3: p_raise = 0.4 * 1 * (1 - 0.5) * min(1, 0.5 + 0/104) = 0.1
           p_acc   = 0.1 * 0.8 * (1 + 0.5) / 2 = 0.06;  u = 0.05 -> raised and accepted
    EBE 4: p_raise = 0.4 * 1 * 1 * min(1, 0.5 + 52/104) = 0.4
           p_acc   = 0.4 * 0.5 * 0.75 = 0.15;  u = 0.3 -> raised, rejected
    C = 1, x* = 0.8, eta = min(1, 0.2 * 1.5 * 1) = 0.3
    psychiatrist: a = 0.3 + 0.3 * (0.8 - 0.3) = 0.45;  x = 0.2 + 0.3 * (0.8 - 0.2) = 0.38
    nurse 1 above x*: unchanged;  nurse 2 vacant: unchanged
    S_4 = min(1, 0.2 + 0.1) = 0.3
    delta = 0.9 * 0.5 = 0.45;  theta = 0.9 * 0.2 = 0.18;  kappa = 0.3 + 0.1 * 0.7 = 0.37
    rules_changed = 1
    """
    p, s, ev = critique_state()
    critique(p, s, ev, 0.05, 0.3)
    assert ev.seat[0, RAISED].tolist() == [False, False, False, True, True]
    assert ev.seat[0, ACCEPTED].tolist() == [False, False, False, True, False]
    assert s.member[0, ANCHOR] == approx([0.45, 0.85, 0.2, 0.8, 0.6])
    assert s.member[0, PERSPECTIVE] == approx([0.38, 0.9, 0.2, 0.8, 0.6])
    assert s.member[0, STRESS] == approx([0.0, 0.0, 0.0, 0.0, 0.3])
    assert s.team[0, RULE_DISCOUNT] == approx(0.45)
    assert s.team[0, RULE_SHADING] == approx(0.18)
    assert s.team[0, RULE_CLARITY] == approx(0.37)
    assert s.team[0, RULES_CHANGED] == 1.0


def test_bridge_critique_moves_toward_the_critics_mean_and_changes_rules_once_per_critique():
    """ODD 7.9 on ``critique_state``; u_3 = 0.05 < 0.06, u_4 = 0.1 < 0.15: both accepted.

    C = 2, x* = (0.8 + 0.6) / 2 = 0.7, eta = min(1, 0.2 * 1.5 * 2) = 0.6
    psychiatrist: a = 0.3 + 0.6 * 0.4 = 0.54;  x = 0.2 + 0.6 * 0.5 = 0.5;  nurse 1 unchanged
    delta = 0.9^2 * 0.5 = 0.405;  theta = 0.9^2 * 0.2 = 0.162
    kappa = 0.37 + 0.1 * (1 - 0.37) = 0.433;  rules_changed = 2;  no stress
    """
    p, s, ev = critique_state()
    critique(p, s, ev, 0.05, 0.1)
    assert ev.seat[0, ACCEPTED].tolist() == [False, False, False, True, True]
    assert s.member[0, ANCHOR] == approx([0.54, 0.85, 0.2, 0.8, 0.6])
    assert s.member[0, PERSPECTIVE] == approx([0.5, 0.9, 0.2, 0.8, 0.6])
    assert s.member[0, STRESS] == approx([0.0, 0.0, 0.0, 0.0, 0.2])
    assert s.team[0, RULE_DISCOUNT] == approx(0.405)
    assert s.team[0, RULE_SHADING] == approx(0.162)
    assert s.team[0, RULE_CLARITY] == approx(0.433)
    assert s.team[0, RULES_CHANGED] == 2.0


@pytest.mark.parametrize(("employment", "p_raise"), [("employed", 0.1), ("external", 0.2)])
@pytest.mark.parametrize("side", [1 - 1e-9, 1 + 1e-9])
def test_bridge_critique_raises_with_the_external_factor_at_the_stated_probability(
        employment, p_raise, side):
    """ODD 7.9: EBE 3 of ``critique_state`` raises critique iff u_3 < p_raise, with
    f_ext = external_critique = 2 for an external EBE:

    employed: p_raise = 0.4 * 1 * 0.5 * 0.5 = 0.1;  external: 0.4 * 2 * 0.5 * 0.5 = 0.2
    u_3 just below (above) p_raise: raised (not). u_4 = 0.99: EBE 4 raises nothing.
    """
    p, s, ev = critique_state(f"ebe.employment={employment}")
    critique(p, s, ev, p_raise * side, 0.99)
    assert ev.seat[0, RAISED].tolist() == [False] * 3 + [side < 1, False]


def test_social_influence_on_an_external_ebe_scales_pull_and_cross_contact_by_exposure():
    """ODD 7.4 on ``influence_state`` with ebe.employment = external, external_exposure
    0.5: epsilon_4 = 0.5 and c_ij = 0.5 for the EBE-professional pairs.

    EBE 4:   L_4j = 0.5 * 0.5 * h_j, so y_4 = 0.3 as before; n_4 = 0.3
             lambda_4 = 0.15 * 2 * 1.5 * 0.5 = 0.225;  s_4 = 0.35
             x_4 = 0.8 + 0.225 * (0.3 - 0.8) + 0.35 * (0.7 - 0.8) = 0.6525
             a_4 = 0.7 + 0.1 * (0.6525 - 0.7) = 0.69525
    nurse 2: L_2j = [1.5, 0.5, -, 0.5, 0.5 * 0.5 * 1 = 0.25]
             y_2 = (1.5 * 0.2 + 0.5 * 0.4 + 0.5 * 0.4 + 0.25 * 0.8) / 2.75 = 0.9 / 2.75
             n_2 = 0.5 * 0.9 / 2.75 + 0.5 * 0.3;  anchor 0.4 = x_2, so
             x_2 = 0.4 + 0.15 * (n_2 - 0.4)
    """
    p, s = influence_state("ebe.employment=external", "behaviour.external_exposure=0.5")
    influence(p, s, 0.3, [0.5] * 5)
    n_2 = 0.5 * 0.9 / 2.75 + 0.5 * 0.3
    assert s.member[0, PERSPECTIVE, 2] == approx(0.4 + 0.15 * (n_2 - 0.4))
    assert s.member[0, PERSPECTIVE, 4] == approx(0.6525)
    assert s.member[0, ANCHOR, 4] == approx(0.69525)
