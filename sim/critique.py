"""Submodel ``bridge_critique`` (ODD 7.9).

Sources: Movisie (seed 002): EBEs as bridge between system and life world and carriers
of collective experiential knowledge, offering critique of rules, protocols and policy
so that the system adapts to the client -- this needs room, a seat where strategy is
decided, and seniority;
Steenvoorde (000): an external EBE can be a more independent bridge-builder; Movisie
(003): embed at every layer, also the policy level.
"""

from __future__ import annotations

from sim.jit import jit
from sim.layout import (
    ACCEPTANCE,
    ACCEPTED,
    ANCHOR,
    PERSPECTIVE,
    PRODUCTION,
    RAISED,
    RULE_CLARITY,
    RULE_DISCOUNT,
    RULE_SHADING,
    RULES_CHANGED,
    SENIORITY,
    STRESS,
)


@jit(inline=True)
def bridge_critique(s, p, q, r, u, at, present, ev):
    """EBEs raise critique; accepted critique moves the professionals and the team's
    rules, not just the EBE.

    raise = critique_rate * external factor * (1 - production) * min(1, 0.5 + seniority
    / 104 weeks); accept = raise * acceptance (from ``case_review``) * (1 + policy_seat) / 2.
    The accepted critiques move every present professional's anchor and view a share
    critique_uptake * (1 + policy_seat) * critics (at most all) of the way up to the
    critics' mean view, and each one changes the team's rules, which outlast the people
    who made them: the experiential discount and the risk shading shrink by a share
    ``behaviour.rule_change`` and role clarity grows by that share of what it lacks.
    Rejected critique adds rejection_stress to the EBE. Seat ``i`` draws ``u[at + i]``;
    raised and accepted critiques are recorded per seat in ``ev``.
    """
    beh, org = q.behaviour, q.organisation
    m = present.shape[0]
    n = q.derived.professionals
    critics = 0
    target = 0.0
    for i in range(n, m):
        seniority = min(1.0, 0.5 + s.member[r, SENIORITY, i] / 104.0)
        raise_p = (beh.critique_rate * q.derived.critique_factor
                   * (1.0 - s.member[r, PRODUCTION, i]) * seniority * present[i])
        accept_p = raise_p * ev.review[r, ACCEPTANCE, i] * (1.0 + org.policy_seat) / 2.0
        raised = u[at + i] < raise_p
        accepted = u[at + i] < accept_p
        ev.seat[r, RAISED, i] = raised
        ev.seat[r, ACCEPTED, i] = accepted
        if accepted:
            critics += 1
            target += s.member[r, PERSPECTIVE, i]
        elif raised:
            s.member[r, STRESS, i] = min(1.0, s.member[r, STRESS, i] + beh.rejection_stress)
    target /= max(critics, 1)
    uptake = min(1.0, beh.critique_uptake * (1.0 + org.policy_seat) * critics)
    for i in range(n):
        if present[i]:
            s.member[r, ANCHOR, i] += uptake * max(0.0, target - s.member[r, ANCHOR, i])
            s.member[r, PERSPECTIVE, i] += uptake * max(0.0, target
                                                        - s.member[r, PERSPECTIVE, i])
    change = beh.rule_change
    if change > 0.0:
        for _ in range(critics):
            s.team[r, RULE_DISCOUNT] *= 1.0 - change
            s.team[r, RULE_SHADING] *= 1.0 - change
            s.team[r, RULE_CLARITY] += change * (1.0 - s.team[r, RULE_CLARITY])
            s.team[r, RULES_CHANGED] += 1.0
