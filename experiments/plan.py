"""Plan a study before anything runs: expand the sweep, check every point, name the folder.

`teamsim run` composes the config once with Hydra, expands the sweep exactly as Hydra's
basic sweeper will (``hydra.sweeper.params`` first, then the command line, as a full
product) and validates every point. Only a plan without errors is written
(``plan.json``) and launched, so bad input leaves nothing behind.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from experiments.job import is_complete, provenance_record
from experiments.point import Point, make_point
from experiments.settings import StudySettings, study_settings
from experiments.store import plan_path, write_json
from sim import ConfigError, config_dir

#: Name of an ad-hoc sweep (``-m`` without an experiment) unless ``study.name`` is given.
ADHOC_NAME = "sweep"
#: Config groups a user picks with ``group=option``.
GROUPS = ("team", "pressure", "scenario", "experiment")


@dataclass
class Plan:
    """What `teamsim run` is about to launch."""

    task: list[str]               # task overrides handed to Hydra (sweeps included)
    hydra: list[str]              # hydra overrides (launcher, sweep dir...)
    multirun: bool
    study_dir: Path
    settings: StudySettings
    config: DictConfig            # composed without the sweep, hydra node included
    points: list[Point] = field(default_factory=list)
    complete: set[str] = field(default_factory=set)

    def record(self) -> dict[str, Any]:
        return {
            "study": self.settings.name,
            "overrides": self.task,
            "hydra_overrides": self.hydra,
            "multirun": self.multirun,
            "points": [{"point_id": p.id, "overrides": list(p.overrides),
                        "columns": p.columns,
                        "expect": {k: v for k, v in provenance_record(p, "").items()
                                   if k in EXPECT}}
                       for p in self.points],
        }

    def write(self) -> None:
        write_json(plan_path(self.study_dir), self.record())


#: What a complete point file must match (see :func:`experiments.job.is_complete`).
EXPECT = ("replicates", "trajectories", "quantile_replicates", "seeds")


def parse(overrides: Sequence[str]) -> list:
    try:
        return OverridesParser.create().parse_overrides(list(overrides))
    except HydraException as err:
        raise ConfigError(f"cannot read the overrides: {err}") from err


def split(overrides: Sequence[str]) -> tuple[list[str], list[str]]:
    """(task overrides, hydra overrides), as Hydra splits them."""
    parsed = parse(overrides)
    task = [text for text, o in zip(overrides, parsed, strict=True) if not o.is_hydra_override()]
    hydra = [text for text, o in zip(overrides, parsed, strict=True) if o.is_hydra_override()]
    return task, hydra


def _causes(err: BaseException) -> list[str]:
    messages: list[str] = []
    while err is not None:
        text = str(err).strip()
        if text and text not in messages:
            messages.append(text)
        err = err.__cause__ or err.__context__
    return messages


def _keys_of(node: Any) -> list[str]:
    return [str(k) for k in node] if isinstance(node, DictConfig) else []


def explain(err: BaseException, reference: DictConfig | None = None) -> str:
    """A short message naming the bad thing and the valid choices."""
    text = "\n".join(_causes(err))
    missing = re.search(r"Could not find '([^']+)/([^'/]+)'.*?Available options in '[^']+':\n"
                        r"((?:\t[^\n]*\n?)*)", text, re.S)
    if missing:
        group, name, options = missing.groups()
        choices = [line.strip() for line in options.splitlines() if line.strip()]
        return f"unknown {group} '{name}': choose one of {', '.join(choices)}"
    bad_key = re.search(r"Could not override '([^']+)'", text)
    if bad_key and reference is not None:
        key = bad_key.group(1)
        parent, _, leaf = key.rpartition(".")
        node = OmegaConf.select(reference, parent) if parent else reference
        keys = _keys_of(node) + ([g for g in GROUPS if g not in node] if not parent else [])
        keys = [k for k in keys if k != "hydra"]
        guess = difflib.get_close_matches(leaf, keys, n=1)
        hint = f" (did you mean '{parent + '.' if parent else ''}{guess[0]}'?)" if guess else ""
        where = f"'{parent}'" if parent else "the top level"
        return f"unknown key '{key}'{hint}: keys at {where} are {', '.join(keys)}"
    firsts = [m.splitlines()[0] for m in _causes(err)]
    return ": ".join(dict.fromkeys(firsts[:2]))


def _compose(overrides: list[str], hydra_config: bool = False) -> DictConfig:
    return compose(config_name="config", overrides=overrides, return_hydra_config=hydra_config)


class PointComposer:
    """Compose many jobs' configs fast and exactly as Hydra would.

    Hydra composes a config from its defaults list (chosen by the group overrides, such
    as ``scenario=...``) and then applies the value overrides (``ebe.count=2``) in order.
    Jobs of a sweep share a few group choices, so each distinct set of group overrides is
    composed once and the value overrides are applied to a copy with Hydra's own code.
    """

    def __init__(self) -> None:
        self.groups = {p.name for p in config_dir().iterdir() if p.is_dir()} | {"schema"}
        self.bases: dict[tuple[str, ...], DictConfig] = {}

    def _is_group(self, override) -> bool:
        return "/" in override.key_or_group or override.key_or_group in self.groups

    def __call__(self, job: Sequence[str]) -> DictConfig:
        parsed = parse(job)
        groups = tuple(text for text, o in zip(job, parsed, strict=True) if self._is_group(o))
        if groups not in self.bases:
            self.bases[groups] = _compose(list(groups))
        node = copy.deepcopy(self.bases[groups])
        ConfigLoaderImpl._apply_overrides_to_config(
            [o for o in parsed if not self._is_group(o)], node)
        return node


def _reference(overrides: list[str]) -> DictConfig:
    """The config of the user's group choices alone (to list valid keys in messages)."""
    groups = [o for o in overrides if "." not in o.split("=")[0]]
    try:
        return _compose(groups, hydra_config=True)
    except (HydraException, OmegaConfBaseException):
        return _compose([], hydra_config=True)


