"""Typed configuration schema of the team model.

Every field carries its default, its allowed range and its meaning in the field's
metadata; :func:`validate` checks a whole :class:`Config` before any work starts and
names the field, the value and the allowed range in its error. The schema is stored in
Hydra's ConfigStore (group ``schema``, outside the swept groups) so that a misspelled
key in a YAML file or on the command line fails when the config is composed.

Sources for each default are in ``docs/ODD.md`` (parameter table); the short reason is
in each field's ``help``.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from typing import Any

from hydra.core.config_store import ConfigStore

EBE = "expert_by_experience"
DISCIPLINES = (
    "psychiatrist",
    "psychologist",
    "nurse",
    "social_psychiatric_nurse",
    "social_worker",
    "addiction_specialist",
    "team_leader",
    "community_worker",
    "debt_counsellor",
    "youth_worker",
)
ROLES = (*DISCIPLINES, EBE)
MAX_SEATS = 120  # largest team (professionals + EBEs) the engine takes


class ConfigError(ValueError):
    """A configuration value outside its allowed range or set of choices."""


def param(default: Any, lo: float | None = None, hi: float | None = None, *,
          help: str, unit: str = "", choices: tuple[str, ...] | None = None) -> Any:
    """A schema field with its range (inclusive), unit and meaning in the metadata."""
    meta = {"range": (lo, hi), "help": help, "unit": unit, "choices": choices}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class TeamConfig:
    """The team the EBEs are hired into (default: a Dutch FACT team)."""

    name: str = param("fact", help="label of the team composition")
    disciplines: dict[str, int] = param(
        {"psychiatrist": 1, "psychologist": 1, "nurse": 4, "social_psychiatric_nurse": 2,
         "social_worker": 1, "addiction_specialist": 1},
        0, 40, unit="persons",
        help="professionals per discipline (FACT manual: ~10 professionals + EBE for ~200 clients)")
    size: int | None = param(
        None, 3, 120, unit="persons",
        help="if set, professionals are rescaled so that professionals + EBEs = size")
    final_responsibility: str = param(
        "psychiatrist", choices=DISCIPLINES,
        help="discipline carrying final responsibility; dominates high-risk decisions (004)")
    hierarchy_weight: dict[str, float] = param(
        {"psychiatrist": 3.0, "psychologist": 2.0, "nurse": 1.0, "social_psychiatric_nurse": 1.0,
         "social_worker": 1.0, "addiction_specialist": 1.0, "team_leader": 2.0,
         "community_worker": 1.0, "debt_counsellor": 1.0, "youth_worker": 1.0,
         EBE: 1.0},
        0.0, 10.0, unit="relative voice weight",
        help="knowledge hierarchy: weight of each role's voice in case review (004)")
    hierarchy_steepness: float = param(
        1.0, 0.0, 3.0, unit="exponent",
        help="weights are raised to this power; 0 = flat team, >1 = steeper hierarchy")
    initial_perspective: dict[str, float] = param(
        {"psychiatrist": 0.25, "psychologist": 0.35, "nurse": 0.35,
         "social_psychiatric_nurse": 0.40, "social_worker": 0.45, "addiction_specialist": 0.35,
         "team_leader": 0.30, "community_worker": 0.50, "debt_counsellor": 0.35,
         "youth_worker": 0.45},
        0.0, 1.0, unit="perspective (0 system world, 1 life world)",
        help="mean training-rooted perspective per discipline (004: hard vs soft knowledge)")
    perspective_spread: float = param(
        0.05, 0.0, 0.3, unit="sd of perspective",
        help="individual spread around the discipline mean")
    professional_anchor: float = param(
        0.10, 0.0, 1.0, unit="per week",
        help="pull of a professional's view back to their training (Friedkin-Johnsen anchor)")
    feedback_tolerance: float = param(
        0.8, 0.0, 1.0, unit="probability",
        help="chance a professional takes feedback as about the work, not as an attack (000)")
    initial_trust: float = param(
        0.7, 0.0, 1.0, unit="trust in [0,1]",
        help="trust between members at the start (professionals, and EBE with EBE)")
    turnover: float = param(
        0.15, 0.0, 0.9, unit="per year",
        help="chance a professional leaves in a year (CBS AZW 2022: ~11% of GGz staff left "
             "the care sector, more changed employer; US agencies 25-50%, Woltmann 2008)")
    vacancy_weeks: int = param(
        13, 0, 520, unit="weeks",
        help="weeks a professional's seat stays empty before a newcomer starts (the "
             "final-responsibility seat is covered by a locum at once)")
    structure: str = param(
        "full", choices=("full", "duos", "subteams"),
        help="who works with whom: everyone, EBE-professional duos (001 comments), or "
             "care lines (subteams of a FACT team)")
    subteams: int = param(
        2, 1, 12, unit="lines", help="number of care lines with structure=subteams")
    outside_contact: float = param(
        0.3, 0.0, 1.0, unit="contact",
        help="contact with members outside one's duo or care line, relative to inside")
    ally_share: float = param(
        0.0, 0.0, 1.0, unit="share of professionals",
        help="professionals who bring lived experience of their own into the team "
             "(45-70% have it, a minority uses it: Karbouniaris et al. 2024)")
    ally_perspective: float = param(
        0.6, 0.0, 1.0, unit="perspective",
        help="mean view an ally professional brings (between training and life world)")


@dataclass
class EBEConfig:
    """The experts by experience hired into the team and how they are employed."""

    count: int = param(1, 0, 40, unit="persons", help="number of EBEs hired")
    share: float | None = param(
        None, 0.0, 0.6, unit="fraction of team",
        help="if set, count = round(share * team size); used by the critical-mass study")
    initial_perspective: float = param(
        0.85, 0.0, 1.0, unit="perspective",
        help="lived-experience, life-world view an EBE brings in (001, 002)")
    perspective_spread: float = param(0.05, 0.0, 0.3, unit="sd", help="individual spread")
    anchor_strength: float = param(
        0.15, 0.0, 1.0, unit="per week",
        help="pull of an EBE's view back to their anchor (Friedkin-Johnsen); 'stand firm' (000)")
    anchor_heterogeneity: float = param(
        0.4, 0.0, 1.5, unit="sd of log anchor strength",
        help="how much EBEs differ in standing firm")
    seniority_weeks: int = param(
        26, 0, 1040, unit="weeks", help="experience as an EBE at hire; seniority anchors (002)")
    trained_share: float = param(
        0.55, 0.0, 1.0, unit="probability",
        help="chance a hire is trained as EBE (Movisie 002: over half trained)")
    feedback_tolerance: float = param(
        0.5, 0.0, 1.0, unit="probability",
        help="EBEs often take feedback as personal: their story is woven into the work (000)")
    employment: str = param(
        "employed", choices=("employed", "external"),
        help="employed by the organisation, or external (independent bridge-builder, 000)")
    embedding: str = param(
        "embedded", choices=("embedded", "separate"),
        help="embedded in the regular team, or in a separate EBE team (003)")
    initial_trust: float = param(
        0.5, 0.0, 1.0, unit="trust", help="trust between a newcomer EBE and the team")


@dataclass
class WorkloadConfig:
    """Workload and accountability: the pressure level chosen with ``pressure=<level>``
    (004: high-load teams)."""

    name: str = param("normal", help="name of the pressure level (the `pressure` column)")
    caseload: float = param(
        0.5, 0.0, 1.0, unit="pressure in [0,1]",
        help="baseline workload pressure (0 calm, 1 overloaded)")
    crisis_rate: float = param(
        0.05, 0.0, 1.0, unit="per week", help="chance of a crisis week (incident, sick leave)")
    crisis_intensity: float = param(
        0.3, 0.0, 1.0, unit="pressure", help="extra pressure a crisis brings")
    crisis_persistence: float = param(
        0.7, 0.0, 0.99, unit="per week", help="share of crisis pressure left the next week")
    accountability: float = param(
        0.6, 0.0, 1.0, unit="weight",
        help="production targets, file, treatment plans, risk accountability (004)")


@dataclass
class OrganisationConfig:
    """Organisational levers (003, 004, 002): what a manager can change."""

    intervision: float = param(
        0.0, 0.0, 1.0, unit="intensity", help="EBE peer intervision (1 = regular group) (002)")
    coaching: float = param(
        0.0, 0.0, 1.0, unit="intensity", help="coaching / supervision of EBEs (003)")
    role_clarity: float = param(
        0.3, 0.0, 1.0, unit="clarity",
        help="clear EBE job description and role (004: role is diffuse by default)")
    policy_seat: float = param(
        0.0, 0.0, 1.0, unit="share of policy meetings",
        help="EBEs sit where strategy and rules are decided (002, 003)")
    professional_autonomy: float = param(
        0.3, 0.0, 1.0, unit="autonomy",
        help="professional autonomy vs accountability (004: autonomy gives room)")
    dialogue_culture: float = param(
        0.2, 0.0, 1.0, unit="intensity",
        help="practice of open, deeper dialogue about the cooperation (000)")
    experiential_authority: float = param(
        0.0, 0.0, 1.0, unit="deference",
        help="authority granted to an EBE at entry; then earned and lost (behaviour."
             "authority_rate): 'ten say left, one says right, all go right' (000)")
    rehire: bool = param(True, help="refill an EBE vacancy after the delay")
    rehire_delay_weeks: int = param(
        16, 0, 520, unit="weeks", help="weeks a vacancy stays open before a new EBE starts")


@dataclass
class BehaviourConfig:
    """Mechanism constants: set from literature or calibrated (see ODD, calibration)."""

    cases_per_week: int = param(
        5, 1, 40, unit="cases", help="decisions taken at the weekly multidisciplinary review")
    voice_probability: float = param(
        0.8, 0.0, 1.0, unit="probability", help="a professional voices a view on a case")
    experiential_discount: float = param(
        0.5, 0.0, 1.0, unit="fraction",
        help="share of an EBE's decision weight lost in a closed climate (004)")
    risk_dominance: float = param(
        3.0, 0.0, 20.0, unit="weight multiplier",
        help="extra weight of final responsibility at maximal risk avoidance (004)")
    risk_shading: float = param(
        0.3, 0.0, 1.0, unit="fraction", help="risk avoidance pulls a decision to the system world")
    authority_gain: float = param(
        10.0, 0.0, 50.0, unit="weight multiplier",
        help="EBE weight multiplier at full experiential authority ('ten say left...', 000)")
    conformity: float = param(
        0.012, 0.0, 0.5, unit="per week", help="base social pull toward the team norm")
    impact_exponent: float = param(
        0.5, 0.0, 1.0, unit="exponent",
        help="Latane's social impact exponent t (N^t); 1 = linear in group size, 0 = none")
    practice_weight: float = param(
        0.5, 0.0, 1.0, unit="fraction",
        help="weight of the team's decisions (practice) in the norm vs colleagues' views")
    closure_pressure: float = param(
        1.0, 0.0, 3.0, unit="factor",
        help="pressure raises conformity and rejection of deviates (Kruglanski & Webster 1991)")
    production_assimilation: float = param(
        1.0, 0.0, 5.0, unit="factor", help="regular caseload work speeds assimilation (001)")
    production_rate: float = param(
        0.1, 0.0, 1.0, unit="per week", help="speed at which pressure pulls EBEs into production")
    external_exposure: float = param(
        0.5, 0.0, 1.0, unit="fraction",
        help="exposure of an external or separate-team EBE to the team's pull (000, 003)")
    anchor_drift: float = param(
        0.018, 0.0, 0.5, unit="per week",
        help="an EBE's anchor follows what they practise ('takes on the colour', 001)")
    peer_renewal: float = param(
        0.01, 0.0, 0.2, unit="per peer per week",
        help="peers renew the experiential anchor: collective 'wij-kennis' (002)")
    intervision_peers: float = param(
        3.0, 0.0, 10.0, unit="persons", help="EBE peers met in a full intervision group")
    separate_team_peers: float = param(
        3.0, 0.0, 10.0, unit="persons", help="EBE colleagues in a separate EBE team (003)")
    seniority_anchor: float = param(
        0.5, 0.0, 3.0, unit="per year", help="extra anchoring per year of seniority (002)")
    coaching_anchor: float = param(1.0, 0.0, 5.0, unit="factor", help="anchoring from coaching")
    training_anchor: float = param(
        0.25, 0.0, 2.0, unit="factor", help="anchoring from EBE training (001 comments)")
    perspective_noise: float = param(
        0.01, 0.0, 0.1, unit="sd per week", help="idiosyncratic weekly change of view")
    feedback_rate: float = param(
        0.15, 0.0, 1.0, unit="per pair per week", help="occasion for feedback between two members")
    feedback_willingness: float = param(
        0.85, 0.0, 1.0, unit="probability", help="feedback given when there is occasion (000)")
    silk_gloves: float = param(
        0.6, 0.0, 1.0, unit="fraction",
        help="feedback withheld across the EBE-professional line ('zijden handschoentjes', 000)")
    irritation_gain: float = param(
        0.15, 0.0, 1.0, unit="per withheld feedback", help="unspoken issue builds irritation (000)")
    irritation_release: float = param(
        0.3, 0.0, 1.0, unit="fraction", help="irritation released by feedback given as content")
    irritation_erosion: float = param(
        0.05, 0.0, 1.0, unit="per week", help="irritation erodes trust (000)")
    trust_gain: float = param(
        0.05, 0.0, 1.0, unit="fraction", help="trust built by feedback taken as content")
    trust_loss: float = param(
        0.2, 0.0, 1.0, unit="fraction", help="trust lost by feedback taken as an attack")
    dialogue_resolution: float = param(
        0.5, 0.0, 1.0, unit="fraction", help="irritation resolved by a deeper dialogue (000)")
    identity_threat: float = param(
        0.03, 0.0, 0.5, unit="per week",
        help="incumbents' trust lost to a newcomer with another background (000)")
    settling_weeks: float = param(
        26.0, 1.0, 520.0, unit="weeks", help="time constant of the newcomer's novelty")
    critique_rate: float = param(
        0.15, 0.0, 1.0, unit="per EBE per week", help="EBE raises critique of rules/policy (002)")
    critique_uptake: float = param(
        0.02, 0.0, 0.5, unit="fraction", help="accepted critique moves professional anchors")
    external_critique: float = param(
        1.5, 1.0, 5.0, unit="factor", help="an external EBE voices critique more freely (000)")
    stress_gain: float = param(0.08, 0.0, 1.0, unit="per week", help="EBE stress from strain")
    stress_recovery: float = param(0.1, 0.0, 1.0, unit="per week", help="stress recovery")
    attack_stress: float = param(
        0.05, 0.0, 1.0, unit="per attack", help="stress from feedback taken as an attack (000)")
    rejection_stress: float = param(
        0.03, 0.0, 1.0, unit="per rejection", help="stress from rejected critique")
    exit_rate: float = param(
        0.07, 0.0, 1.0, unit="per year", help="EBE exit hazard at zero strain")
    stress_hazard_ratio: float = param(
        4.0, 1.0, 50.0, unit="hazard ratio", help="exit hazard at full stress vs none")
    extra_task_odds: float = param(
        2.9, 1.0, 10.0, unit="odds ratio",
        help="extra non-peer tasks raise intent to leave (Lombardi et al. 2025: OR 2.9)")
    rule_change: float = param(
        0.02, 0.0, 0.5, unit="per accepted critique",
        help="share of the way an accepted critique moves the team's rules (experiential "
             "discount, risk shading, role clarity) toward the life world (002)")
    authority_rate: float = param(
        0.05, 0.0, 1.0, unit="per week",
        help="speed at which an EBE's authority is earned (accepted critique, settled "
             "regard) and lost (attacks, rejection) (000)")
    authority_deference: float = param(
        1.0, 0.0, 10.0, unit="factor",
        help="authority begets authority: gain from being followed, times regard and "
             "settledness ('everyone goes right', 000)")


@dataclass
class RunConfig:
    """Horizon, replicates and seeds."""

    weeks: int = param(104, 1, 1040, unit="weeks", help="horizon (two years)")
    replicates: int = param(1000, 1, 100_000_000, unit="runs", help="replicates per point")
    seed: int = param(20261123, 0, 2**63 - 1, help="root seed; replicate r uses stream (seed, r)")
    survival_fraction: float = param(
        0.5, 0.01, 1.0, unit="fraction of the entry distance",
        help="an EBE retains the perspective while their distance from the week-0 "
             "professional view is at least this share of their distance at entry")
    diffusion_fraction: float = param(
        0.5, 0.01, 1.0, unit="fraction of the week-0 gap",
        help="the team carries the perspective once the professionals' mean view has "
             "moved toward the life world by this share of the week-0 EBE-team gap "
             "(default = survival_fraction: both mark the halfway view)")
    retention: str = param(
        "per_ebe", choices=("per_ebe", "ebe_mean"),
        help="retention judged per EBE (any present EBE retains), or on the mean view "
             "and mean entry distance of the present EBEs (structural alternative)")
    chunk_size: int = param(
        1024, 1, 1_000_000, unit="replicates",
        help="replicates advanced together (memory/speed only; never changes results)")


@dataclass
class Config:
    """A whole simulation point: team, EBEs, pressure, levers, mechanisms, run."""

    label: str = param("single_hire", help="name of the scenario")
    team: TeamConfig = field(default_factory=TeamConfig)
    ebe: EBEConfig = field(default_factory=EBEConfig)
    workload: WorkloadConfig = field(default_factory=WorkloadConfig)
    organisation: OrganisationConfig = field(default_factory=OrganisationConfig)
    behaviour: BehaviourConfig = field(default_factory=BehaviourConfig)
    run: RunConfig = field(default_factory=RunConfig)


def register_schema() -> None:
    """Store the schema in Hydra's ConfigStore as ``schema/teamsim`` (global package).

    The root is a plain mapping of the typed sections, so that study-level nodes (e.g.
    ``study``, read by ``experiments/``) can sit beside them; every section is typed.
    """
    node = {f.name: (f.default if f.default is not MISSING else f.default_factory())
            for f in fields(Config)}
    ConfigStore.instance().store(group="schema", name="teamsim", node=node, package="_global_")


register_schema()


def _fail(path: str, value: Any, allowed: str) -> None:
    raise ConfigError(f"{path} = {value!r} is out of range: allowed {allowed}")


def _check_number(path: str, value: Any, lo: float | None, hi: float | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(path, value, "a number")
    if not math.isfinite(value):
        _fail(path, value, f"a finite number in [{lo}, {hi}]")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        _fail(path, value, f"[{lo}, {hi}]")


def _check_section(obj: Any, prefix: str) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        path = f"{prefix}{f.name}"
        if is_dataclass(value):
            _check_section(value, path + ".")
            continue
        meta = f.metadata
        lo, hi = meta.get("range", (None, None))
        if meta.get("choices") and value not in meta["choices"]:
            _fail(path, value, "one of " + ", ".join(meta["choices"]))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ROLES:
                    _fail(f"{path}.{key}", key, "a discipline: " + ", ".join(ROLES))
                _check_number(f"{path}.{key}", item, lo, hi)
        elif value is not None and lo is not None:
            _check_number(path, value, lo, hi)


def ebe_count(cfg: Config) -> int:
    """Number of EBE seats: ``ebe.count``, or ``round(ebe.share * team.size)``."""
    if cfg.ebe.share is None:
        return cfg.ebe.count
    size = cfg.team.size if cfg.team.size is not None else sum(cfg.team.disciplines.values())
    return int(round(cfg.ebe.share * size))


def validate(cfg: Config) -> Config:
    """Check every field against its range and the cross-field rules; return ``cfg``.

    Raises :class:`ConfigError` naming the field, the value and the allowed range.
    """
    _check_section(cfg, "")
    team = cfg.team
    if EBE in team.disciplines:
        _fail(f"team.disciplines.{EBE}", team.disciplines[EBE],
              "no EBEs among the professionals: set ebe.count")
    if team.disciplines.get(team.final_responsibility, 0) < 1:
        _fail("team.final_responsibility", team.final_responsibility,
              "a discipline present in team.disciplines")
    if team.hierarchy_weight.get(team.final_responsibility, 1.0) <= 0:
        _fail(f"team.hierarchy_weight.{team.final_responsibility}",
              team.hierarchy_weight[team.final_responsibility],
              "(0, 10.0]: final responsibility must carry weight")
    professionals = sum(team.disciplines.values())
    if professionals < 2:
        _fail("team.disciplines", dict(team.disciplines), "at least 2 professionals in total")
    missing = [d for d in team.disciplines if d not in team.initial_perspective]
    if missing:
        _fail(f"team.initial_perspective.{missing[0]}", None, "a value for every discipline")
    n_ebe = ebe_count(cfg)
    seats = (team.size if team.size is not None else professionals + n_ebe)
    if team.size is not None and n_ebe > team.size - 2:
        _fail("ebe.count" if cfg.ebe.share is None else "ebe.share",
              cfg.ebe.count if cfg.ebe.share is None else cfg.ebe.share,
              f"at most {team.size - 2} EBEs in a team of size {team.size} "
              "(the team keeps 2 professionals)")
    if seats > MAX_SEATS:
        _fail("ebe.count", n_ebe,
              f"at most {MAX_SEATS - professionals} EBEs (team capped at {MAX_SEATS} seats)")
    return cfg
