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
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf

from experiments.settings import StudySettings, study_settings
from sim import Config, to_config

#: Model settings that change neither a replicate's result nor the point's identity.
NOT_IDENTITY = ("run.replicates", "run.chunk_size")
#: Override keys that do not describe the point (they never become columns).
NOT_COLUMNS = ("experiment", "run.replicates", "run.chunk_size", "study", "hydra")
#: Columns every point carries before its override columns.
LEADING = ("study", "point_id", "label", "team", "pressure")


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


def override_columns(overrides: Sequence[str]) -> dict[str, Any]:
    """``{dotted key: value}`` of the overrides that describe a point, in their order."""
    columns: dict[str, Any] = {}
    for override in OverridesParser.create().parse_overrides(list(overrides)):
        key = override.key_or_group
        if key.split(".")[0].split("/")[0] in NOT_COLUMNS or key in NOT_COLUMNS:
            continue
        value = override.value()
        columns[key] = value if isinstance(value, str | int | float | bool) else str(value)
    return columns


@dataclass(frozen=True)
class Point:
    """One point of a study, ready to run."""

    id: str
    config: Config              # validated; run.seed is the point's seed
    root_seed: int
    settings: StudySettings
    overrides: tuple[str, ...]
    columns: dict[str, Any]     # leading columns, then one per override key
    resolved: dict[str, Any]    # the whole composed config as a plain dict (provenance)

    @property
    def seed(self) -> int:
        return self.config.run.seed

    @property
    def replicates(self) -> int:
        return self.config.run.replicates


def make_point(node: DictConfig, overrides: Sequence[str] = ()) -> Point:
    """The point of a composed config and the overrides that produced it.

    Raises :class:`sim.ConfigError` on any invalid model or study setting.
    """
    settings = study_settings(node)
    cfg = to_config(node)
    pid = point_id(cfg)
    seed = point_seed(cfg.run.seed, pid, settings.seeds)
    run = dataclasses.replace(cfg.run, seed=seed)
    leading = {"study": settings.name, "point_id": pid, "label": cfg.label,
               "team": cfg.team.name, "pressure": cfg.workload.name}
    columns = leading | {k: v for k, v in override_columns(overrides).items()
                         if k not in leading}
    resolved = OmegaConf.to_container(node, resolve=True)
    resolved.pop("hydra", None)
    return Point(id=pid, config=dataclasses.replace(cfg, run=run), root_seed=cfg.run.seed,
                 settings=settings, overrides=tuple(overrides), columns=columns,
                 resolved=resolved)
