"""State of a block of replicates of one team, and the traits of new members (ODD 2, 5).

Members are seats ``0..M-1`` (see :func:`sim.parameters.staffing`). The replicate axis
comes first, and variables of one kind share an array, a row per variable:

* ``member`` ``(R, len(MEMBER), M)``: ``state.member[r, STRESS, i]`` is member ``i``'s
  stress in replicate ``r``;
* ``flag`` ``(R, len(FLAG), M)``: ``TRAINED``, ``PRESENT``;
* ``relation`` ``(R, len(RELATION), M, M)``: ``[r, TRUST, i, j]`` is the trust of ``i``
  in ``j``;
* ``team`` ``(R, len(TEAM))``: pressure, risk avoidance, room, and the team's rules.

The rows are named in :mod:`sim.layout`.

So a replicate's whole state is a few small blocks that stay in the processor's cache,
and the compiled mechanisms take few arguments. In Python, ``state.stress`` (and every
other name of ``MEMBER``, ``FLAG``, ``RELATION``, ``TEAM``) is the view ``(R, M)``,
``(R, M, M)`` or ``(R,)`` of that variable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from sim.jit import exp2, jit, ndtri
from sim.layout import (
    ANCHOR,
    ANCHOR_STRENGTH,
    AUTHORITY,
    FEEDBACK_TOLERANCE,
    FLAG,
    INITIAL_TRUST,
    MEMBER,
    ORIGIN,
    PERSPECTIVE,
    PERSPECTIVE_MEAN,
    PERSPECTIVE_SPREAD,
    PRESENT,
    RELATION,
    RISK_AVOIDANCE,
    ROOM,
    RULE_CLARITY,
    RULE_DISCOUNT,
    RULE_SHADING,
    SENIORITY,
    TEAM,
    TOLERANCE_MEAN,
    TRAINED,
    TRUST,
    WORKLOAD_PRESSURE,
)
from sim.parameters import Team
from sim.pressure import pressure_effects
from sim.streams import WEEKLY, fill, streams

TRAIT_DRAWS = 4  # uniforms per member for member_traits
LN2 = float(np.log(2.0))


class TeamState(NamedTuple):
    """Every state variable of the ODD's 'entities, state variables and scales'."""

    member: np.ndarray    # (R, len(MEMBER), M) float
    flag: np.ndarray      # (R, len(FLAG), M) bool
    relation: np.ndarray  # (R, len(RELATION), M, M) float
    team: np.ndarray      # (R, len(TEAM)) float
    point: np.ndarray     # (R,) int: the parameter point of each replicate
    rng: np.ndarray       # (R, 2, 4) uint64: PCG64 states of the weekly and hire streams

    @property
    def replicates(self) -> int:
        return self.member.shape[0]


def _view(array: str, row: int):
    return property(lambda state: getattr(state, array)[:, row],
                    doc=f"``{array}[:, {row}]``")


for _array, _names in (("member", MEMBER), ("flag", FLAG), ("relation", RELATION),
                       ("team", TEAM)):
    for _row, _name in enumerate(_names):
        setattr(TeamState, _name, _view(_array, _row))


def new_state(team: Team, seed: int, replicates: Sequence[int],
              point_of: Sequence[int] | None = None) -> TeamState:
    """The ``replicates`` of ``team`` (replicate ``r`` of point ``point_of[r]``), their
    streams seeded; :func:`initial_state` then fills in week 0."""
    reps, m = len(replicates), team.seats
    s = TeamState(
        member=np.zeros((reps, len(MEMBER), m)), flag=np.zeros((reps, len(FLAG), m), bool),
        relation=np.zeros((reps, len(RELATION), m, m)), team=np.zeros((reps, len(TEAM))),
        point=np.zeros(reps, np.int64) if point_of is None else np.asarray(point_of, np.int64),
        rng=streams(seed, replicates))
    return s


@jit
def member_traits(p, k, u, traits, m):
    """Traits of new members in seats ``0..m-1`` of point ``k`` from uniforms ``u`` of
    length ``TRAIT_DRAWS * m`` (draw ``d`` of seat ``i`` is ``u[d * m + i]``), written to
    ``traits`` ``(4, m)``: perspective, trained, tolerance, anchor strength.

    Used at initialisation and for every hire, so both follow one rule: perspective
    normal around the role mean; trained with ``ebe.trained_share``; feedback tolerance
    uniform within +-0.1 of the role mean; an EBE's anchor strength log-normal.
    """
    ebe = p.point[k].ebe
    professional_anchor = p.point[k].team.professional_anchor
    for i in range(m):
        view = p.seat[k, PERSPECTIVE_MEAN, i] + p.seat[k, PERSPECTIVE_SPREAD, i] * ndtri(u[i])
        traits[0, i] = min(max(view, 0.0), 1.0)
        traits[2, i] = min(max(p.seat[k, TOLERANCE_MEAN, i] + 0.2 * (u[2 * m + i] - 0.5), 0.0),
                           1.0)
        if p.is_ebe[i]:
            traits[1, i] = u[m + i] < ebe.trained_share
            log2_strength = ebe.anchor_heterogeneity * ndtri(u[3 * m + i]) / LN2
            traits[3, i] = ebe.anchor_strength * exp2(log2_strength)
        else:
            traits[1, i] = False
            traits[3, i] = professional_anchor


@jit
def initial_state(s, p, r, u, traits):
    """Week 0 of replicate ``r``: members' traits from the first ``TRAIT_DRAWS * M``
    uniforms of its weekly stream (``u``, ``traits``: work space); trust as configured,
    no irritation; EBEs with the granted authority; the team's rules as configured;
    pressure at the caseload."""
    m = s.flag.shape[2]
    k = s.point[r]
    q = p.point[k]
    fill(s.rng, r, WEEKLY, u)
    member_traits(p, k, u, traits, m)
    seniority = float(q.ebe.seniority_weeks)
    for i in range(m):
        s.member[r, PERSPECTIVE, i] = s.member[r, ANCHOR, i] = traits[0, i]
        s.member[r, ORIGIN, i] = traits[0, i]
        s.flag[r, TRAINED, i] = traits[1, i] > 0
        s.flag[r, PRESENT, i] = True
        s.member[r, FEEDBACK_TOLERANCE, i] = traits[2, i]
        s.member[r, ANCHOR_STRENGTH, i] = traits[3, i]
        s.member[r, SENIORITY, i] = seniority if p.is_ebe[i] else 0.0
        s.member[r, AUTHORITY, i] = q.organisation.experiential_authority if p.is_ebe[i] else 0.0
        for j in range(m):
            s.relation[r, TRUST, i, j] = p.pair[k, INITIAL_TRUST, i, j]
    s.team[r, RULE_DISCOUNT] = q.behaviour.experiential_discount
    s.team[r, RULE_SHADING] = q.behaviour.risk_shading
    s.team[r, RULE_CLARITY] = q.organisation.role_clarity
    pressure = q.workload.caseload
    s.team[r, WORKLOAD_PRESSURE] = pressure
    s.team[r, RISK_AVOIDANCE], s.team[r, ROOM] = pressure_effects(pressure, q)
