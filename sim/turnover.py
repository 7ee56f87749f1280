"""Submodels ``stress``, ``ebe_exit`` and ``rehiring`` (ODD 7.10-7.12).

Sources: Movisie (seed 002): 'you ask a great deal of a single one'; ethnography (004):
the EBE role is diffuse; Lombardi et al. (2025, n = 454 peer workers): 42% consider
leaving, about 18% leave within a year, extra tasks outside the peer role odds ratio
2.9 for intent to leave.
"""

from __future__ import annotations

from sim.jit import exp2, jit
from sim.layout import (
    ANCHOR,
    ANCHOR_STRENGTH,
    EXITED,
    FEEDBACK_TOLERANCE,
    HIRED,
    INITIAL_TRUST,
    IRRITATION,
    ORIGIN,
    PERSPECTIVE,
    PRESENT,
    PRODUCTION,
    SENIORITY,
    STRESS,
    TENURE,
    TRAINED,
    TRUST,
    VACANCY,
    WORKLOAD_PRESSURE,
)
from sim.social_influence import allies
from sim.state import member_traits
from sim.streams import HIRES, fill


@jit(inline=True)
def stress(s, p, q, r, present):
    """EBE stress settles at stress_gain / (stress_recovery (1 + coaching)) * strain;
    professionals' stress follows pressure.

    strain = mean of isolation 1 / (1 + allies + peers), role ambiguity
    (1 - role_clarity), production share, and irritation held toward the EBE by
    professionals; stress += stress_gain * strain - stress_recovery * (1 + coaching) *
    stress. A professional's stress moves 10% a week toward the pressure.
    """
    beh, org = q.behaviour, q.organisation
    m = present.shape[0]
    n = q.derived.professionals
    level, production = s.member[r, STRESS], s.member[r, PRODUCTION]
    irritation = s.relation[r, IRRITATION]
    pressure = s.team[r, WORKLOAD_PRESSURE]
    recovery = beh.stress_recovery * (1.0 + org.coaching)
    for i in range(m):
        if p.is_ebe[i]:
            isolation = 1.0 / (1.0 + allies(p.is_ebe, present, i) + q.derived.extra_peers)
            resentment = 0.0
            for j in range(n):
                resentment += irritation[j, i]
            strain = (isolation + (1.0 - org.role_clarity) + production[i]
                      + resentment / n) / 4.0
            level[i] = min(max(level[i] + beh.stress_gain * strain - recovery * level[i],
                               0.0), 1.0)
        else:
            level[i] += 0.1 * (pressure - level[i])


@jit(inline=True)
def ebe_exit(s, p, q, r, u, ev):
    """Present EBEs leave with weekly hazard h0 * HR_stress^stress * OR_tasks^production;
    the seat stays vacant for ``rehire_delay_weeks`` (for good without rehiring)."""
    d = q.derived
    member, present, exited = s.member[r], s.flag[r, PRESENT], ev.seat[r, EXITED]
    for i in range(p.is_ebe.shape[0]):
        exited[i] = False
        if p.is_ebe[i] and present[i]:
            log_hazard = (member[STRESS, i] * d.log2_stress_hazard
                          + member[PRODUCTION, i] * d.log2_task_odds)
            if u[i] < d.exit_weekly * exp2(log_hazard):
                exited[i] = True
                present[i] = False
                member[VACANCY, i] = d.rehire_delay


@jit(inline=True)
def rehiring(s, p, q, k, r, ev, u, traits):
    """Count down vacancies; fill those due with a new EBE drawn by ``member_traits``
    from the replicate's hire stream (one block of trait draws per week with a hire).
    ``u`` ``(TRAIT_DRAWS * M,)`` and ``traits`` ``(4, M)`` are scratch space."""
    m = p.is_ebe.shape[0]
    member, flag, hired = s.member[r], s.flag[r], ev.seat[r, HIRED]
    due = False
    for i in range(m):
        hired[i] = False
        if p.is_ebe[i] and not flag[PRESENT, i]:
            member[VACANCY, i] -= 1.0
            hired[i] = member[VACANCY, i] < 0.0
            due |= hired[i]
    if not due:
        return
    fill(s.rng[r, HIRES], u)
    member_traits(p, k, u, traits, m)
    for i in range(m):
        if not hired[i]:
            continue
        member[PERSPECTIVE, i] = member[ANCHOR, i] = member[ORIGIN, i] = traits[0, i]
        member[FEEDBACK_TOLERANCE, i] = traits[2, i]
        member[ANCHOR_STRENGTH, i] = traits[3, i]
        flag[TRAINED, i] = traits[1, i] > 0
        member[SENIORITY, i] = float(q.ebe.seniority_weeks)
        member[STRESS, i] = member[PRODUCTION, i] = member[TENURE, i] = 0.0
        member[VACANCY, i] = 0.0
        flag[PRESENT, i] = True
    trust, irritation = s.relation[r, TRUST], s.relation[r, IRRITATION]
    for i in range(m):
        for j in range(m):
            if hired[i] or hired[j]:
                trust[i, j] = p.pair[k, INITIAL_TRUST, i, j]
                irritation[i, j] = 0.0
