"""Study settings: how points are run and stored, never what is simulated.

They live under the ``study`` node of ``configs/config.yaml``, outside the model's
schema (:func:`sim.to_config` reads only the schema's sections), so they never change a
point's identity or its results -- except ``seeds``, which chooses the random streams.
:func:`register` stores :class:`StudySettings` in Hydra's ConfigStore, so that Hydra
checks every setting's type and choices while it composes the config; the dataclass
checks the ranges. The values and their comments are in ``configs/config.yaml``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim import ConfigError
from sim.config import register_schema


class Trajectories(StrEnum):
    """The weekly record kept per point."""

    full = "full"              # every replicate's every week
    quantiles = "quantiles"    # weekly mean and quantiles
    none = "none"              # no weekly record


class Seeds(StrEnum):
    """The random streams of the points."""

    common = "common"          # every point: run.seed, replicates 0..n-1
    per_point = "per_point"    # a seed derived from (run.seed, point identity)


class OnCodeChange(StrEnum):
    """What a rerun does with points computed by other model code (see store.py)."""

    recompute = "recompute"
    stop = "stop"
    reuse = "reuse"


def _check(name: str, ok: bool, value: object, allowed: str) -> None:
    if not ok:
        raise ConfigError(f"study.{name} = {value!r} is not allowed: {allowed}")


#: What a study name may be: a folder name inside the results folder.
NAME_RULE = "a folder name: not empty, not starting with '.', without '/' or '\\'"


def valid_name(name: str) -> bool:
    return bool(name) and not name.startswith(".") and not {"/", "\\", "\0"} & set(name)


@dataclass
class StudySettings:
    """The ``study`` node, typed (stored as ``schema/study`` in the ConfigStore)."""

    name: str = MISSING                 # names the folder and the `study` column
    dir: str = MISSING                  # the study folder
    block_size: int = MISSING           # replicates simulated and written at a time
    trajectories: Trajectories = MISSING
    quantile_replicates: int = MISSING  # weekly quantiles use the first this many replicates
    seeds: Seeds = MISSING
    runner: str | None = MISSING        # "module:function" run instead of the point sweep
    report: bool = MISSING              # print the summary table and draw the figure
    overwrite: bool = MISSING           # replace a folder that holds another study
    on_code_change: OnCodeChange = MISSING
    memory_gb: float = MISSING          # refuse a job estimated to need more memory

    def __post_init__(self) -> None:
        _check("name", valid_name(self.name), self.name, NAME_RULE)
        _check("dir", bool(self.dir), self.dir, "a folder")
        _check("block_size", self.block_size >= 1, self.block_size, "an integer >= 1")
        _check("quantile_replicates", self.quantile_replicates >= 1,
               self.quantile_replicates, "an integer >= 1")
        _check("runner", self.runner is None or ":" in self.runner, self.runner,
               "null or 'module:function'")
        _check("memory_gb", self.memory_gb > 0, self.memory_gb, "a number of GB > 0")


@functools.cache
def register() -> None:
    """Store the model schema and the study settings in Hydra's ConfigStore (once)."""
    register_schema()
    ConfigStore.instance().store(group="schema/study", name="teamsim", node=StudySettings,
                                 package="study")


def study_settings(cfg: DictConfig | Mapping[str, Any]) -> StudySettings:
    """The validated ``study`` node of a composed config (or of a stored plain one).

    Raises :class:`sim.ConfigError` naming the setting, its value and what is allowed.
    """
    node = cfg.get("study")
    if node is None:
        raise ConfigError("the config has no 'study' node (see configs/config.yaml)")
    known = [f.name for f in fields(StudySettings)]
    unknown = [key for key in node if key not in known]
    if unknown:
        raise ConfigError(f"study.{unknown[0]} is not a study setting: the settings are "
                          + ", ".join(known))
    try:
        raw = (OmegaConf.to_container(node, resolve=True, enum_to_str=True)
               if isinstance(node, DictConfig) else dict(node))
        named_by_label = isinstance(node, DictConfig) and \
            OmegaConf.to_container(node, resolve=False).get("name") == "${label}"
        if named_by_label and not valid_name(raw["name"]):
            raise ConfigError(f"label = {raw['name']!r} is not allowed: the study folder is "
                              f"named after it ({NAME_RULE}); or set study.name")
        return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(StudySettings), raw))
    except OmegaConfBaseException as err:
        raise ConfigError(f"study: {str(err).splitlines()[0]}") from err
