"""Submodel ``case_review``: the weekly FACT board decides cases (ODD 7.3).

Source: ethnography of three FACT teams (seed 004): experiential knowledge is
selectively used and often absent from collective decision making; a knowledge
hierarchy acts with final responsibility at the psychiatrist ('we must discuss this
when the psychiatrist is here'); in high-load teams decisions are driven by risk
avoidance. Rejection of a deviating view grows with haste (need for closure,
Kruglanski & Webster 1991).
"""

from __future__ import annotations

from sim.jit import jit
from sim.layout import (
    ACCEPTANCE,
    AUTHORITY,
    DECISION,
    EXPERIENTIAL_SHARE,
    IRRITATION,
    PERSPECTIVE,
    PRODUCTION,
    REJECTION,
    REVIEWED,
    RISK_AVOIDANCE,
    ROOM,
    RULE_DISCOUNT,
    RULE_SHADING,
    STRESS,
    TRUST,
    WEIGHT,
)


@jit(inline=True)
def regard(relation, r, j, n, present):
    """Mean over the present professionals (seats ``0..n-1``) of trust * (1 - irritation)
    toward seat ``j`` (``relation`` is the state's relation array)."""
    total = 0.0
    there = 0
    for i in range(n):
        if present[i]:
            total += relation[r, TRUST, i, j] * (1.0 - relation[r, IRRITATION, i, j])
            there += 1
    return total / there


@jit(inline=True)
def case_review(s, p, q, k, r, u, at, present, team_view, ev):
    """Decide ``cases_per_week`` cases of random risk ``u[at:at + cases]``; record in
    ``ev`` the decision, the EBEs' share of it, and each EBE's acceptance and rejection.

    A decision is the weighted mean of the present members' views. A member's weight is
    their hierarchy weight times the chance they voice a view (professionals
    ``voice_probability``; an EBE's is scaled by the team's room (004: 'little room for
    experiential expertise' under load) and falls with production work and stress;
    the final-responsibility holder always speaks) and, for an EBE, 1 + authority_gain *
    authority (``experiential_authority``). An EBE's weight is further cut by the team's
    experiential discount * (1 - regard) and by rejection ``min(1, closure_pressure *
    haste * |x - team view|)`` (haste = 1 - room); the final-responsibility holder's
    weight grows with case risk times risk avoidance; risk avoidance then shades the
    decision toward the system world by the team's risk shading. The discount and the
    shading start at ``behaviour.experiential_discount`` and ``behaviour.risk_shading``
    and are team rules that accepted critique can change (``bridge_critique``).
    """
    beh = q.behaviour
    m = present.shape[0]
    n = q.derived.professionals
    room = s.team[r, ROOM]
    voice_factor = q.derived.voice_factor
    others = heard = experiential = final = 0.0  # seats 1..M-1: weight, views; EBEs; seat 0
    for i in range(m):
        ev.seat[r, REVIEWED, i] = present[i]
        acceptance = 1.0
        ev.review[r, REJECTION, i] = 0.0
        voice = beh.voice_probability
        x = s.member[r, PERSPECTIVE, i]
        if p.is_ebe[i]:
            esteem = regard(s.relation, r, i, n, present)
            rejection = min(1.0, beh.closure_pressure * (1.0 - room) * abs(x - team_view))
            ev.review[r, REJECTION, i] = rejection
            acceptance = ((1.0 - s.team[r, RULE_DISCOUNT] * (1.0 - esteem))
                          * (1.0 - rejection))
            voice = (beh.voice_probability * voice_factor * room
                     * (1.0 - 0.5 * s.member[r, PRODUCTION, i])
                     * (1.0 - 0.5 * s.member[r, STRESS, i]))
        ev.review[r, ACCEPTANCE, i] = acceptance
        if i == 0:
            voice = 1.0  # seat 0 carries final responsibility and always speaks
        authority = 1.0 + beh.authority_gain * s.member[r, AUTHORITY, i]
        weight = voice * present[i] * (p.seat[k, WEIGHT, i] * acceptance * authority)
        if i == 0:
            final = weight
        else:
            others += weight
            heard += weight * x
        if p.is_ebe[i]:
            experiential += weight
    decision = share = 0.0
    chair_view = s.member[r, PERSPECTIVE, 0]
    shading = s.team[r, RULE_SHADING]
    cases = beh.cases_per_week
    for c in range(cases):
        risk = u[at + c] * s.team[r, RISK_AVOIDANCE]
        chair = final * (1.0 + beh.risk_dominance * risk)
        total = chair + others
        decision += (chair * chair_view + heard) / total * (1.0 - shading * risk)
        share += experiential / total
    ev.week[r, DECISION] = decision / cases
    ev.week[r, EXPERIENTIAL_SHARE] = share / cases
