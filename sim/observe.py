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
    AUTHORITY,
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
    RETAINS,
    REVIEWED,
    RISK_AVOIDANCE,
    RULE_CLARITY,
    RULE_DISCOUNT,
    RULE_SHADING,
    RULES_CHANGED,
    STRESS,
    TRUST,
    WITHHELD,
    WORKLOAD_PRESSURE,
)
from sim.outcomes import ASSIMILATED, COLUMN, DIFFUSED, RETAINED, VACANT

# columns of the record, named as in sim.outcomes.OBSERVED
O_STATE, O_ALIVE, O_EBES_RETAINING = COLUMN["state"], COLUMN["alive"], COLUMN["ebes_retaining"]
O_CARRIED = COLUMN["carried"]
O_DISTINCTIVENESS, O_EBE_PRESENT = COLUMN["distinctiveness"], COLUMN["ebe_present"]
O_PROFESSIONALS_PRESENT = COLUMN["professionals_present"]
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
O_PROFESSIONAL_EXITS = COLUMN["professional_exits"]
O_PROFESSIONAL_HIRES = COLUMN["professional_hires"]
O_AUTHORITY, O_RULES_CHANGED = COLUMN["authority"], COLUMN["rules_changed"]
O_EXPERIENTIAL_DISCOUNT = COLUMN["experiential_discount"]
O_RISK_SHADING, O_ROLE_CLARITY = COLUMN["risk_shading"], COLUMN["role_clarity"]


@jit(inline=True)
def professional_view(member, flag, r, n):
    """Mean view of the present professionals (seats ``0..n-1``; the state's ``member``
    and ``flag`` arrays)."""
    total = 0.0
    there = 0
    for i in range(n):
        if flag[r, PRESENT, i]:
            total += member[r, PERSPECTIVE, i]
            there += 1
    return total / there


@jit(inline=True)
def retaining(s, ev, q, r, n, reference, ebe_view):
    """Present EBEs who retain the perspective.

    An EBE retains it while x - reference >= survival_fraction * (x at entry -
    reference), with a positive entry distance (``origin`` is the view at entry). With
    ``run.retention=ebe_mean`` the present EBEs' mean view and mean entry distance are
    judged instead, and all of them count as retaining when it holds. Who retains is
    recorded per seat in ``ev``.
    """
    fraction = q.run.survival_fraction
    holding = ebes = 0
    entries = 0.0
    for i in range(n, s.flag.shape[2]):
        ev.seat[r, RETAINS, i] = False
        if s.flag[r, PRESENT, i]:
            entry = s.member[r, ORIGIN, i] - reference
            ebes += 1
            entries += entry
            if entry > 0 and s.member[r, PERSPECTIVE, i] - reference >= fraction * entry:
                ev.seat[r, RETAINS, i] = True
                holding += 1
    if not q.derived.retention_by_mean:
        return holding
    mean_entry = entries / ebes if ebes else math.nan
    holds = mean_entry > 0 and ebe_view - reference >= fraction * mean_entry
    for i in range(n, s.flag.shape[2]):
        ev.seat[r, RETAINS, i] = holds and s.flag[r, PRESENT, i]
    return ebes if holds else 0


@jit(inline=True)
def perspective_state(holding, carried, ebe_present):
    """Retained before diffused before assimilated (EBEs present) or vacant."""
    if holding > 0:
        return RETAINED
    if carried:
        return DIFFUSED
    return ASSIMILATED if ebe_present > 0 else VACANT


@jit(inline=True)
def _cross_mean(relations, flag, r, relation, n):
    """Mean of a relation over present professional-EBE pairs, both ways; NaN if none."""
    total = 0.0
    pairs = 0
    for j in range(n, flag.shape[2]):
        if not flag[r, PRESENT, j]:
            continue
        both = 0.0
        for i in range(n):
            if flag[r, PRESENT, i]:
                both += relations[r, relation, i, j] + relations[r, relation, j, i]
                pairs += 2
        total += both
    return total / pairs if pairs else math.nan


