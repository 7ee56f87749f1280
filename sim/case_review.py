"""Submodel ``case_review``: the weekly FACT board decides cases (ODD 7.3).

Source: ethnography of three FACT teams (seed 004): experiential knowledge is
selectively used and often absent from collective decision making; a knowledge
hierarchy acts with final responsibility at the psychiatrist ('we must discuss this
when the psychiatrist is here'); in high-load teams decisions are driven by risk
avoidance. Rejection of a deviating view grows with pressure (need for closure,
Kruglanski & Webster 1991).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.arrays import member_sum
from sim.parameters import Parameters
from sim.state import TeamState


@dataclass
class Review:
    """What one week's case review decided."""

    decision: np.ndarray            # (R,) mean orientation of the decisions
    experiential_share: np.ndarray  # (R,) share of decision weight carried by EBEs
    acceptance: np.ndarray          # (M, R) how much of an EBE's formal weight counts
    rejection: np.ndarray           # (M, R) rejection of the EBE as a deviate


def regard(s: TeamState, p: Parameters) -> np.ndarray:
    """Per EBE seat ``(E, R)``: mean over the professionals of trust * (1 - irritation)."""
    n, e = p.professionals, p.ebe_seats
    return member_sum(s.trust[:n, e] * (1.0 - s.irritation[:n, e])) / n


def case_review(s: TeamState, p: Parameters, u_risk: np.ndarray, present: np.ndarray,
                team_view: np.ndarray) -> Review:
    """Decide ``cases_per_week`` cases of random risk; return decisions and who carried them.

    A decision is the weighted mean of the present members' views. A member's weight is
    their hierarchy weight times the chance they voice a view (professionals
    ``voice_probability``; an EBE's is scaled by the team's room (004: 'little room for
    experiential expertise' under load) and falls with production work and stress;
    the final-responsibility holder always speaks). An EBE's weight is further cut by
    ``experiential_discount * (1 - regard)`` and by rejection ``min(1, closure_pressure *
    time pressure * |x - team view|)`` (time pressure = 1 - room); the
    final-responsibility holder's weight grows with case risk times risk avoidance; risk
    avoidance then shades the decision toward the system world. ``u_risk`` is
    ``(K, R)``: each case's risk.
    """
    beh = p.cfg.behaviour
    e = p.ebe_seats
    x = s.perspective
    esteem = regard(s, p)
    rejection = np.zeros(x.shape)
    rejection[e] = np.minimum(
        1.0, beh.closure_pressure * (1.0 - s.room) * np.abs(x[e] - team_view))
    acceptance = np.ones(x.shape)
    acceptance[e] = (1.0 - beh.experiential_discount * (1.0 - esteem)) * (1.0 - rejection[e])
    base = p.weight * acceptance * p.authority_weight
    voice = np.empty(x.shape)
    voice[:] = beh.voice_probability
    voice[e] = (beh.voice_probability * p.voice_factor * s.room
                * (1.0 - 0.5 * s.production[e]) * (1.0 - 0.5 * s.stress[e]))
    voice[0] = 1.0  # seat 0 carries final responsibility and always speaks
    weight = voice * present * base
    risk = u_risk * s.risk_avoidance
    final = weight[0] * (1.0 + beh.risk_dominance * risk)  # (K, R)
    others = member_sum(weight[1:])
    total = final + others
    opinion = (final * x[0] + member_sum(weight[1:] * x[1:])) / total
    decision = opinion * (1.0 - beh.risk_shading * risk)
    share = member_sum(weight[e]) / total
    cases = u_risk.shape[0]
    return Review(decision=member_sum(decision) / cases,
                  experiential_share=member_sum(share) / cases,
                  acceptance=acceptance, rejection=rejection)
