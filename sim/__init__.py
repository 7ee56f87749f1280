"""teamsim: does the experience perspective of experts by experience survive in a team?

Public API::

    from sim import compose, simulate, TeamModel
    cfg = compose(["scenario=two_hires", "pressure=high", "run.replicates=500"])
    result = simulate(cfg)            # result.replicates: one row per replicate
    result.weekly                     # one row per replicate and week
    model = TeamModel(cfg, replicate=17)   # replicate 17 alone, step by step (Mesa)
"""

from sim.agents import ExpertByExperience, Professional, Psychiatrist, TeamMember
from sim.compose import compose, config_dir, to_config
from sim.config import Config, ConfigError, validate
from sim.engine import TeamEngine
from sim.model import TeamModel
from sim.outcomes import OBSERVED
from sim.parameters import Parameters, build_parameters
from sim.simulate import Result, replicate_table, run_block, simulate, weekly_table

__all__ = [
    "OBSERVED", "Config", "ConfigError", "ExpertByExperience", "Parameters", "Professional",
    "Psychiatrist", "Result", "TeamEngine", "TeamMember", "TeamModel", "build_parameters",
    "compose", "config_dir", "replicate_table", "run_block", "simulate", "to_config",
    "validate", "weekly_table",
]
