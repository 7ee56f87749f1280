"""Submodels ``stress``, ``ebe_exit``, ``professional_exit`` and ``rehiring``
(ODD 7.10-7.12, 7.15).

Sources: Movisie (seed 002): 'you ask a great deal of a single one'; ethnography (004):
the EBE role is diffuse; Lombardi et al. (2025, n = 454 peer workers): 42% consider
leaving, about 18% leave within a year, extra tasks outside the peer role odds ratio
2.9 for intent to leave. Professionals come and go too: CBS (Arbeidsmarkt Zorg en
Welzijn 2022): about 11,000 of 103,000 GGz employees left the care sector in a year, and
more changed employer within it; Woltmann et al. (2008, Psychiatric Services 59:732):
25-50% a year in US mental-health agencies.
"""

from __future__ import annotations

from sim.jit import exp2, jit
from sim.layout import (
    ANCHOR,
    ANCHOR_STRENGTH,
    AUTHORITY,
    EXITED,
    FEEDBACK_TOLERANCE,
    HIRED,
    INITIAL_TRUST,
    IRRITATION,
    ORIGIN,
    PERSPECTIVE,
    PRESENT,
    PRODUCTION,
    RULE_CLARITY,
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

    strain = mean of isolation 1 / (1 + allies + peers), role ambiguity (1 - the team's
    role clarity), production share, and the mean irritation held toward the EBE by the
    present professionals; stress += stress_gain * strain - stress_recovery * (1 +
    coaching) * stress. A present professional's stress moves 10% a week toward the
    pressure.
    """
    beh, org = q.behaviour, q.organisation
    m = present.shape[0]
    n = q.derived.professionals
    pressure = s.team[r, WORKLOAD_PRESSURE]
    recovery = beh.stress_recovery * (1.0 + org.coaching)
    there = 0
    for i in range(n):
        if present[i]:
            s.member[r, STRESS, i] += 0.1 * (pressure - s.member[r, STRESS, i])
            there += 1
    for i in range(n, m):
        isolation = 1.0 / (1.0 + allies(n, present, i) + q.derived.extra_peers)
        resentment = 0.0
        for j in range(n):
            if present[j]:
                resentment += s.relation[r, IRRITATION, j, i]
        strain = (isolation + (1.0 - s.team[r, RULE_CLARITY]) + s.member[r, PRODUCTION, i]
                  + resentment / there) / 4.0
        level = s.member[r, STRESS, i]
        s.member[r, STRESS, i] = min(max(level + beh.stress_gain * strain - recovery * level,
                                         0.0), 1.0)


@jit(inline=True)
def ebe_exit(s, p, q, r, u, at, ev):
    """Present EBEs leave with weekly hazard h0 * HR_stress^stress * OR_tasks^production;
    the seat stays vacant for ``rehire_delay_weeks`` (for good without rehiring). Seat
    ``i`` draws ``u[at + i]``."""
    d = q.derived
    for i in range(d.professionals, p.is_ebe.shape[0]):
        ev.seat[r, EXITED, i] = False
        if s.flag[r, PRESENT, i]:
            log_hazard = (s.member[r, STRESS, i] * d.log2_stress_hazard
                          + s.member[r, PRODUCTION, i] * d.log2_task_odds)
            if u[at + i] < d.exit_weekly * exp2(log_hazard):
                ev.seat[r, EXITED, i] = True
                s.flag[r, PRESENT, i] = False
                s.member[r, VACANCY, i] = d.rehire_delay


@jit(inline=True)
def professional_exit(s, q, r, u, at, ev):
    """Present professionals leave with the weekly chance 1 - (1 - team.turnover)^(1/52);
    the seat stays empty for ``team.vacancy_weeks``, except the final-responsibility
    seat (0), which a locum takes over at once. Seat ``i`` draws ``u[at + i]``, the exit
    uniform no professional used before (so ``team.turnover = 0`` changes nothing)."""
    d = q.derived
    for i in range(d.professionals):
        ev.seat[r, EXITED, i] = False
        if s.flag[r, PRESENT, i] and u[at + i] < d.professional_exit_weekly:
            ev.seat[r, EXITED, i] = True
            s.flag[r, PRESENT, i] = False
            s.member[r, VACANCY, i] = 0.0 if i == 0 else d.professional_delay


@jit(inline=True)
def rehiring(s, p, q, k, r, ev, u, traits):
    """Count down vacancies; fill those due with a newcomer drawn by ``member_traits``
    from the replicate's hire stream (one block of trait draws per week with a hire): an
    EBE with lived experience and the granted authority, or a professional with their
    discipline's training view, who is then socialised like everyone else.
    ``u`` ``(TRAIT_DRAWS * M,)`` and ``traits`` ``(4, M)`` are scratch space."""
    m = p.is_ebe.shape[0]
    due = False
    for i in range(m):
        ev.seat[r, HIRED, i] = False
        if not s.flag[r, PRESENT, i]:
            s.member[r, VACANCY, i] -= 1.0
            if s.member[r, VACANCY, i] < 0.0:
                ev.seat[r, HIRED, i] = due = True
    if not due:
        return
    fill(s.rng, r, HIRES, u)
    member_traits(p, k, u, traits, m)
    seniority = float(q.ebe.seniority_weeks)
    grant = q.organisation.experiential_authority
    for i in range(m):
        if not ev.seat[r, HIRED, i]:
            continue
        s.member[r, PERSPECTIVE, i] = s.member[r, ANCHOR, i] = traits[0, i]
        s.member[r, ORIGIN, i] = traits[0, i]
        s.member[r, FEEDBACK_TOLERANCE, i] = traits[2, i]
        s.member[r, ANCHOR_STRENGTH, i] = traits[3, i]
        s.flag[r, TRAINED, i] = traits[1, i] > 0
        s.member[r, SENIORITY, i] = seniority if p.is_ebe[i] else 0.0
        s.member[r, AUTHORITY, i] = grant if p.is_ebe[i] else 0.0
        s.member[r, STRESS, i] = s.member[r, PRODUCTION, i] = s.member[r, TENURE, i] = 0.0
        s.member[r, VACANCY, i] = 0.0
        s.flag[r, PRESENT, i] = True
    for i in range(m):
        for j in range(m):
            if ev.seat[r, HIRED, i] or ev.seat[r, HIRED, j]:
                s.relation[r, TRUST, i, j] = p.pair[k, INITIAL_TRUST, i, j]
                s.relation[r, IRRITATION, i, j] = 0.0
