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

from sim.arrays import at, diagonal
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
    pairs = present[:, None, :] & present[None, :, :]
    pairs &= p.offdiag[:, :, None]
    pairs &= u < occasion
    flat = pairs.ravel().nonzero()[0]  # index of [i, j, r] in the relations
    i, j, r = np.unravel_index(flat, pairs.shape)
    jr = j * reps + r                # index of [j, r] in member arrays
    back = (j * m + i) * reps + r    # index of [j, i, r]
    draw, occ = u.reshape(-1)[flat], occasion[r]
    irr, trust = s.irritation.reshape(-1), s.trust.reshape(-1)
    dialogue_culture = at(org.dialogue_culture, r)
    gloves = 1.0 - at(beh.silk_gloves, r) * (1.0 - dialogue_culture) * p.cross[i, j]
    willing = (at(beh.feedback_willingness, r) * (0.5 + 0.5 * trust[flat]) * gloves
               * at(p.feedback_deference, r, j))
    attack_p = (1.0 - s.feedback_tolerance.reshape(-1)[jr]) * (1.0 - 0.5 * dialogue_culture)
    withhold_cut = occ * (1.0 - willing)
    # WITHHELD below the first cut, ATTACK below the second, CONTENT above
    kind = np.add(draw >= withhold_cut, draw >= withhold_cut + occ * willing * attack_p,
                  dtype=np.intp)

    withheld, attacked, spoken = kind == WITHHELD, kind == ATTACK, kind == CONTENT
    gain = at(beh.irritation_gain, r)
    w, a, c, c_back = flat[withheld], back[attacked], flat[spoken], back[spoken]
    held = irr[w]
    irr[w] = held + part(gain, withheld) * (1.0 - held)
    held = irr[a]
    irr[a] = held + part(gain, attacked) * (1.0 - held)
    hurt = trust[a]
    trust[a] = hurt - part(at(beh.trust_loss, r), attacked) * hurt
    irr[c] *= 1.0 - part(at(beh.irritation_release, r), spoken)
    trust_gain = part(at(beh.trust_gain, r), spoken)
    for pair in (c, c_back):
        built = trust[pair]
        trust[pair] = built + trust_gain * (1.0 - built)
    s.trust *= 1.0 - beh.irritation_erosion * s.irritation
    attacks = np.bincount(jr[attacked], minlength=m * reps).reshape(m, reps)
    s.stress = np.minimum(1.0, s.stress + beh.attack_stress * attacks)
    return Feedback(replicate=r, giver=i, receiver=j, kind=kind)


def part(value, events: np.ndarray):
    """A per-event parameter (from :func:`sim.arrays.at`) for the selected events."""
    return value[events] if isinstance(value, np.ndarray) else value


def dialogue(s: TeamState, p: Parameters, u: np.ndarray) -> np.ndarray:
    """With probability dialogue_culture * room the team holds a deeper dialogue.

    It resolves ``dialogue_resolution`` of all irritation and builds trust as content
    feedback does. Returns the weeks in which it was held, ``(R,)`` bool.
    """
    beh = p.cfg.behaviour
    held = u < p.cfg.organisation.dialogue_culture * s.room
    if held.any():
        s.irritation *= 1.0 - beh.dialogue_resolution * held
        s.trust += (beh.trust_gain * held) * (1.0 - s.trust)
        diagonal(s.trust)[:] = 0.0  # nobody trusts themselves
    return held
