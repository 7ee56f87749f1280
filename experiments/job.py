"""One job = one parameter point x its replicates on the batched engine.

Replicates are simulated ``study.block_size`` at a time and streamed to Parquet, so a
job's memory is bounded by the block size, not by the number of replicates (see
:func:`job_memory`). After each block the job records its progress; the per-replicate
file is written last and moved into place atomically: it marks the point complete, and a
rerun of the study skips complete points (resume).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments.point import Point, from_record, point_record
from experiments.settings import OnCodeChange, Trajectories
from experiments.store import (
    ParquetStream,
    failed_path,
    model_fingerprint,
    plan_path,
    progress_path,
    provenance,
    read_meta,
    remove_temporaries,
    replicates_path,
    verify,
    weekly_path,
    write_json,
    write_progress,
)
from sim import build_team, replicate_table, run_block, weekly_table
from sim.outcomes import NUMERIC, OBSERVED, OUTCOMES, numeric_record

log = logging.getLogger("teamsim.study")

QUANTILES = {"q05": 0.05, "q25": 0.25, "q50": 0.5, "q75": 0.75, "q95": 0.95}
VARIABLES = list(NUMERIC)
#: What a complete point file must match besides the point's identity.
EXPECT = ("replicates", "trajectories", "quantile_replicates", "seeds")
#: Why a point is not complete when its files were computed by other model code.
CODE_CHANGED = "different model code"


def expectation(point: Point) -> dict[str, Any]:
    """What the point's file records must hold for the point to be complete."""
    n, settings = point.replicates, point.settings
    want = {"replicates": n, "trajectories": str(settings.trajectories),
            "quantile_replicates": (min(n, settings.quantile_replicates)
                                    if settings.trajectories == Trajectories.quantiles else None),
            "seeds": point_record(point)["seeds"]}
    if settings.on_code_change != OnCodeChange.reuse:
        want["model"] = model_fingerprint()
    return want


def file_record(point: Point, kind: str) -> dict[str, Any]:
    """The provenance record (Parquet metadata key ``teamsim``) of a point's file."""
    return {"kind": kind, "study": point.settings.name, **point_record(point),
            **expectation(point), **provenance()}


#: Reasons why a point is not complete that need no warning.
EXPECTED = ("missing", "different request")


def why_incomplete(point: Point, study_dir: Path) -> str | None:
    """None if the point's files hold what it asks for, else why not: ``"missing"``,
    ``"different request"`` (e.g. more replicates), :data:`CODE_CHANGED`, or what is wrong
    with a file (corrupt, unreadable, unverified)."""
    path = replicates_path(study_dir, point.id)
    if not path.exists():
        return "missing"
    files = [path] + ([weekly_path(study_dir, point.id)]
                      if point.settings.trajectories != Trajectories.none else [])
    for file in files:
        problem = verify(file)
        if problem is not None:
            return f"{file.name} is {problem}"
    have, want = read_meta(path), expectation(point)
    if any(have.get(key) != want[key] for key in EXPECT):
        return "different request"
    if "model" in want and have.get("model") != want["model"]:
        return CODE_CHANGED
    return None


def warn_incomplete(point: Point, why: str | None) -> None:
    """Warn that ``point`` will be recomputed because of a corrupt file or a code change."""
    if why is None or why in EXPECTED:
        return
    if why == CODE_CHANGED:
        why = (f"was computed by {CODE_CHANGED} (now model {model_fingerprint()}; "
               "study.on_code_change=recompute)")
    warnings.warn(f"point {point.id} ({point.describe()}): {why}; it will be recomputed",
                  stacklevel=3)


def is_complete(point: Point, study_dir: Path) -> bool:
    """True if the point's files exist, verify and hold what ``point`` asks for."""
    why = why_incomplete(point, Path(study_dir))
    warn_incomplete(point, why)
    return why is None


def job_memory(point: Point) -> int:
    """Estimated peak memory of the job running ``point``, in bytes: the libraries, the
    engine's state for one chunk of replicates (dominated by the pairwise matrices among
    the seats), one block's weekly record, its tables and the quantile sample.

    The coefficients were measured (peak RSS of one job in a fresh process, teams of 12 to
    60 seats, 105 to 1,041 weeks, every ``study.trajectories``) and rounded up;
    ``tests/test_faults.py`` checks that the estimate bounds the real peak.
    """
    settings, cfg = point.settings, point.config
    weeks = cfg.run.weeks + 1
    block = min(point.replicates, settings.block_size)
    seats = (cfg.team.size if cfg.team.size is not None
             else sum(cfg.team.disciplines.values()) + point.ebe_count)
    engine = 8 * min(block, cfg.run.chunk_size) * (5 * seats ** 2 + 60 * seats)
    observed = 8 * block * weeks * len(OBSERVED)
    tables = (3 * observed if settings.trajectories == Trajectories.full else 0) \
        + 8 * block * len(OUTCOMES) * 3
    sample = (3 * 8 * min(point.replicates, settings.quantile_replicates) * weeks * len(NUMERIC)
              if settings.trajectories == Trajectories.quantiles else 0)
    return int(LIBRARIES + engine + 1.1 * observed + tables + sample)


