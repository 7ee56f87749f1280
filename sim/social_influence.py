"""Submodel ``social_influence``: drift toward the team norm, anchored (ODD 7.4).

Sources: Friedkin & Johnsen (1999, Adv. Group Processes) anchored opinion dynamics;
Latane (1981, Am. Psychol.) social impact, impact ~ N^t with t ~ 0.5, divided among
the supported targets; Kruglanski & Webster (1991, JPSP) haste (time pressure) raises
the push to uniformity; Boevink (seed 001) a lone EBE 'takes on the colour of the
environment'; Movisie (seed 002) peers, intervision and seniority carry collective
experiential knowledge.
"""

from __future__ import annotations

import numpy as np

from sim.jit import jit, powm1
from sim.layout import (
    ANCHOR,
    ANCHOR_STRENGTH,
    CONTACT,
    EXPOSURE,
    ORIGIN,
    PERSPECTIVE,
    PRODUCTION,
    ROOM,
    SENIORITY,
    TRAINED,
    TRUST,
    WEIGHT,
)

SQRT12 = float(np.sqrt(12.0))


@jit(inline=True)
def allies(n, present, i):
    """The other EBEs present beside EBE seat ``i`` (EBEs sit in seats ``n..M-1``)."""
    count = 0
    for j in range(n, present.shape[0]):
        if present[j] and j != i:
            count += 1
    return count


@jit(inline=True)
def social_influence(s, p, q, k, r, decision, present, u, at, x, heeded):
    """Move every present member's view: x += lam (norm - x) + sigma (anchor - x) + noise.

    norm = mix of colleagues' views (weighted by contact, trust and hierarchy) and the
    week's decisions (practice). For an EBE, lam = conformity * (N_prof / support)^t *
    (1 + closure_pressure * haste) * (1 + production_assimilation * production) * exposure,
    support = 1 + allies + intervision and separate-team peers (Latane); for a
    professional lam = conformity * (1 + closure_pressure * haste); haste = 1 - room; lam is
    capped at 0.5. The EBE's anchor follows what they practise (anchor_drift) and is
    renewed toward their original lived-experience view by peers (peer_renewal per
    peer). A professional's anchor (training) moves only through accepted critique
    (``bridge_critique``). The noise of seat ``i`` comes from ``u[at + i]``; ``x``
    receives the views before the move (all move at once), ``heeded`` each colleague's
    voice weight if present.
    """
    # this replicate's state and this point's parameters, taken once (a view each): the
    # M x M loop below then reads plain arrays
    member, relation, team, flag = s.member[r], s.relation[r], s.team[r], s.flag[r]
    pair_params, seat_params, is_ebe = p.pair[k], p.seat[k], p.is_ebe
    beh, org = q.behaviour, q.organisation
    m = present.shape[0]
    n = q.derived.professionals
    for j in range(m):
        x[j] = member[PERSPECTIVE, j]
        heeded[j] = seat_params[WEIGHT, j] * present[j]
    majority = 0  # the professionals present (Latane's N)
    for j in range(n):
        majority += present[j]
    base_pull = beh.conformity * (1.0 + beh.closure_pressure * (1.0 - team[ROOM]))
    for i in range(m):
        if not present[i]:
            continue
        heard = said = 0.0
        for j in range(m):
            listen = pair_params[CONTACT, i, j] * relation[TRUST, i, j] * heeded[j]
            heard += listen
            said += listen * x[j]
        peer_view = said / heard if heard > 0 else x[i]
        norm = (1.0 - beh.practice_weight) * peer_view + beh.practice_weight * decision
        pull = base_pull
        strength = member[ANCHOR_STRENGTH, i]
        peers = 0.0
        if is_ebe[i]:
            peers = allies(n, present, i) + q.derived.extra_peers
            pull *= ((powm1(majority / (1.0 + peers), beh.impact_exponent) + 1.0)
                     * (1.0 + beh.production_assimilation * member[PRODUCTION, i])
                     * seat_params[EXPOSURE, i])
            strength *= 1.0 + (beh.seniority_anchor * min(member[SENIORITY, i] / 52.0, 4.0)
                               + beh.coaching_anchor * org.coaching
                               + beh.training_anchor * flag[TRAINED, i])
        pull = min(pull, 0.5)
        anchor_pull = min(strength, 1.0 - pull)
        noise = beh.perspective_noise * SQRT12 * (u[at + i] - 0.5)
        anchor = member[ANCHOR, i]
        moved = min(max(x[i] + pull * (norm - x[i]) + anchor_pull * (anchor - x[i]) + noise,
                        0.0), 1.0)
        if is_ebe[i]:
            renewal = min(beh.peer_renewal * peers, 1.0 - beh.anchor_drift)
            member[ANCHOR, i] = (anchor + beh.anchor_drift * (moved - anchor)
                                 + renewal * (member[ORIGIN, i] - anchor))
        member[PERSPECTIVE, i] = moved
