"""Global sensitivity of the *advice*: Morris screening and Sobol indices on differences.

``teamsim run experiment=sensitivity`` calls :func:`run` (``study.runner``). The advice
of the model is a set of differences: a second EBE minus one, each lever minus one EBE
without it (P(alive at the horizon), paired on common random numbers). Over the
admissible region that the calibration leaves open (``docs/parameters.yaml``, see
``docs/calibration.md``), it asks which assumptions those differences depend on and
whether their sign can flip:

1. **Morris screening** (Morris 1991; mu* of Campolongo, Cariboni & Saltelli 2007) over
   every continuous parameter of the schema that no contrast sets.
2. **Sobol indices** (Sobol' 2001; S1 and ST with bootstrap intervals, Saltelli et al.
   2010 estimators as SALib computes them) over the ``sensitivity.sobol.top``
   parameters that matter most in the screening (or an explicit list).
3. **Sign flips**: the share of the Sobol sample points (spread over the whole region)
   where a difference has the other sign than at the defaults, and the parameters that
   separate those points from the rest.

Each output is also judged for trust: the share of its variance that is replicate noise
(per-point standard errors), and the width of the Sobol intervals; a design too small to
trust says so in the terminal and in ``summary.md``.

Writes into ``study.dir``: ``morris``, ``sobol`` and ``flips`` tables (``.csv``,
``.parquet``, ``.md``), ``morris.{png,svg}``, ``sobol.{png,svg}``, ``summary.md`` and
``sensitivity.json`` (sizes, times, warnings).
"""

from importlib import import_module

__all__ = ["run"]


def __getattr__(name: str):
    """``run`` is imported on first use, so that registering the settings (at the start
    of the command line) does not import SALib and matplotlib."""
    if name == "run":
        return import_module("experiments.sensitivity.runner").run
    raise AttributeError(f"module 'experiments.sensitivity' has no attribute {name!r}")
