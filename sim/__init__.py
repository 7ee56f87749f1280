"""teamsim: does the experience perspective of experts by experience survive in a team?

Public API::

    from sim import compose, simulate, TeamModel
    cfg = compose(["scenario=two_hires", "pressure=high", "run.replicates=500"])
    result = simulate(cfg)            # result.replicates: one row per replicate
    result.weekly                     # one row per replicate and week
    model = TeamModel(cfg, replicate=17)   # replicate 17 alone, step by step (Mesa)

The Mesa classes are imported on first use, so that sweep workers that only need the
batched engine do not pay for importing Mesa.
"""

from importlib import import_module

from sim.compose import compose, config_dir, to_config
from sim.config import Config, ConfigError, validate
from sim.engine import TeamEngine
from sim.outcomes import OBSERVED
from sim.parameters import Parameters, Team, build_team, stack_parameters
from sim.simulate import Result, replicate_table, run_block, simulate, weekly_table

_MESA = {"TeamModel": "sim.model", "TeamMember": "sim.agents", "Professional": "sim.agents",
         "Psychiatrist": "sim.agents", "ExpertByExperience": "sim.agents"}

__all__ = [
    "OBSERVED", "Config", "ConfigError", "ExpertByExperience", "Parameters", "Professional",
    "Psychiatrist", "Result", "Team", "TeamEngine", "TeamMember", "TeamModel", "build_team",
    "compose", "config_dir", "replicate_table", "run_block", "simulate", "stack_parameters",
    "to_config", "validate", "weekly_table",
]


def __getattr__(name: str):
    if name in _MESA:
        return getattr(import_module(_MESA[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
