"""Scenarios and studies of the team model on the command line (``teamsim``).

See ``experiments/README.md``: ``teamsim run`` plans, launches (Hydra), collects and
reports a study; ``experiments.job`` is one Hydra job = one parameter point.
"""
