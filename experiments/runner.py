"""A study that runs itself (``study.runner``: sensitivity, scenario discovery).

`teamsim run` starts ``python -m experiments.runner CONFIG.yaml`` as the leader of a
process group of its own, as it starts the launcher of a point sweep
(:mod:`experiments.launch`): the runner's workers (joblib's) are in that group, and the
group ends with the `teamsim` process that started it, even when that one is killed
(:mod:`experiments.lifeline`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from omegaconf import OmegaConf

from experiments import lifeline
from experiments.cli import load


def main(argv: Sequence[str] | None = None) -> int:
    """Run the runner the config names (``study.runner``, ``module:function``) on it;
    return its exit code (130 when interrupted)."""
    lifeline.lead_group(os.getppid())
    (path,) = sys.argv[1:] if argv is None else argv
    cfg = OmegaConf.load(path)
    runner = load(cfg.study.runner, "study.runner")
    try:
        return int(runner(cfg) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
