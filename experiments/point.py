"""A parameter point of a study: its identity, its seed and its columns.

A point is one validated model :class:`sim.Config`. Its ``point_id`` is a short hash of
that config without the settings that never change results (``run.replicates``,
``run.chunk_size``; the ``study`` node is not part of the model config at all), so a
point keeps its identity, its seed and its first replicates when more are asked for.

Seeds (``study.seeds``):

* ``common`` (default): every point uses the root seed ``run.seed`` and replicates
  ``0..n-1`` -- common random numbers, so comparisons between points are paired
  (Law 2015, *Simulation Modeling and Analysis*, ch. 11) and independent of sweep order
  and launcher.
* ``per_point``: the seed is derived from (root seed, point identity) through numpy's
  ``SeedSequence``, giving independent streams per point, still order-free.

The ``pressure`` column names the pressure level (``configs/pressure/<level>.yaml``) only
when the point simulated that level's workload; a point whose workload settings were
changed (``workload.caseload=0.95`` under ``pressure=normal``) is ``normal*``
(:func:`pressure_level`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from experiments.settings import StudySettings, study_settings
from experiments.store import POINT_COLUMNS, read_meta
from sim import Config, ConfigError, config_dir, to_config
from sim.compose import parse
from sim.config import WorkloadConfig, ebe_count

#: Model settings that change neither a replicate's result nor the point's identity.
NOT_IDENTITY = ("run.replicates", "run.chunk_size")
#: Override keys that do not describe the point (they never become columns).
NOT_COLUMNS = ("experiment", "run.replicates", "run.chunk_size", "study", "hydra")
#: Marks a pressure level whose workload settings the point changed (``normal*``).
CHANGED_LEVEL = "*"


def point_id(cfg: Config) -> str:
    """Short stable hash (12 hex digits) of the model config minus :data:`NOT_IDENTITY`."""
    tree = dataclasses.asdict(cfg)
    for dotted in NOT_IDENTITY:
        section, key = dotted.split(".")
        tree[section].pop(key)
    text = json.dumps(tree, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def point_seed(root: int, pid: str, mode: str) -> int:
    """The seed of a point: the root seed, or one derived from (root, point_id)."""
    if mode == "common":
        return root
    state = np.random.SeedSequence([root, int(pid, 16)]).generate_state(1, dtype=np.uint64)
    return int(state[0] >> np.uint64(1))  # within the schema's [0, 2**63 - 1]


@functools.cache
def _level_workload(configs: str, level: str) -> dict[str, Any] | None:
    """The workload section ``pressure=<level>`` composes (the level's file over the
    schema's defaults), or None if ``configs`` has no such level."""
    path = Path(configs) / "pressure" / f"{level}.yaml"
    if Path(level).name != level or not path.is_file():
        return None
    try:
        node = OmegaConf.merge(OmegaConf.structured(WorkloadConfig), OmegaConf.load(path))
    except OmegaConfBaseException:      # not a level's file: the name is one's own
        return None
    return OmegaConf.to_container(node)


def pressure_level(cfg: Config) -> str:
    """The ``pressure`` column of a point: its level's name (``workload.name``), marked
    with :data:`CHANGED_LEVEL` when the workload simulated is not that level's, so
    ``workload.caseload=0.95`` under ``pressure=normal`` reads ``normal*``, not
    ``normal``. A name with no level file (a level of one's own) is kept as it is."""
    name = cfg.workload.name
    level = _level_workload(str(config_dir()), name)
    if level is None or level == dataclasses.asdict(cfg.workload):
        return name
    return name + CHANGED_LEVEL


def override_columns(overrides: Sequence[str]) -> dict[str, Any]:
    """``{dotted key: value}`` of the overrides that describe a point, in their order."""
    columns: dict[str, Any] = {}
    for override in parse(overrides):
        key = override.key_or_group
        if key.split(".")[0].split("/")[0] in NOT_COLUMNS or key in NOT_COLUMNS:
            continue
        value = override.value()
        columns[key] = value if isinstance(value, str | int | float | bool) else str(value)
    return columns


@dataclass(frozen=True)
class Point:
    """One point of a study: to run, or as a study file describes it."""

    id: str
    config: Config              # validated; run.seed is the point's seed
    root_seed: int
    settings: StudySettings | None  # None for a file written without the study node
    overrides: tuple[str, ...]
    columns: dict[str, Any]     # POINT_COLUMNS, then one per override key
    resolved: dict[str, Any]    # the whole composed config as plain data (provenance)

    @property
    def seed(self) -> int:
        return self.config.run.seed

    @property
    def replicates(self) -> int:
        return self.config.run.replicates

    @property
    def horizon(self) -> int:
        """Weeks simulated (the censoring time of ``weeks_to_loss``)."""
        return self.config.run.weeks

    @property
    def ebe_count(self) -> int:
        """EBE seats of the point (``ebe.count``, or ``ebe.share`` x team size)."""
        return ebe_count(self.config)

    def describe(self) -> str:
        """The overrides that describe the point as ``key=value`` words (else its id)."""
        return " ".join(f"{k}={v}" for k, v in override_columns(self.overrides).items()) \
            or self.id


def plain(node: DictConfig | Mapping[str, Any]) -> dict[str, Any]:
    """A composed config (resolved; without the ``hydra`` node) as plain data."""
    if not isinstance(node, DictConfig):
        return {k: v for k, v in node.items() if k != "hydra"}
    return {k: OmegaConf.to_container(node[k], resolve=True, enum_to_str=True)
            if isinstance(node[k], DictConfig) else node[k] for k in node if k != "hydra"}


def make_point(node: DictConfig | Mapping[str, Any], overrides: Sequence[str] = (),
               label: str | None = None) -> Point:
    """The point of a composed config and the overrides that produced it; ``label``
    (default: the config's) names it in the ``label`` column.

    Raises :class:`sim.ConfigError` on any invalid model or study setting.
    """
    tree = plain(node)
    settings = study_settings(tree)
    cfg = to_config(tree)
    columns = override_columns(overrides)
    if "ebe.count" in columns and cfg.ebe.share is not None:
        raise ConfigError(f"ebe.count = {columns['ebe.count']!r} and ebe.share = "
                          f"{cfg.ebe.share!r} both set the number of EBEs: give one of them")
    pid = point_id(cfg)
    seed = point_seed(cfg.run.seed, pid, settings.seeds)
    leading = dict(zip(POINT_COLUMNS, (settings.name, pid, label or cfg.label, cfg.team.name,
                                       pressure_level(cfg)), strict=True))
    return Point(id=pid, config=dataclasses.replace(cfg, run=dataclasses.replace(cfg.run,
                                                                                 seed=seed)),
                 root_seed=cfg.run.seed, settings=settings, overrides=tuple(overrides),
                 columns=leading | {k: v for k, v in columns.items() if k not in leading},
                 resolved=tree)


def point_record(point: Point) -> dict[str, Any]:
    """What a study file records of its point (see :func:`from_record`)."""
    n = point.replicates
    return {"point_id": point.id, "overrides": list(point.overrides), "columns": point.columns,
            "seeds": {"mode": point.settings.seeds, "root": point.root_seed,
                      "seed": point.seed, "replicates": [0, n - 1]},
            "config": point.resolved}


def from_record(entry: Mapping[str, Any]) -> Point:
    """The point a provenance record describes. The record is data: nothing in it is
    resolved (``${...}`` stays text), its config is validated."""
    tree = dict(entry["config"])
    cfg = to_config(tree)
    seeds = entry.get("seeds") or {}
    run = dataclasses.replace(cfg.run, seed=int(seeds.get("seed", cfg.run.seed)))
    return Point(id=str(entry.get("point_id") or point_id(cfg)),
                 config=dataclasses.replace(cfg, run=run),
                 root_seed=int(seeds.get("root", cfg.run.seed)),
                 settings=study_settings(tree) if "study" in tree else None,
                 overrides=tuple(entry.get("overrides", ())),
                 columns=dict(entry.get("columns", {})), resolved=tree)


def read_point(path: Path) -> Point:
    """The point of a study's Parquet file (from its provenance record)."""
    meta = read_meta(path)
    if "config" not in meta:
        raise ConfigError(f"{path} records no point config: not written by a teamsim study")
    return from_record(meta)
