"""Scenarios and studies of the team model on the command line (``teamsim``).

See ``experiments/README.md``: ``teamsim run`` plans, launches (Hydra), collects and
reports a study; ``experiments.job`` is one Hydra job = one parameter point.
"""

from experiments.sensitivity.settings import register as _register_sensitivity_settings

# typed study settings in Hydra's ConfigStore, before any config of the command line is
# composed (configs/experiment/sensitivity.yaml takes its defaults from this node)
_register_sensitivity_settings()
