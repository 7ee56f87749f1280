"""Submodels ``feedback_exchange`` and ``dialogue`` (ODD 7.6, 7.7).

Source: Steenvoorde (seed 000): feedback between EBE and professional, either way,
often causes friction, so it is withheld ('silk gloves') although professionals give
it to each other freely; unspoken issues build irritation that worsens cooperation;
EBEs often take feedback on their work as a personal attack because their story is
woven into the work; open, deeper dialogue makes the friction productive.
"""

from __future__ import annotations

from sim.jit import jit
from sim.layout import (
    ATTACK,
    AUTHORITY,
    CONTENT,
    FEEDBACK_TOLERANCE,
    GIVER,
    IRRITATION,
    KIND,
    RECEIVER,
    ROOM,
    STRESS,
    TOGETHER,
    TRUST,
    WITHHELD,
)


@jit(inline=True)
def feedback_exchange(s, p, q, k, r, u, at, present, ev, attacks):
    """One uniform per ordered pair decides: no occasion, withheld, attack or content.

    occasion = feedback_rate * room * how closely the pair works together (the team's
    structure); given with willingness = feedback_willingness * (0.5 + 0.5 trust) * (1 -
    silk_gloves (1 - dialogue_culture)) across the EBE line * (1 - authority) toward an
    EBE (``experiential_authority``); taken as attack with (1 - tolerance) *
    (1 - dialogue_culture / 2). All occasions are decided on the week's starting
    relations, then applied kind by kind: withheld feedback builds the giver's
    irritation; an attack costs the receiver's trust in the giver and builds the
    receiver's irritation and (per attack) stress; content feedback releases the giver's
    irritation and builds trust both ways. Then irritation erodes all trust. The pair
    (i, j) draws ``u[at + i * M + j]``; the events are recorded in ``ev`` in
    giver-receiver order; ``attacks`` ``(M,)`` is scratch space.
    """
    beh, org = q.behaviour, q.organisation
    m = present.shape[0]
    occasion = beh.feedback_rate * s.team[r, ROOM]
    gloves_cut = beh.silk_gloves * (1.0 - org.dialogue_culture)
    for kind in range(3):
        for ebe in range(2):
            ev.feedback_counts[r, kind, ebe] = 0
    number = 0
    for i in range(m):
        for j in range(m):
            draw = u[at + i * m + j]
            if not draw < occasion:       # most pairs: no occasion (working together <= 1)
                continue
            pair = occasion * p.pair[k, TOGETHER, i, j]
            if not draw < pair or i == j or not (present[i] and present[j]):
                continue
            gloves = 1.0 - gloves_cut * p.cross[i, j]
            willing = (beh.feedback_willingness * (0.5 + 0.5 * s.relation[r, TRUST, i, j])
                       * gloves * (1.0 - s.member[r, AUTHORITY, j]))
            attack = ((1.0 - s.member[r, FEEDBACK_TOLERANCE, j])
                      * (1.0 - 0.5 * org.dialogue_culture))
            withhold_cut = pair * (1.0 - willing)
            kind = (WITHHELD if draw < withhold_cut else
                    ATTACK if draw < withhold_cut + pair * willing * attack else CONTENT)
            ev.feedback[r, GIVER, number] = i
            ev.feedback[r, RECEIVER, number] = j
            ev.feedback[r, KIND, number] = kind
            ev.feedback_counts[r, kind, int(p.is_ebe[j])] += 1
            number += 1
    for i in range(m):
        attacks[i] = 0.0
    for e in range(number):          # withheld: the giver's irritation grows
        if ev.feedback[r, KIND, e] == WITHHELD:
            i, j = ev.feedback[r, GIVER, e], ev.feedback[r, RECEIVER, e]
            s.relation[r, IRRITATION, i, j] += (beh.irritation_gain
                                                * (1.0 - s.relation[r, IRRITATION, i, j]))
    for e in range(number):          # attack: the receiver resents the giver
        if ev.feedback[r, KIND, e] == ATTACK:
            i, j = ev.feedback[r, GIVER, e], ev.feedback[r, RECEIVER, e]
            s.relation[r, IRRITATION, j, i] += (beh.irritation_gain
                                                * (1.0 - s.relation[r, IRRITATION, j, i]))
            s.relation[r, TRUST, j, i] -= beh.trust_loss * s.relation[r, TRUST, j, i]
            attacks[j] += 1.0
    for e in range(number):          # content: irritation released, trust built both ways
        if ev.feedback[r, KIND, e] == CONTENT:
            i, j = ev.feedback[r, GIVER, e], ev.feedback[r, RECEIVER, e]
            s.relation[r, IRRITATION, i, j] *= 1.0 - beh.irritation_release
    for way in range(2):
        for e in range(number):
            if ev.feedback[r, KIND, e] == CONTENT:
                i, j = ev.feedback[r, GIVER, e], ev.feedback[r, RECEIVER, e]
                if way:
                    i, j = j, i
                s.relation[r, TRUST, i, j] += beh.trust_gain * (1.0 - s.relation[r, TRUST, i, j])
    for i in range(m):
        for j in range(m):
            s.relation[r, TRUST, i, j] *= (1.0 - beh.irritation_erosion
                                           * s.relation[r, IRRITATION, i, j])
        s.member[r, STRESS, i] = min(1.0, s.member[r, STRESS, i] + beh.attack_stress * attacks[i])


@jit(inline=True)
def dialogue(s, q, r, u):
    """With probability dialogue_culture * room the team holds a deeper dialogue, which
    resolves ``dialogue_resolution`` of all irritation and builds trust as content
    feedback does. Returns whether it was held."""
    beh = q.behaviour
    held = u < q.organisation.dialogue_culture * s.team[r, ROOM]
    if held:
        m = s.relation.shape[2]
        for i in range(m):
            for j in range(m):
                s.relation[r, IRRITATION, i, j] *= 1.0 - beh.dialogue_resolution
                if i != j:              # nobody trusts themselves
                    s.relation[r, TRUST, i, j] += (beh.trust_gain
                                                   * (1.0 - s.relation[r, TRUST, i, j]))
    return held
