"""Validation of the team model against the field (``teamsim validate``).

* :mod:`~experiments.validation.patterns`: the patterns, their arms and rules (one source
  for the report and the ODD's pattern list);
* :mod:`~experiments.validation.measures`: per-replicate measures from public outputs;
* :mod:`~experiments.validation.evaluate`: run the arms, estimate every check;
* :mod:`~experiments.validation.structural`: the headline under other structural choices;
* :mod:`~experiments.validation.report`: ``docs/validation.md`` and ``docs/validation.json``;
* :mod:`~experiments.validation.freshness`: fingerprints that tell a stale report;
* :mod:`~experiments.validation.cli`: the command line.
"""

from experiments.validation.cli import main

__all__ = ["main"]
