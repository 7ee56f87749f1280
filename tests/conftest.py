"""Shared fixtures: small configs composed once."""

from __future__ import annotations

import pytest

from sim import compose


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
