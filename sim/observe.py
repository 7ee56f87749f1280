"""Observation: the ``OBSERVED`` variables of a replicate's week (ODD 7.14).

``observe`` writes one row of the engine's record: who is present, where the views
stand, what happened in the week, and the state of the perspective (``retaining``,
``perspective_state``). The column order, names and meanings are owned by
:mod:`sim.outcomes`.
"""

from __future__ import annotations

import math

from sim.jit import jit
from sim.layout import (
    ACCEPTED,
    ATTACK,
    CONTENT,
    DECISION,
    DIALOGUE,
    EXITED,
    EXPERIENTIAL_SHARE,
    HIRED,
    IRRITATION,
    ORIGIN,
    PERSPECTIVE,
    PRESENT,
    RAISED,
    REJECTION,
    RISK_AVOIDANCE,
    STRESS,
    TRUST,
    WITHHELD,
    WORKLOAD_PRESSURE,
)
from sim.outcomes import ASSIMILATED, COLUMN, DIFFUSED, RETAINED, VACANT

# columns of the record, named as in sim.outcomes.OBSERVED
O_STATE, O_ALIVE, O_EBES_RETAINING = COLUMN["state"], COLUMN["alive"], COLUMN["ebes_retaining"]
O_DISTINCTIVENESS, O_EBE_PRESENT = COLUMN["distinctiveness"], COLUMN["ebe_present"]
O_TEAM_PERSPECTIVE = COLUMN["team_perspective"]
O_EBE_PERSPECTIVE = COLUMN["ebe_perspective"]
O_EXPERIENTIAL_SHARE, O_DECISION = COLUMN["experiential_share"], COLUMN["decision"]
O_REJECTION = COLUMN["rejection"]
O_FEEDBACK_GIVEN = COLUMN["feedback_given"]
O_FEEDBACK_WITHHELD = COLUMN["feedback_withheld"]
O_FEEDBACK_ATTACK = COLUMN["feedback_attack"]
O_FEEDBACK_GIVEN_TO_EBE = COLUMN["feedback_given_to_ebe"]
O_FEEDBACK_WITHHELD_TO_EBE = COLUMN["feedback_withheld_to_ebe"]
O_IRRITATION, O_IRRITATION_CROSS = COLUMN["irritation"], COLUMN["irritation_cross"]
O_TRUST_CROSS, O_EBE_STRESS = COLUMN["trust_cross"], COLUMN["ebe_stress"]
O_EXITS, O_HIRES = COLUMN["exits"], COLUMN["hires"]
O_CRITIQUE_RAISED = COLUMN["critique_raised"]
O_CRITIQUE_ACCEPTED = COLUMN["critique_accepted"]
O_DIALOGUE, O_WORKLOAD_PRESSURE = COLUMN["dialogue"], COLUMN["workload_pressure"]
O_RISK_AVOIDANCE = COLUMN["risk_avoidance"]


@jit(inline=True)
def professional_view(x, n):
    """Mean view ``x`` of the ``n`` professionals (seats ``0..n-1``, always present)."""
    total = 0.0
    for i in range(n):
        total += x[i]
    return total / n


@jit(inline=True)
def retaining(member, present, q, n, reference, ebe_view):
    """Present EBEs who retain the perspective.

    An EBE retains it while x - reference >= survival_fraction * (x at entry -
    reference), with a positive entry distance (``origin`` is the view at entry). With
    ``run.retention=ebe_mean`` the present EBEs' mean view and mean entry distance are
    judged instead, and all of them count as retaining when it holds.
    """
    fraction = q.run.survival_fraction
    holding = ebes = 0
    entries = 0.0
    for i in range(n, present.shape[0]):
        if present[i]:
            entry = member[ORIGIN, i] - reference
            ebes += 1
            entries += entry
            if entry > 0 and member[PERSPECTIVE, i] - reference >= fraction * entry:
                holding += 1
    if not q.derived.retention_by_mean:
        return holding
    mean_entry = entries / ebes if ebes else math.nan
    return ebes if mean_entry > 0 and ebe_view - reference >= fraction * mean_entry else 0


