"""Build a validated :class:`~sim.config.Config` from Hydra overrides.

``compose(["scenario=two_hires", "pressure=high", "run.replicates=200"])`` gives the
same config as ``teamsim run scenario=two_hires pressure=high run.replicates=200``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.config import Config, ConfigError, validate


def config_dir() -> Path:
    """The ``configs/`` tree: ``$TEAMSIM_CONFIG_DIR`` or the one beside the package."""
    return Path(os.environ.get("TEAMSIM_CONFIG_DIR",
                               Path(__file__).resolve().parent.parent / "configs"))


@lru_cache(maxsize=1)
def _schema() -> DictConfig:
    return OmegaConf.structured(Config)


def _unknown_key(node: DictConfig, schema: DictConfig, prefix: str = "") -> str | None:
    """The first key of ``node`` (within the schema's sections) that the schema lacks."""
    for key in node:
        if key not in schema:
            return prefix + str(key)
        child, expected = node[key], schema[key]
        if (isinstance(child, DictConfig) and isinstance(expected, DictConfig)
                and OmegaConf.get_type(expected) is not dict):
            found = _unknown_key(child, expected, f"{prefix}{key}.")
            if found:
                return found
    return None


def to_config(node: DictConfig | Config) -> Config:
    """A composed Hydra node (or a Config) as a validated :class:`Config`.

    Top-level nodes that are not part of the schema (``study``, ``hydra``) are ignored;
    an unknown key inside a schema section is an error.
    """
    if isinstance(node, Config):
        return validate(node)
    schema = _schema()
    sections = {k: v for k, v in node.items() if k in schema}
    unknown = _unknown_key(OmegaConf.create(sections), schema)
    if unknown:
        section = unknown.split(".")[0]
        raise ConfigError(f"{unknown} is not a field of the schema: allowed keys of "
                          f"{section}: {', '.join(map(str, schema[section]))}")
    try:
        merged = OmegaConf.merge(schema, sections)
    except OmegaConfBaseException as err:
        raise ConfigError(str(err).splitlines()[0]) from err
    return validate(OmegaConf.to_object(merged))


def compose(overrides: Sequence[str] = (), config_name: str = "config") -> Config:
    """Compose ``configs/<config_name>.yaml`` with command-line style ``overrides``."""
    try:
        with initialize_config_dir(version_base="1.3", config_dir=str(config_dir()),
                                   job_name="teamsim"):
            node = hydra_compose(config_name=config_name, overrides=list(overrides))
    except (HydraException, OmegaConfBaseException) as err:
        raise ConfigError(str(err)) from err
    return to_config(node)
