"""Submodel ``identity_threat`` (ODD 7.8).

Source: Steenvoorde (seed 000): incumbent professionals, four years in training, feel
their professional identity touched by a newcomer with another background; they do not
see themselves as one team. Role clarity (seed 004: the EBE role is diffuse) softens it.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import exp2

from sim.parameters import Parameters
from sim.state import TeamState

LN2 = math.log(2.0)


def identity_threat(s: TeamState, p: Parameters, present: np.ndarray) -> None:
    """Professionals lose trust in a new EBE in proportion to novelty and view gap.

    trust[i, j] *= 1 - identity_threat * (1 - role_clarity) * exp(-tenure_j /
    settling_weeks) * |x_i - x_j| for present professional i and present EBE j.
    """
    beh = p.cfg.behaviour
    n, e = p.ebe_seats.start, p.ebe_seats
    novelty = exp2(-s.tenure[e] / (beh.settling_weeks * LN2)) * present[e]
    gap = np.abs(s.perspective[:n, None, :] - s.perspective[None, e, :])
    strength = beh.identity_threat * (1.0 - p.cfg.organisation.role_clarity)
    threat = strength * novelty[None, :, :] * gap  # professionals are always present
    s.trust[:n, e] *= 1.0 - threat
