"""Submodel ``social_influence``: drift toward the team norm, anchored (ODD 7.4).

Sources: Friedkin & Johnsen (1999, Adv. Group Processes) anchored opinion dynamics;
Latane (1981, Am. Psychol.) social impact, impact ~ N^t with t ~ 0.5, divided among
the supported targets; Kruglanski & Webster (1991, JPSP) time pressure raises the push
to uniformity; Boevink (seed 001) a lone EBE 'takes on the colour of the environment';
Movisie (seed 002) peers, intervision and seniority carry collective experiential
knowledge.
"""

from __future__ import annotations

import numpy as np
from scipy.special import powm1

from sim.arrays import count, member_sum
from sim.parameters import Parameters
from sim.state import TeamState

SQRT12 = float(np.sqrt(12.0))


def allies(p: Parameters, present: np.ndarray) -> np.ndarray:
    """Per EBE seat ``(E, R)``: the other EBEs present."""
    ebe_present = present[p.ebe_seats]
    return count(ebe_present) - ebe_present


def social_influence(s: TeamState, p: Parameters, decision: np.ndarray, present: np.ndarray,
                     u_noise: np.ndarray) -> None:
    """Move every present member's view: x += lam (norm - x) + sigma (anchor - x) + noise.

    norm = mix of colleagues' views (weighted by contact, trust and hierarchy) and the
    week's decisions (practice). For an EBE, lam = conformity * (N_prof / support)^t *
    (1 + closure * time pressure) * (1 + production_assimilation * production) * exposure,
    support = 1 + allies + intervision and separate-team peers (Latane); for a
    professional lam = conformity * (1 + closure * time pressure); time pressure =
    1 - room. The EBE's anchor follows what they practise (anchor_drift) and is renewed
    toward their original lived-experience view by peers (peer_renewal per peer). A
    professional's anchor (training) moves only through accepted critique
    (``bridge_critique``).
    """
    beh, org = p.cfg.behaviour, p.cfg.organisation
    n, e = p.ebe_seats.start, p.ebe_seats
    x = s.perspective
    # contact 1 for every pair leaves trust as it is (its diagonal is 0): skip the product
    listen = (s.trust if p.contact_all else p.contact * s.trust) * (p.weight * present)
    heard = member_sum(listen, 1)
    peer_view = np.divide(member_sum(listen * x, 1), heard, out=x.copy(), where=heard > 0)
    norm = (1.0 - beh.practice_weight) * peer_view + beh.practice_weight * decision

    peers = allies(p, present) + p.extra_peers
    majority = n  # professionals never leave
    closure = beh.conformity * (1.0 + beh.closure_pressure * (1.0 - s.room))
    pull = closure[None].repeat(len(x), 0)
    pull[e] *= ((powm1(majority / (1.0 + peers), beh.impact_exponent) + 1.0)
                * (1.0 + beh.production_assimilation * s.production[e])
                * p.exposure[e])
    pull = np.minimum(pull, 0.5)
    strength = s.anchor_strength.copy()
    strength[e] *= 1.0 + (beh.seniority_anchor * np.minimum(s.seniority[e] / 52.0, 4.0)
                          + beh.coaching_anchor * org.coaching
                          + beh.training_anchor * s.trained[e])
    anchor_pull = np.minimum(strength, 1.0 - pull)
    noise = beh.perspective_noise * SQRT12 * (u_noise - 0.5)
    moved = np.minimum(np.maximum(
        x + pull * (norm - x) + anchor_pull * (s.anchor - x) + noise, 0.0), 1.0)

    renewal = np.minimum(beh.peer_renewal * peers, 1.0 - beh.anchor_drift)
    a = s.anchor[e]
    drifted = a + beh.anchor_drift * (moved[e] - a) + renewal * (s.origin[e] - a)
    s.anchor[e] = np.where(present[e], drifted, a)
    s.perspective = np.where(present, moved, x)
