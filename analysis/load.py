"""Load one or several studies into one tidy DataFrame.

A study directory, as written by ``teamsim run experiment=...``, holds
``points/<point_id>.parquet`` (one row per replicate) and ``points/<point_id>.weekly.parquet``
(weekly trajectories, full or as quantiles); ``teamsim collect`` adds ``replicates.parquet``,
``weekly.parquet`` and ``manifest.json``. Each Parquet file carries its provenance as JSON
under the schema metadata key that ``experiments.store`` owns (resolved ``config``,
``overrides``, ``point_id``, git commit, versions, seeds; ``experiments.point`` turns it
into a :class:`~experiments.point.Point`). This module reads either layout: the collected
files when present, else the ``points/`` files.

Rows with equal ``(seed, replicate)`` in different points of a study share their random
numbers (common random numbers), so comparisons between points are paired.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.job import QUANTILES
from experiments.point import Point, pressure_level, read_point
from experiments.store import POINT_COLUMNS, read_table
from sim import outcomes as registry

REPLICATE_KEYS = ("seed", "replicate")
DERIVED_COLUMNS = ("ebe_count", "horizon")
QUANTILE_COLUMNS = ("mean", *QUANTILES)
#: Outcome columns of a replicate table, in the order of ``sim.outcomes.OUTCOMES``.
OUTCOMES = tuple(registry.OUTCOMES)
#: Outcomes held as category names (``state``, ``loss_cause``); :func:`tidy` turns each
#: into one indicator per category (``state=retained`` ...), as the weekly quantiles do.
CATEGORICAL = tuple(name for name, o in registry.OUTCOMES.items() if o.kind == "category")

PathLike = str | Path


class StudyError(ValueError):
    """A study directory or a selection that cannot be read or satisfied."""


def _as_paths(studies: PathLike | Iterable[PathLike]) -> list[Path]:
    paths = [Path(studies)] if isinstance(studies, str | Path) else [Path(s) for s in studies]
    if not paths:
        raise StudyError("no study directory given")
    for path in paths:
        if not path.is_dir():
            raise StudyError(f"study directory {path} does not exist")
    return paths


def point_files(study: Path, weekly: bool = False) -> list[Path]:
    """The per-point files of ``study`` (replicate tables, or weekly with ``weekly``)."""
    files = sorted((study / "points").glob("*.parquet"))
    return [f for f in files if f.name.endswith(".weekly.parquet") == weekly]


def study_files(study: Path, weekly: bool = False) -> list[Path]:
    """The collected file of ``study`` if there is one, else its per-point files."""
    collected = study / ("weekly.parquet" if weekly else "replicates.parquet")
    if collected.exists():
        return [collected]
    files = point_files(study, weekly)
    if not files:
        kind = "weekly" if weekly else "replicate"
        raise StudyError(f"{study} holds no {kind} results: expected "
                         f"{collected.name} or points/*.parquet")
    return files


def points(studies: PathLike | Iterable[PathLike]) -> dict[str, Point]:
    """Every point of the studies with its config, keyed by ``point_id`` (read from the
    per-point files' metadata: cheap, schemas only)."""
    return {p.id: p for study in _as_paths(studies) for p in map(read_point, point_files(study))}


def _read(files: Sequence[Path], outcomes: Sequence[str] | None = None) -> pd.DataFrame:
    """The files as one frame; with ``outcomes``, only the columns before ``seed`` (the
    point's), ``seed, replicate`` and those outcomes (a study of a million replicates
    then loads in a few hundred MB)."""
    tables = []
    for f in files:
        names = pq.read_schema(f).names
        columns = None
        if outcomes is not None and "seed" in names:
            head = names[:names.index("seed")]
            columns = [*head, *REPLICATE_KEYS, *(c for c in outcomes if c in names)]
        tables.append(read_table(f, columns))
    table = pa.concat_tables(tables, promote_options="permissive")
    return table.replace_schema_metadata(None).to_pandas()


def load_replicates(studies: PathLike | Iterable[PathLike],
                    outcomes: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per replicate of every point of the studies.

    Columns: ``study, point_id, label, team, pressure``, the swept keys (dotted names such
    as ``ebe.count``), ``seed, replicate``, the outcomes (all, or only ``outcomes``), and
    two derived columns: ``ebe_count`` (EBE seats of the point) and ``horizon`` (weeks
    simulated). The mean weekly workload pressure is ``workload_pressure``; ``pressure``
    is the level's name, ``normal*`` when the point changed the level's workload settings
    (read from each point's config, so folders written before that mark read the same).
    """
    if outcomes is not None:
        unknown = [o for o in outcomes if o not in OUTCOMES]
        if unknown:
            raise StudyError(f"outcome {unknown} is not an outcome: choose from "
                             + ", ".join(OUTCOMES))
    return pd.concat([_load_study(study, outcomes) for study in _as_paths(studies)],
                     ignore_index=True)


def _load_study(study: Path, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
    frame = _read(study_files(study), outcomes)
    missing = [c for c in (*POINT_COLUMNS, *REPLICATE_KEYS) if c not in frame]
    if missing:
        raise StudyError(f"replicate table of {study} lacks columns {missing}")
    known = points(study)
    unknown = sorted(set(frame["point_id"]) - set(known))
    if unknown:
        raise StudyError(f"no config metadata for points {unknown[:5]} of {study}")
    frame["pressure"] = levels(frame, known)
    frame["ebe_count"] = frame["point_id"].map({k: p.ebe_count for k, p in known.items()})
    frame["horizon"] = frame["point_id"].map({k: p.horizon for k, p in known.items()})
    for column in ("survived", "lost"):
        if column in frame:
            frame[column] = frame[column].astype(bool)
    return frame


def levels(frame: pd.DataFrame, known: dict[str, Point]) -> pd.Series:
    """The ``pressure`` column of ``frame`` from its points' configs
    (:func:`experiments.point.pressure_level`): the same for a folder written before a
    changed level was marked ``normal*`` as for one written after."""
    return frame["point_id"].map({k: pressure_level(p.config) for k, p in known.items()})


def _read_weekly(files: Sequence[Path], variables: Sequence[str] | None) -> pd.DataFrame:
    """Weekly files as one frame; with ``variables``, only those variables (rows of the
    quantile form, columns of the full form)."""
    tables = []
    for f in files:
        names = pq.read_schema(f).names
        if variables is None:
            tables.append(read_table(f))
        elif "variable" in names:           # quantile form: one row per variable
            tables.append(pq.read_table(f, filters=[("variable", "in", list(variables))]))
        else:                               # full form: one column per variable
            head = names[:names.index("week") + 1]
            tables.append(pq.read_table(f, columns=[*head, *(v for v in variables
                                                             if v in names)]))
    table = pa.concat_tables(tables, promote_options="permissive")
    return table.replace_schema_metadata(None).to_pandas()


def load_weekly(studies: PathLike | Iterable[PathLike],
                variables: Sequence[str] | None = None) -> pd.DataFrame:
    """Weekly trajectories of every point: full (one row per replicate and week) or
    quantiles (one row per week and variable: ``mean, q05, q25, q50, q75, q95``), with the
    derived ``ebe_count`` of the point. ``variables`` reads only those (weekly names of
    ``sim.outcomes``; the quantile form names the state indicators ``state=retained`` ...).
    """
    frames = []
    for study in _as_paths(studies):
        frame = _read_weekly(study_files(study, weekly=True), variables)
        known = points(study)
        if "pressure" in frame:
            frame["pressure"] = levels(frame, known)
        frame["ebe_count"] = frame["point_id"].map({k: p.ebe_count for k, p in known.items()})
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def is_quantile_form(weekly: pd.DataFrame) -> bool:
    """Whether a weekly table holds quantiles rather than every replicate."""
    return {"variable", *QUANTILE_COLUMNS} <= set(weekly.columns)


def outcome_columns(frame: pd.DataFrame) -> list[str]:
    """The outcome columns present in a replicate table, in ``OUTCOMES`` order."""
    return [c for c in OUTCOMES if c in frame]


def swept_keys(frame: pd.DataFrame) -> list[str]:
    """The swept override keys: the dotted column names."""
    return [c for c in frame.columns if "." in c]


def _check_values(frame: pd.DataFrame, column: str, wanted: Sequence) -> None:
    available = sorted(map(str, frame[column].unique()))
    bad = [w for w in wanted if str(w) not in available]
    if bad:
        raise StudyError(f"{column} {bad} not in the study: available {', '.join(available)}")


def select(frame: pd.DataFrame, *, study: str | Sequence[str] | None = None,
           scenario: str | Sequence[str] | None = None,
           point: str | Sequence[str] | None = None,
           pressure: str | Sequence[str] | None = None,
           outcome: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Rows of the given studies, scenarios (``label``), points and pressure levels, and,
    with ``outcome``, only the identifying columns plus those outcomes.

    Raises :class:`StudyError` naming the available values for a name not in the data.
    """
    mask = pd.Series(True, index=frame.index)
    for column, wanted in (("study", study), ("label", scenario), ("point_id", point),
                           ("pressure", pressure)):
        if wanted is None:
            continue
        wanted = [wanted] if isinstance(wanted, str) else list(wanted)
        _check_values(frame, column, wanted)
        mask &= frame[column].astype(str).isin([str(w) for w in wanted])
    rows = frame[mask]
    if outcome is None:
        return rows
    wanted = [outcome] if isinstance(outcome, str) else list(outcome)
    available = outcome_columns(frame)
    bad = [o for o in wanted if o not in available]
    if bad:
        raise StudyError(f"outcome {bad} not in the study: available {', '.join(available)}")
    ids = [c for c in (*POINT_COLUMNS, *swept_keys(frame), *REPLICATE_KEYS, *DERIVED_COLUMNS)
           if c in frame]
    return rows[ids + wanted]


def indicators(frame: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One 0/1 column per category of a categorical outcome, named ``outcome=category``
    in the order of ``sim.outcomes`` (all categories, also those that never occur)."""
    categories = registry.OUTCOMES[outcome].categories
    return pd.DataFrame({f"{outcome}={c}": (frame[outcome] == c).astype(float)
                         for c in categories}, index=frame.index)


def tidy(frame: pd.DataFrame, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
    """Long form: one row per replicate and outcome (``outcome``, float ``value``).

    The identifying columns are every column that is not an outcome. A categorical
    outcome (``state``, ``loss_cause``) becomes one indicator per category
    (``state=retained`` ...), whose mean is the share of teams in that category.
    """
    outcomes = list(outcomes) if outcomes is not None else outcome_columns(frame)
    missing = [o for o in outcomes if o not in frame]
    if missing:
        raise StudyError(f"outcome {missing} not in the data: available "
                         + ", ".join(outcome_columns(frame)))
    ids = [c for c in frame.columns if c not in OUTCOMES]
    parts = [indicators(frame, o) if o in CATEGORICAL else frame[[o]].astype(float)
             for o in outcomes]
    wide = pd.concat([frame[ids], *parts], axis=1)
    values = [c for part in parts for c in part.columns]
    return wide.melt(id_vars=ids, value_vars=values, var_name="outcome")
