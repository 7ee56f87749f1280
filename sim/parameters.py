"""Flatten a validated :class:`~sim.config.Config` into the arrays the engine reads.

The team layout (which seat holds which role) is fixed for a parameter point: EBE seats
may fall vacant and be refilled, professionals stay. Seat order: professionals in the
order of ``team.disciplines`` (final responsibility first), then the EBE seats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.config import EBE, Config, ebe_count, validate


def staffing(cfg: Config) -> list[str]:
    """Role of every seat: professionals (largest-remainder rescaled to ``team.size``), EBEs."""
    team = cfg.team
    n_ebe = ebe_count(cfg)
    counts = {d: n for d, n in team.disciplines.items() if n > 0}
    if team.size is not None:
        target = team.size - n_ebe
        total = sum(counts.values())
        quota = {d: n * target / total for d, n in counts.items()}
        counts = {d: int(math.floor(q)) for d, q in quota.items()}
        counts[team.final_responsibility] = max(1, counts[team.final_responsibility])
        order = sorted(quota, key=lambda d: (quota[d] - math.floor(quota[d]), -len(d)),
                       reverse=True)
        i = 0
        while sum(counts.values()) < target:
            counts[order[i % len(order)]] += 1
            i += 1
        while sum(counts.values()) > target:
            biggest = max((d for d in counts if d != team.final_responsibility),
                          key=lambda d: counts[d])
            counts[biggest] -= 1
    final = team.final_responsibility
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
    is_final: np.ndarray          # (M,) bool: the seat carrying final responsibility
    hierarchy: np.ndarray         # (M,) effective voice weight (weight ** steepness)
    perspective_mean: np.ndarray  # (M,)
    perspective_spread: np.ndarray  # (M,)
    tolerance_mean: np.ndarray    # (M,)
    cross: np.ndarray             # (M, M) bool: exactly one of the pair is an EBE
    offdiag: np.ndarray           # (M, M) bool
    initial_trust: np.ndarray     # (M, M)
    exposure: np.ndarray          # (M,) exposure to the team's pull
    contact: np.ndarray           # (M, M) how much i hears j in everyday work
    production_target: float      # pressure -> production share for an EBE
    extra_peers: float            # intervision and separate-team peers of every EBE
    voice_factor: float           # EBE presence at the case review
    critique_factor: float        # external EBEs voice critique more freely
    exit_weekly: float            # weekly exit hazard at zero strain

    @property
    def seats(self) -> int:
        return len(self.roles)

    ebe_seats: slice              # EBE seats are the last seats of the team

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
    is_final = np.zeros(len(roles), bool)
    is_final[0] = True
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
    return Parameters(
        cfg=cfg, roles=tuple(roles), is_ebe=is_ebe,
        ebe_seats=slice(int((~is_ebe).sum()), len(roles)), is_final=is_final, hierarchy=hierarchy,
        perspective_mean=mean, perspective_spread=spread, tolerance_mean=tolerance,
        cross=cross, offdiag=offdiag, initial_trust=trust0, exposure=exposure, contact=contact,
        production_target=pull, extra_peers=peers,
        voice_factor=0.6 if ebe.embedding == "separate" else 1.0,
        critique_factor=beh.external_critique if ebe.employment == "external" else 1.0,
        exit_weekly=1.0 - (1.0 - beh.exit_rate) ** (1.0 / 52.0),
    )