#: Memory of the imported libraries and of compiling the engine in a job process
#: (measured: 254 MB with numba's cache warm, 366 MB when it compiles afresh; headroom
#: for a full test run that compiles a changed model).
LIBRARIES = 580 * 2**20


def with_point(frame: pd.DataFrame, point: Point) -> pd.DataFrame:
    """``frame`` with the point's columns in front."""
    head = pd.DataFrame({key: [value] * len(frame) for key, value in point.columns.items()},
                        index=frame.index)
    return pd.concat([head, frame], axis=1)


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


def simulate_point(point: Point, study_dir: Path) -> None:
    """Simulate every replicate of ``point`` block by block and write its files."""
    cfg, settings = point.config, point.settings
    params = build_team(cfg)
    summary = (WeeklyQuantiles(cfg.run.weeks + 1, settings.quantile_replicates)
               if settings.trajectories == Trajectories.quantiles else None)
    with contextlib.ExitStack() as files:   # closed in reverse: the weekly file first,
        replicates = files.enter_context(    # then the one that marks the point complete
            ParquetStream(replicates_path(study_dir, point.id), file_record(point, "replicates")))
        weekly = (files.enter_context(ParquetStream(weekly_path(study_dir, point.id),
                                                    file_record(point, "weekly")))
                  if settings.trajectories != Trajectories.none else None)
        for start in range(0, point.replicates, settings.block_size):
            ids = list(range(start, min(point.replicates, start + settings.block_size)))
            observed = run_block(params, point.seed, ids)
            replicates.write(with_point(replicate_table(observed, point.seed, ids), point))
            if summary is not None:
                summary.add(observed)
            elif weekly is not None:
                weekly.write(with_point(weekly_table(observed, ids), point))
            write_progress(study_dir, point.id, ids[-1] + 1)
        if summary is not None:
            weekly.write(with_point(summary.table(), point))


def run_point(point: Point, study_dir: Path) -> str:
    """Run ``point`` into ``study_dir`` unless complete; ``"done"``, ``"skipped"`` or
    ``"failed"`` (the error is kept in ``points/<id>.failed.json``)."""
    study_dir = Path(study_dir)
    if why_incomplete(point, study_dir) is None:
        log.info("point %s (%s): complete, skipped", point.id, point.describe())
        return "skipped"
    for path in (replicates_path(study_dir, point.id), weekly_path(study_dir, point.id)):
        path.unlink(missing_ok=True)          # an incomplete, outdated or corrupt point
        remove_temporaries(path)
    tic = time.perf_counter()
    try:
        simulate_point(point, study_dir)
    except Exception as err:  # kept as a failed point; the rest of the study goes on
        log.exception("point %s (%s) failed", point.id, point.describe())
        write_json(failed_path(study_dir, point.id),
                   {"point_id": point.id, "overrides": list(point.overrides),
                    "error": f"{type(err).__name__}: {err}",
                    "traceback": traceback.format_exc()})
        return "failed"
    finally:
        progress_path(study_dir, point.id).unlink(missing_ok=True)
    failed_path(study_dir, point.id).unlink(missing_ok=True)
    seconds = time.perf_counter() - tic
    log.info("point %s (%s): %d replicates in %.1f s (%.0f/s)", point.id, point.describe(),
             point.replicates, seconds, point.replicates / max(seconds, 1e-9))
    return "done"


@functools.cache
def planned(study_dir: Path) -> list[dict[str, Any]]:
    """The plan's points to run, in launch order (read once per process)."""
    plan = json.loads(plan_path(study_dir).read_text())
    entries = {p["point_id"]: p for p in plan["points"]}
    return [entries[pid] for pid in plan["to_run"]]


def hydra_job(cfg: DictConfig) -> str:
    """Hydra task function: run point ``cfg.point`` of the plan's points to run."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    study_dir = Path(HydraConfig.get().sweep.dir)
    return run_point(from_record(planned(study_dir)[int(cfg.point)]), study_dir)
