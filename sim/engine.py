"""The engine: each replicate's weeks in one compiled call, replicate by replicate.

Schedule of a week (ODD 'process overview and scheduling'):
``workload_pressure`` -> ``production_pull`` -> ``case_review`` -> ``social_influence``
-> ``feedback_exchange`` -> ``dialogue`` -> ``identity_threat`` -> ``bridge_critique``
-> ``experiential_authority`` -> ``stress`` -> ``ebe_exit`` -> ``professional_exit``
-> ``rehiring`` -> clocks and ``observe``.

Every replicate draws a fixed block of uniforms per week from its own stream
(:mod:`sim.streams`) and is advanced by the same compiled code whether it runs alone
(:class:`~sim.model.TeamModel`) or as one of thousands, so its trajectory carries the
same bits either way. A batch runs each replicate through all its weeks before the next
(:func:`advance`: its state stays in the processor's cache); ``TeamEngine.step`` advances
all of them by one week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.authority import experiential_authority
from sim.case_review import case_review
from sim.critique import bridge_critique
from sim.events import WeekEvents, new_events
from sim.feedback import dialogue, feedback_exchange
from sim.identity_threat import identity_threat
from sim.jit import jit
from sim.layout import (
    ACCEPTANCE,
    ACCEPTED,
    CRISIS,
    DECISION,
    DIALOGUE,
    EXITED,
    EXPERIENTIAL_SHARE,
    GIVER,
    HIRED,
    KIND,
    PRESENT,
    RAISED,
    RECEIVER,
    REJECTION,
    SENIORITY,
    TENURE,
)
from sim.observe import O_DISTINCTIVENESS, observe, professional_view
from sim.outcomes import OBSERVED
from sim.parameters import Team
from sim.pressure import production_pull, workload_pressure
from sim.social_influence import social_influence
from sim.state import TRAIT_DRAWS, TeamState, initial_state, new_state
from sim.streams import WEEKLY, fill
from sim.turnover import ebe_exit, professional_exit, rehiring, stress


@jit
def advance(s, p, ev, r, reference, gap, record, u, hire_u, views, heeded, attacks, traits,
            present):
    """Weeks ``1..T`` of replicate ``r``, each in the ODD's order, observed into
    ``record[r, t]``. ``u`` receives a week's uniforms: crisis, dialogue, a risk per case,
    one per ordered pair (feedback), then one per seat for noise, critique and exit; the
    arguments after ``record`` are work space.

    The submodels are inlined into this function when it is compiled, and all weeks of a
    replicate run in this one call: a compiled call takes a reference to every array of
    the state, parameters and events at its entry and drops it at its exit (atomic counts,
    a fifth of the engine's time when each week was a call). Inlining this function into
    ``run_weeks`` instead costs about 4 s more compile time for no speed."""
    k = s.point[r]
    q = p.point[k]
    m = s.flag.shape[2]
    n = q.derived.professionals
    feedback = 2 + q.behaviour.cases_per_week
    noise = feedback + m * m
    for t in range(1, record.shape[1]):
        fill(s.rng, r, WEEKLY, u)
        ev.week[r, CRISIS] = workload_pressure(s, q, r, u[0])
        production_pull(s, p, q, r)
        for i in range(m):
            present[i] = s.flag[r, PRESENT, i]   # who is there as the week starts
        team_view = professional_view(s.member, s.flag, r, n)
        case_review(s, p, q, k, r, u, 2, present, team_view, ev)
        social_influence(s, p, q, k, r, ev.week[r, DECISION], present, u, noise, views,
                         heeded)
        feedback_exchange(s, p, q, k, r, u, feedback, present, ev, attacks)
        ev.week[r, DIALOGUE] = dialogue(s, q, r, u[1])
        identity_threat(s, p, q, r, present)
        bridge_critique(s, p, q, r, u, noise + m, present, ev)
        experiential_authority(s, p, q, r, present, ev, attacks)
        stress(s, p, q, r, present)
        ebe_exit(s, p, q, r, u, noise + 2 * m, ev)
        professional_exit(s, q, r, u, noise + 2 * m, ev)
        rehiring(s, p, q, k, r, ev, hire_u, traits)
        for i in range(m):
            s.member[r, TENURE, i] += s.flag[r, PRESENT, i]
            s.member[r, SENIORITY, i] += s.flag[r, PRESENT, i]
        observe(s, p, ev, r, reference, gap, t == 0, record, t)   # see run_weeks


@jit
def run_weeks(s, p, ev, reference, gap, record, first):
    """Advance every replicate through weeks ``1..T`` of ``record`` ``(R, T + 1, K)``,
    one replicate after another, writing week ``t``'s observation into ``record[r, t]``.

    With ``first``, week 0 is made first (``initial_state``) and observed into
    ``record[r, 0]``, which also sets each replicate's ``reference`` (the professionals'
    mean view: the run's system world) and ``gap`` (the week-0 distinctiveness).
    """
    m = s.flag.shape[2]
    draws = 2 + p.point[0].behaviour.cases_per_week + m * m + 3 * m
    u, hire_u = np.empty(draws), np.empty(TRAIT_DRAWS * m)
    views, heeded, attacks, traits = np.empty(m), np.empty(m), np.empty(m), np.empty((4, m))
    present = np.empty(m, np.bool_)
    for r in range(record.shape[0]):
        if first:
            initial_state(s, p, r, hire_u, traits)
            reference[r] = professional_view(s.member, s.flag, r,
                                             p.point[s.point[r]].derived.professionals)
            # ``first`` and ``week`` are typed bool and int64, not literals (True, 0), as
            # ``t == 0`` and ``t`` are in ``advance``: one compiled observe serves both calls
            week = np.int64(0)
            observe(s, p, ev, r, reference[r], 0.0, first, record, week)
            gap[r] = record[r, 0, O_DISTINCTIVENESS]
        advance(s, p, ev, r, reference[r], gap[r], record, u, hire_u, views, heeded, attacks,
                traits, present)


@dataclass
class Review:
    decision: np.ndarray            # (R,)
    experiential_share: np.ndarray  # (R,)
    acceptance: np.ndarray          # (M, R)
    rejection: np.ndarray           # (M, R)


@dataclass
class Feedback:
    """The week's feedback occasions: giver toward receiver, of a kind (0 withheld,
    1 taken as a personal attack, 2 taken as about the work)."""

    replicate: np.ndarray
    giver: np.ndarray
    receiver: np.ndarray
    kind: np.ndarray


@dataclass
class Critique:
    raised: np.ndarray    # (E, R) bool, per EBE seat
    accepted: np.ndarray  # (E, R) bool


@dataclass
class Week:
    """Everything that happened in the latest week, for narration (member axis first)."""

    review: Review
    feedback: Feedback
    critique: Critique
    dialogue: np.ndarray  # (R,) bool
    crisis: np.ndarray    # (R,) bool
    exits: np.ndarray     # (M, R) bool
    hires: np.ndarray     # (M, R) bool

    @classmethod
    def of(cls, ev: WeekEvents, ebe_seats: slice) -> Week:
        number = ev.feedback_counts.sum(axis=(1, 2))
        rows = np.repeat(np.arange(len(number)), number)
        cols = np.concatenate([np.arange(n) for n in number]) if len(number) else rows
        events = ev.feedback[rows, :, cols]
        return cls(
            review=Review(ev.week[:, DECISION].copy(), ev.week[:, EXPERIENTIAL_SHARE].copy(),
                          ev.review[:, ACCEPTANCE].T.copy(), ev.review[:, REJECTION].T.copy()),
            feedback=Feedback(rows, events[:, GIVER], events[:, RECEIVER], events[:, KIND]),
            critique=Critique(ev.seat[:, RAISED, ebe_seats].T.copy(),
                              ev.seat[:, ACCEPTED, ebe_seats].T.copy()),
            dialogue=ev.week[:, DIALOGUE] > 0, crisis=ev.week[:, CRISIS] > 0,
            exits=ev.seat[:, EXITED].T.copy(), hires=ev.seat[:, HIRED].T.copy())


class TeamEngine:
    """A block of replicates of one team (one or several points), advanced week by week.

    ``point_of`` names each replicate's point when the team holds several
    (:func:`sim.parameters.stack_parameters`); by default all belong to the first.
    """

    def __init__(self, team: Team, seed: int, replicates: Sequence[int],
                 point_of: Sequence[int] | None = None):
        self.team = team
        self.params = team.parameters
        self.state: TeamState = new_state(team, seed, replicates, point_of)
        self.events = new_events(len(replicates), team.seats)
        self.week = 0
        self.reference = np.empty(len(replicates))   # set by week 0
        self.gap = np.empty(len(replicates))
        week0 = np.empty((len(replicates), 1, len(OBSERVED)))
        run_weeks(self.state, self.params, self.events, self.reference, self.gap, week0, True)
        self.observation = week0[:, 0]

    @property
    def last(self) -> Week | None:
        """The events of the latest week (None before the first)."""
        return Week.of(self.events, self.team.ebe_seats) if self.week else None

    def step(self) -> Week:
        """Advance every replicate by one week; return the week's events."""
        self.run(1)
        return self.last

    def run(self, weeks: int, out: np.ndarray | None = None) -> np.ndarray:
        """Run ``weeks`` weeks; return observations ``(R, weeks + 1, len(OBSERVED))``
        (week 0 = now), written into ``out`` if given."""
        shape = (self.state.replicates, weeks + 1, len(OBSERVED))
        record = np.empty(shape) if out is None else out
        if record.shape != shape:
            raise ValueError(f"out has shape {record.shape}, expected {shape}")
        record[:, 0] = self.observation
        run_weeks(self.state, self.params, self.events, self.reference, self.gap, record,
                  False)
        self.observation = record[:, -1].copy()
        self.week += weeks
        return record
