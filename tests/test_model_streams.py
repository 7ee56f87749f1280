"""The engine's random streams are numpy's, number for number (``sim.streams``)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.streams import HIRES, WEEKLY, fill, replicate_stream, seed_words, streams

SEEDS = (0, 1, 20261123, 2**32 - 1, 2**32, 2**63 - 1)
REPLICATES = (0, 1, 17, 999, 2**31, 2**32 + 5)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("purpose", (WEEKLY, HIRES))
def test_seed_sequence_and_pcg64_state_equal_numpy(seed, purpose):
    rng = streams(seed, REPLICATES)[:, purpose]
    for i, replicate in enumerate(REPLICATES):
        key = (replicate,) if purpose == WEEKLY else (replicate, purpose)
        words = np.random.SeedSequence(seed, spawn_key=key).generate_state(4, np.uint64)
        np.testing.assert_array_equal(seed_words(seed, [replicate], purpose)[0], words)
        state = replicate_stream(seed, replicate, purpose).bit_generator.state["state"]
        assert (int(rng[i, 0]) << 64 | int(rng[i, 1])) == state["state"]
        assert (int(rng[i, 2]) << 64 | int(rng[i, 3])) == state["inc"]


@pytest.mark.parametrize("purpose", (WEEKLY, HIRES))
def test_draws_equal_numpy_however_they_are_cut(purpose):
    rng = streams(20261123, range(5))
    for r in range(5):
        reference = replicate_stream(20261123, r, purpose).random(10_000)
        drawn = np.empty(10_000)
        for start, stop in ((0, 1), (1, 161), (161, 4000), (4000, 10_000)):
            fill(rng, r, purpose, drawn[start:stop])
        np.testing.assert_array_equal(drawn, reference)
        assert drawn.min() >= 0.0 and drawn.max() < 1.0
