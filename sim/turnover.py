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
    pressure = s.team[r, WORKLOAD_PRESSURE]
    recovery = beh.stress_recovery * (1.0 + org.coaching)
    for i in range(n):
        s.member[r, STRESS, i] += 0.1 * (pressure - s.member[r, STRESS, i])
    for i in range(n, m):
        isolation = 1.0 / (1.0 + allies(n, present, i) + q.derived.extra_peers)
        resentment = 0.0
        for j in range(n):
            resentment += s.relation[r, IRRITATION, j, i]
        strain = (isolation + (1.0 - org.role_clarity) + s.member[r, PRODUCTION, i]
                  + resentment / n) / 4.0
        level = s.member[r, STRESS, i]
        s.member[r, STRESS, i] = min(max(level + beh.stress_gain * strain - recovery * level,
                                         0.0), 1.0)


@jit(inline=True)
def ebe_exit(s, p, q, r, u, at, ev):
    """Present EBEs leave with weekly hazard h0 * HR_stress^stress * OR_tasks^production;
    the seat stays vacant for ``rehire_delay_weeks`` (for good without rehiring). Seat
    ``i`` draws ``u[at + i]``."""
    d = q.derived
    for i in range(p.is_ebe.shape[0]):
        ev.seat[r, EXITED, i] = False
        if p.is_ebe[i] and s.flag[r, PRESENT, i]:
            log_hazard = (s.member[r, STRESS, i] * d.log2_stress_hazard
                          + s.member[r, PRODUCTION, i] * d.log2_task_odds)
            if u[at + i] < d.exit_weekly * exp2(log_hazard):
                ev.seat[r, EXITED, i] = True
                s.flag[r, PRESENT, i] = False
                s.member[r, VACANCY, i] = d.rehire_delay


@jit(inline=True)
def rehiring(s, p, q, k, r, ev, u, traits):
    """Count down vacancies; fill those due with a new EBE drawn by ``member_traits``
    from the replicate's hire stream (one block of trait draws per week with a hire).
    ``u`` ``(TRAIT_DRAWS * M,)`` and ``traits`` ``(4, M)`` are scratch space."""
    m = p.is_ebe.shape[0]
    due = False
    for i in range(m):
        ev.seat[r, HIRED, i] = False
        if p.is_ebe[i] and not s.flag[r, PRESENT, i]:
            s.member[r, VACANCY, i] -= 1.0
            if s.member[r, VACANCY, i] < 0.0:
                ev.seat[r, HIRED, i] = due = True
    if not due:
        return
    fill(s.rng, r, HIRES, u)
    member_traits(p, k, u, traits, m)
    seniority = float(q.ebe.seniority_weeks)
    for i in range(m):
        if not ev.seat[r, HIRED, i]:
            continue
        s.member[r, PERSPECTIVE, i] = s.member[r, ANCHOR, i] = traits[0, i]
        s.member[r, ORIGIN, i] = traits[0, i]
        s.member[r, FEEDBACK_TOLERANCE, i] = traits[2, i]
        s.member[r, ANCHOR_STRENGTH, i] = traits[3, i]
        s.flag[r, TRAINED, i] = traits[1, i] > 0
        s.member[r, SENIORITY, i] = seniority
        s.member[r, STRESS, i] = s.member[r, PRODUCTION, i] = s.member[r, TENURE, i] = 0.0
        s.member[r, VACANCY, i] = 0.0
        s.flag[r, PRESENT, i] = True
    for i in range(m):
        for j in range(m):
            if ev.seat[r, HIRED, i] or ev.seat[r, HIRED, j]:
                s.relation[r, TRUST, i, j] = p.pair[k, INITIAL_TRUST, i, j]
                s.relation[r, IRRITATION, i, j] = 0.0
