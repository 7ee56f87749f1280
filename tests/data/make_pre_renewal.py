"""Write ``pre_renewal.npz``: weekly records of the model before issue 13's mechanisms.

Run once, at the commit named in the file, with ``python tests/data/make_pre_renewal.py``.
``tests/test_model_renewal.py`` checks that with professional turnover, rule changes,
earned authority, a contact structure and allies all off, the model still produces
these records bit for bit.
"""

import subprocess
from pathlib import Path

import numpy as np

from sim import OBSERVED, build_team, compose, run_block

CASES = {
    "default": [],
    "two_high": ["scenario=two_hires", "pressure=high"],
    "external": ["scenario=external_ebe"],
    "authority_dialogue": ["organisation.experiential_authority=0.8",
                           "organisation.dialogue_culture=0.8"],
    "exits": ["behaviour.exit_rate=0.9", "organisation.rehire_delay_weeks=2", "ebe.count=2"],
    "neighbourhood_policy": ["team=neighbourhood", "organisation.policy_seat=1",
                             "behaviour.critique_uptake=0.2"],
}

if __name__ == "__main__":
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    records = {}
    for name, overrides in CASES.items():
        cfg = compose([*overrides, "run.weeks=52"])
        records[name] = run_block(build_team(cfg), cfg.run.seed, range(6))
    np.savez_compressed(Path(__file__).with_name("pre_renewal.npz"), commit=commit,
                        columns=np.array(OBSERVED), **records)
