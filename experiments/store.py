"""Files of a study folder, written atomically, with provenance in the Parquet metadata.

Layout of a study folder (``hydra.sweep.dir``, default ``results/<study.name>``)::

    plan.json                       the points the last `teamsim run` asked for
    points/<point_id>.parquet       one row per replicate (written last: marks completion)
    points/<point_id>.weekly.parquet  weekly trajectories (full or quantiles)
    points/<point_id>.failed.json   the error of a point that failed
    replicates.parquet, weekly.parquet, manifest.json   written by `teamsim collect`

Every file is written to a temporary name beside its target and moved into place with
``os.replace`` (atomic on POSIX), so a killed study leaves no half-written file.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import platform
import subprocess
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

META_KEY = b"teamsim"
PACKAGES = ("teamsim", "numpy", "pandas", "pyarrow", "mesa", "hydra-core", "omegaconf",
            "scipy")


def points_dir(study_dir: Path) -> Path:
    return Path(study_dir) / "points"


def replicates_path(study_dir: Path, pid: str) -> Path:
    return points_dir(study_dir) / f"{pid}.parquet"


def weekly_path(study_dir: Path, pid: str) -> Path:
    return points_dir(study_dir) / f"{pid}.weekly.parquet"


def failed_path(study_dir: Path, pid: str) -> Path:
    return points_dir(study_dir) / f"{pid}.failed.json"


def plan_path(study_dir: Path) -> Path:
    return Path(study_dir) / "plan.json"


def temporary(path: Path) -> Path:
    """A temporary name beside ``path``, unique to this process."""
    return path.with_name(f"{path.name}.tmp{os.getpid()}")


def remove_temporaries(path: Path) -> None:
    """Remove temporary files left beside ``path`` by a killed writer."""
    for stale in path.parent.glob(f"{path.name}.tmp*"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """Yield a temporary path; move it onto ``path`` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: Path, data: Any) -> None:
    with atomic(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, default=str) + "\n")


def read_meta(path: Path) -> dict[str, Any]:
    """The ``teamsim`` provenance record of a Parquet file written by a study."""
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta[META_KEY]) if META_KEY in meta else {}


@functools.cache
def provenance() -> dict[str, Any]:
    """Git commit of the code and versions of the packages that produced the results."""
    repo = Path(__file__).resolve().parent.parent
    commit, dirty = None, None
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True,
                                capture_output=True, text=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                cwd=repo, check=True, capture_output=True, text=True)
        dirty = bool(status.stdout.strip())
    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    return {"git_commit": commit, "git_dirty": dirty, "versions": versions}
