"""Flatten a validated :class:`~sim.config.Config` into the arrays the engine reads.

The team layout (which seat holds which role) is fixed for a parameter point: EBE seats
may fall vacant and be refilled, professionals stay. Seat order: professionals in the
order of ``team.disciplines`` (final responsibility first), then the EBE seats.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass, replace

import numpy as np

from sim.authority import experiential_authority
from sim.config import EBE, Config, ebe_count, validate


def largest_remainder(counts: dict[str, int], seats: int) -> dict[str, int]:
    """Apportion ``seats`` in proportion to ``counts`` (Hamilton's largest-remainder rule).

    Each discipline gets the floor of its quota; the seats left go to the largest
    remainders, ties to the discipline listed first.
    """
    total = sum(counts.values())
    quota = {d: n * seats / total for d, n in counts.items()}
    shares = {d: math.floor(q) for d, q in quota.items()}
    order = sorted(quota, key=lambda d: quota[d] - shares[d], reverse=True)
    for d in order[:seats - sum(shares.values())]:
        shares[d] += 1
    return shares


def staffing(cfg: Config) -> list[str]:
    """Role of every seat: professionals first (final responsibility in seat 0), then EBEs.

    With ``team.size`` set, the professionals are rescaled to ``size - EBEs`` seats by the
    largest-remainder rule; a final-responsibility holder whose quota falls below one
    seat gets exactly one, and the other disciplines share the rest.
    """
    team = cfg.team
    n_ebe = ebe_count(cfg)
    final = team.final_responsibility
    counts = {d: n for d, n in team.disciplines.items() if n > 0}
    if team.size is not None:
        target = team.size - n_ebe
        if counts[final] * target < sum(counts.values()):   # quota below one seat
            others = {d: n for d, n in counts.items() if d != final}
            counts = {final: 1} | largest_remainder(others, target - 1)
        else:
            counts = largest_remainder(counts, target)
    roles = [final] * counts[final]
    for d, n in counts.items():
        if d != final:
            roles += [d] * n
    return roles + [EBE] * n_ebe


@dataclass(frozen=True)
class Parameters:
    """Numbers and per-seat arrays for one parameter point (M seats)."""

    cfg: Config
    roles: tuple[str, ...]
    is_ebe: np.ndarray            # (M,) bool
    ebe_mask: np.ndarray          # (M, 1) bool: is_ebe as a column, for masking state
    hierarchy: np.ndarray         # (M,) effective voice weight (weight ** steepness)
    # Arrays below end in a replicate axis of length 1 (one point) or R (a block of
    # points, see ``stack_parameters``); numbers are floats or (R,) arrays.
    weight: np.ndarray            # (M, 1|R) hierarchy as used by the engine
    perspective_mean: np.ndarray  # (M, 1|R)
    perspective_spread: np.ndarray  # (M, 1|R)
    tolerance_mean: np.ndarray    # (M, 1|R)
    cross: np.ndarray             # (M, M) bool: exactly one of the pair is an EBE
    offdiag: np.ndarray           # (M, M) bool
    initial_trust: np.ndarray     # (M, M, 1|R)
    exposure: np.ndarray          # (M, 1|R) exposure to the team's pull
    contact: np.ndarray           # (M, M, 1|R) how much i hears j in everyday work
    contact_all: bool             # contact is 1 for every pair (trust's diagonal is 0)
    authority_weight: np.ndarray  # (M, 1|R) experiential_authority: decision weight factor
    feedback_deference: np.ndarray  # (M, 1|R) experiential_authority: feedback to the seat
    production_target: float | np.ndarray  # pressure -> production share for an EBE
    extra_peers: float | np.ndarray  # intervision and separate-team peers of every EBE
    voice_factor: float           # EBE presence at the case review
    critique_factor: float        # external EBEs voice critique more freely
    exit_weekly: float | np.ndarray  # weekly exit hazard at zero strain
    log2_stress_hazard: float | np.ndarray  # log2 behaviour.stress_hazard_ratio
    log2_task_odds: float | np.ndarray      # log2 behaviour.extra_task_odds

    @property
    def seats(self) -> int:
        return len(self.roles)

    ebe_seats: slice              # EBE seats are the last seats of the team

    @property
    def professionals(self) -> int:
        """Seats ``0..n-1``: professionals, who never leave (only EBE seats fall vacant)."""
        return self.ebe_seats.start

    @property
    def draws_per_week(self) -> int:
        """Uniform numbers one replicate consumes per week (layout in :mod:`sim.engine`)."""
        m = self.seats
        return 2 + self.cfg.behaviour.cases_per_week + m * m + 3 * m


def build_parameters(cfg: Config) -> Parameters:
    """Validate ``cfg`` and derive the per-seat arrays."""
    validate(cfg)
    team, ebe, org, beh = cfg.team, cfg.ebe, cfg.organisation, cfg.behaviour
    roles = staffing(cfg)
    is_ebe = np.array([r == EBE for r in roles])
    weights = np.array([team.hierarchy_weight.get(r, 1.0) for r in roles], float)
    hierarchy = weights ** team.hierarchy_steepness
    mean = np.array([ebe.initial_perspective if r == EBE else team.initial_perspective[r]
                     for r in roles])
    spread = np.where(is_ebe, ebe.perspective_spread, team.perspective_spread)
    tolerance = np.where(is_ebe, ebe.feedback_tolerance, team.feedback_tolerance)
    cross = is_ebe[:, None] != is_ebe[None, :]
    offdiag = ~np.eye(len(roles), dtype=bool)
    trust0 = np.where(cross, ebe.initial_trust, team.initial_trust) * offdiag
    distant = ebe.employment == "external" or ebe.embedding == "separate"
    exposure = np.where(is_ebe & distant, beh.external_exposure, 1.0)
    contact = np.where(cross & distant, beh.external_exposure, 1.0) * offdiag
    pull = (1 - org.role_clarity) * (0.3 if ebe.employment == "external" else 1.0)
    peers = org.intervision * beh.intervision_peers + (
        beh.separate_team_peers if ebe.embedding == "separate" else 0.0)
    authority_weight, feedback_deference = experiential_authority(cfg, is_ebe)
    return Parameters(
        cfg=cfg, roles=tuple(roles), is_ebe=is_ebe, ebe_mask=is_ebe[:, None],
        ebe_seats=slice(int((~is_ebe).sum()), len(roles)), hierarchy=hierarchy,
        weight=hierarchy[:, None], perspective_mean=mean[:, None],
        perspective_spread=spread[:, None], tolerance_mean=tolerance[:, None],
        cross=cross, offdiag=offdiag, initial_trust=trust0[:, :, None],
        exposure=exposure[:, None], contact=contact[:, :, None],
        contact_all=bool(np.array_equal(contact, offdiag)),
        authority_weight=authority_weight, feedback_deference=feedback_deference,
        production_target=pull, extra_peers=peers,
        voice_factor=0.6 if ebe.embedding == "separate" else 1.0,
        critique_factor=beh.external_critique if ebe.employment == "external" else 1.0,
        exit_weekly=1.0 - (1.0 - beh.exit_rate) ** (1.0 / 52.0),
        log2_stress_hazard=math.log2(beh.stress_hazard_ratio),
        log2_task_odds=math.log2(beh.extra_task_odds),
    )


PER_REPLICATE = ("weight", "perspective_mean", "perspective_spread", "tolerance_mean",
                 "initial_trust", "exposure", "contact", "authority_weight",
                 "feedback_deference", "production_target", "extra_peers",
                 "exit_weekly", "log2_stress_hazard", "log2_task_odds")


def _same(a, b) -> bool:
    return np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b


def _stacked(values: list, replicates: int, path: str):
    """One value if all points agree, else the points' values repeated per replicate
    along the last axis; only floats (and arrays derived from them) may differ."""
    first = values[0]
    if all(_same(v, first) for v in values[1:]):
        return first
    if isinstance(first, np.ndarray):  # (..., 1) per point
        return np.repeat(np.concatenate(values, axis=-1), replicates, axis=-1)
    if all(isinstance(v, float) for v in values):
        return np.repeat(np.array(values), replicates)
    raise ValueError(f"{path} differs between the points of a block; only float parameters "
                     "may differ")


def _stack_section(sections: list, path: str, replicates: int):
    first = sections[0]
    if not is_dataclass(first):
        return _stacked(sections, replicates, path)
    return replace(first, **{f.name: _stack_section([getattr(s, f.name) for s in sections],
                                                    f"{path}.{f.name}" if path else f.name,
                                                    replicates)
                             for f in fields(first)})


def stack_parameters(cfgs: Sequence[Config], replicates: int) -> Parameters:
    """Parameters of a block of points advanced together, ``replicates`` columns each.

    The points must share the team layout and every non-float setting; their float
    parameters become per-replicate arrays along the replicate axis, and every derived
    array is computed per point by :func:`build_parameters` (so a point's numbers are
    the same bits as when it runs alone). Used by the global sensitivity analysis.
    """
    singles = [build_parameters(cfg) for cfg in cfgs]
    first = singles[0]
    for cfg, single in zip(cfgs[1:], singles[1:], strict=True):
        if single.roles != first.roles:
            raise ValueError(f"points of a block need the same team layout: {cfg.label} has "
                             f"{len(single.roles)} seats, {cfgs[0].label} {len(first.roles)}")
    stacked = {name: _stacked([getattr(q, name) for q in singles], replicates, name)
               for name in PER_REPLICATE}
    stacked["contact_all"] = all(q.contact_all for q in singles)
    return replace(first, cfg=_stack_section(list(cfgs), "", replicates), **stacked)
