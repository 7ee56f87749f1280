"""Open one run of a finished study again, exactly (exact replay).

A study writes ``<study_dir>/points/<point_id>.parquet``: one row per replicate (with
its ``seed`` and ``replicate``), and under the Parquet schema metadata key
``b"teamsim"`` a JSON object with the composed ``config`` (a plain dict) and the
``point_id`` (studies also record the point's ``columns``, e.g. label and pressure, and
its ``overrides``). Because replicate ``r`` of a point is a fixed random stream, the
:class:`~sim.model.TeamModel` rebuilt from that config, the row's seed and replicate
runs the very trajectory the study summarised in that row.

A point is named by its id or by words that pick out exactly one point of the study,
e.g. ``"single_hire high"`` for the high-pressure single hire.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
from omegaconf import OmegaConf

from sim.compose import to_config
from sim.config import Config
from sim.model import TeamModel

METADATA_KEY = b"teamsim"
# Environment variables through which ``teamsim classroom --replay`` opens a run.
REPLAY_ENV = ("TEAMSIM_REPLAY_STUDY", "TEAMSIM_REPLAY_POINT", "TEAMSIM_REPLAY_REPLICATE")


class ReplayError(ValueError):
    """A study run that cannot be found or read; the message names what is missing."""


@dataclass(frozen=True)
class StudyRun:
    """What is needed to rerun one replicate of one study point."""

    config: Config
    seed: int
    replicate: int
    point_id: str
    description: str = ""  # how the study describes the point: label, team, pressure, ...


def study_metadata(path: Path) -> dict[str, Any]:
    """The ``teamsim`` record of a point file; ReplayError if it has none."""
    try:
        metadata = pq.read_schema(path).metadata or {}
        return json.loads(metadata[METADATA_KEY])
    except (KeyError, ValueError, OSError):
        raise ReplayError(f"{path} has no readable {METADATA_KEY.decode()!r} schema "
                          "metadata: not a point written by a teamsim study") from None


def words(meta: dict[str, Any]) -> set[str]:
    """What a point can be called by: its id, column values, ``key=value`` and overrides."""
    columns = {k: v for k, v in meta.get("columns", {}).items() if k != "study"}
    return ({str(meta.get("point_id"))} | {str(v) for v in columns.values()}
            | {f"{k}={v}" for k, v in columns.items()} | set(meta.get("overrides", [])))


def describe_point(meta: dict[str, Any]) -> str:
    """'single_hire, fact, high, organisation.intervision=0.5' (label, team, pressure, ...)."""
    columns = {k: v for k, v in meta.get("columns", {}).items()
               if k not in ("study", "point_id")}
    leading = [str(columns.pop(k)) for k in ("label", "team", "pressure") if k in columns]
    return ", ".join(leading + [f"{k}={v}" for k, v in columns.items()])


def point_file(study_dir: str | Path, point: str) -> Path:
    """The point file named by id, or by words that match exactly one point."""
    points = Path(study_dir).expanduser() / "points"
    if not points.is_dir():
        raise ReplayError(f"study folder {str(study_dir)!r} has no points/ folder: "
                          "give the folder of a finished study")
    exact = points / f"{point}.parquet"
    if exact.is_file():
        return exact
    files = sorted(p for p in points.glob("*.parquet") if p.name.count(".") == 1)
    metas = {path: study_metadata(path) for path in files}
    wanted = set(str(point).split())
    found = [path for path, meta in metas.items() if wanted and wanted <= words(meta)]
    if len(found) == 1:
        return found[0]
    candidates = found or files
    shown = "; ".join(f"{metas[p].get('point_id', p.stem)} ({describe_point(metas[p])})"
                      for p in candidates[:12])
    more = ", ..." if len(candidates) > 12 else ""
    problem = "matches several points" if found else "is not a point of this study"
    raise ReplayError(f"point {point!r} {problem}: allowed {shown or '(none)'}{more}")


def study_run(study_dir: str | Path, point: str, replicate: int | str) -> StudyRun:
    """Config, seed and replicate of run ``replicate`` of ``point`` in ``study_dir``."""
    try:
        replicate = int(replicate)
    except (TypeError, ValueError):
        raise ReplayError(f"replicate = {replicate!r} is not a whole number") from None
    path = point_file(study_dir, str(point).strip())
    meta = study_metadata(path)
    if "config" not in meta:
        raise ReplayError(f"{path} records no 'config': not a point written by a teamsim study")
    config = to_config(OmegaConf.create(meta["config"]))
    rows = pq.read_table(path, columns=["seed", "replicate"],
                         filters=[("replicate", "==", replicate)]).to_pylist()
    if not rows:
        known = pc.min_max(pq.read_table(path, columns=["replicate"]).column("replicate"))
        raise ReplayError(f"replicate = {replicate} is not in point {point!r}: allowed "
                          f"{known['min']} .. {known['max']}")
    return StudyRun(config=config, seed=int(rows[0]["seed"]),
                    replicate=int(rows[0]["replicate"]),
                    point_id=str(meta.get("point_id", path.stem)),
                    description=describe_point(meta))


def replay_model(study_dir: str | Path, point: str, replicate: int | str) -> TeamModel:
    """A fresh :class:`TeamModel` that replays run ``replicate`` of ``point`` exactly."""
    run = study_run(study_dir, point, replicate)
    return TeamModel(run.config, seed=run.seed, replicate=run.replicate)
