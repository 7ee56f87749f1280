"""Turn a study folder into one dataset and say which points are missing or failed.

``teamsim collect <study_dir> [--csv]`` writes ``replicates.parquet`` (all points'
replicate rows, in plan order), ``weekly.parquet`` (all points' weekly records),
``manifest.json`` (points complete / missing / failed) and, with ``--csv``,
``replicates.csv`` and ``weekly.csv`` for a spreadsheet. Every point file is verified
(page checksums) and every outcome range-checked against its documented bounds
(:data:`sim.outcomes.OUTCOMES`, :data:`sim.outcomes.WEEKLY`): a corrupt point counts as
missing (a rerun recomputes it); a value out of bounds refuses the whole collection.
The new files replace the old ones only once they are complete (the manifest, written
last, marks a finished collection); temporaries of killed writers are removed. Files are
streamed batch by batch, so collecting a million replicates needs little memory.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from experiments.store import (
    ParquetStream,
    StudyLocked,
    atomic,
    batches,
    failed_path,
    lock,
    plan_path,
    point_files,
    points_dir,
    provenance,
    read_meta,
    remove_temporaries,
    replicates_path,
    verify,
    weekly_path,
    write_json,
)
from sim.outcomes import OUTCOMES, STATES, WEEKLY, Outcome

#: The weekly quantile form's value columns (see experiments.job.WeeklyQuantiles).
QUANTILE_VALUES = ("mean", "q05", "q25", "q50", "q75", "q95")
STATE_SHARES = {f"state={s}": Outcome(f"state={s}", f"share of teams {s}", "share", 0, 1)
                for s in STATES}


class CollectError(ValueError):
    """Data that must not be collected (values outside their documented bounds)."""


def _planned(study_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The plan's points, or every point file found when there is no plan."""
    if not study_dir.is_dir():
        raise FileNotFoundError(f"no study folder at {study_dir}")
    path = plan_path(study_dir)
    if path.exists():
        plan = json.loads(path.read_text())
        return plan, plan["points"]
    found = [{"point_id": p.name.split(".")[0], "overrides": [], "expect": {}}
             for p in point_files(study_dir)]
    if not found:
        raise FileNotFoundError(f"{study_dir} holds no study: no plan.json and no "
                                "points/*.parquet (run it with `teamsim run`)")
    return {}, found


def _bounds(outcome: Outcome) -> str:
    if outcome.kind == "category":
        return "one of " + ", ".join(outcome.categories)
    low = "-inf" if outcome.low is None else f"{outcome.low:g}"
    high = "inf" if outcome.high is None else f"{outcome.high:g}"
    return f"[{low}, {high}]"


def out_of_bounds(table: pa.Table) -> str | None:
    """The first value of ``table`` outside its outcome's documented bounds, described."""
    quantiles = "variable" in table.column_names
    checks = []
    if quantiles:
        variables = table.column("variable").to_numpy(zero_copy_only=False)
        for name in set(variables):
            outcome = WEEKLY.get(name) or STATE_SHARES.get(name)
            rows = variables == name
            checks += [(outcome, f"{c} of {name}", table.column(c).to_numpy()[rows])
                       for c in QUANTILE_VALUES if outcome is not None]
    else:
        known = WEEKLY if "week" in table.column_names else OUTCOMES
        checks = [(known[c], c, table.column(c).to_numpy(zero_copy_only=False))
                  for c in table.column_names if c in known]
    for outcome, name, values in checks:
        bad = outcome.check(values)
        if bad.any():
            value = values[bad.argmax()]
            shown = f"{value:g}" if isinstance(value, float) else repr(value)
            return f"{name} = {shown} is outside its documented bounds {_bounds(outcome)}"
    return None


def _aligned(batch: pa.RecordBatch, schema: pa.Schema) -> pa.Table:
    table = pa.Table.from_batches([batch])
    columns = [table.column(name).cast(fld.type) if name in table.column_names
               else pa.nulls(len(table), fld.type) for name, fld in zip(schema.names, schema,
                                                                          strict=True)]
    return pa.Table.from_arrays(columns, schema=schema)


def concatenate(files: Sequence[Path], stream: ParquetStream) -> int:
    """Append ``files`` to ``stream`` (columns unified), range-checking every value;
    return the rows written. Raises :class:`CollectError` on a value out of bounds."""
    schema = pa.unify_schemas([pq.read_schema(f).remove_metadata() for f in files],
                              promote_options="permissive")
    rows = 0
    for path in files:
        for batch in batches(path):
            table = _aligned(batch, schema)
            problem = out_of_bounds(table)
            if problem:
                raise CollectError(f"{path}: {problem}. The point's file cannot be trusted: "
                                   f"delete it and rerun the study to recompute it")
            stream.write(table)
            rows += len(table)
    return rows


def _status(study_dir: Path, point: dict[str, Any]) -> dict[str, Any] | None:
    """None if the point is complete, else its entry for the manifest (missing or failed)."""
    pid = point["point_id"]
    entry = {"point_id": pid, "overrides": point.get("overrides", [])}
    path = replicates_path(study_dir, pid)
    if not path.exists():
        if failed_path(study_dir, pid).exists():
            error = json.loads(failed_path(study_dir, pid).read_text())["error"]
            return {**entry, "error": error}
        return {**entry, "problem": "not run"}
    files = [path] + ([weekly_path(study_dir, pid)]
                      if read_meta(path).get("trajectories") != "none" else [])
    for file in files:
        problem = verify(file)
        if problem:
            warnings.warn(f"point {pid}: {file.name} is {problem}; rerun the study to "
                          "recompute it", stacklevel=3)
            return {**entry, "problem": f"{file.name} is {problem}"}
    meta = read_meta(path)
    expect = point.get("expect", {})
    if any(meta.get(key) != value for key, value in expect.items()):
        return {**entry, "problem": "holds other replicates or records than planned"}
    return None


