"""Submodels ``workload_pressure`` and ``production_pull`` (ODD 7.1, 7.2).

Source: ethnography of three FACT teams (seed 004): in high-load teams accountability
dominates and decisions are driven by risk avoidance; strengthening professional
autonomy gives room. Boevink (seed 001): EBEs are drawn into 'murderous production' in
the primary process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.parameters import Parameters

if TYPE_CHECKING:
    from sim.state import TeamState


def workload_pressure(s: TeamState, p: Parameters, u_crisis: np.ndarray) -> np.ndarray:
    """Update pressure, risk avoidance and room for the week; return the crisis weeks.

    pressure = min(1, caseload + crisis shock), the shock decaying geometrically;
    risk_avoidance = pressure * (1 + accountability * (1 - autonomy)) / 2;
    room = 1 - pressure * (1 - autonomy / 2).
    """
    pc = p.cfg.workload
    crisis = u_crisis < pc.crisis_rate
    s.shock = s.shock * pc.crisis_persistence + pc.crisis_intensity * crisis
    s.workload_pressure = np.minimum(1.0, pc.caseload + s.shock)
    s.risk_avoidance, s.room = pressure_effects(s.workload_pressure, p)
    return crisis


def pressure_effects(pressure: np.ndarray, p: Parameters) -> tuple[np.ndarray, np.ndarray]:
    """Risk avoidance and room that a pressure level leaves, given accountability and autonomy."""
    org = p.cfg.organisation
    accountability = p.cfg.workload.accountability * (1.0 - org.professional_autonomy)
    return (pressure * (1.0 + accountability) / 2.0,
            1.0 - pressure * (1.0 - org.professional_autonomy / 2.0))


def production_pull(s: TeamState, p: Parameters) -> None:
    """Pressure pulls present EBEs into regular caseload work (non-peer tasks).

    The production share relaxes toward pressure * (1 - role_clarity) (times 0.3 for
    an external EBE, who carries no caseload of the organisation).
    """
    e = p.ebe_seats
    target = s.workload_pressure * p.production_target
    step = p.cfg.behaviour.production_rate * (target - s.production[e])
    s.production[e] += np.where(s.present[e], step, 0.0)
