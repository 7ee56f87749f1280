"""Submodels ``workload_pressure`` and ``production_pull`` (ODD 7.1, 7.2).

Source: ethnography of three FACT teams (seed 004): in high-load teams accountability
dominates and decisions are driven by risk avoidance; strengthening professional
autonomy gives room. Boevink (seed 001): EBEs are drawn into 'murderous production' in
the primary process.
"""

from __future__ import annotations

from sim.jit import jit
from sim.layout import (
    PRESENT,
    PRODUCTION,
    RISK_AVOIDANCE,
    ROOM,
    RULE_CLARITY,
    SHOCK,
    WORKLOAD_PRESSURE,
)


@jit(inline=True)
def pressure_effects(pressure, q):
    """Risk avoidance and room that a pressure level leaves, given accountability and
    autonomy: risk_avoidance = pressure (1 + accountability (1 - autonomy)) / 2;
    room = 1 - pressure (1 - autonomy / 2)."""
    autonomy = q.organisation.professional_autonomy
    accountability = q.workload.accountability * (1.0 - autonomy)
    return pressure * (1.0 + accountability) / 2.0, 1.0 - pressure * (1.0 - autonomy / 2.0)


@jit(inline=True)
def workload_pressure(s, q, r, u_crisis):
    """Update replicate ``r``'s pressure, risk avoidance and room; return whether this
    is a crisis week.

    pressure = min(1, caseload + shock), the crisis shock decaying geometrically.
    """
    w = q.workload
    crisis = u_crisis < w.crisis_rate
    s.team[r, SHOCK] = s.team[r, SHOCK] * w.crisis_persistence + w.crisis_intensity * crisis
    s.team[r, WORKLOAD_PRESSURE] = min(1.0, w.caseload + s.team[r, SHOCK])
    s.team[r, RISK_AVOIDANCE], s.team[r, ROOM] = pressure_effects(
        s.team[r, WORKLOAD_PRESSURE], q)
    return crisis


@jit(inline=True)
def production_pull(s, p, q, r):
    """Pressure pulls present EBEs into regular caseload work (non-peer tasks).

    The production share relaxes toward pressure * (1 - role clarity) (times 0.3 for an
    external EBE, who carries no caseload of the organisation); role clarity is a team
    rule that starts at ``organisation.role_clarity`` (``bridge_critique`` can change it).
    """
    target = s.team[r, WORKLOAD_PRESSURE] * ((1.0 - s.team[r, RULE_CLARITY])
                                             * q.derived.production_factor)
    rate = q.behaviour.production_rate
    for i in range(q.derived.professionals, p.is_ebe.shape[0]):
        if s.flag[r, PRESENT, i]:
            s.member[r, PRODUCTION, i] += rate * (target - s.member[r, PRODUCTION, i])