def job_overrides(config: DictConfig, task: list[str]) -> list[list[str]]:
    """Each job's overrides, in the order Hydra's basic sweeper launches them."""
    params = config.hydra.sweeper.get("params") or {}
    arguments = [f"{key}={value}" for key, value in params.items()] + task
    return BasicSweeper.split_arguments(parse(arguments), None)[0]


def is_sweep(task: Sequence[str]) -> bool:
    return any(o.is_sweep_override() for o in parse(task))


def make_plan(overrides: Sequence[str], multirun: bool = False) -> Plan:
    """Compose, expand and validate a study; raise :class:`sim.ConfigError` on bad input."""
    task, hydra = split(overrides)
    fixed = [o for o, p in zip(task, parse(task), strict=True) if not p.is_sweep_override()]
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir()),
                               job_name="teamsim"):
        reference = _reference([*fixed, *hydra])
        try:
            config = _compose(fixed + hydra, hydra_config=True)
            multirun = multirun or is_sweep(task) or bool(config.hydra.sweeper.get("params"))
            if multirun and OmegaConf.is_interpolation(config.study, "name"):
                task = [*task, f"study.name={ADHOC_NAME}"]
                config = _compose([*fixed, f"study.name={ADHOC_NAME}", *hydra],
                                  hydra_config=True)
            settings = study_settings(config)
            basic = config.hydra.sweeper._target_.endswith("BasicSweeper")
            jobs = job_overrides(config, task) if multirun and basic else [task]
            study_dir = Path(config.hydra.sweep.dir if multirun else config.hydra.run.dir)
        except (HydraException, OmegaConfBaseException, ConfigError) as err:
            raise ConfigError(explain(err, reference)) from err
        plan = Plan(task=task, hydra=hydra, multirun=multirun, study_dir=study_dir,
                    settings=settings, config=config)
        if settings.runner is not None and is_sweep(task):
            raise ConfigError(f"study.runner {settings.runner} runs the study itself: "
                              "give it single values, not sweeps (a,b)")
        if settings.runner is not None or (multirun and not basic):
            return plan                     # a runner, or a sweeper we cannot expand
        seen: dict[str, list[str]] = {}
        composer = PointComposer()
        for job in jobs:
            try:
                point = make_point(composer(job), job)
            except (HydraException, OmegaConfBaseException, ConfigError) as err:
                raise ConfigError(f"{explain(err, reference)}  [point: {' '.join(job)}]") \
                    from err
            if point.id in seen:
                raise ConfigError(f"points '{' '.join(seen[point.id])}' and '{' '.join(job)}' "
                                  f"are the same model configuration (point {point.id})")
            seen[point.id] = job
            plan.points.append(point)
    plan.complete = {p.id for p in plan.points if is_complete(p, study_dir)}
    return plan
