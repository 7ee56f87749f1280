"""The classroom's levers: the few settings a class plays with, and the config they make.

A lever is a plain keyword (``ebes=2``, ``dialogue_culture=0.8``) mapped onto one field
of the schema (:mod:`sim.config`); the team and the pressure level are Hydra groups
(``configs/team/``, ``configs/pressure/``). :func:`classroom_config` turns levers into a
validated :class:`~sim.config.Config`, :func:`levers_of` reads them back from any config
(so a replayed study run shows its own settings), and :data:`model_params` describes the
inputs as Mesa's ``model_params`` do (type, label, value, range), with the ranges taken
from the schema.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, fields, replace
from typing import Any

from omegaconf import OmegaConf

from sim.compose import compose, config_dir
from sim.config import Config, ConfigError, TeamConfig, ebe_count, validate

MAX_EBES = 5
MAX_CARE_LINES = 4  # a FACT team of ten works in two or three care lines
DEFAULT_SEED = 20261123
SEED_DIGITS = 18  # every whole number with up to 18 digits is a valid run.seed
#: Settings that say nothing about the team a class sees (or that a lever shows).
NOT_SHOWN = ("label", "run.replicates", "run.chunk_size", "run.seed", "ebe.share", "ebe.count")

# keyword -> (config section, field). Everything else keeps the composed default.
LEVERS = {
    "ebes": ("ebe", "count"),
    "hierarchy_steepness": ("team", "hierarchy_steepness"),
    "experiential_authority": ("organisation", "experiential_authority"),
    "dialogue_culture": ("organisation", "dialogue_culture"),
    "intervision": ("organisation", "intervision"),
    "professional_autonomy": ("organisation", "professional_autonomy"),
    "employment": ("ebe", "employment"),
    "structure": ("team", "structure"),
    "subteams": ("team", "subteams"),
    "outside_contact": ("team", "outside_contact"),
    "turnover": ("team", "turnover"),
    "ally_share": ("team", "ally_share"),
}


def _group(name: str, order: str) -> tuple[str, ...]:
    """The options of config group ``name`` (its YAML files), ordered by ``order``."""
    files = sorted((config_dir() / name).glob("*.yaml"))
    return tuple(path.stem for path in sorted(files, key=lambda p: _order(p, order)))


def _order(path, order: str) -> tuple:
    node = OmegaConf.load(path)
    if order == "size":
        return (sum(node.disciplines.values()), path.stem)
    return (node[order], path.stem)


#: Teams from small to large; pressure levels from calm to high (their caseload).
TEAMS = _group("team", "size")
PRESSURES = _group("pressure", "caseload")


@functools.cache
def base_config(team: str = "fact", pressure: str = "normal") -> Config:
    """The default model composed with one team and one pressure level."""
    for group, value, allowed in (("team", team, TEAMS), ("pressure", pressure, PRESSURES)):
        if value not in allowed:
            raise ConfigError(f"{group} = {value!r} is out of range: allowed one of "
                              + ", ".join(allowed))
    return compose([f"team={team}", f"pressure={pressure}"])


def parse_seed(seed: int | str) -> int:
    """The seed typed into the page (text arrives as a string)."""
    text = str(seed).strip()
    if not (text.isdigit() and len(text) <= SEED_DIGITS):
        raise ConfigError(f"seed {text!r} cannot be used: allowed a whole number of 0 or "
                          f"more with at most {SEED_DIGITS} digits, for example 18")
    return int(text)


def classroom_config(team: str = "fact", pressure: str = "normal",
                     seed: int | str = DEFAULT_SEED, **levers: Any) -> Config:
    """The classroom's levers mapped onto a validated :class:`Config`.

    ``levers`` are keywords of :data:`LEVERS`; ``None`` keeps the composed default.
    """
    unknown = sorted(set(levers) - set(LEVERS))
    if unknown:
        raise ConfigError(f"lever {unknown[0]!r} is unknown: allowed " + ", ".join(LEVERS))
    base = base_config(team, pressure)
    changes: dict[str, dict] = {}
    for name, value in levers.items():
        if value is not None:
            section, field = LEVERS[name]
            changes.setdefault(section, {})[field] = value
    sections = {name: replace(getattr(base, name), **values) for name, values in changes.items()}
    return validate(replace(base, label="classroom", run=replace(base.run, seed=parse_seed(seed)),
                            **sections))


def levers_of(cfg: Config) -> dict[str, Any]:
    """The levers, team, pressure and seed that describe ``cfg`` (the page's inputs)."""
    values = {name: getattr(getattr(cfg, section), field)
              for name, (section, field) in LEVERS.items()}
    values["ebes"] = ebe_count(cfg)
    return {"team": cfg.team.name, "pressure": cfg.workload.name, **values,
            "seed": str(cfg.run.seed)}


def _flat(tree: dict[str, Any]) -> dict[str, Any]:
    """``{"section.field": value}`` of a config as a dict (role tables stay whole)."""
    return {f"{section}.{key}" if isinstance(part, dict) else section: value
            for section, part in tree.items()
            for key, value in (part.items() if isinstance(part, dict) else [(None, part)])}


def other_settings(cfg: Config) -> list[str]:
    """Settings of ``cfg`` that no lever shows, as ``section.field=value``: the
    differences from the classroom team with the same levers (e.g. a study's
    ``organisation.policy_seat=1.0``)."""
    shown = levers_of(cfg)
    shown["team"] = shown["team"] if shown["team"] in TEAMS else "fact"
    shown["pressure"] = shown["pressure"] if shown["pressure"] in PRESSURES else "normal"
    mine, theirs = _flat(asdict(cfg)), _flat(asdict(classroom_config(**shown)))
    return [f"{key}={value}" for key, value in mine.items()
            if key not in NOT_SHOWN and theirs.get(key) != value]


def structure_words(team: TeamConfig) -> str:
    """'full team', 'duos (outside 0.30)', '2 care lines (outside 0.30)'."""
    if team.structure == "full":
        return "full team"
    kind = "duos" if team.structure == "duos" else f"{team.subteams} care lines"
    return f"{kind} (outside {team.outside_contact:.2f})"


def describe(cfg: Config) -> str:
    """The levers a model was built with, in one line."""
    org, team = cfg.organisation, cfg.team
    ebes = ebe_count(cfg)
    return (f"{team.name} team · {ebes} EBE{'' if ebes == 1 else 's'} "
            f"({cfg.ebe.employment}) · pressure {cfg.workload.name} · authority at the start "
            f"{org.experiential_authority:.2f} · dialogue {org.dialogue_culture:.2f} · "
            f"{structure_words(team)} · turnover {team.turnover:.2f}/year · hierarchy "
            f"{team.hierarchy_steepness:.1f} · intervision {org.intervision:.2f} · autonomy "
            f"{org.professional_autonomy:.2f} · allies {team.ally_share:.2f} · "
            f"seed {cfg.run.seed}")


def _lever(name: str) -> tuple[Any, dict]:
    """A lever's default value (composed config) and its schema metadata."""
    section, field = LEVERS[name]
    part = getattr(base_config(), section)
    spec = next(f for f in fields(part) if f.name == field)
    return getattr(part, field), spec.metadata


def slider(name: str, label: str, step: float, top: float | None = None) -> dict:
    """A slider over the lever's allowed range (or up to ``top``), at its default."""
    value, meta = _lever(name)
    lo, hi = meta["range"]
    return {"type": "SliderInt" if isinstance(value, int) else "SliderFloat", "label": label,
            "value": value, "min": lo, "max": hi if top is None else top, "step": step}


def choice(label: str, values: tuple[str, ...], value: str) -> dict:
    """A drop-down of ``values``."""
    return {"type": "Select", "label": label, "value": value, "values": list(values)}


def lever_choice(name: str, label: str) -> dict:
    """A drop-down of the lever's allowed choices, at its default."""
    value, meta = _lever(name)
    return choice(label, tuple(meta["choices"]), value)


#: The page's inputs for a team, in Mesa's ``model_params`` format, in the order shown.
model_params = {
    "team": choice("Team", TEAMS, "fact"),
    "ebes": slider("ebes", "Number of EBEs", 1, top=MAX_EBES),
    "pressure": choice("Pressure (caseload)", PRESSURES, "normal"),
    "experiential_authority": slider("experiential_authority",
                                     "Experiential authority at the start", 0.05),
    "dialogue_culture": slider("dialogue_culture", "Dialogue culture", 0.05),
    "structure": lever_choice("structure", "Who works with whom"),
    "turnover": slider("turnover", "Professional turnover (per year)", 0.05),
    "seed": {"type": "InputText", "label": "Seed", "value": str(DEFAULT_SEED)},
    "hierarchy_steepness": slider("hierarchy_steepness", "Hierarchy steepness", 0.1),
    "intervision": slider("intervision", "Intervision", 0.05),
    "professional_autonomy": slider("professional_autonomy", "Professional autonomy", 0.05),
    "employment": lever_choice("employment", "EBE employed or external"),
    "ally_share": slider("ally_share", "Allies among the professionals", 0.05),
    "subteams": slider("subteams", "Care lines (for subteams)", 1, top=MAX_CARE_LINES),
    "outside_contact": slider("outside_contact", "Contact outside duo or line", 0.05),
}
#: Inputs a class uses less often, shown under "More settings".
MORE = ("hierarchy_steepness", "intervision", "professional_autonomy", "employment",
        "ally_share", "subteams", "outside_contact")
