"""Per-replicate random streams: the basis of exact replay.

Replicate ``r`` of a point with root seed ``s`` draws from its own PCG64 stream seeded
by ``SeedSequence(s, spawn_key=(r,))`` -- numpy's documented way to make independent
streams, equal to ``SeedSequence(s).spawn(n)[r]``. A replicate consumes its stream in a
fixed order (its initial traits, then one fixed-size block of uniforms per week;
a second stream gives the traits of rehired EBEs), so its
trajectory depends only on (config, seed, r), never on how many replicates are advanced
together. Weekly blocks are fetched ``weeks_ahead`` at a time (one call per replicate
instead of one per week); a stream yields the same numbers however it is cut.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def replicate_stream(seed: int, replicate: int, purpose: int = 0) -> np.random.Generator:
    """The random stream of one replicate: ``purpose`` 0 for the weekly events, 1 for the
    traits of rehired EBEs (drawn only when a vacancy is filled)."""
    key = (int(replicate),) if purpose == 0 else (int(replicate), purpose)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


class ReplicateStreams:
    """The streams of a block of replicates; blocks come replicate-last, ``(width, R)``."""

    def __init__(self, seed: int, replicates: Sequence[int], weeks_ahead: int = 8):
        self.seed = seed
        self.replicates = list(replicates)
        self.generators = [replicate_stream(seed, r) for r in self.replicates]
        self._hiring: dict[int, np.random.Generator] = {}
        self.weeks_ahead = weeks_ahead
        self._rows = np.empty((len(self.generators), 0))
        self._ahead = np.empty((0, 0, len(self.generators)))
        self._next = 0

    def _draw(self, width: int) -> np.ndarray:
        if self._rows.shape[1] != width:
            self._rows = np.empty((len(self.generators), width))
        for row, generator in zip(self._rows, self.generators, strict=True):
            generator.random(out=row)
        return self._rows

    def uniforms(self, width: int) -> np.ndarray:
        """The next ``width`` uniforms of every replicate, ``(width, R)``."""
        return np.ascontiguousarray(self._draw(width).T)

    def hires(self, columns: np.ndarray, width: int) -> np.ndarray:
        """The next ``width`` uniforms of the hire streams of ``columns``, ``(width, C)``."""
        out = np.empty((len(columns), width))
        for row, column in zip(out, columns, strict=True):
            if column not in self._hiring:
                self._hiring[column] = replicate_stream(self.seed, self.replicates[column], 1)
            self._hiring[column].random(out=row)
        return np.ascontiguousarray(out.T)

    def week(self, width: int) -> np.ndarray:
        """The next weekly block ``(width, R)``, fetched ``weeks_ahead`` weeks at a time."""
        if self._next == self._ahead.shape[0] or self._ahead.shape[1] != width:
            rows = self._draw(width * self.weeks_ahead)
            if self._ahead.shape[:2] != (self.weeks_ahead, width):
                self._ahead = np.empty((self.weeks_ahead, width, len(self.generators)))
            np.copyto(self._ahead,
                      rows.reshape(len(self.generators), self.weeks_ahead, width)
                      .transpose(1, 2, 0))
            self._next = 0
        self._next += 1
        return self._ahead[self._next - 1]
