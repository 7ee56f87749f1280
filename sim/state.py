"""State of a block of replicates of one team.

Members are seats ``0..M-1`` (see :func:`sim.parameters.staffing`). Member arrays have
shape ``(M, R)``, relations ``(M, M, R)`` where ``[i, j, r]`` is what member ``i``
holds toward member ``j`` in replicate ``r`` (the replicate axis is last: see
:mod:`sim.arrays`). Per-team variables have shape ``(R,)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import exp2, ndtri

from sim.arrays import columns
from sim.parameters import Parameters
from sim.pressure import pressure_effects

TRAIT_DRAWS = 4  # uniforms per member for member_traits


@dataclass
class TeamState:
    """Every state variable of the ODD's 'entities, state variables and scales'."""

    perspective: np.ndarray      # (M, R) 1 life world ... 0 system world
    anchor: np.ndarray           # (M, R) view the member is pulled back to
    origin: np.ndarray           # (M, R) view at hire (training or lived experience)
    anchor_strength: np.ndarray  # (M, R) per-week pull back to the anchor
    feedback_tolerance: np.ndarray  # (M, R) P(feedback taken as about the work)
    trained: np.ndarray          # (M, R) bool, EBE trained as such
    stress: np.ndarray           # (M, R) in [0, 1]
    production: np.ndarray       # (M, R) EBE share of time in regular caseload work
    seniority: np.ndarray        # (M, R) weeks of experience in the role
    tenure: np.ndarray           # (M, R) weeks in this team
    present: np.ndarray          # (M, R) bool, seat filled
    vacancy: np.ndarray          # (M, R) weeks until a vacant EBE seat is refilled
    trust: np.ndarray            # (M, M, R) trust of i in j
    irritation: np.ndarray       # (M, M, R) unspoken irritation of i toward j
    shock: np.ndarray            # (R,) crisis pressure on top of the caseload
    workload_pressure: np.ndarray  # (R,) current workload pressure
    risk_avoidance: np.ndarray   # (R,)
    room: np.ndarray             # (R,) time and room for dialogue and recovery work
    week: int = 0

    @property
    def replicates(self) -> int:
        return self.perspective.shape[1]


def member_traits(p: Parameters, u: np.ndarray,
                  cols: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Individual traits of new members from uniforms ``u`` of shape ``(TRAIT_DRAWS, M, C)``
    for the replicate columns ``cols`` (all columns if None).

    Used at initialisation and for every rehire, so both follow one rule: perspective
    normal around the role mean; trained with ``ebe.trained_share``; feedback tolerance
    uniform within +-0.1 of the role mean; an EBE's anchor strength log-normal.
    """
    ebe_cfg, team = p.cfg.ebe, p.cfg.team

    def pick(value):
        return value if cols is None else columns(value, cols)

    ebe = p.is_ebe[:, None]
    perspective = np.clip(pick(p.perspective_mean)
                          + pick(p.perspective_spread) * ndtri(u[0]), 0.0, 1.0)
    trained = ebe & (u[1] < pick(ebe_cfg.trained_share))
    tolerance = np.clip(pick(p.tolerance_mean) + 0.2 * (u[2] - 0.5), 0.0, 1.0)
    log2_strength = pick(ebe_cfg.anchor_heterogeneity) * ndtri(u[3]) / np.log(2.0)
    strength = np.where(ebe, pick(ebe_cfg.anchor_strength) * exp2(log2_strength),
                        pick(team.professional_anchor))
    return {"perspective": perspective, "trained": trained, "tolerance": tolerance,
            "strength": strength}


def initial_state(p: Parameters, u: np.ndarray) -> TeamState:
    """Week 0 of ``R`` replicates from their initial uniforms ``(TRAIT_DRAWS * M, R)``."""
    m, reps = p.seats, u.shape[1]
    t = member_traits(p, u.reshape(TRAIT_DRAWS, m, reps))
    cfg = p.cfg
    zeros = np.zeros((m, reps))
    seniority = np.where(p.is_ebe[:, None], float(cfg.ebe.seniority_weeks), 0.0) + zeros
    workload_pressure = np.full(reps, cfg.workload.caseload)
    risk_avoidance, room = pressure_effects(workload_pressure, p)
    return TeamState(
        perspective=t["perspective"], anchor=t["perspective"].copy(),
        origin=t["perspective"].copy(), anchor_strength=t["strength"] + zeros,
        feedback_tolerance=t["tolerance"], trained=t["trained"], stress=zeros.copy(),
        production=zeros.copy(), seniority=seniority, tenure=zeros.copy(),
        present=np.ones((m, reps), bool), vacancy=zeros.copy(),
        trust=np.broadcast_to(p.initial_trust, (m, m, reps)).copy(),
        irritation=np.zeros((m, m, reps)), shock=np.zeros(reps),
        workload_pressure=workload_pressure, risk_avoidance=risk_avoidance, room=room,
    )