def collect(study_dir: Path | str) -> dict[str, Any]:
    """Collect ``study_dir``; return the manifest (also written to ``manifest.json``)."""
    study_dir = Path(study_dir)
    plan, planned = _planned(study_dir)
    remove_temporaries(study_dir)
    remove_temporaries(points_dir(study_dir))
    complete, missing, failed = [], [], []
    for point in planned:
        entry = _status(study_dir, point)
        if entry is None:
            complete.append(point["point_id"])
        else:
            (failed if "error" in entry else missing).append(entry)
    study = plan.get("study") or (read_meta(replicates_path(study_dir, complete[0]))["study"]
                                  if complete else study_dir.name)
    record = {"study": study, "points": complete, "overrides": plan.get("overrides"),
              **provenance()}
    manifest: dict[str, Any] = {
        "study": study, "study_dir": str(study_dir), "planned": len(planned),
        "complete": complete, "missing": missing, "failed": failed, "replicates": 0,
        "files": {},
    }
    weekly = [weekly_path(study_dir, pid) for pid in complete]
    with_weekly = bool(complete) and all(f.exists() for f in weekly)
    with contextlib.ExitStack() as files:
        if complete:
            replicates = files.enter_context(ParquetStream(
                study_dir / "replicates.parquet", {**record, "kind": "replicates"}))
            manifest["replicates"] = concatenate(
                [replicates_path(study_dir, pid) for pid in complete], replicates)
            manifest["files"]["replicates"] = "replicates.parquet"
        if with_weekly:
            concatenate(weekly, files.enter_context(ParquetStream(
                study_dir / "weekly.parquet", {**record, "kind": "weekly"})))
            manifest["files"]["weekly"] = "weekly.parquet"
        # the new files are complete: from here on the old collection is replaced
        (study_dir / "manifest.json").unlink(missing_ok=True)
    for name in ("replicates", "weekly"):
        if name not in manifest["files"]:
            (study_dir / f"{name}.parquet").unlink(missing_ok=True)
    write_json(study_dir / "manifest.json", manifest)
    return manifest


def _for_spreadsheets(table: pa.Table) -> pa.Table:
    """NaN as an empty cell (a spreadsheet shows 'nan' as text)."""
    columns = [pc.if_else(pc.is_nan(col), pa.scalar(None, col.type), col)
               if pa.types.is_floating(col.type) else col for col in table.columns]
    return pa.Table.from_arrays(columns, names=table.column_names)


def export_csv(study_dir: Path) -> list[Path]:
    """``replicates.csv`` and ``weekly.csv`` from the collected Parquet files."""
    written = []
    for name in ("replicates", "weekly"):
        source = study_dir / f"{name}.parquet"
        if not source.exists():
            continue
        target = study_dir / f"{name}.csv"
        with atomic(target) as tmp:
            writer = None
            for batch in batches(source):
                table = _for_spreadsheets(pa.Table.from_batches([batch]))
                if writer is None:
                    writer = pa_csv.CSVWriter(str(tmp), table.schema.remove_metadata())
                writer.write_table(table.replace_schema_metadata(None))
            if writer is not None:
                writer.close()
        written.append(target)
    return written


def describe(manifest: dict[str, Any]) -> str:
    """A few lines on what a collected study holds and lacks."""
    lines = [f"study {manifest['study']}: {len(manifest['complete'])}/{manifest['planned']} "
             f"points complete, {manifest['replicates']:,} replicates -> "
             f"{manifest['study_dir']}/{manifest['files'].get('replicates', '(nothing)')}"]
    for point in manifest["failed"]:
        lines.append(f"  FAILED  {point['point_id']} ({' '.join(point['overrides'])}): "
                     f"{point['error']}")
    for point in manifest["missing"]:
        lines.append(f"  MISSING {point['point_id']} ({' '.join(point['overrides'])}): "
                     f"{point['problem']}")
    if manifest["failed"] or manifest["missing"]:
        lines.append("  rerun the same `teamsim run` command to finish the study "
                     "(complete points are skipped)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``teamsim collect <study_dir> [--csv]``: exit 0 if every planned point is complete,
    1 if some are missing or failed or the data is refused, 2 on a bad folder."""
    parser = argparse.ArgumentParser(prog="teamsim collect", description=__doc__.split("\n")[0])
    parser.add_argument("study_dir", type=Path, help="folder of a study (study.dir)")
    parser.add_argument("--csv", action="store_true",
                        help="also write replicates.csv and weekly.csv for a spreadsheet")
    args = parser.parse_args(argv)
    try:
        _planned(args.study_dir)
        with lock(args.study_dir):
            manifest = collect(args.study_dir)
            written = export_csv(args.study_dir) if args.csv else []
    except (FileNotFoundError, StudyLocked) as err:
        parser.exit(2, f"teamsim collect: {err}\n")
    except CollectError as err:
        print(f"teamsim collect: refused: {err}", file=sys.stderr)
        return 1
    print(describe(manifest))
    for path in written:
        print(f"  {path}")
    return 0 if not (manifest["failed"] or manifest["missing"]) else 1

