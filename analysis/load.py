"""Load one or several studies into one tidy DataFrame.

A study directory, as written by ``teamsim run experiment=...``, holds
``points/<point_id>.parquet`` (one row per replicate) and ``points/<point_id>.weekly.parquet``
(weekly trajectories, full or as quantiles); ``teamsim collect`` adds ``replicates.parquet``,
``weekly.parquet`` and ``manifest.json``. Each Parquet file carries its provenance as JSON
under the schema metadata key ``teamsim`` (resolved ``config``, ``overrides``,
``point_id``, git commit, versions, seeds); :mod:`experiments.store` owns that format and
:mod:`experiments.point` its points. This module reads either layout: the collected files
when present, else the ``points/`` files.

Rows with equal ``(seed, replicate)`` in different points of a study share their random
numbers (common random numbers), so comparisons between points are paired.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa

from experiments.point import Point, read_point
from experiments.store import POINT_COLUMNS, read_table

REPLICATE_KEYS = ("seed", "replicate")
DERIVED_COLUMNS = ("ebe_count", "horizon")
QUANTILE_COLUMNS = ("mean", "q05", "q25", "q50", "q75", "q95")
OUTCOMES = ("survived", "weeks_to_loss", "lost", "perspective_at_horizon",
            "distinctiveness_start", "distinctiveness", "experiential_share", "team_shift",
            "ebe_shift", "decision", "ebe_weeks_present", "exits", "hires", "irritation",
            "ebe_stress", "trust_cross", "irritation_cross", "rejection", "workload_pressure",
            "risk_avoidance", "dialogues", "feedback_given", "feedback_withheld", "feedback_attack",
            "feedback_given_to_ebe", "feedback_withheld_to_ebe", "critique_raised",
            "critique_accepted")
"""Outcome columns of a replicate table."""

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


def _read(files: Sequence[Path]) -> pd.DataFrame:
    tables = [read_table(f) for f in files]
    table = pa.concat_tables(tables, promote_options="permissive")
    return table.replace_schema_metadata(None).to_pandas()


def load_replicates(studies: PathLike | Iterable[PathLike]) -> pd.DataFrame:
    """One row per replicate of every point of the studies.

    Columns: ``study, point_id, label, team, pressure``, the swept keys (dotted names such
    as ``ebe.count``), ``seed, replicate``, the outcomes, and two derived columns:
    ``ebe_count`` (EBE seats of the point) and ``horizon`` (weeks simulated).
    """
    return pd.concat([_load_study(study) for study in _as_paths(studies)], ignore_index=True)


def _load_study(study: Path) -> pd.DataFrame:
    frame = _read(study_files(study))
    missing = [c for c in (*POINT_COLUMNS, *REPLICATE_KEYS, "survived", "weeks_to_loss")
               if c not in frame]
    if missing:
        raise StudyError(f"replicate table of {study} lacks columns {missing}")
    known = points(study)
    unknown = sorted(set(frame["point_id"]) - set(known))
    if unknown:
        raise StudyError(f"no config metadata for points {unknown[:5]} of {study}")
    frame["ebe_count"] = frame["point_id"].map({k: p.ebe_count for k, p in known.items()})
    frame["horizon"] = frame["point_id"].map({k: p.horizon for k, p in known.items()})
    for column in ("survived", "lost"):
        if column in frame:
            frame[column] = frame[column].astype(bool)
    return frame


def load_weekly(studies: PathLike | Iterable[PathLike]) -> pd.DataFrame:
    """Weekly trajectories of every point: full (one row per replicate and week) or
    quantiles (one row per week and variable: ``mean, q05, q25, q50, q75, q95``), with the
    derived ``ebe_count`` of the point."""
    frames = []
    for study in _as_paths(studies):
        frame = _read(study_files(study, weekly=True))
        known = points(study)
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


def tidy(frame: pd.DataFrame, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
    """Long form: one row per replicate and outcome (``outcome``, ``value``)."""
    outcomes = list(outcomes) if outcomes is not None else outcome_columns(frame)
    ids = [c for c in frame.columns if c not in OUTCOMES]
    numeric = frame[ids + outcomes].astype({o: float for o in outcomes})
    return numeric.melt(id_vars=ids, value_vars=outcomes, var_name="outcome")
