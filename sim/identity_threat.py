"""Submodel ``identity_threat`` (ODD 7.8).

Source: Steenvoorde (seed 000): incumbent professionals, four years in training, feel
their professional identity touched by a newcomer with another background; they do not
see themselves as one team. Role clarity (seed 004: the EBE role is diffuse) softens it.
"""

from __future__ import annotations

import math

from sim.jit import exp2, jit
from sim.layout import PERSPECTIVE, TENURE, TRUST

LN2 = math.log(2.0)


@jit(inline=True)
def identity_threat(s, p, q, r, present):
    """Professionals lose trust in a new EBE in proportion to novelty and view gap.

    trust[i, j] *= 1 - identity_threat * (1 - role_clarity) * exp(-tenure_j /
    settling_weeks) * |x_i - x_j| for every professional i and present EBE j.
    """
    beh = q.behaviour
    m = present.shape[0]
    n = q.derived.professionals
    strength = beh.identity_threat * (1.0 - q.organisation.role_clarity)
    for j in range(n, m):
        novelty = exp2(-s.member[r, TENURE, j] / (beh.settling_weeks * LN2)) * present[j]
        x = s.member[r, PERSPECTIVE, j]
        for i in range(n):
            s.relation[r, TRUST, i, j] *= 1.0 - strength * novelty * abs(
                s.member[r, PERSPECTIVE, i] - x)
