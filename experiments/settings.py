"""Study settings: how points are run and stored, never what is simulated.

They live under the ``study`` node of ``configs/config.yaml``, outside the model's
schema (:func:`sim.to_config` reads only the schema's sections), so they never change a
point's identity or its results -- except ``seeds``, which chooses the random streams.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from omegaconf import MISSING, DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim import ConfigError

TRAJECTORIES = ("full", "quantiles", "none")
SEED_MODES = ("common", "per_point")


@dataclass(frozen=True)
class StudySettings:
    """The ``study`` node, typed; the values (and their comments) are in config.yaml."""

    name: str = MISSING
    dir: str = MISSING
    block_size: int = MISSING           # replicates simulated and written at a time
    trajectories: str = MISSING         # weekly record per point: full | quantiles | none
    quantile_replicates: int = MISSING  # weekly quantiles use the first this many replicates
    seeds: str = MISSING                # common | per_point
    runner: str | None = MISSING        # "module:function" run instead of the point sweep
    report: bool = MISSING              # print the summary table and draw the figure


def _check(name: str, ok: bool, value: object, allowed: str) -> None:
    if not ok:
        raise ConfigError(f"study.{name} = {value!r} is not allowed: {allowed}")


def study_settings(cfg: DictConfig) -> StudySettings:
    """The validated ``study`` node of a composed config.

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
        raw = OmegaConf.to_container(node, resolve=True)  # interpolations refer to the root
        typed = OmegaConf.merge(OmegaConf.structured(StudySettings), raw)
        settings = OmegaConf.to_object(typed)
    except OmegaConfBaseException as err:
        raise ConfigError(f"study: {str(err).splitlines()[0]}") from err
    _check("name", bool(settings.name) and "/" not in settings.name, settings.name,
           "a non-empty name without '/'")
    _check("block_size", settings.block_size >= 1, settings.block_size, "an integer >= 1")
    _check("quantile_replicates", settings.quantile_replicates >= 1,
           settings.quantile_replicates, "an integer >= 1")
    _check("trajectories", settings.trajectories in TRAJECTORIES, settings.trajectories,
           "one of " + ", ".join(TRAJECTORIES))
    _check("seeds", settings.seeds in SEED_MODES, settings.seeds,
           "one of " + ", ".join(SEED_MODES))
    _check("runner", settings.runner is None or ":" in settings.runner, settings.runner,
           "null or 'module:function'")
    return settings
