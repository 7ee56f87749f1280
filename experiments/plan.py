"""Plan a study before anything runs: expand the sweep, check every point, name the folder.

`teamsim run` composes the config once, expands the sweep as a full product of the
values (``hydra.sweeper.params`` of the experiment first, then the command line; a key
given twice keeps the later values at the earlier place, as Hydra's basic sweeper does),
composes and validates every point, estimates each job's memory and finds the points
already complete. Only a plan without errors is written (``plan.json``) and launched, so
bad input leaves nothing behind. Every point's config is composed here, once, with
:mod:`sim.compose`: the jobs read it from the plan.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from experiments.job import (
    CODE_CHANGED,
    expectation,
    job_memory,
    warn_incomplete,
    why_incomplete,
)
from experiments.point import Point, make_point, point_record
from experiments.settings import OnCodeChange, StudySettings, register, study_settings
from experiments.store import plan_path, point_files, points_dir, write_json
from sim import ConfigError, config_dir
from sim.compose import apply_overrides, config_groups, for_hydra, missing_option, parse, problem

#: Name of an ad-hoc sweep (``-m`` without an experiment) unless ``study.name`` is given.
ADHOC_NAME = "sweep"
#: Launchers whose ``n_jobs`` is a number of worker processes.
WORKER_LAUNCHERS = ("JoblibLauncher",)


@dataclass
class Plan:
    """What `teamsim run` is about to launch."""

    task: list[str]               # task overrides (sweeps included)
    hydra: list[str]              # hydra overrides (launcher, sweep dir...)
    multirun: bool
    study_dir: Path
    settings: StudySettings
    config: DictConfig            # composed without the sweep, hydra node included
    points: list[Point] = field(default_factory=list)
    complete: set[str] = field(default_factory=set)
    memory: int = 0               # estimated peak bytes of one job

    @property
    def todo(self) -> list[Point]:
        """The points to run, in plan order (the launcher's job ``i`` is ``todo[i]``)."""
        return [p for p in self.points if p.id not in self.complete]

    def record(self) -> dict[str, Any]:
        return {"study": self.settings.name, "overrides": self.task,
                "hydra_overrides": self.hydra, "multirun": self.multirun,
                "points": [{**point_record(p), "expect": expectation(p)} for p in self.points],
                "to_run": [p.id for p in self.todo]}

    def write(self) -> None:
        write_json(plan_path(self.study_dir), self.record())

    def launch_args(self) -> list[str]:
        """Hydra's command line that runs :attr:`todo`: job ``i`` (``+point=i``) runs
        ``todo[i]``, on the launcher the overrides and the experiment chose."""
        experiment = [o for o in self.task if o.split("=")[0].lstrip("+") == "experiment"]
        return ["--multirun", *experiment, *self.hydra,
                f"hydra.sweep.dir={self.study_dir.resolve()}", "hydra.sweeper.params=null",
                f"+point=range(0,{len(self.todo)})"]


def sweep_jobs(arguments: Sequence) -> list[list[str]]:
    """Each job's overrides: the full product of the parsed ``arguments``' values."""
    values: dict[str, list[str]] = {}
    for override in arguments:
        key = override.get_key_element()
        if override.is_sweep_override():
            if not override.is_discrete_sweep():
                raise ConfigError(f"{override.input_line}: only lists, range() and glob() "
                                  "can be swept (a full product of the values)")
            values[key] = [f"{key}={v}" for v in override.sweep_string_iterator()]
        else:
            values[key] = [f"{key}={override.get_value_element_as_str()}"]
    return [list(job) for job in itertools.product(*values.values())]


class PointComposer:
    """Compose many points fast and exactly as :func:`sim.compose` would: each distinct
    set of group choices is composed by Hydra once, the values are applied to a copy."""

    def __init__(self, groups: Sequence[str]) -> None:
        self.groups = groups
        self.bases: dict[tuple[str, ...], DictConfig] = {}

    def __call__(self, job: Sequence[str]) -> DictConfig:
        parsed = parse(job)
        chosen = tuple(o.input_line for o in parsed if for_hydra(o, self.groups))
        if chosen not in self.bases:
            self.bases[chosen] = compose(config_name="config", overrides=list(chosen))
        node = copy.deepcopy(self.bases[chosen])
        apply_overrides(node, [o for o in parsed if not for_hydra(o, self.groups)],
                        self.groups)
        return node


def adhoc_label(job: Sequence[str], swept: set[str], cfg_label: str,
                groups: Sequence[str]) -> str:
    """The label of a point of an ad-hoc sweep, from its overrides: the scenario (when the
    user chose one) and the swept values, e.g. ``two_hires ebe.anchor_strength=0.2``."""
    parsed = parse(job)
    named = any(o.key_or_group in ("scenario", "label") for o in parsed)
    words = [o.input_line for o in parsed if o.key_or_group in swept
             and not for_hydra(o, groups) and o.key_or_group != "label"]
    return " ".join(([cfg_label] if named else []) + words) or cfg_label


def _check_launcher(config: DictConfig) -> None:
    launcher = config.hydra.launcher
    if str(launcher.get("_target_", "")).endswith(WORKER_LAUNCHERS) and \
            launcher.get("n_jobs") == 0:
        raise ConfigError("hydra.launcher.n_jobs = 0 is not allowed: a number of worker "
                          "processes (-1 = every core, -2 = all but one)")
    if not str(config.hydra.sweeper._target_).endswith("BasicSweeper"):
        raise ConfigError(f"hydra/sweeper = {config.hydra.sweeper._target_} is not supported: "
                          "teamsim plans every study itself as a full product of the values")


def _base(fixed: list, hydra: list[str], groups: Sequence[str]) -> DictConfig:
    """The config without the sweep, hydra node included."""
    try:
        node = compose(config_name="config", return_hydra_config=True,
                       overrides=[o.input_line for o in fixed if for_hydra(o, groups)] + hydra)
    except (HydraException, OmegaConfBaseException) as err:
        raise ConfigError(missing_option(err) or problem(err)) from err
    apply_overrides(node, [o for o in fixed if not for_hydra(o, groups)], groups)
    return node


def make_plan(overrides: Sequence[str], multirun: bool = False) -> Plan:
    """Compose, expand and validate a study; raise :class:`sim.ConfigError` on bad input."""
    register()
    groups = config_groups()
    hydra = [o.input_line for o in parse(overrides) if o.is_hydra_override()]
    task = [o for o in overrides if o not in hydra]
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir()),
                               job_name="teamsim"):
        parsed = parse(task, GlobalHydra.instance().config_loader())
        config = _base([o for o in parsed if not o.is_sweep_override()], hydra, groups)
        params = config.hydra.sweeper.get("params") or {}
        multirun = multirun or any(o.is_sweep_override() for o in parsed) or bool(params)
        adhoc = multirun and "experiment" not in {o.key_or_group for o in parsed}
        if multirun and OmegaConf.to_container(config.study).get("name") == "${label}":
            task = [*task, f"study.name={ADHOC_NAME}"]
            OmegaConf.update(config, "study.name", ADHOC_NAME)
        settings = study_settings(config)
        _check_launcher(config)
        study_dir = Path(settings.dir)
        plan = Plan(task=task, hydra=hydra, multirun=multirun, study_dir=study_dir,
                    settings=settings, config=config)
        if settings.runner is not None:
            if any(o.is_sweep_override() for o in parsed):
                raise ConfigError(f"study.runner {settings.runner} runs the study itself: "
                                  "give it single values, not sweeps (a,b)")
            return plan
        if study_dir.exists() and not study_dir.is_dir():
            raise ConfigError(f"study.dir = '{study_dir}' is a file: give a folder")
        arguments = parse([f"{k}={v}" for k, v in params.items()] + task,
                          GlobalHydra.instance().config_loader())
        swept = {o.key_or_group for o in parse(task) if o.is_sweep_override()}
        plan.points = _points(sweep_jobs(arguments), groups, swept if adhoc else None)
    plan.memory = max(job_memory(p) for p in plan.points)
    if plan.memory > settings.memory_gb * 2**30:
        biggest = max(plan.points, key=job_memory)
        raise ConfigError(
            f"each job would need about {plan.memory / 2**30:.1f} GB (study.block_size = "
            f"{settings.block_size} replicates x {biggest.horizon + 1} weeks, "
            f"study.trajectories = {settings.trajectories}); the limit is study.memory_gb = "
            f"{settings.memory_gb:g}: lower study.block_size (results do not depend on it) "
            "or raise study.memory_gb")
    plan.complete = _complete(plan)
    return plan


