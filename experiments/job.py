"""One Hydra job = one parameter point x its replicates on the batched engine.

Replicates are simulated ``study.block_size`` at a time and streamed to Parquet, so a
job's memory is bounded by the block size, not by the number of replicates. The
per-replicate file is written last and moved into place atomically: it marks the point
complete, and a rerun of the study skips complete points (resume).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig
from tqdm import tqdm

from experiments.point import Point, make_point
from experiments.store import (
    META_KEY,
    failed_path,
    provenance,
    read_meta,
    remove_temporaries,
    replicates_path,
    temporary,
    weekly_path,
    write_json,
)
from sim import build_team, replicate_table, run_block, weekly_table
from sim.outcomes import NUMERIC, numeric_record

log = logging.getLogger("teamsim.study")

#: Set by `teamsim run` while it draws the study's progress bar: jobs then stay quiet.
PROGRESS_ENV = "TEAMSIM_PROGRESS_BAR"
QUANTILES = {"q05": 0.05, "q25": 0.25, "q50": 0.5, "q75": 0.75, "q95": 0.95}
VARIABLES = list(NUMERIC)


def provenance_record(point: Point, kind: str) -> dict[str, Any]:
    """What the Parquet metadata key ``teamsim`` holds for a point's file."""
    n = point.replicates
    settings = point.settings
    return {
        "kind": kind,
        "study": settings.name,
        "point_id": point.id,
        "overrides": list(point.overrides),
        "columns": point.columns,
        "replicates": n,
        "trajectories": settings.trajectories,
        "quantile_replicates": (min(n, settings.quantile_replicates)
                                if settings.trajectories == "quantiles" else None),
        "seeds": {"mode": settings.seeds, "root": point.root_seed, "seed": point.seed,
                  "replicates": [0, n - 1]},
        "config": point.resolved,
        **provenance(),
    }


def is_complete(point: Point, study_dir: Path) -> bool:
    """True if the point's files exist and hold what ``point`` asks for."""
    path = replicates_path(study_dir, point.id)
    if not path.exists():
        return False
    have = read_meta(path)
    want = provenance_record(point, "replicates")
    same = all(have.get(key) == want[key]
               for key in ("replicates", "trajectories", "quantile_replicates", "seeds"))
    return same and (point.settings.trajectories == "none"
                     or weekly_path(study_dir, point.id).exists())


def with_point(frame: pd.DataFrame, point: Point) -> pd.DataFrame:
    """``frame`` with the point's columns in front and model names made unambiguous."""
    head = pd.DataFrame({key: [value] * len(frame) for key, value in point.columns.items()},
                        index=frame.index)
    return pd.concat([head, frame], axis=1)


class ParquetStream:
    """Append tables to one Parquet file under a temporary name; publish it on close."""

    def __init__(self, path: Path, record: dict[str, Any]):
        self.path = path
        self.tmp = temporary(path)
        self.record = json.dumps(record, default=str).encode()
        self.writer: pq.ParquetWriter | None = None

    def write(self, frame: pd.DataFrame) -> None:
        if self.writer is None:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            schema = table.schema.with_metadata({**(table.schema.metadata or {}),
                                                 META_KEY: self.record})
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.tmp, schema)
        table = pa.Table.from_pandas(frame, schema=self.writer.schema, preserve_index=False)
        self.writer.write_table(table)

    def close(self, publish: bool) -> None:
        """Move the file into place (atomically) if ``publish``, else discard it."""
        if self.writer is not None:
            self.writer.close()
        if publish and self.writer is not None:
            os.replace(self.tmp, self.path)
        self.tmp.unlink(missing_ok=True)


class WeeklyQuantiles:
    """Weekly mean over all replicates; quantiles over the first ``sample`` replicates.

    Replicates are independent and identically distributed, so the first ``sample`` of
    them are a random sample of the point's trajectories; keeping only those bounds
    memory however many replicates a point has. Sums run replicate by replicate, so the
    means, like everything else, do not depend on ``study.block_size``.
    """

    def __init__(self, weeks: int, sample: int):
        self.total = np.zeros((weeks, len(NUMERIC)))
        self.count = np.zeros((weeks, len(NUMERIC)))
        self.sample = sample
        self.kept: list[np.ndarray] = []

    def add(self, observed: np.ndarray) -> None:
        """Add a block of replicates (in replicate order)."""
        observed = numeric_record(observed)
        present = ~np.isnan(observed)
        for values, seen in zip(observed, present, strict=True):
            # one replicate after another: the same float sums whatever the block size
            np.add(self.total, values, out=self.total, where=seen)
        self.count += present.sum(axis=0)
        room = self.sample - sum(len(block) for block in self.kept)
        if room > 0:
            self.kept.append(observed[:room].copy())

    def table(self) -> pd.DataFrame:
        """Long format: week, variable, mean and the :data:`QUANTILES`."""
        sample = np.concatenate(self.kept)
        weeks = self.total.shape[0]
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)   # all-NaN weeks (no EBE)
            mean = self.total / self.count
            qs = np.nanquantile(sample, list(QUANTILES.values()), axis=0)
        frame = pd.DataFrame({
            "week": np.tile(np.arange(weeks, dtype=np.int64), len(VARIABLES)),
            "variable": np.repeat(VARIABLES, weeks),
            "mean": mean.T.ravel(),
        })
        for i, name in enumerate(QUANTILES):
            frame[name] = qs[i].T.ravel()
        return frame


