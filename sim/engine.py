"""The batched engine: one step function advances every replicate of one point.

Schedule of a week (ODD 'process overview and scheduling'):
``workload_pressure`` -> ``production_pull`` -> ``case_review`` -> ``social_influence``
-> ``feedback_exchange`` -> ``dialogue`` -> ``identity_threat`` -> ``bridge_critique``
-> ``stress`` -> ``ebe_exit`` -> ``rehiring`` -> clocks and observation.

Every replicate draws its own block of uniforms per week from its own stream
(:mod:`sim.streams`), so a replicate's trajectory is the same whether it runs alone
(:class:`~sim.model.TeamModel`) or as one of thousands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.arrays import count, divisor, member_sum
from sim.case_review import Review, case_review
from sim.critique import Critique, bridge_critique
from sim.feedback import ATTACK, CONTENT, WITHHELD, Feedback, dialogue, feedback_exchange
from sim.identity_threat import identity_threat
from sim.outcomes import COLUMN, DIFFUSED, OBSERVED, distinctiveness, perspective_state
from sim.parameters import Parameters
from sim.pressure import production_pull, workload_pressure
from sim.social_influence import social_influence
from sim.state import TRAIT_DRAWS, TeamState, initial_state
from sim.streams import ReplicateStreams
from sim.turnover import ebe_exit, rehiring, stress


@dataclass
class Week:
    """Everything that happened in one week, for observation and narration."""

    review: Review
    feedback: Feedback
    critique: Critique
    dialogue: np.ndarray  # (R,) bool
    crisis: np.ndarray    # (R,) bool
    exits: np.ndarray     # (R, M) bool
    hires: np.ndarray     # (R, M) bool


class TeamEngine:
    """A block of replicates of one parameter point, advanced week by week."""

    def __init__(self, params: Parameters, seed: int, replicates: Sequence[int]):
        self.params = params
        self.streams = ReplicateStreams(seed, replicates)
        self.state = initial_state(params, self.streams.uniforms(params.seats * TRAIT_DRAWS))
        self.layout = draw_layout(params)
        self.last: Week | None = None
        # the system world of the run: the professionals' mean view in week 0
        self.reference = professional_view(self.state, params)
        self.observation = observe(self.state, params, None, self.reference, None)
        # the week-0 gap between the EBEs and the reference (0 with no EBE)
        self.gap = self.observation[:, COLUMN["distinctiveness"]].copy()

    def _split(self, u: np.ndarray) -> dict[str, np.ndarray]:
        """Cut a week's ``(draws_per_week, R)`` uniforms into the submodels' parts."""
        return {name: u[rows] if len(shape) < 2 else u[rows].reshape(*shape, u.shape[1])
                for name, rows, shape in self.layout}

    def step(self) -> Week:
        """Advance every replicate by one week; return the week's events."""
        s, p = self.state, self.params
        u = self._split(self.streams.week(p.draws_per_week))
        crisis = workload_pressure(s, p, u["crisis"])
        production_pull(s, p)
        present = s.present.copy()
        team_view = professional_view(s, p)
        review = case_review(s, p, u["risk"], present, team_view)
        social_influence(s, p, review.decision, present, u["noise"])
        feedback = feedback_exchange(s, p, u["feedback"], present)
        held = dialogue(s, p, u["dialogue"])
        identity_threat(s, p, present)
        critique = bridge_critique(s, p, u["critique"], present, review.acceptance)
        stress(s, p, present)
        exits = ebe_exit(s, p, u["exit"])
        hires = rehiring(s, p, self.streams)
        s.tenure += s.present
        s.seniority += s.present
        s.week += 1
        self.last = Week(review, feedback, critique, held, crisis, exits, hires)
        self.observation = observe(s, p, self.last, self.reference, self.gap)
        return self.last

    def run(self, weeks: int, out: np.ndarray | None = None) -> np.ndarray:
        """Run ``weeks`` weeks; return observations ``(R, weeks + 1, len(OBSERVED))``,
        written into ``out`` if given."""
        shape = (self.state.replicates, weeks + 1, len(OBSERVED))
        record = np.empty(shape) if out is None else out
        if record.shape != shape:
            raise ValueError(f"out has shape {record.shape}, expected {shape}")
        record[:, 0] = self.observation
        for t in range(1, weeks + 1):
            self.step()
            record[:, t] = self.observation
        return record


def draw_layout(p: Parameters) -> list[tuple[str, int | slice, tuple[int, ...]]]:
    """The fixed order of a week's uniforms: name, row(s) of the block, shape per replicate."""
    m, k = p.seats, p.cfg.behaviour.cases_per_week
    shapes = {"crisis": (), "dialogue": (), "risk": (k,), "feedback": (m, m), "noise": (m,),
              "critique": (m,), "exit": (m,)}
    layout, start = [], 0
    for name, shape in shapes.items():
        width = int(np.prod(shape))
        layout.append((name, slice(start, start + width) if shape else start, shape))
        start += width
    assert start == p.draws_per_week
    return layout