def _points(jobs: list[list[str]], groups: Sequence[str], swept: set[str] | None) -> list[Point]:
    """The validated, distinct points of ``jobs`` (``swept``: label them by overrides)."""
    composer = PointComposer(groups)
    seen: dict[str, list[str]] = {}
    points = []
    for job in jobs:
        try:
            node = composer(job)
            label = adhoc_label(job, swept, node.label, groups) if swept is not None else None
            point = make_point(node, job, label)
        except (HydraException, OmegaConfBaseException, ConfigError) as err:
            message = missing_option(err) or (str(err) if isinstance(err, ConfigError)
                                              else problem(err))
            suffix = f"  [point: {' '.join(job)}]" if len(jobs) > 1 else ""
            raise ConfigError(message + suffix) from err
        if point.id in seen:
            raise ConfigError(f"points '{' '.join(seen[point.id])}' and '{' '.join(job)}' "
                              f"are the same model configuration (point {point.id})")
        seen[point.id] = job
        points.append(point)
    return points


def _complete(plan: Plan) -> set[str]:
    """The points whose files are complete. A point computed by other model code stops
    the plan with ``study.on_code_change=stop``; corrupt files are warned about."""
    why = {p.id: why_incomplete(p, plan.study_dir) for p in plan.points}
    changed = [pid for pid, reason in why.items() if reason == CODE_CHANGED]
    if changed and plan.settings.on_code_change == OnCodeChange.stop:
        raise ConfigError(
            f"{len(changed)} complete point(s) of {plan.study_dir} were computed by "
            f"{CODE_CHANGED} (e.g. {changed[0]}), and study.on_code_change = stop: rerun "
            "with study.on_code_change=recompute to recompute them, or =reuse to keep them")
    for point in plan.points:
        warn_incomplete(point, why[point.id])
    return {pid for pid, reason in why.items() if reason is None}


