"""Open one run of a finished study again, exactly (exact replay).

A study writes ``<study_dir>/points/<point_id>.parquet``: one row per replicate (with
its ``seed`` and ``replicate``), and under the Parquet schema metadata key
``b"teamsim"`` a JSON object with the composed ``config`` (a plain dict) and the
``point_id``. Because replicate ``r`` of a point is a fixed random stream, the
:class:`~sim.model.TeamModel` rebuilt from that config, seed and replicate runs the
very trajectory the study summarised in that row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
from omegaconf import OmegaConf

from sim.compose import to_config
from sim.config import Config
from sim.model import TeamModel

METADATA_KEY = b"teamsim"


class ReplayError(ValueError):
    """A study run that cannot be found or read; the message names what is missing."""


@dataclass(frozen=True)
class StudyRun:
    """What is needed to rerun one replicate of one study point."""

    config: Config
    seed: int
    replicate: int
    point_id: str


def point_file(study_dir: str | Path, point_id: str) -> Path:
    """``<study_dir>/points/<point_id>.parquet``, checked to exist."""
    points = Path(study_dir).expanduser() / "points"
    if not points.is_dir():
        raise ReplayError(f"study folder {str(study_dir)!r} has no points/ folder: "
                          "give the folder of a finished study")
    path = points / f"{point_id}.parquet"
    if not path.is_file():
        known = sorted(p.stem for p in points.glob("*.parquet"))
        shown = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        raise ReplayError(f"point {point_id!r} is not in {points}: allowed points are "
                          f"{shown or '(none)'}")
    return path


def study_run(study_dir: str | Path, point_id: str, replicate: int | str) -> StudyRun:
    """Config, seed and replicate of run ``replicate`` of ``point_id`` in ``study_dir``."""
    try:
        replicate = int(replicate)
    except (TypeError, ValueError):
        raise ReplayError(f"replicate = {replicate!r} is not a whole number") from None
    path = point_file(study_dir, str(point_id))
    metadata = pq.read_schema(path).metadata or {}
    if METADATA_KEY not in metadata:
        raise ReplayError(f"{path} has no {METADATA_KEY.decode()!r} schema metadata: "
                          "not written by a teamsim study")
    meta = json.loads(metadata[METADATA_KEY])
    config = to_config(OmegaConf.create(meta["config"]))
    rows = pq.read_table(path, columns=["seed", "replicate"],
                         filters=[("replicate", "==", replicate)]).to_pylist()
    if not rows:
        known = pc.min_max(pq.read_table(path, columns=["replicate"]).column("replicate"))
        raise ReplayError(f"replicate = {replicate} is not in point {point_id!r}: allowed "
                          f"{known['min']} .. {known['max']}")
    row = rows[0]
    return StudyRun(config=config, seed=int(row["seed"]), replicate=int(row["replicate"]),
                    point_id=str(meta.get("point_id", point_id)))


def replay_model(study_dir: str | Path, point_id: str, replicate: int | str) -> TeamModel:
    """A fresh :class:`TeamModel` that replays run ``replicate`` of ``point_id`` exactly."""
    run = study_run(study_dir, point_id, replicate)
    return TeamModel(run.config, seed=run.seed, replicate=run.replicate)
