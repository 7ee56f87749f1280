"""Submodel ``identity_threat`` (ODD 7.8).

Source: Steenvoorde (seed 000): incumbent professionals, four years in training, feel
their professional identity touched by a newcomer with another background; they do not
see themselves as one team. Role clarity (seed 004: the EBE role is diffuse) softens it.
"""

from __future__ import annotations

import math

from sim.jit import exp2, jit
from sim.layout import PERSPECTIVE, RULE_CLARITY, TENURE, TRUST

LN2 = math.log(2.0)


@jit(inline=True)
def identity_threat(s, p, q, r, present):
    """Professionals lose trust in a new EBE in proportion to novelty and view gap.

    trust[i, j] *= 1 - identity_threat * (1 - role clarity) * exp(-tenure_j /
    settling_weeks) * |x_i - x_j| for every present professional i and present EBE j
    (role clarity is the team's rule, see ``bridge_critique``).
    """
    beh = q.behaviour
    m = present.shape[0]
    n = q.derived.professionals
    strength = beh.identity_threat * (1.0 - s.team[r, RULE_CLARITY])
    for j in range(n, m):
        novelty = exp2(-s.member[r, TENURE, j] / (beh.settling_weeks * LN2)) * present[j]
        x = s.member[r, PERSPECTIVE, j]
        for i in range(n):
            if present[i]:
                s.relation[r, TRUST, i, j] *= 1.0 - strength * novelty * abs(
                    s.member[r, PERSPECTIVE, i] - x)
