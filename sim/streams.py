"""Per-replicate random streams: the basis of exact replay.

Replicate ``r`` of a point with root seed ``s`` draws from its own PCG64 stream seeded by
``SeedSequence(s, spawn_key=(r,))``, numpy's documented way to make independent streams
(equal to ``SeedSequence(s).spawn(n)[r]``); the traits of EBEs hired later come from a
second stream, ``spawn_key=(r, 1)``. A replicate consumes its streams in a fixed order
(its initial traits, then one fixed block of uniforms every week; a block of trait draws
per hire), so its trajectory depends only on (config, seed, r), never on how many
replicates run together.

The engine draws inside compiled code, so the two algorithms are written out here:
numpy's ``SeedSequence`` (vectorised over replicates, in numpy) and PCG64's XSL-RR
generator with its 128-bit state (in numba, one LLVM ``i128`` multiply-add per draw).
They are numpy's algorithms number for number: ``tests/test_model_streams.py`` checks
every state and draw against ``numpy.random.PCG64`` and ``Generator.random``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from sim.jit import jit

#: Purposes of a replicate's streams (the second word of the spawn key).
WEEKLY, HIRES = 0, 1
# numpy's SeedSequence constants (numpy/random/bit_generator.pyx) and pool size
INIT_A, MULT_A = 0x43B0D7E5, 0x931E8875
INIT_B, MULT_B = 0x8B51F9DD, 0x58F38DED
MIX_MULT_L, MIX_MULT_R = 0xCA01F9DD, 0x4973F715
POOL = 4
# PCG64's 128-bit multiplier, high and low words (PCG_DEFAULT_MULTIPLIER_128)
MULT_HI, MULT_LO = np.uint64(2549297995355413924), np.uint64(4865540595714422341)
DOUBLE_UNIT = 1.0 / 9007199254740992.0  # 2**-53: numpy's next_double


def replicate_stream(seed: int, replicate: int, purpose: int = WEEKLY) -> np.random.Generator:
    """numpy's Generator for one replicate's stream (the reference the engine reproduces)."""
    key = (int(replicate),) if purpose == WEEKLY else (int(replicate), purpose)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def _words(n: int) -> list[int]:
    """An integer as little-endian 32-bit words (numpy's ``_int_to_uint32_array``)."""
    words = [n & 0xFFFFFFFF] if n == 0 else []
    while n > 0:
        words.append(n & 0xFFFFFFFF)
        n >>= 32
    return words


def _hashmix(value: np.ndarray, hash_const: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    value = value ^ hash_const
    hash_const = hash_const * np.uint32(MULT_A)
    value = value * hash_const
    return value ^ (value >> np.uint32(16)), hash_const


def _mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    result = np.uint32(MIX_MULT_L) * x - np.uint32(MIX_MULT_R) * y
    return result ^ (result >> np.uint32(16))


def seed_words(seed: int, replicates: Sequence[int], purpose: int) -> np.ndarray:
    """``SeedSequence(seed, spawn_key=...).generate_state(4, uint64)`` for every replicate,
    ``(R, 4)`` uint64, vectorised over replicates (numpy's algorithm, numpy's uint32
    arithmetic wrapping as in C)."""
    run = _words(int(seed))
    run += [0] * (POOL - len(run))          # spawn keys pad the run entropy to the pool
    keys = [_words(int(r)) + (_words(purpose) if purpose != WEEKLY else []) for r in replicates]
    width = max((len(k) for k in keys), default=1)
    if any(len(k) != width for k in keys):  # replicate indices of different word lengths
        return np.concatenate([seed_words(seed, [r], purpose) for r in replicates]) \
            if replicates else np.zeros((0, 4), np.uint64)
    entropy = np.empty((len(run) + width, len(keys)), np.uint32)
    entropy[:len(run)] = np.array(run, np.uint32)[:, None]
    entropy[len(run):] = np.array(keys, np.uint32).T.reshape(width, len(keys))
    with np.errstate(over="ignore"):
        hash_const = np.full(len(keys), INIT_A, np.uint32)
        pool = np.empty((POOL, len(keys)), np.uint32)
        for i in range(POOL):
            pool[i], hash_const = _hashmix(entropy[i], hash_const)
        for src in range(POOL):
            for dst in range(POOL):
                if src != dst:
                    mixed, hash_const = _hashmix(pool[src], hash_const)
                    pool[dst] = _mix(pool[dst], mixed)
        for src in range(POOL, len(entropy)):
            for dst in range(POOL):
                mixed, hash_const = _hashmix(entropy[src], hash_const)
                pool[dst] = _mix(pool[dst], mixed)
        state = np.empty((8, len(keys)), np.uint32)
        hash_b = np.uint32(INIT_B)
        for i in range(8):
            value = pool[i % POOL] ^ hash_b
            hash_b = hash_b * np.uint32(MULT_B)
            value = value * hash_b
            state[i] = value ^ (value >> np.uint32(16))
    return np.ascontiguousarray(state.T).view("<u8").astype(np.uint64)


@intrinsic
def _muladd128(typingctx, a_hi, a_lo, m_hi, m_lo, c_hi, c_lo):
    """(a * m + c) mod 2**128 on 128-bit numbers given as (high, low) uint64 words."""
    signature = types.UniTuple(types.uint64, 2)(*[types.uint64] * 6)

    def codegen(context, builder, sig, args):
        wide, word = ir.IntType(128), ir.IntType(64)
        shift = ir.Constant(wide, 64)

        def join(high, low):
            return builder.or_(builder.shl(builder.zext(high, wide), shift),
                               builder.zext(low, wide))

        total = builder.add(builder.mul(join(args[0], args[1]), join(args[2], args[3])),
                            join(args[4], args[5]))
        high = builder.trunc(builder.lshr(total, shift), word)
        return context.make_tuple(builder, sig.return_type,
                                  [high, builder.trunc(total, word)])

    return signature, codegen


@jit(inline=True)
def _step(rng, r, stream):
    """Advance the PCG64 state ``rng[r, stream] = (state hi, lo, increment hi, lo)``."""
    rng[r, stream, 0], rng[r, stream, 1] = _muladd128(
        rng[r, stream, 0], rng[r, stream, 1], MULT_HI, MULT_LO, rng[r, stream, 2],
        rng[r, stream, 3])


@jit
def seed_pcg64(words, rng, stream):
    """PCG64 states ``rng[:, stream]`` from SeedSequence words ``(R, 4)`` (numpy's
    ``pcg64_set_seed``)."""
    one = np.uint64(1)
    for r in range(words.shape[0]):
        rng[r, stream, 2] = (words[r, 2] << one) | (words[r, 3] >> np.uint64(63))
        rng[r, stream, 3] = (words[r, 3] << one) | one
        rng[r, stream, 0] = rng[r, stream, 1] = np.uint64(0)
        _step(rng, r, stream)
        rng[r, stream, 0], rng[r, stream, 1] = _muladd128(
            np.uint64(0), one, rng[r, stream, 0], rng[r, stream, 1], words[r, 0], words[r, 1])
        _step(rng, r, stream)


@jit(inline=True)
def next_double(rng, r, stream):
    """The next uniform in [0, 1) of replicate ``r``'s stream (numpy's ``Generator.random``)."""
    _step(rng, r, stream)
    high, low = rng[r, stream, 0], rng[r, stream, 1]
    rotation = high >> np.uint64(58)
    mixed = high ^ low
    out = (mixed >> rotation) | (mixed << ((np.uint64(64) - rotation) & np.uint64(63)))
    return np.float64(out >> np.uint64(11)) * DOUBLE_UNIT


@jit(inline=True)
def fill(rng, r, stream, out):
    """Fill ``out`` with the next uniforms of replicate ``r``'s stream."""
    for i in range(out.shape[0]):
        out[i] = next_double(rng, r, stream)


def streams(seed: int, replicates: Sequence[int]) -> np.ndarray:
    """PCG64 states ``(R, 2, 4)`` of the replicates' weekly and hire streams, ready to draw."""
    rng = np.empty((len(replicates), 2, 4), np.uint64)
    for stream in (WEEKLY, HIRES):
        seed_pcg64(seed_words(seed, replicates, stream), rng, stream)
    return rng
