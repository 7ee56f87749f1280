"""Shared fixtures: small configs composed once."""

from __future__ import annotations

import pytest

from experiments.settings import register
from sim import compose

# Tests compose configs with Hydra directly, as `teamsim` does: register the typed schema
# and study settings in Hydra's ConfigStore first (importing sim registers nothing).
register()


@pytest.fixture(scope="session")
def small():
    """Compose a config with a short horizon; extra overrides as arguments."""
    cache = {}

    def make(*overrides: str, weeks: int = 52, replicates: int = 64):
        key = (overrides, weeks, replicates)
        if key not in cache:
            cache[key] = compose([*overrides, f"run.weeks={weeks}",
                                  f"run.replicates={replicates}"])
        return cache[key]

    return make
