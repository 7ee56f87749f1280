"""The study format on disk: one owner for the folder layout, the point columns, the
provenance record in the Parquet metadata, atomic and checksummed writing, verified
reading, the study lock and the code version.

Layout of a study folder (``study.dir``, default ``results/<study.name>``)::

    plan.json                       the points the last `teamsim run` asked for
    points/<point_id>.parquet       one row per replicate (written last: marks completion)
    points/<point_id>.weekly.parquet  weekly trajectories (full or quantiles)
    points/<point_id>.failed.json   the error of a point that failed
    points/<point_id>.progress      replicates done so far by the job running the point
    replicates.parquet, weekly.parquet, manifest.json   written by `teamsim collect`
    .lock                           held by the `teamsim` process using the folder

Every file is written under a temporary name beside its target (``<name>.tmp-<host>-<pid>``)
and moved into place with ``os.replace`` (atomic on POSIX), so a killed writer leaves no
half-written file; its temporary is removed once that writer is gone. Parquet files carry
CRC page checksums, verified on every read (Apache Parquet format, ``PageHeader.crc``), and
under the schema metadata key ``teamsim`` a JSON provenance record (:data:`META_KEY`).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import platform
import socket
import subprocess
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim import jit

META_KEY = b"teamsim"
#: Columns every point's rows carry first, before its override columns.
POINT_COLUMNS = ("study", "point_id", "label", "team", "pressure")
PACKAGES = ("teamsim", "numpy", "pandas", "pyarrow", "mesa", "hydra-core", "omegaconf",
            "scipy")
#: Read and write in batches of this many rows (bounds memory for large files).
BATCH_ROWS = 65536


class StudyLocked(RuntimeError):
    """Another process is using the study folder."""


def points_dir(study_dir: Path) -> Path:
    return Path(study_dir) / "points"


def replicates_path(study_dir: Path, pid: str) -> Path:
    return points_dir(study_dir) / f"{pid}.parquet"


def weekly_path(study_dir: Path, pid: str) -> Path:
    return points_dir(study_dir) / f"{pid}.weekly.parquet"


def failed_path(study_dir: Path, pid: str) -> Path:
    return points_dir(study_dir) / f"{pid}.failed.json"


def progress_path(study_dir: Path, pid: str) -> Path:
    return points_dir(study_dir) / f"{pid}.progress"


def plan_path(study_dir: Path) -> Path:
    return Path(study_dir) / "plan.json"


def point_files(study_dir: Path) -> list[Path]:
    """Every per-replicate point file of the folder (not the weekly ones)."""
    return sorted(p for p in points_dir(study_dir).glob("*.parquet")
                  if not p.name.endswith(".weekly.parquet"))


# ----------------------------------------------------------------- temporaries, atomicity

HOST = socket.gethostname().replace("-", "_")


def temporary(path: Path, pid: int | None = None) -> Path:
    """The temporary name beside ``path`` of the writer ``pid`` (this process) here."""
    return path.with_name(f"{path.name}.tmp-{HOST}-{pid or os.getpid()}")


def writer_gone(temp: Path) -> bool:
    """True if the process that writes ``temp`` has ended (known only on its host)."""
    host, _, pid = temp.name.rpartition(".tmp-")[2].rpartition("-")
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def remove_temporaries(path: Path) -> None:
    """Remove temporaries beside ``path`` (``path`` a folder: in it) whose writer is gone."""
    folder, pattern = (path, "*.tmp-*") if path.is_dir() else (path.parent, f"{path.name}.tmp-*")
    for stale in folder.glob(pattern):
        if writer_gone(stale):
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


# --------------------------------------------------------------------- Parquet, verified

class ParquetStream:
    """Append tables to one Parquet file with page checksums and the provenance
    ``record``; the file appears (atomically) when the ``with`` block succeeds."""

    def __init__(self, path: Path, record: dict[str, Any]):
        self.path = path
        self.record = json.dumps({**record, "page_checksums": True}, default=str).encode()
        self.writer: pq.ParquetWriter | None = None
        self._atomic = atomic(path)

    def __enter__(self) -> ParquetStream:
        self.tmp = self._atomic.__enter__()
        return self

    def write(self, table: pa.Table | pd.DataFrame) -> None:
        if isinstance(table, pd.DataFrame):
            schema = self.writer.schema if self.writer is not None else None
            table = pa.Table.from_pandas(table, schema=schema, preserve_index=False)
        if self.writer is None:
            schema = table.schema.with_metadata({**(table.schema.metadata or {}),
                                                 META_KEY: self.record})
            self.writer = pq.ParquetWriter(self.tmp, schema, write_page_checksum=True)
        self.writer.write_table(table.cast(self.writer.schema))

    def __exit__(self, *exc: Any) -> None:
        if self.writer is not None:
            self.writer.close()
        self._atomic.__exit__(*exc)


def read_meta(path: Path) -> dict[str, Any]:
    """The ``teamsim`` provenance record of a Parquet file (empty if it has none)."""
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta[META_KEY]) if META_KEY in meta else {}


def batches(path: Path, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    """The rows of a Parquet file, batch by batch, with every page checksum verified."""
    yield from pq.ParquetFile(path, page_checksum_verification=True).iter_batches(
        batch_size=BATCH_ROWS, columns=columns)


def read_table(path: Path, columns: list[str] | None = None) -> pa.Table:
    """A whole Parquet file, page checksums verified (``OSError`` if one fails)."""
    return pq.ParquetFile(path, page_checksum_verification=True).read(columns=columns)


def verify(path: Path) -> str | None:
    """Why the file cannot be trusted (missing, unreadable, without or failing page
    checksums), or None if every page verifies."""
    if not path.exists():
        return "missing"
    try:
        if not read_meta(path).get("page_checksums"):
            return "written without page checksums (an older teamsim)"
        for _ in batches(path):
            pass
    except (OSError, ValueError, pa.ArrowException) as err:
        return f"corrupt or unreadable ({str(err).splitlines()[0]})"
    return None


# ------------------------------------------------------------------------ progress, lock

def write_progress(study_dir: Path, pid: str, replicates: int) -> None:
    """Record that the job running ``pid`` has finished ``replicates`` replicates."""
    with atomic(progress_path(study_dir, pid)) as tmp:
        tmp.write_text(str(replicates))


def read_progress(study_dir: Path, pid: str) -> int:
    with contextlib.suppress(OSError, ValueError):
        return int(progress_path(study_dir, pid).read_text())
    return 0


@contextlib.contextmanager
def lock(study_dir: Path) -> Iterator[None]:
    """Hold the study folder for this process (``flock``; released when it ends).

    Raises :class:`StudyLocked` naming the process that holds it, and ``OSError`` if the
    folder cannot be created or written.
    """
    study_dir = Path(study_dir)
    study_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(study_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
            raise StudyLocked(f"{study_dir} is in use by {holder or 'another process'}: "
                              "wait until it ends, or stop it") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"teamsim (pid {os.getpid()} on {socket.gethostname()})".encode(), 0)
        yield
    finally:
        os.close(fd)


# ----------------------------------------------------------------------- code version

#: The model's fingerprint: a hash of its sources (``sim/*.py``), computed once.
model_fingerprint = functools.cache(jit.model_fingerprint)


@functools.cache
def provenance() -> dict[str, Any]:
    """The code that produced results: model fingerprint, git commit (and whether the
    work tree had uncommitted changes) and the versions of the packages."""
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
    return {"model": model_fingerprint(), "git_commit": commit, "git_dirty": dirty,
            "versions": versions}
