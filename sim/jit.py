"""Compilation of the engine with numba: one decorator, a safe cache, exact special functions.

Every mechanism is a plain Python function compiled by :func:`jit` (numba ``njit``:
no Python objects, no fast-math, so IEEE arithmetic in the order written). The batch,
``TeamModel`` and the classroom all call the same compiled functions, and each
replicate runs the same scalar code whether it is alone or among thousands: its
numbers carry the same bits either way.

*Cache.* Compiled code is cached on disk, so only the first run after installing or
changing the model compiles (about 9 s of CPU). numba checks only the file of the function
it loads, not the files of the functions it calls, so the cache folder is named after a
hash of every module of ``sim/``: any change to the model starts a fresh cache. The
folder is ``$TEAMSIM_CACHE_DIR``, else ``$XDG_CACHE_HOME/teamsim`` (``~/.cache/teamsim``).
Each import marks its version's folder as used; when a new version starts its folder, the
folders of versions no process has loaded for :data:`STALE_DAYS` are removed (about 1 to
14 MB each), so a model under development does not fill the disk.

*Special functions.* ``exp2``, ``powm1`` and ``ndtri`` are scipy's own compiled
functions (``scipy.special.cython_special``), called directly, so the engine computes
exactly what ``scipy.special`` computes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import llvmlite.binding as llvm
import numba
from numba import types
from numba.extending import get_cython_function_address

SIM = Path(__file__).resolve().parent

#: Days after which the cache of another version of the model, unused, is removed.
STALE_DAYS = 30


def model_fingerprint() -> str:
    """Hash (16 hex digits) of every source file of the model (``sim/*.py``)."""
    digest = hashlib.sha256()
    for path in sorted(SIM.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """Where compiled code is kept: one folder per version of the model's sources."""
    base = os.environ.get("TEAMSIM_CACHE_DIR") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "teamsim"
    return Path(base) / f"numba-{model_fingerprint()}"


def prune_stale(current: Path, days: float = STALE_DAYS) -> list[Path]:
    """Remove the cache folders beside ``current`` (other versions of the model) that
    have not been marked as used for ``days``; return those removed."""
    cutoff = time.time() - days * 86400
    stale = [folder for folder in current.parent.glob("numba-*")
             if folder != current and re.fullmatch(r"numba-[0-9a-f]{16}", folder.name)
             and folder.is_dir() and folder.stat().st_mtime < cutoff]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def use_cache(folder: Path) -> None:
    """Compile into ``folder`` and mark it as used; a new folder clears out stale ones.
    A folder that cannot be made is left to numba, which falls back to its own places."""
    with contextlib.suppress(OSError):
        if not folder.exists():
            prune_stale(folder)
            folder.mkdir(parents=True)
        os.utime(folder)
    numba.config.CACHE_DIR = str(folder)


use_cache(cache_dir())


def jit(function: Callable | None = None, *, inline: bool = False) -> Callable:
    """Compile ``function`` for the engine (nopython, cached, IEEE arithmetic).

    ``inline=True`` (small helpers) puts the function's body into each caller instead
    of compiling it on its own, which saves compile time and a call.
    """
    options = {"cache": True, "error_model": "numpy", "inline": "always" if inline else "never"}
    return numba.njit(**options) if function is None else numba.njit(**options)(function)


def _special(name: str, arguments: int):
    """scipy.special's compiled ``name`` (double precision) as a numba function."""
    symbol = f"teamsim_{name}"
    llvm.add_symbol(symbol, get_cython_function_address("scipy.special.cython_special", name))
    return types.ExternalFunction(symbol, types.float64(*[types.float64] * arguments))


exp2 = _special("exp2", 1)
ndtri = _special("ndtri", 1)
powm1 = _special("__pyx_fuse_0powm1", 2)   # the double-precision instance of the fused type
