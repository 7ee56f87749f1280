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
    AUTHORITY_WEIGHT,
    DECISION,
    EXPERIENTIAL_SHARE,
    IRRITATION,
    PERSPECTIVE,
    PRODUCTION,
    REJECTION,
    RISK_AVOIDANCE,
    ROOM,
    STRESS,
    TRUST,
    WEIGHT,
)


@jit(inline=True)
def regard(trust, irritation, j, n):
    """Mean over the ``n`` professionals of trust * (1 - irritation) toward seat ``j``."""
    total = 0.0
    for i in range(n):
        total += trust[i, j] * (1.0 - irritation[i, j])
    return total / n


@jit(inline=True)
def case_review(s, p, q, k, r, u_risk, present, team_view, ev):
    """Decide ``cases_per_week`` cases of random risk ``u_risk``; record in ``ev`` the
    decision, the EBEs' share of it, and each EBE's acceptance and rejection.

    A decision is the weighted mean of the present members' views. A member's weight is
    their hierarchy weight times the chance they voice a view (professionals
    ``voice_probability``; an EBE's is scaled by the team's room (004: 'little room for
    experiential expertise' under load) and falls with production work and stress;
    the final-responsibility holder always speaks). An EBE's weight is further cut by
    ``experiential_discount * (1 - regard)`` and by rejection ``min(1, closure_pressure *
    haste * |x - team view|)`` (haste = 1 - room); the final-responsibility holder's
    weight grows with case risk times risk avoidance; risk avoidance then shades the
    decision toward the system world.
    """
    beh = q.behaviour
    m = present.shape[0]
    n = q.derived.professionals
    member, trust, irritation = s.member[r], s.relation[r, TRUST], s.relation[r, IRRITATION]
    x = member[PERSPECTIVE]
    room = s.team[r, ROOM]
    seat, review = p.seat[k], ev.review[r]
    others = heard = experiential = final = 0.0  # seats 1..M-1: weight, views; EBEs; seat 0
    for i in range(m):
        review[ACCEPTANCE, i] = 1.0
        review[REJECTION, i] = 0.0
        voice = beh.voice_probability
        if p.is_ebe[i]:
            esteem = regard(trust, irritation, i, n)
            review[REJECTION, i] = min(1.0, beh.closure_pressure * (1.0 - room)
                                       * abs(x[i] - team_view))
            review[ACCEPTANCE, i] = ((1.0 - beh.experiential_discount * (1.0 - esteem))
                                     * (1.0 - review[REJECTION, i]))
            voice = (beh.voice_probability * q.derived.voice_factor * room
                     * (1.0 - 0.5 * member[PRODUCTION, i]) * (1.0 - 0.5 * member[STRESS, i]))
        if i == 0:
            voice = 1.0  # seat 0 carries final responsibility and always speaks
        weight = voice * present[i] * (seat[WEIGHT, i] * review[ACCEPTANCE, i]
                                       * seat[AUTHORITY_WEIGHT, i])
        if i == 0:
            final = weight
        else:
            others += weight
            heard += weight * x[i]
        if p.is_ebe[i]:
            experiential += weight
    decision = share = 0.0
    for c in range(u_risk.shape[0]):
        risk = u_risk[c] * s.team[r, RISK_AVOIDANCE]
        chair = final * (1.0 + beh.risk_dominance * risk)
        total = chair + others
        decision += (chair * x[0] + heard) / total * (1.0 - beh.risk_shading * risk)
        share += experiential / total
    cases = u_risk.shape[0]
    ev.week[r, DECISION] = decision / cases
    ev.week[r, EXPERIENTIAL_SHARE] = share / cases