def professional_view(s: TeamState, p: Parameters) -> np.ndarray:
    """Mean view of the professionals (all present: only EBE seats fall vacant), ``(R,)``."""
    return member_sum(s.perspective[:p.professionals]) / p.professionals


def cross_means(relations: tuple[np.ndarray, ...], ebe_present: np.ndarray,
                p: Parameters) -> list[np.ndarray]:
    """Mean of each relation over professional-EBE pairs, both ways; NaN if no EBE.

    ``ebe_present`` ``(E, R)``; professionals are always present.
    """
    n, e = p.professionals, p.ebe_seats
    pairs = divisor(2 * n * count(ebe_present))
    return [member_sum(member_sum(r[:n, e] + r[e, :n].transpose(1, 0, 2)) * ebe_present)
            / pairs for r in relations]


def retaining(s: TeamState, p: Parameters, ebe: np.ndarray, ebe_view: np.ndarray,
              reference: np.ndarray) -> np.ndarray:
    """Present EBEs who retain the perspective, per replicate ``(R,)``.

    An EBE retains it while x - reference >= survival_fraction * (x at entry - reference),
    with a positive entry distance (``origin`` is the view at entry). With
    ``run.retention=ebe_mean`` the present EBEs' mean view and mean entry distance are
    judged instead, and all of them count as retaining when it holds.
    """
    run = p.cfg.run
    entry = s.origin - reference
    if run.retention == "ebe_mean":
        mean_entry = member_sum(entry * ebe) / divisor(count(ebe))
        holds = (mean_entry > 0) & (ebe_view - reference >= run.survival_fraction * mean_entry)
        return np.where(holds, count(ebe), 0)
    holds = ebe & (entry > 0) & (s.perspective - reference >= run.survival_fraction * entry)
    return count(holds)


def observe(s: TeamState, p: Parameters, week: Week | None, reference: np.ndarray,
            gap: np.ndarray | None) -> np.ndarray:
    """The ``OBSERVED`` variables of the current state and week, ``(R, K)``.

    ``reference`` is the professionals' mean view in week 0 and ``gap`` the week-0
    distinctiveness (``None`` in week 0 itself, when the team cannot have moved yet).
    """
    reps = s.replicates
    out = np.zeros((len(OBSERVED), reps))
    col = COLUMN
    present = s.present
    ebe = present & p.ebe_mask
    ebe_count = count(ebe)
    per_ebe = divisor(ebe_count)
    team_view = professional_view(s, p)
    ebe_view = member_sum(s.perspective * ebe) / per_ebe
    dist = distinctiveness(ebe_view, team_view)
    out[col["distinctiveness"]] = dist
    out[col["ebe_present"]] = ebe_count
    out[col["team_perspective"]] = team_view
    out[col["ebe_perspective"]] = ebe_view
    # mean over present ordered pairs i != j (irritation is 0 on the diagonal)
    members = count(present)
    presence = present * 1.0  # float: a float product streams faster than a mixed one
    held = member_sum(member_sum(s.irritation * presence, 1) * presence)
    out[col["irritation"]] = held / np.where(members > 1, members * (members - 1), np.nan)
    out[col["irritation_cross"]], out[col["trust_cross"]] = cross_means(
        (s.irritation, s.trust), present[p.ebe_seats], p)
    out[col["ebe_stress"]] = member_sum(s.stress * ebe) / per_ebe
    out[col["workload_pressure"]] = s.workload_pressure
    out[col["risk_avoidance"]] = s.risk_avoidance
    if week is None:
        out[col["decision"]] = team_view
        out[col["rejection"]] = np.nan
    else:
        counts = week.feedback.counts(reps, p.is_ebe)  # (R, kind, toward an EBE)
        kinds = counts[:, :, 0] + counts[:, :, 1]
        out[col["experiential_share"]] = week.review.experiential_share
        out[col["decision"]] = week.review.decision
        out[col["rejection"]] = member_sum(week.review.rejection * ebe) / per_ebe
        out[col["feedback_given"]] = kinds[:, ATTACK] + kinds[:, CONTENT]
        out[col["feedback_withheld"]] = kinds[:, WITHHELD]
        out[col["feedback_attack"]] = kinds[:, ATTACK]
        out[col["feedback_given_to_ebe"]] = counts[:, ATTACK, 1] + counts[:, CONTENT, 1]
        out[col["feedback_withheld_to_ebe"]] = counts[:, WITHHELD, 1]
        out[col["exits"]] = count(week.exits)
        out[col["hires"]] = count(week.hires)
        out[col["critique_raised"]] = count(week.critique.raised)
        out[col["critique_accepted"]] = count(week.critique.accepted)
        out[col["dialogue"]] = week.dialogue
    holding = retaining(s, p, ebe, ebe_view, reference)
    carried = (np.zeros(reps, bool) if gap is None else
               (gap > 0) & (team_view - reference >= p.cfg.run.diffusion_fraction * gap))
    state = perspective_state(holding, carried, ebe_count)
    out[col["state"]] = state
    out[col["alive"]] = state <= DIFFUSED  # retained or diffused
    out[col["ebes_retaining"]] = holding
    return out.T
