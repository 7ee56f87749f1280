"""Array helpers that keep results independent of the number of replicates.

State arrays keep the replicate axis *last* -- ``(M, R)`` for members, ``(M, M, R)`` for
relations -- so that numpy's inner loops run over replicates (measured: about 3x faster
than a leading replicate axis for a 12-member team, because every broadcast and every
reduction over members then streams over long contiguous rows).

numpy's ``sum`` uses pairwise summation along an innermost axis, which is what a member
axis becomes when there is a single replicate. :func:`member_sum` therefore adds seat
by seat, so a replicate's numbers carry the same bits whether it runs alone or among
thousands. Elementwise arithmetic is exact per element; transcendental functions come
from ``scipy.special`` (scalar loops, no SIMD variants).
"""

from __future__ import annotations

import ctypes

import numpy as np

_LAST = (-1, (slice(None), -1))  # the last entry along member axis 0 or 1


def member_sum(a: np.ndarray, axis: int = 0) -> np.ndarray:
    """Sum over a member axis in seat order, one addition at a time.

    With two or more replicates the replicate axis is the inner loop and numpy adds the
    member slices one after another; with a single replicate the member axis would
    become the inner loop (pairwise summation), so the running sum (``cumsum``, which
    is sequential by definition) is taken instead. Either way the additions happen in
    the same order and give the same bits.
    """
    if a.shape[-1] > 1 or not a.shape[axis]:
        return np.add.reduce(a, axis, float)
    return np.add.accumulate(a, axis, float)[_LAST[axis]]


def count(mask: np.ndarray, axis: int = 0) -> np.ndarray:
    """Number of ``True`` along a member axis (integers: exact in any order, and about
    twice as fast as ``np.count_nonzero`` with an axis)."""
    return np.add.reduce(mask, axis=axis, dtype=np.intp)


def masked_mean(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over the members where ``mask`` (first axis); NaN if none."""
    return member_sum(values * mask) / divisor(count(mask))


def divisor(counts: np.ndarray) -> np.ndarray:
    """Counts as divisors of a mean: NaN where there is nothing to average."""
    return np.where(counts > 0, counts, np.nan)


def diagonal(relation: np.ndarray) -> np.ndarray:
    """The writable view ``[i, i, :]`` of a relation ``(M, M, R)``, shape ``(M, R)``."""
    if not relation.flags.c_contiguous:  # reshape would copy, and writes would be lost
        raise ValueError("diagonal needs a C-contiguous relation array")
    m = relation.shape[0]
    return relation.reshape(m * m, -1)[::m + 1]


def at(value, replicates: np.ndarray, seats: np.ndarray | None = None):
    """A parameter's value for sparse events in ``replicates`` (and ``seats``).

    Parameters are numbers, ``(R,)`` arrays (a block of points) or ``(M, 1|R)`` arrays.
    """
    if not isinstance(value, np.ndarray):
        return value
    column = replicates if value.shape[-1] > 1 else 0
    return value[column] if seats is None else value[seats, column]


def columns(value, cols: np.ndarray):
    """A parameter restricted to the replicate columns ``cols`` (numbers pass through)."""
    if isinstance(value, np.ndarray) and value.ndim and value.shape[-1] > 1:
        return value[..., cols]
    return value


_heap_kept = False


def keep_heap() -> None:
    """Let glibc reuse freed blocks instead of returning them to the OS at every free.

    The engine's temporaries of a few hundred KB sit above glibc's default mmap and
    trim thresholds, so each one is mapped, page-faulted and unmapped again: measured
    here, a (12, 12, 2048) multiply-add ran 10x slower (3 ns vs 0.25 ns per element).
    Raising both thresholds (the documented ``mallopt`` knobs, as MALLOC_MMAP_THRESHOLD_
    and MALLOC_TRIM_THRESHOLD_ do) keeps them on the heap. A no-op off glibc.
    """
    global _heap_kept
    if _heap_kept:
        return
    _heap_kept = True
    try:
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 64 << 20)
        libc.mallopt(m_trim_threshold, 512 << 20)
    except (OSError, AttributeError):
        pass
