"""Open one run of a finished study again, exactly (exact replay).

A study writes ``<study_dir>/points/<point_id>.parquet``: one row per replicate (with
its ``seed`` and ``replicate``) and a provenance record, read here through
:func:`experiments.store.read_meta` (the owner of the study format), holding the
composed ``config``, the ``point_id``, the point's ``columns`` (label, team, pressure,
one per override) and its ``overrides``. Because replicate ``r`` of a point is a fixed
random stream, the :class:`~sim.model.TeamModel` rebuilt from that config, the row's
seed and replicate runs the very trajectory the study summarised in that row.

A point has a readable name built from its columns, e.g. ``"hires: 1 EBE, fact team,
high pressure"``, and is found by its id or by words that pick out exactly one point
(``"1 EBE high"``, ``"ebe.count=1 high"``, ``"two_hires"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
from omegaconf import OmegaConf

from experiments.classroom.levers import PRESSURES
from experiments.store import points_dir, read_meta
from sim.compose import to_config
from sim.config import Config, ConfigError
from sim.model import TeamModel

# Environment variables through which ``teamsim classroom --replay`` opens a run.
REPLAY_ENV = ("TEAMSIM_REPLAY_STUDY", "TEAMSIM_REPLAY_POINT", "TEAMSIM_REPLAY_REPLICATE")
#: Columns that say where a point belongs, not what it is.
NOT_NAMING = ("study", "point_id")


class ReplayError(ValueError):
    """A study run that cannot be found or read; the message names what is missing."""


@dataclass(frozen=True)
class StudyRun:
    """What is needed to rerun one replicate of one study point."""

    config: Config
    seed: int
    replicate: int
    point_id: str
    name: str = ""  # the point's readable name: label, overrides, team, pressure


@dataclass(frozen=True)
class StudyPoint:
    """One point of a study: its file, id, readable name and provenance record."""

    path: Path
    id: str
    name: str
    meta: dict[str, Any]


def study_metadata(path: Path) -> dict[str, Any]:
    """The provenance record of a point file; ReplayError if it has none."""
    try:
        meta = read_meta(path)
    except (OSError, ValueError):
        meta = {}
    if not meta:
        raise ReplayError(f"{path} has no readable teamsim provenance record: not a point "
                          "written by a teamsim study")
    return meta


def _value(key: str, value: Any) -> str:
    """One column in words: 'ebe.count' 1 -> '1 EBE', others 'key=value'."""
    if key == "ebe.count":
        return f"{value} EBE" + ("" if str(value) == "1" else "s")
    return f"{key}={value}"


def point_name(meta: dict[str, Any]) -> str:
    """'hires: 1 EBE, fact team, high pressure' (label: overrides, team, pressure)."""
    columns = {k: v for k, v in meta.get("columns", {}).items() if k not in NOT_NAMING}
    raw = str(columns.pop("label", meta.get("point_id", "point")))
    parts = [_value(k, v) for k, v in columns.items()
             if k not in ("team", "pressure") and str(v) != raw]   # scenario=<its label>
    label = raw.replace("_", " ")
    parts += [f"{columns[k]} {k}" for k in ("team", "pressure") if k in columns]
    return f"{label}: {', '.join(parts)}" if parts else label


def _order(point: StudyPoint) -> tuple:
    """Sort key: label, then each override value (numbers as numbers), then pressure."""
    columns = {k: v for k, v in point.meta.get("columns", {}).items() if k not in NOT_NAMING}
    key: list[tuple] = [(0, str(columns.pop("label", "")))]
    pressure = columns.pop("pressure", "")
    for value in columns.values():
        key.append((0, float(value)) if isinstance(value, int | float) else (1, str(value)))
    level = PRESSURES.index(pressure) if pressure in PRESSURES else len(PRESSURES)
    key.append((level, str(pressure)))
    return tuple(key)


def study_points(study_dir: str | Path) -> list[StudyPoint]:
    """The finished points of a study, in a readable order (not by hash)."""
    folder = points_dir(Path(study_dir).expanduser())
    if not folder.is_dir():
        raise ReplayError(f"study folder {str(study_dir)!r} has no points/ folder: "
                          "give the folder of a finished study")
    files = sorted(p for p in folder.glob("*.parquet") if p.name.count(".") == 1)
    points = []
    for path in files:
        meta = study_metadata(path)
        points.append(StudyPoint(path, str(meta.get("point_id", path.stem)), point_name(meta),
                                 meta))
    return sorted(points, key=_order)


def words(point: StudyPoint) -> set[str]:
    """What a point can be called by: its id, the words of its name, its column values,
    ``key=value`` and its overrides (case-insensitive)."""
    columns = {k: v for k, v in point.meta.get("columns", {}).items() if k not in NOT_NAMING}
    found = ({point.id} | set(tokens(point.name)) | {str(v) for v in columns.values()}
             | {f"{k}={v}" for k, v in columns.items()} | set(point.meta.get("overrides", [])))
    return {w.lower() for w in found}


def tokens(text: str) -> list[str]:
    """Words of a point's name or of what a user typed (commas and colons split)."""
    return [w for w in re.split(r"[\s,:;·]+", str(text).lower()) if w]


def find_point(study_dir: str | Path, point: str) -> StudyPoint:
    """The point named by its id, its readable name or words matching exactly one."""
    points = study_points(study_dir)
    wanted = set(tokens(point))
    found = [p for p in points if p.id == point.strip() or p.name == point.strip()]
    found = found or [p for p in points if wanted and wanted <= words(p)]
    if len(found) == 1:
        return found[0]
    candidates = found or points
    shown = "; ".join(f"{p.name} ({p.id})" for p in candidates[:12])
    more = ", ..." if len(candidates) > 12 else ""
    problem = "matches several points" if found else "is not a point of this study"
    raise ReplayError(f"point {point!r} {problem}: allowed {shown or '(none)'}{more}")


def study_run(study_dir: str | Path, point: str, replicate: int | str) -> StudyRun:
    """Config, seed and replicate of run ``replicate`` of ``point`` in ``study_dir``."""
    try:
        replicate = int(str(replicate).strip())
    except (TypeError, ValueError):
        raise ReplayError(f"replicate = {replicate!r} is not a whole number") from None
    found = find_point(study_dir, str(point))
    if "config" not in found.meta:
        raise ReplayError(f"{found.path} records no 'config': not a point written by a "
                          "teamsim study")
    try:
        config = to_config(OmegaConf.create(found.meta["config"]))
    except ConfigError as err:
        raise ReplayError(f"{found.path}: its config no longer fits the model: {err}") from None
    rows = pq.read_table(found.path, columns=["seed", "replicate"],
                         filters=[("replicate", "==", replicate)]).to_pylist()
    if not rows:
        known = pc.min_max(pq.read_table(found.path, columns=["replicate"]).column("replicate"))
        raise ReplayError(f"replicate = {replicate} is not in point {found.name!r}: allowed "
                          f"{known['min']} .. {known['max']}")
    return StudyRun(config=config, seed=int(rows[0]["seed"]), replicate=int(rows[0]["replicate"]),
                    point_id=found.id, name=found.name)


def replay_model(study_dir: str | Path, point: str, replicate: int | str) -> TeamModel:
    """A fresh :class:`TeamModel` that replays run ``replicate`` of ``point`` exactly."""
    run = study_run(study_dir, point, replicate)
    return TeamModel(run.config, seed=run.seed, replicate=run.replicate)