def previous_points(study_dir: Path) -> dict[str, str]:
    """The points a study folder already holds ({id: overrides}): those of its plan and
    those with a point file."""
    found: dict[str, str] = {}
    with contextlib.suppress(OSError, ValueError, KeyError):
        for entry in json.loads(plan_path(study_dir).read_text())["points"]:
            found[entry["point_id"]] = " ".join(entry["overrides"])
    for file in point_files(study_dir):
        found.setdefault(file.name.split(".")[0], "")
    return {pid: text or pid for pid, text in found.items()}


def claim_folder(plan: Plan) -> None:
    """Refuse a folder that holds another study (points not in this plan), or with
    ``study.overwrite=true`` remove that study's files. More replicates or more points
    for the same study are the same study."""
    old = previous_points(plan.study_dir)
    others = {pid: text for pid, text in old.items()
              if pid not in {p.id for p in plan.points}}
    if not others:
        return
    if not plan.settings.overwrite:
        example = next(iter(others.values()))
        raise ConfigError(
            f"{plan.study_dir} holds another study ({len(others)} point(s) not in this "
            f"plan, e.g. '{example}'): choose another folder with study.name=NAME (or "
            "study.dir=FOLDER), or replace it with study.overwrite=true")
    for pid in others:
        for stale in points_dir(plan.study_dir).glob(f"{pid}.*"):
            stale.unlink(missing_ok=True)
    for name in ("replicates.parquet", "weekly.parquet", "manifest.json", "summary.csv",
                 "figure.png", "figure.svg", "replicates.csv", "weekly.csv"):
        (plan.study_dir / name).unlink(missing_ok=True)
    shutil.rmtree(plan.study_dir / "jobs", ignore_errors=True)
