"""Each mechanism moves its outcome in the direction its source says, all else fixed.

These are the sign checks of the model's own equations (until issue 14 they were
reported as validation patterns 3-10 in docs/validation.md): a passing check shows that
the code does what the ODD says, not that the model matches the field. The validation
patterns, which the model was not built to show, are in experiments/validation/.

Both arms use the same seed and replicate indices (common random numbers), so the
comparison is paired; a one-sided Wilcoxon signed-rank test must reject 'no effect'
at p < 0.001 (or, for a mechanism switched fully off, the outcome must be exactly 0).
"""

from __future__ import annotations

import pytest
from scipy import stats

from sim import simulate

N = 200
NO_TURNOVER = ("behaviour.exit_rate=0", "organisation.rehire=false")


def outcome(small, overrides, name, weeks=52):
    return simulate(small(*overrides, weeks=weeks, replicates=N), weekly=False).replicates[name]


def assert_increases(small, base, arm, name, weeks=52):
    low, high = outcome(small, base, name, weeks), outcome(small, arm, name, weeks)
    p = stats.wilcoxon(high, low, alternative="greater").pvalue
    assert p < 1e-3, f"{name}: {arm} vs {base}: mean {high.mean():.4f} vs {low.mean():.4f}"


CASES = [
    # (source, base overrides, arm overrides, outcome that must be higher in the arm)
    ("004 pressure -> risk avoidance", ("workload.caseload=0.3",), ("workload.caseload=0.8",),
     "risk_avoidance"),
    ("004 autonomy -> experiential share", ("organisation.professional_autonomy=0",),
     ("organisation.professional_autonomy=1",), "experiential_share"),
    ("004 flatter hierarchy -> experiential share", ("team.hierarchy_steepness=2",),
     ("team.hierarchy_steepness=0",), "experiential_share"),
    ("001 an ally slows assimilation", ("scenario=single_hire", *NO_TURNOVER),
     ("scenario=two_hires", *NO_TURNOVER), "distinctiveness"),
    ("002 intervision slows assimilation", NO_TURNOVER,
     ("organisation.intervision=1", *NO_TURNOVER), "distinctiveness"),
    ("002 seniority anchors", ("ebe.seniority_weeks=0", *NO_TURNOVER),
     ("ebe.seniority_weeks=208", *NO_TURNOVER), "distinctiveness"),
    ("000 low tolerance -> attacks", ("ebe.feedback_tolerance=0.9",),
     ("ebe.feedback_tolerance=0.1",), "feedback_attack"),
    ("000 silk gloves -> feedback to EBE withheld", ("behaviour.silk_gloves=0",),
     ("behaviour.silk_gloves=0.9",), "feedback_withheld_to_ebe"),
    ("000 withheld feedback -> irritation", ("behaviour.silk_gloves=0",),
     ("behaviour.silk_gloves=0.9",), "irritation_cross"),
    ("000 dialogue resolves irritation", ("organisation.dialogue_culture=0.9",),
     ("organisation.dialogue_culture=0",), "irritation"),
    ("000 authority -> experiential share", (), ("organisation.experiential_authority=1",),
     "experiential_share"),
    ("000 authority -> less feedback to the EBE", ("organisation.experiential_authority=1",),
     (), "feedback_given_to_ebe"),
    ("000 identity threat erodes trust", ("behaviour.identity_threat=0.3",),
     ("behaviour.identity_threat=0",), "trust_cross"),
    ("002 policy seat -> team moves", (), ("organisation.policy_seat=1",), "team_shift"),
    ("000 external EBE keeps distinctiveness", NO_TURNOVER,
     ("ebe.employment=external", *NO_TURNOVER), "distinctiveness"),
    ("004 pressure -> rejection of the deviate (Kruglanski & Webster)",
     ("workload.caseload=0.3",), ("workload.caseload=0.8",), "rejection"),
    ("Lombardi: stress -> exits", ("behaviour.stress_hazard_ratio=1",),
     ("behaviour.stress_hazard_ratio=20",), "exits"),
    ("Lombardi: non-peer tasks -> exits", ("behaviour.production_rate=0",),
     ("behaviour.production_rate=0.3",), "exits"),
    ("004 accountability -> less experiential share", ("workload.accountability=0.9",),
     ("workload.accountability=0.1",), "experiential_share"),
    ("000 silk gloves -> less trust across the line", ("behaviour.silk_gloves=0.9",),
     ("behaviour.silk_gloves=0",), "trust_cross"),
    ("000 dialogue -> trust across the line", ("organisation.dialogue_culture=0",),
     ("organisation.dialogue_culture=0.9",), "trust_cross"),
    ("000 dialogue -> less irritation across the line", ("organisation.dialogue_culture=0.9",),
     ("organisation.dialogue_culture=0",), "irritation_cross"),
    ("002 intervision -> later loss", NO_TURNOVER, ("organisation.intervision=1", *NO_TURNOVER),
     "weeks_to_loss"),
    ("002 role ambiguity -> EBE stress", ("organisation.role_clarity=1",),
     ("organisation.role_clarity=0",), "ebe_stress"),
]


@pytest.mark.parametrize(("source", "base", "arm", "name"), CASES, ids=[c[0] for c in CASES])
def test_mechanism_direction(small, source, base, arm, name):
    assert_increases(small, base, arm, name)


def test_pressure_makes_decisions_risk_averse(small):
    calm = outcome(small, ("workload.caseload=0.2",), "decision")
    busy = outcome(small, ("workload.caseload=0.9",), "decision")
    assert stats.wilcoxon(calm, busy, alternative="greater").pvalue < 1e-3


def test_switched_off_mechanisms_leave_no_trace(small):
    no_critique = simulate(small("behaviour.critique_rate=0", replicates=50)).replicates
    assert (no_critique.critique_accepted == 0).all()
    no_occasion = simulate(small("behaviour.feedback_rate=0", replicates=50)).replicates
    assert (no_occasion[["feedback_given", "feedback_withheld"]] == 0).all().all()
    never_leave = simulate(small("behaviour.exit_rate=0", replicates=50)).replicates
    assert (never_leave.exits == 0).all()
    no_rehire = simulate(small("behaviour.exit_rate=0.9", "organisation.rehire=false",
                               replicates=50)).replicates
    assert (no_rehire.hires == 0).all() and (no_rehire.exits <= 1).all()
