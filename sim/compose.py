"""Build a validated :class:`~sim.config.Config` from Hydra overrides.

``compose(["scenario=two_hires", "pressure=high", "run.replicates=200"])`` gives the
same config as ``teamsim run scenario=two_hires pressure=high run.replicates=200``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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


def to_config(node: DictConfig | Config) -> Config:
    """A composed Hydra node (or a Config) as a validated :class:`Config`."""
    if isinstance(node, Config):
        return validate(node)
    schema = OmegaConf.structured(Config)
    try:
        merged = OmegaConf.merge(schema, {k: v for k, v in node.items() if k in schema})
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
