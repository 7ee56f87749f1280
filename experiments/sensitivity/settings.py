"""The ``sensitivity`` settings as dataclasses in Hydra's ConfigStore.

``configs/experiment/sensitivity.yaml`` takes its defaults from the node
``sensitivity_settings/default`` (this schema), so Hydra rejects a misspelled key or a
wrong type when the config is composed; the ranges a type cannot express (at least one
replicate, a power-of-two Sobol base) are checked in ``__post_init__`` when the node
becomes an object, before any run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim import ConfigError
from sim.outcomes import OUTCOMES

GROUP, NAME = "sensitivity_settings", "default"
LEVERS = ("two_hires", "external_ebe", "intervision", "coaching", "clear_role", "policy_seat",
          "professional_autonomy", "dialogue_culture", "experiential_authority",
          "separate_ebe_team")


def _at_least(name: str, value: int, low: int) -> None:
    if value < low:
        raise ConfigError(f"sensitivity.{name} = {value} must be >= {low}")


@dataclass
class MorrisSettings:
    """Morris screening (elementary effects) over every continuous parameter."""

    trajectories: int = 10
    levels: int = 4

    def __post_init__(self) -> None:
        _at_least("morris.trajectories", self.trajectories, 2)
        _at_least("morris.levels", self.levels, 2)


@dataclass
class SobolSettings:
    """Sobol indices over the parameters that matter most in the screening."""

    n: int = 256                       # base samples, a power of two: N (D + 2) points
    top: int = 8                       # parameters with the largest Morris mu* ...
    parameters: list[str] | None = None  # ... or this explicit list of dotted names

    def __post_init__(self) -> None:
        if self.n < 2 or self.n & (self.n - 1):
            raise ConfigError(f"sensitivity.sobol.n = {self.n} must be a power of two (>= 2)")
        _at_least("sobol.top", self.top, 1)


@dataclass
class SensitivitySettings:
    """What a global sensitivity analysis runs: sizes, the region, the contrasts."""

    replicates: int = 16               # per sample point and arm (common random numbers)
    jobs: int = 2                      # worker processes
    block: int = 64                    # sample points per task, advanced together
    seed: int = 20261123               # sampling and bootstrap seed
    region: str = "docs/parameters.yaml"  # admissible ranges ('range' of each field)
    plausible: dict[str, list[float]] = field(default_factory=dict)  # ranges that override
    baseline: str = "single_hire"      # scenario every contrast is compared with
    contrasts: list[str] = field(default_factory=lambda: list(LEVERS))  # scenarios
    levels: list[str] = field(default_factory=lambda: ["survived", "experiential_share",
                                                       "team_shift", "exits"])
    document: str | None = None        # also write the summary here (e.g. docs/sensitivity.md)
    morris: MorrisSettings = field(default_factory=MorrisSettings)
    sobol: SobolSettings = field(default_factory=SobolSettings)

    def __post_init__(self) -> None:
        for name in ("replicates", "jobs", "block"):
            _at_least(name, getattr(self, name), 1)
        bad = [o for o in self.levels if o not in OUTCOMES or OUTCOMES[o].kind == "category"]
        if bad:
            raise ConfigError(f"sensitivity.levels {bad}: choose from "
                              + ", ".join(k for k, o in OUTCOMES.items() if o.kind != "category"))
        for name, bounds in self.plausible.items():
            if len(bounds) != 2:
                raise ConfigError(f"sensitivity.plausible.{name} = {bounds}: give [low, high]")


def register() -> None:
    """Store :class:`SensitivitySettings` as ``sensitivity_settings/default``."""
    ConfigStore.instance().store(group=GROUP, name=NAME, node=SensitivitySettings)


def sensitivity_settings(cfg: DictConfig) -> SensitivitySettings:
    """The composed ``sensitivity`` node as an object (range checks run here)."""
    node = cfg.get("sensitivity")
    if node is None:
        raise ConfigError("the sensitivity runner needs a 'sensitivity' node "
                          "(teamsim run experiment=sensitivity)")
    try:
        raw = OmegaConf.to_container(node, resolve=True)  # plain: unknown keys then fail
        typed = OmegaConf.merge(OmegaConf.structured(SensitivitySettings), raw)
        return OmegaConf.to_object(typed)
    except OmegaConfBaseException as err:
        raise ConfigError(f"sensitivity: {str(err).splitlines()[0]}") from err
