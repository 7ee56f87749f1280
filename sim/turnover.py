"""Submodels ``stress``, ``ebe_exit`` and ``rehiring`` (ODD 7.10-7.12).

Sources: Movisie (seed 002): 'you ask a great deal of a single one'; ethnography (004):
the EBE role is diffuse; Lombardi et al. (2025, n = 454 peer workers): 42% consider
leaving, about 18% leave within a year, extra tasks outside the peer role odds ratio
2.9 for intent to leave.
"""

from __future__ import annotations

import numpy as np
from scipy.special import exp2

from sim.arrays import columns, member_sum
from sim.parameters import Parameters
from sim.social_influence import allies
from sim.state import TRAIT_DRAWS, TeamState, member_traits
from sim.streams import ReplicateStreams


def stress(s: TeamState, p: Parameters, present: np.ndarray) -> None:
    """EBE stress settles at stress_gain / (stress_recovery (1 + coaching)) * strain;
    professionals' stress follows pressure.

    strain = mean of isolation 1 / (1 + allies + peers), role ambiguity
    (1 - role_clarity), production share, and irritation held toward the EBE by
    professionals; stress += stress_gain * strain - stress_recovery * (1 + coaching) *
    stress. A professional's stress moves 10% a week toward the pressure.
    """
    beh, org = p.cfg.behaviour, p.cfg.organisation
    n, e = p.ebe_seats.start, p.ebe_seats
    isolation = 1.0 / (1.0 + allies(p, present) + p.extra_peers)
    resentment = member_sum(s.irritation[:n, e]) / n  # professionals are always present
    strain = (isolation + (1.0 - org.role_clarity) + s.production[e] + resentment) / 4.0
    recovery = beh.stress_recovery * (1.0 + org.coaching)
    ebe = s.stress[e]
    s.stress[e] = np.minimum(np.maximum(ebe + beh.stress_gain * strain - recovery * ebe, 0.0),
                             1.0)
    s.stress[:n] += 0.1 * (s.workload_pressure - s.stress[:n])


def ebe_exit(s: TeamState, p: Parameters, u: np.ndarray) -> np.ndarray:
    """Present EBEs leave with weekly hazard h0 * HR_stress^stress * OR_tasks^production.

    Returns the exits ``(M, R)`` bool; the seat stays vacant for rehire_delay_weeks.
    """
    org = p.cfg.organisation
    e = p.ebe_seats
    log_hazard = s.stress[e] * p.log2_stress_hazard + s.production[e] * p.log2_task_odds
    leave = np.zeros(s.present.shape, bool)
    leave[e] = s.present[e] & (u[e] < p.exit_weekly * exp2(log_hazard))
    s.present = s.present & ~leave
    delay = float(org.rehire_delay_weeks) if org.rehire else np.inf
    s.vacancy = np.where(leave, delay, s.vacancy)
    return leave


def rehiring(s: TeamState, p: Parameters, streams: ReplicateStreams) -> np.ndarray:
    """Count down vacancies; fill those due with a new EBE drawn by ``member_traits``.

    The new EBE's traits come from the replicate's hire stream. Returns the hires
    ``(M, R)`` bool.
    """
    vacant = ~s.present & p.is_ebe[:, None]
    s.vacancy = np.where(vacant, s.vacancy - 1.0, s.vacancy)
    hire = vacant & (s.vacancy < 0.0)
    cols = hire.any(0).nonzero()[0]
    if cols.size == 0:
        return hire
    h = hire[:, cols]
    u = streams.hires(cols, TRAIT_DRAWS * p.seats)
    new = member_traits(p, u.reshape(TRAIT_DRAWS, p.seats, cols.size), cols)
    for name, value in (("perspective", new["perspective"]), ("anchor", new["perspective"]),
                        ("origin", new["perspective"]), ("anchor_strength", new["strength"]),
                        ("feedback_tolerance", new["tolerance"]), ("trained", new["trained"]),
                        ("seniority", float(p.cfg.ebe.seniority_weeks)), ("stress", 0.0),
                        ("production", 0.0), ("tenure", 0.0), ("vacancy", 0.0),
                        ("present", True)):
        array = getattr(s, name)
        array[:, cols] = np.where(h, value, array[:, cols])
    renewed = h[:, None, :] | h[None, :, :]
    s.trust[:, :, cols] = np.where(renewed, columns(p.initial_trust, cols), s.trust[:, :, cols])
    s.irritation[:, :, cols] = np.where(renewed, 0.0, s.irritation[:, :, cols])
    return hire
