"""Submodels ``feedback_exchange`` and ``dialogue`` (ODD 7.6, 7.7).

Source: Steenvoorde (seed 000): feedback between EBE and professional, either way,
often causes friction, so it is withheld ('silk gloves') although professionals give
it to each other freely; unspoken issues build irritation that worsens cooperation;
EBEs often take feedback on their work as a personal attack because their story is
woven into the work; open, deeper dialogue makes the friction productive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.arrays import at
from sim.parameters import Parameters
from sim.state import TeamState

WITHHELD, ATTACK, CONTENT = 0, 1, 2


@dataclass
class Feedback:
    """This week's feedback occasions as sparse events: giver ``i`` toward receiver ``j``.

    ``kind`` is WITHHELD, ATTACK (given, taken by j as a personal attack) or CONTENT
    (given, taken as about the work).
    """

    replicate: np.ndarray  # (E,) int
    giver: np.ndarray      # (E,) int
    receiver: np.ndarray   # (E,) int
    kind: np.ndarray       # (E,) int

    def counts(self, replicates: int, is_ebe: np.ndarray) -> np.ndarray:
        """Events per replicate ``(R, kind, toward an EBE)``: shape ``(R, 3, 2)``."""
        cell = (self.replicate * 3 + self.kind) * 2 + is_ebe[self.receiver]
        return np.bincount(cell, minlength=replicates * 6).reshape(replicates, 3, 2)


def feedback_exchange(s: TeamState, p: Parameters, u: np.ndarray,
                      present: np.ndarray) -> Feedback:
    """One uniform per ordered pair decides: no occasion, withheld, attack or content.

    occasion = feedback_rate * room; given with willingness = feedback_willingness *
    (0.5 + 0.5 trust) * (1 - silk_gloves (1 - dialogue_culture)) across the EBE line *
    (1 - experiential_authority) toward an EBE; taken as attack with (1 - tolerance) *
    (1 - dialogue_culture / 2). Applied in this order: withheld feedback builds the
    giver's irritation; an attack costs the receiver's trust in the giver and builds the
    receiver's irritation and stress; content feedback releases the giver's irritation
    and builds trust both ways. Then irritation erodes all trust. ``u`` is ``(M, M, R)``.
    """
    beh, org = p.cfg.behaviour, p.cfg.organisation
    m, reps = p.seats, s.replicates
    occasion = beh.feedback_rate * s.room
    flat = np.flatnonzero(u < occasion)
    ij, r = np.divmod(flat, reps)
    i, j = np.divmod(ij, m)
    keep = (i != j) & present[i, r] & present[j, r]
    flat, r, i, j = flat[keep], r[keep], i[keep], j[keep]
    back = (j * m + i) * reps + r  # index of [j, i, r]
    draw, occ = u.reshape(-1)[flat], occasion[r]
    irr, trust = s.irritation.reshape(-1), s.trust.reshape(-1)
    dialogue_culture = at(org.dialogue_culture, r)
    gloves = 1.0 - at(beh.silk_gloves, r) * (1.0 - dialogue_culture) * p.cross[i, j]
    willing = (at(beh.feedback_willingness, r) * (0.5 + 0.5 * trust[flat]) * gloves
               * at(p.feedback_deference, r, j))
    attack_p = (1.0 - s.feedback_tolerance[j, r]) * (1.0 - 0.5 * dialogue_culture)
    withhold_cut = occ * (1.0 - willing)
    kind = np.where(draw < withhold_cut, WITHHELD,
                    np.where(draw < withhold_cut + occ * willing * attack_p, ATTACK, CONTENT))

    withheld, attacked = kind == WITHHELD, kind == ATTACK
    w, a = flat[withheld], back[attacked]
    irr[w] += at(beh.irritation_gain, r[withheld]) * (1.0 - irr[w])
    irr[a] += at(beh.irritation_gain, r[attacked]) * (1.0 - irr[a])
    trust[a] -= at(beh.trust_loss, r[attacked]) * trust[a]
    spoken = kind == CONTENT
    c, c_back, trust_gain = flat[spoken], back[spoken], at(beh.trust_gain, r[spoken])
    irr[c] *= 1.0 - at(beh.irritation_release, r[spoken])
    trust[c] += trust_gain * (1.0 - trust[c])
    trust[c_back] += trust_gain * (1.0 - trust[c_back])
    s.trust *= 1.0 - beh.irritation_erosion * s.irritation
    received = j[attacked] * reps + r[attacked]
    attacks = np.bincount(received, minlength=m * reps).reshape(m, reps)
    s.stress = np.minimum(1.0, s.stress + beh.attack_stress * attacks)
    return Feedback(replicate=r, giver=i, receiver=j, kind=kind)


def dialogue(s: TeamState, p: Parameters, u: np.ndarray) -> np.ndarray:
    """With probability dialogue_culture * room the team holds a deeper dialogue.

    It resolves ``dialogue_resolution`` of all irritation and builds trust as content
    feedback does. Returns the weeks in which it was held, ``(R,)`` bool.
    """
    beh = p.cfg.behaviour
    held = u < p.cfg.organisation.dialogue_culture * s.room
    if held.any():
        s.irritation *= 1.0 - beh.dialogue_resolution * held
        s.trust += (beh.trust_gain * held) * (1.0 - s.trust) * p.offdiag[:, :, None]
    return held