@jit(inline=True)
def perspective_state(holding, carried, ebe_present):
    """Retained before diffused before assimilated (EBEs present) or vacant."""
    if holding > 0:
        return RETAINED
    if carried:
        return DIFFUSED
    return ASSIMILATED if ebe_present > 0 else VACANT


@jit(inline=True)
def _cross_mean(relation, present, n, ebes):
    """Mean of a relation over professional-EBE pairs, both ways; NaN without an EBE."""
    total = 0.0
    for j in range(n, present.shape[0]):
        both = 0.0
        for i in range(n):
            both += relation[i, j] + relation[j, i]
        total += both * present[j]
    return total / (2 * n * ebes) if ebes else math.nan


@jit(inline=True)
def observe(s, p, ev, r, reference, gap, first, out):
    """The ``OBSERVED`` row of replicate ``r`` now: ``reference`` is the professionals'
    mean view in week 0, ``gap`` the week-0 distinctiveness; ``first`` marks week 0,
    which has no events and in which the team cannot have moved yet."""
    q = p.point[s.point[r]]
    m = s.flag.shape[2]
    n = q.derived.professionals
    member, present = s.member[r], s.flag[r, PRESENT]
    trust, irritation = s.relation[r, TRUST], s.relation[r, IRRITATION]
    team_view = professional_view(member[PERSPECTIVE], n)
    ebes = 0
    views = strains = rejections = 0.0
    for i in range(n, m):
        if present[i]:
            ebes += 1
            views += member[PERSPECTIVE, i]
            strains += member[STRESS, i]
            rejections += ev.review[r, REJECTION, i]
    ebe_view = views / ebes if ebes else math.nan
    out[:] = 0.0
    out[O_DISTINCTIVENESS] = ebe_view - team_view if ebes else 0.0
    out[O_EBE_PRESENT] = ebes
    out[O_TEAM_PERSPECTIVE] = team_view
    out[O_EBE_PERSPECTIVE] = ebe_view
    members = held = 0.0
    for i in range(m):
        if present[i]:
            members += 1
            row = 0.0
            for j in range(m):
                if present[j]:
                    row += irritation[i, j]
            held += row
    out[O_IRRITATION] = held / (members * (members - 1)) if members > 1 else math.nan
    out[O_IRRITATION_CROSS] = _cross_mean(irritation, present, n, ebes)
    out[O_TRUST_CROSS] = _cross_mean(trust, present, n, ebes)
    out[O_EBE_STRESS] = strains / ebes if ebes else math.nan
    out[O_WORKLOAD_PRESSURE] = s.team[r, WORKLOAD_PRESSURE]
    out[O_RISK_AVOIDANCE] = s.team[r, RISK_AVOIDANCE]
    if first:
        out[O_DECISION] = team_view
        out[O_REJECTION] = math.nan
    else:
        counts, seat = ev.feedback_counts[r], ev.seat[r]
        out[O_EXPERIENTIAL_SHARE] = ev.week[r, EXPERIENTIAL_SHARE]
        out[O_DECISION] = ev.week[r, DECISION]
        out[O_REJECTION] = rejections / ebes if ebes else math.nan
        out[O_FEEDBACK_GIVEN] = counts[ATTACK].sum() + counts[CONTENT].sum()
        out[O_FEEDBACK_WITHHELD] = counts[WITHHELD].sum()
        out[O_FEEDBACK_ATTACK] = counts[ATTACK].sum()
        out[O_FEEDBACK_GIVEN_TO_EBE] = counts[ATTACK, 1] + counts[CONTENT, 1]
        out[O_FEEDBACK_WITHHELD_TO_EBE] = counts[WITHHELD, 1]
        out[O_EXITS] = seat[EXITED].sum()
        out[O_HIRES] = seat[HIRED].sum()
        out[O_CRITIQUE_RAISED] = seat[RAISED].sum()
        out[O_CRITIQUE_ACCEPTED] = seat[ACCEPTED].sum()
        out[O_DIALOGUE] = ev.week[r, DIALOGUE]
    holding = retaining(member, present, q, n, reference, ebe_view)
    carried = (not first and gap > 0
               and team_view - reference >= q.run.diffusion_fraction * gap)
    state = perspective_state(holding, carried, ebes)
    out[O_STATE] = state
    out[O_ALIVE] = state <= DIFFUSED
    out[O_EBES_RETAINING] = holding
