"""The compile cache: one folder per version of the model, stale versions cleared out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sim.jit import STALE_DAYS, prune_stale

DAY = 86400.0


def folder(base: Path, name: str, age_days: float) -> Path:
    path = base / name
    (path / "sim_x").mkdir(parents=True)
    (path / "sim_x" / "engine.run_weeks-1.py311.nbi").write_bytes(b"index")
    stamp = time.time() - age_days * DAY
    os.utime(path, (stamp, stamp))
    return path


def test_prune_removes_only_other_versions_unused_for_the_stale_days(tmp_path):
    current = tmp_path / "numba-0123456789abcdef"
    old = folder(tmp_path, "numba-aaaaaaaaaaaaaaaa", STALE_DAYS + 1)
    recent = folder(tmp_path, "numba-bbbbbbbbbbbbbbbb", STALE_DAYS - 1)
    other = folder(tmp_path, "solara", STALE_DAYS + 100)          # not ours
    odd = folder(tmp_path, "numba-mine", STALE_DAYS + 100)        # not a version's name
    removed = prune_stale(current)
    assert removed == [old]
    assert not old.exists()
    assert recent.exists() and other.exists() and odd.exists()


def test_prune_keeps_the_current_version_however_old(tmp_path):
    current = folder(tmp_path, "numba-0123456789abcdef", STALE_DAYS * 10)
    assert prune_stale(current) == []
    assert current.exists()


def import_jit(base: Path) -> str:
    """Import the engine's compiler module in a fresh process; return its cache folder."""
    code = "import numba, sim.jit; print(numba.config.CACHE_DIR)"
    env = {**os.environ, "TEAMSIM_CACHE_DIR": str(base)}
    return subprocess.run([sys.executable, "-c", code], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def test_a_new_version_clears_stale_caches_and_an_import_marks_its_own_as_used(tmp_path):
    old = folder(tmp_path, "numba-aaaaaaaaaaaaaaaa", STALE_DAYS + 1)
    current = Path(import_jit(tmp_path))
    assert current.parent == tmp_path and current.is_dir()
    assert not old.exists(), "a new version's first import removes stale versions"

    # once the version's folder exists, imports only mark it as used
    later = folder(tmp_path, "numba-cccccccccccccccc", STALE_DAYS + 1)
    stamp = time.time() - 5 * DAY
    os.utime(current, (stamp, stamp))
    assert Path(import_jit(tmp_path)) == current
    assert later.exists()
    assert current.stat().st_mtime > time.time() - DAY
