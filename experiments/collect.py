"""Turn a study folder into one dataset and say which points are missing or failed.

``teamsim collect <study_dir>`` writes ``replicates.parquet`` (all points' replicate
rows, in plan order), ``weekly.parquet`` (all points' weekly records) and
``manifest.json`` (points complete / missing / failed). Files are streamed point by
point, so collecting a million replicates needs the memory of one point file.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from experiments.store import (
    META_KEY,
    failed_path,
    plan_path,
    points_dir,
    provenance,
    read_meta,
    replicates_path,
    temporary,
    weekly_path,
    write_json,
)


def _planned(study_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The plan's points, or every point file found when there is no plan."""
    path = plan_path(study_dir)
    if path.exists():
        plan = json.loads(path.read_text())
        return plan, plan["points"]
    found = sorted(p.name.split(".")[0] for p in points_dir(study_dir).glob("*.parquet")
                   if not p.name.endswith(".weekly.parquet"))
    return {}, [{"point_id": pid, "overrides": [], "expect": {}} for pid in found]


def _matches(meta: dict[str, Any], expect: dict[str, Any]) -> bool:
    return all(meta.get(key) == value for key, value in expect.items())


def concatenate(files: Sequence[Path], target: Path, record: dict[str, Any]) -> int:
    """Stream ``files`` into one Parquet file (columns unified); return rows written."""
    schemas = [pq.read_schema(f) for f in files]
    schema = pa.unify_schemas([s.remove_metadata() for s in schemas],
                              promote_options="permissive")
    schema = schema.with_metadata({META_KEY: json.dumps(record, default=str).encode()})
    rows = 0
    tmp = temporary(target)
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            for f in files:
                for batch in pq.ParquetFile(f).iter_batches(batch_size=65536):
                    table = pa.Table.from_batches([batch])
                    columns = [table.column(name).cast(fld.type) if name in table.column_names
                               else pa.nulls(len(table), fld.type)
                               for name, fld in zip(schema.names, schema, strict=True)]
                    writer.write_table(pa.Table.from_arrays(columns, schema=schema))
                    rows += len(table)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return rows


def collect(study_dir: Path | str) -> dict[str, Any]:
    """Collect ``study_dir``; return the manifest (also written to ``manifest.json``)."""
    study_dir = Path(study_dir)
    if not study_dir.is_dir():
        raise FileNotFoundError(f"no study folder at {study_dir}")
    plan, planned = _planned(study_dir)
    complete, missing, failed = [], [], []
    for point in planned:
        pid = point["point_id"]
        path = replicates_path(study_dir, pid)
        if path.exists() and _matches(read_meta(path), point.get("expect", {})):
            complete.append(point)
        elif failed_path(study_dir, pid).exists():
            error = json.loads(failed_path(study_dir, pid).read_text())["error"]
            failed.append({"point_id": pid, "overrides": point["overrides"], "error": error})
        else:
            missing.append({"point_id": pid, "overrides": point["overrides"]})
    ids = [p["point_id"] for p in complete]
    study = plan.get("study") or (read_meta(replicates_path(study_dir, ids[0]))["study"]
                                  if ids else study_dir.name)
    record = {"study": study, "points": ids, "overrides": plan.get("overrides"),
              **provenance()}
    manifest: dict[str, Any] = {
        "study": study, "study_dir": str(study_dir), "planned": len(planned),
        "complete": ids, "missing": missing, "failed": failed, "replicates": 0, "files": {},
    }
    for stale in ("replicates.parquet", "weekly.parquet"):
        (study_dir / stale).unlink(missing_ok=True)     # never leave an older collection
    if complete:
        manifest["replicates"] = concatenate(
            [replicates_path(study_dir, pid) for pid in ids],
            study_dir / "replicates.parquet", {**record, "kind": "replicates"})
        manifest["files"]["replicates"] = "replicates.parquet"
        weekly = [weekly_path(study_dir, pid) for pid in ids]
        if all(f.exists() for f in weekly):
            concatenate(weekly, study_dir / "weekly.parquet", {**record, "kind": "weekly"})
            manifest["files"]["weekly"] = "weekly.parquet"
    write_json(study_dir / "manifest.json", manifest)
    return manifest


def describe(manifest: dict[str, Any]) -> str:
    """A few lines on what a collected study holds and lacks."""
    lines = [f"study {manifest['study']}: {len(manifest['complete'])}/{manifest['planned']} "
             f"points complete, {manifest['replicates']:,} replicates -> "
             f"{manifest['study_dir']}/{manifest['files'].get('replicates', '(nothing)')}"]
    for point in manifest["failed"]:
        lines.append(f"  FAILED  {point['point_id']} ({' '.join(point['overrides'])}): "
                     f"{point['error']}")
    for point in manifest["missing"]:
        lines.append(f"  MISSING {point['point_id']} ({' '.join(point['overrides'])})")
    if manifest["failed"] or manifest["missing"]:
        lines.append("  rerun the same `teamsim run` command to finish the study "
                     "(complete points are skipped)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``teamsim collect <study_dir>``: exit 0 if every planned point is complete."""
    parser = argparse.ArgumentParser(prog="teamsim collect", description=__doc__.split("\n")[0])
    parser.add_argument("study_dir", type=Path, help="folder of a study (hydra.sweep.dir)")
    args = parser.parse_args(argv)
    try:
        manifest = collect(args.study_dir)
    except FileNotFoundError as err:
        parser.exit(2, f"teamsim collect: {err}\n")
    print(describe(manifest))
    return 0 if not (manifest["failed"] or manifest["missing"]) else 1
