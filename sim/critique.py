"""Submodel ``bridge_critique`` (ODD 7.9).

Sources: Movisie (seed 002): EBEs as bridge between system and life world and carriers
of collective experiential knowledge, offering critique of rules and policy so that
the system adapts -- this needs room, a seat where strategy is decided, and seniority;
Steenvoorde (000): an external EBE can be a more independent bridge-builder; Movisie
(003): embed at every layer, also the policy level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.arrays import count, member_sum
from sim.parameters import Parameters
from sim.state import TeamState


@dataclass
class Critique:
    raised: np.ndarray    # (E, R) bool, per EBE seat
    accepted: np.ndarray  # (E, R) bool


def bridge_critique(s: TeamState, p: Parameters, u: np.ndarray, present: np.ndarray,
                    acceptance: np.ndarray) -> Critique:
    """EBEs raise critique; accepted critique moves the professionals, not just the EBE.

    raise = critique_rate * external factor * (1 - production) * min(1, 0.5 + seniority
    / 104 weeks); accept = raise * acceptance (from ``case_review``) * (1 + policy_seat) / 2.
    Each accepted critique moves every professional's anchor and view a share
    critique_uptake * (1 + policy_seat) of the way up to the critics' mean view;
    rejected critique adds rejection_stress to the EBE. ``u`` is ``(M, R)``.
    """
    beh, org = p.cfg.behaviour, p.cfg.organisation
    n, e = p.ebe_seats.start, p.ebe_seats
    seniority = np.minimum(1.0, 0.5 + s.seniority[e] / 104.0)
    raise_p = (beh.critique_rate * p.critique_factor * (1.0 - s.production[e]) * seniority
               * present[e])
    accept_p = raise_p * acceptance[e] * (1.0 + org.policy_seat) / 2.0
    accepted = u[e] < accept_p
    raised = u[e] < raise_p
    critics = count(accepted)
    target = member_sum(accepted * s.perspective[e]) / np.maximum(critics, 1)
    uptake = np.minimum(1.0, beh.critique_uptake * (1.0 + org.policy_seat) * critics)
    s.anchor[:n] += uptake * np.maximum(0.0, target - s.anchor[:n])
    s.perspective[:n] += uptake * np.maximum(0.0, target - s.perspective[:n])
    s.stress[e] = np.minimum(1.0, s.stress[e] + beh.rejection_stress * (raised & ~accepted))
    return Critique(raised=raised, accepted=accepted)
