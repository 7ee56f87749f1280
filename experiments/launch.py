"""The Hydra application that `teamsim run` starts to launch a study's jobs.

``python -m experiments.launch --multirun ... +point=range(0,N)`` (see
:meth:`experiments.plan.Plan.launch_args`): Hydra reads the command line of its own
process, so `teamsim run` starts this one instead of changing its own ``sys.argv``. Each
job runs one point of the study's ``plan.json`` (:func:`experiments.job.hydra_job`) on
the launcher the overrides chose. The process ends with the `teamsim` process that
started it, and so do its workers (:mod:`experiments.lifeline`).
"""

from __future__ import annotations

import os

import hydra

from experiments import lifeline
from experiments.job import hydra_job
from experiments.settings import register
from sim import config_dir


def main() -> None:
    lifeline.lead_group(os.getppid())
    register()
    hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")(
        hydra_job)()


if __name__ == "__main__":
    main()
