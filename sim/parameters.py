"""What the mechanisms read: a validated :class:`~sim.config.Config` as numbers and arrays.

:class:`Parameters` is the one route from the configuration to the mechanisms. Its
``point`` holds one record per parameter point whose fields are generated from the
schema (``q.behaviour.conformity``, ``q.workload.caseload``, ...) plus a few derived
numbers (``q.derived``); per-seat and per-pair arrays (hierarchy weight, mean view,
trust at the start, ...) are computed per point. A block of several points (a
sensitivity design) is the same structure with more records: every replicate column
names its point, and each point's numbers are exactly those it has when it runs alone.

:class:`Team` adds what people read: the config, the role of every seat. The team
layout is fixed for a parameter point: any seat may fall vacant and be refilled by a
newcomer in the same role. Seat order: the final-responsibility holder in seat 0, the
other professionals in the order of ``team.disciplines``, then the EBE seats.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from sim.config import EBE, Config, ebe_count, validate
from sim.layout import PAIR, SEAT, WEIGHT


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


#: Schema sections the mechanisms read, in record order.
SECTIONS = ("team", "ebe", "workload", "organisation", "behaviour", "run")
_KINDS = {float: "f8", int: "i8", bool: "?"}


def _section_dtype(section: type) -> np.dtype:
    """The numeric fields (float, int, bool) of a schema section as a record type."""
    hints = typing.get_type_hints(section)
    return np.dtype([(f.name, _KINDS[hints[f.name]]) for f in fields(section)
                     if hints[f.name] in _KINDS], align=True)


#: Numbers derived from several settings, computed once per point (ODD section 7).
DERIVED = np.dtype([
    ("production_factor", "f8"),  # an external EBE carries 0.3 of the production pull (7.2)
    ("extra_peers", "f8"),        # intervision and separate-team peers of every EBE (7.4)
    ("voice_factor", "f8"),       # EBE presence at the case review (7.3)
    ("critique_factor", "f8"),    # external EBEs voice critique more freely (7.9)
    ("exit_weekly", "f8"),        # weekly exit hazard at zero strain (7.11)
    ("professional_exit_weekly", "f8"),  # weekly exit chance of a professional
    ("log2_stress_hazard", "f8"),
    ("log2_task_odds", "f8"),
    ("rehire_delay", "f8"),       # weeks an EBE vacancy stays open; inf without rehiring
    ("professional_delay", "f8"),  # weeks a professional's vacancy stays open
    ("retention_by_mean", "?"),   # run.retention == "ebe_mean" (7.14)
    ("professionals", "i8"),      # seats 0..n-1 hold professionals, the rest EBEs
], align=True)
POINT = np.dtype([(name, _section_dtype(typing.get_type_hints(Config)[name]))
                  for name in SECTIONS] + [("derived", DERIVED)], align=True)


class Parameters(NamedTuple):
    """Everything the mechanisms read, for ``P`` points of one team layout of ``M`` seats."""

    point: np.ndarray   # (P,) POINT records: schema fields and derived numbers
    seat: np.ndarray    # (P, len(SEAT), M) float
    pair: np.ndarray    # (P, len(PAIR), M, M) float
    is_ebe: np.ndarray  # (M,) bool
    cross: np.ndarray   # (M, M) bool: exactly one of the pair is an EBE


@dataclass(frozen=True)
class Team:
    """A parameter point (or a block of points) as seats: config, roles and parameters."""

    cfg: Config                     # the (first) point's config
    roles: tuple[str, ...]
    hierarchy: np.ndarray           # (M,) voice weight of the first point
    parameters: Parameters
    configs: tuple[Config, ...] = ()  # every point of a block, in record order

    @property
    def seats(self) -> int:
        return len(self.roles)

    @property
    def is_ebe(self) -> np.ndarray:
        return self.parameters.is_ebe

    @property
    def ebe_seats(self) -> slice:
        """EBE seats are the last seats of the team."""
        return slice(self.seats - int(self.is_ebe.sum()), self.seats)

    @property
    def professionals(self) -> int:
        """Seats ``0..n-1`` hold the professionals."""
        return self.ebe_seats.start

    @property
    def draws_per_week(self) -> int:
        """Uniform numbers one replicate consumes per week (layout in :mod:`sim.engine`)."""
        m = self.seats
        return 2 + self.cfg.behaviour.cases_per_week + m * m + 3 * m


def point_record(cfg: Config) -> np.void:
    """The POINT record of one validated config."""
    professionals = len(staffing(cfg)) - ebe_count(cfg)
    ebe, org, beh = cfg.ebe, cfg.organisation, cfg.behaviour
    record = np.zeros((), POINT)
    for name in SECTIONS:
        section = getattr(cfg, name)
        for field in POINT[name].names:
            record[name][field] = getattr(section, field)
    external = ebe.employment == "external"
    separate = ebe.embedding == "separate"
    derived = record["derived"]
    derived["production_factor"] = 0.3 if external else 1.0
    derived["extra_peers"] = org.intervision * beh.intervision_peers + (
        beh.separate_team_peers if separate else 0.0)
    derived["voice_factor"] = 0.6 if separate else 1.0
    derived["critique_factor"] = beh.external_critique if external else 1.0
    derived["exit_weekly"] = 1.0 - (1.0 - beh.exit_rate) ** (1.0 / 52.0)
    derived["professional_exit_weekly"] = 1.0 - (1.0 - cfg.team.turnover) ** (1.0 / 52.0)
    derived["log2_stress_hazard"] = math.log2(beh.stress_hazard_ratio)
    derived["log2_task_odds"] = math.log2(beh.extra_task_odds)
    derived["rehire_delay"] = float(org.rehire_delay_weeks) if org.rehire else math.inf
    derived["professional_delay"] = float(cfg.team.vacancy_weeks)
    derived["retention_by_mean"] = cfg.run.retention == "ebe_mean"
    derived["professionals"] = professionals
    return record


def ally_seats(professionals: int, share: float) -> list[int]:
    """Seats of the ally professionals: ``round(share * professionals)`` of them, spread
    evenly over seats ``1..n-1`` (the final-responsibility holder is not one)."""
    allies = min(int(math.floor(share * professionals + 0.5)), professionals - 1)
    return [1 + j * (professionals - 1) // allies for j in range(allies)] if allies else []


def working_together(cfg: Config, roles: list[str]) -> np.ndarray:
    """How closely each pair works together ``(M, M)``, from the team's structure.

    ``full``: everyone with everyone (1). ``duos``: professionals with each other and each
    EBE with one professional, in turn from seat 1 (the seed 001 readers' duo work), at
    1; everyone else at ``team.outside_contact``. ``subteams``: ``team.subteams`` care
    lines, professionals from seat 1 and EBEs dealt round in turn; the
    final-responsibility holder works in every line; 1 within a line, outside_contact
    across. Built as a weighted graph (networkx), so structures compose and can be drawn.
    """
    import networkx as nx

    team = cfg.team
    m = len(roles)
    ebes = [i for i, r in enumerate(roles) if r == EBE]
    n = m - len(ebes)
    graph = nx.complete_graph(m)
    nx.set_edge_attributes(graph, 1.0 if team.structure == "full" else team.outside_contact,
                           "weight")
    if team.structure == "duos":
        for i in range(n):
            for j in range(i + 1, n):
                graph[i][j]["weight"] = 1.0
        for k, e in enumerate(ebes):
            graph[e][1 + k % (n - 1)]["weight"] = 1.0
    elif team.structure == "subteams":
        line = {i: (i - 1) % team.subteams for i in range(1, n)}
        line |= {e: k % team.subteams for k, e in enumerate(ebes)}
        for i, j in graph.edges:
            if 0 in (i, j) or line[i] == line[j]:
                graph[i][j]["weight"] = 1.0
    return nx.to_numpy_array(graph, nodelist=range(m), weight="weight")


def _seat_arrays(cfg: Config, roles: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The ``SEAT`` and ``PAIR`` arrays of one point."""
    team, ebe, beh = cfg.team, cfg.ebe, cfg.behaviour
    is_ebe = np.array([r == EBE for r in roles])
    ally = np.zeros(len(roles), bool)
    ally[ally_seats(int((~is_ebe).sum()), team.ally_share)] = True
    weights = np.array([team.hierarchy_weight.get(r, 1.0) for r in roles], float)
    cross = is_ebe[:, None] != is_ebe[None, :]
    offdiag = ~np.eye(len(roles), dtype=bool)
    distant = ebe.employment == "external" or ebe.embedding == "separate"
    together = working_together(cfg, roles)
    seat = {
        "weight": weights ** team.hierarchy_steepness,
        "perspective_mean": np.array([ebe.initial_perspective if r == EBE
                                      else team.ally_perspective if a
                                      else team.initial_perspective[r]
                                      for r, a in zip(roles, ally, strict=True)]),
        "perspective_spread": np.where(is_ebe, ebe.perspective_spread,
                                       team.perspective_spread),
        "tolerance_mean": np.where(is_ebe, ebe.feedback_tolerance, team.feedback_tolerance),
        "exposure": np.where(is_ebe & distant, beh.external_exposure, 1.0),
        "ally": ally * 1.0,
    }
    pair = {
        "initial_trust": np.where(cross, ebe.initial_trust, team.initial_trust) * offdiag,
        "together": together,
        "contact": together * np.where(cross & distant, beh.external_exposure, 1.0),
    }
    return np.array([seat[name] for name in SEAT]), np.array([pair[name] for name in PAIR])


def stack_parameters(cfgs: Sequence[Config]) -> Team:
    """The :class:`Team` of one or several points that share a team layout.

    Each point gets its own record and per-seat arrays, computed as if it ran alone; the
    points may differ in any setting that leaves the seats, their roles and the number of
    cases a week unchanged.
    """
    cfgs = [validate(cfg) for cfg in cfgs]
    roles = staffing(cfgs[0])
    for cfg in cfgs[1:]:
        if staffing(cfg) != roles or (cfg.behaviour.cases_per_week
                                      != cfgs[0].behaviour.cases_per_week):
            raise ValueError(f"points of a block need the same team layout and cases a week: "
                             f"{cfg.label} differs from {cfgs[0].label}")
    arrays = [_seat_arrays(cfg, roles) for cfg in cfgs]
    is_ebe = np.array([r == EBE for r in roles])
    parameters = Parameters(
        point=np.array([point_record(cfg) for cfg in cfgs], POINT),
        seat=np.array([seat for seat, _ in arrays]), pair=np.array([pair for _, pair in arrays]),
        is_ebe=is_ebe, cross=is_ebe[:, None] != is_ebe[None, :])
    return Team(cfg=cfgs[0], roles=tuple(roles), hierarchy=arrays[0][0][WEIGHT],
                parameters=parameters, configs=tuple(cfgs))


def build_team(cfg: Config) -> Team:
    """Validate ``cfg`` and derive what the mechanisms read."""
    return stack_parameters([cfg])
