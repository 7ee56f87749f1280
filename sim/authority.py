"""Submodel ``experiential_authority``: authority is earned and lost, and can tip (ODD 7.5).

Source: Steenvoorde (seed 000): experiential knowledge is often treated as the guide,
'ten professionals say left, one EBE says right, and everyone goes right', and
professionals then handle EBEs with silk gloves: feedback is withheld and irritation
builds. Seed 000 asks when experiential authority tips into that opposite problem.
Status in groups is conferred for demonstrated competence and lost by conflict
(expectation states, Berger, Cohen & Zelditch 1972), and deference feeds itself
(Ridgeway 2001): here authority grows with accepted critique and with the regard of a
team that has settled with the EBE, and falls with attacks and rejected critique.
"""

from __future__ import annotations

from sim.case_review import regard
from sim.jit import jit
from sim.layout import ACCEPTED, AUTHORITY, RAISED, TENURE


@jit(inline=True)
def experiential_authority(s, p, q, r, present, ev, attacks):
    """Each present EBE's authority A moves with the week's events:

    A += authority_rate * [(accepted + authority_deference * A * regard * settled) * (1 - A)
                           - (attacks + rejected) * A],    clipped to [0, 1],

    with ``accepted`` (``rejected``) 1 if the EBE's critique was taken up (brushed aside)
    this week, ``regard`` the present professionals' trust * (1 - irritation) toward the
    EBE, ``settled`` = min(1, tenure / settling_weeks), and ``attacks`` the feedback
    the EBE took as a personal attack this week. An EBE
    starts with ``organisation.experiential_authority`` (the grant). Authority multiplies
    the EBE's decision weight by 1 + authority_gain * A (``case_review``) and holds back
    feedback to the EBE by a factor 1 - A (``feedback_exchange``), so a high authority
    shields itself from the attacks that would lower it.
    """
    beh = q.behaviour
    rate = beh.authority_rate
    if rate == 0.0:
        return
    m = present.shape[0]
    for i in range(q.derived.professionals, m):
        if not present[i]:
            continue
        a = s.member[r, AUTHORITY, i]
        settled = min(1.0, s.member[r, TENURE, i] / beh.settling_weeks)
        gain = (ev.seat[r, ACCEPTED, i]
                + beh.authority_deference * a * regard(s.relation, r, i, q.derived.professionals,
                                                          present)
                * settled)
        loss = attacks[i] + (ev.seat[r, RAISED, i] and not ev.seat[r, ACCEPTED, i])
        s.member[r, AUTHORITY, i] = min(max(a + rate * (gain * (1.0 - a) - loss * a), 0.0), 1.0)