@jit(inline=True)
def week_events(ev, r, n, m, record, t):
    """Write what happened in replicate ``r``'s week (``ev``) into ``record[r, t]``: the
    case review, feedback, exits and hires, critique and dialogue."""
    reviewed = 0
    rejections = 0.0
    for i in range(n, m):
        if ev.seat[r, REVIEWED, i]:     # the EBEs the week's case review weighed
            reviewed += 1
            rejections += ev.review[r, REJECTION, i]
    counts = ev.feedback_counts
    record[r, t, O_EXPERIENTIAL_SHARE] = ev.week[r, EXPERIENTIAL_SHARE]
    record[r, t, O_DECISION] = ev.week[r, DECISION]
    record[r, t, O_REJECTION] = rejections / reviewed if reviewed else math.nan
    record[r, t, O_FEEDBACK_GIVEN] = (counts[r, ATTACK, 0] + counts[r, ATTACK, 1]
                                      + (counts[r, CONTENT, 0] + counts[r, CONTENT, 1]))
    record[r, t, O_FEEDBACK_WITHHELD] = counts[r, WITHHELD, 0] + counts[r, WITHHELD, 1]
    record[r, t, O_FEEDBACK_ATTACK] = counts[r, ATTACK, 0] + counts[r, ATTACK, 1]
    record[r, t, O_FEEDBACK_GIVEN_TO_EBE] = counts[r, ATTACK, 1] + counts[r, CONTENT, 1]
    record[r, t, O_FEEDBACK_WITHHELD_TO_EBE] = counts[r, WITHHELD, 1]
    exits = hires = raised = accepted = 0
    for i in range(n, m):
        exits += ev.seat[r, EXITED, i]
        hires += ev.seat[r, HIRED, i]
        raised += ev.seat[r, RAISED, i]
        accepted += ev.seat[r, ACCEPTED, i]
    record[r, t, O_EXITS] = exits
    record[r, t, O_HIRES] = hires
    leavers = newcomers = 0
    for i in range(n):
        leavers += ev.seat[r, EXITED, i]
        newcomers += ev.seat[r, HIRED, i]
    record[r, t, O_PROFESSIONAL_EXITS] = leavers
    record[r, t, O_PROFESSIONAL_HIRES] = newcomers
    record[r, t, O_CRITIQUE_RAISED] = raised
    record[r, t, O_CRITIQUE_ACCEPTED] = accepted
    record[r, t, O_DIALOGUE] = ev.week[r, DIALOGUE]


@jit
def observe(s, p, ev, r, reference, gap, first, record, t):
    """Write the ``OBSERVED`` row of replicate ``r`` now into ``record[r, t]``:
    ``reference`` is the professionals' mean view in week 0, ``gap`` the week-0
    distinctiveness; ``first`` marks week 0, which has no events and in which the team
    cannot have moved yet."""
    q = p.point[s.point[r]]
    m = s.flag.shape[2]
    n = q.derived.professionals
    team_view = professional_view(s.member, s.flag, r, n)
    ebes = 0
    views = strains = authority = 0.0
    for i in range(n, m):
        if s.flag[r, PRESENT, i]:
            ebes += 1
            views += s.member[r, PERSPECTIVE, i]
            strains += s.member[r, STRESS, i]
            authority += s.member[r, AUTHORITY, i]
    ebe_view = views / ebes if ebes else math.nan
    for c in range(record.shape[2]):
        record[r, t, c] = 0.0
    record[r, t, O_DISTINCTIVENESS] = ebe_view - team_view if ebes else 0.0
    record[r, t, O_EBE_PRESENT] = ebes
    record[r, t, O_TEAM_PERSPECTIVE] = team_view
    record[r, t, O_EBE_PERSPECTIVE] = ebe_view
    members = held = 0.0
    for i in range(m):
        if s.flag[r, PRESENT, i]:
            members += 1
            if i < n:
                record[r, t, O_PROFESSIONALS_PRESENT] += 1
            row = 0.0
            for j in range(m):
                if s.flag[r, PRESENT, j]:
                    row += s.relation[r, IRRITATION, i, j]
            held += row
    record[r, t, O_IRRITATION] = held / (members * (members - 1)) if members > 1 else math.nan
    record[r, t, O_IRRITATION_CROSS] = _cross_mean(s.relation, s.flag, r, IRRITATION, n)
    record[r, t, O_TRUST_CROSS] = _cross_mean(s.relation, s.flag, r, TRUST, n)
    record[r, t, O_EBE_STRESS] = strains / ebes if ebes else math.nan
    record[r, t, O_AUTHORITY] = authority / ebes if ebes else math.nan
    record[r, t, O_WORKLOAD_PRESSURE] = s.team[r, WORKLOAD_PRESSURE]
    record[r, t, O_RISK_AVOIDANCE] = s.team[r, RISK_AVOIDANCE]
    record[r, t, O_EXPERIENTIAL_DISCOUNT] = s.team[r, RULE_DISCOUNT]
    record[r, t, O_RISK_SHADING] = s.team[r, RULE_SHADING]
    record[r, t, O_ROLE_CLARITY] = s.team[r, RULE_CLARITY]
    record[r, t, O_RULES_CHANGED] = s.team[r, RULES_CHANGED]
    if first:
        record[r, t, O_DECISION] = team_view
        record[r, t, O_REJECTION] = math.nan
    else:
        week_events(ev, r, n, m, record, t)
    holding = retaining(s, ev, q, r, n, reference, ebe_view)
    carried = (not first and gap > 0
               and team_view - reference >= q.run.diffusion_fraction * gap)
    state = perspective_state(holding, carried, ebes)
    record[r, t, O_STATE] = state
    record[r, t, O_ALIVE] = state <= DIFFUSED
    record[r, t, O_CARRIED] = carried
    record[r, t, O_EBES_RETAINING] = holding