def simulate_point(point: Point, study_dir: Path, bar: tqdm | None = None) -> None:
    """Simulate every replicate of ``point`` block by block and write its files."""
    cfg = point.config
    settings = point.settings
    params = build_team(cfg)
    replicates = ParquetStream(replicates_path(study_dir, point.id),
                               provenance_record(point, "replicates"))
    weekly = (ParquetStream(weekly_path(study_dir, point.id), provenance_record(point, "weekly"))
              if settings.trajectories != "none" else None)
    summary = (WeeklyQuantiles(cfg.run.weeks + 1, settings.quantile_replicates)
               if settings.trajectories == "quantiles" else None)
    ok = False
    try:
        for start in range(0, point.replicates, settings.block_size):
            ids = list(range(start, min(point.replicates, start + settings.block_size)))
            observed = run_block(params, point.seed, ids)
            replicates.write(with_point(replicate_table(observed, point.seed, ids), point))
            if summary is not None:
                summary.add(observed)
            elif weekly is not None:
                weekly.write(with_point(weekly_table(observed, ids), point))
            if bar is not None:
                bar.update(len(ids))
        if summary is not None:
            weekly.write(with_point(summary.table(), point))
        ok = True
    finally:
        if weekly is not None:      # the weekly file first: the replicates file marks
            weekly.close(ok)        # the point complete
        replicates.close(ok)


def run_point(point: Point, study_dir: Path) -> str:
    """Run ``point`` into ``study_dir`` unless complete; ``"done"``, ``"skipped"`` or
    ``"failed"`` (the error is kept in ``points/<id>.failed.json``)."""
    study_dir = Path(study_dir)
    label = " ".join(f"{k}={v}" for k, v in point.columns.items()
                     if k not in ("study", "point_id"))
    if is_complete(point, study_dir):
        log.info("point %s (%s): complete, skipped", point.id, label)
        return "skipped"
    for path in (replicates_path(study_dir, point.id), weekly_path(study_dir, point.id)):
        path.unlink(missing_ok=True)          # an incomplete or outdated point
        remove_temporaries(path)
    quiet = bool(os.environ.get(PROGRESS_ENV))
    show_bar = not quiet and sys.stderr.isatty()
    tic = time.perf_counter()
    try:
        with tqdm(total=point.replicates, unit="rep", desc=point.id, disable=not show_bar,
                  leave=False) as bar:
            simulate_point(point, study_dir, bar)
    except Exception as err:  # kept as a failed point; the rest of the study goes on
        log.exception("point %s (%s) failed", point.id, label)
        write_json(failed_path(study_dir, point.id),
                   {"point_id": point.id, "overrides": list(point.overrides),
                    "error": f"{type(err).__name__}: {err}",
                    "traceback": traceback.format_exc()})
        return "failed"
    failed_path(study_dir, point.id).unlink(missing_ok=True)
    seconds = time.perf_counter() - tic
    log.log(logging.DEBUG if quiet else logging.INFO,
            "point %s (%s): %d replicates in %.1f s (%.0f/s)", point.id, label,
            point.replicates, seconds, point.replicates / max(seconds, 1e-9))
    return "done"


def study_dir_of_job() -> Path:
    """The study folder of the running Hydra job: the sweep folder, or the run folder."""
    hydra = HydraConfig.get()
    return Path(hydra.sweep.dir if hydra.mode == RunMode.MULTIRUN else hydra.run.dir)


def hydra_job(cfg: DictConfig) -> str:
    """Hydra task function: the point of this job's config and overrides."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    point = make_point(cfg, list(HydraConfig.get().overrides.task))
    return run_point(point, study_dir_of_job())
