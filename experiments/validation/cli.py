"""``teamsim validate``: run the patterns (and the structural table), print, write, exit.

Exit status: 0 when every pattern run passes, 1 when one fails (the failing patterns are
printed), 2 on bad arguments, before any simulation.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from experiments.store import atomic, write_json
from experiments.validation import freshness, report
from experiments.validation.evaluate import Settings, run_validation
from experiments.validation.patterns import BY_NUMBER
from experiments.validation.structural import run_structural
from sim import ConfigError, compose

ROOT = freshness.ROOT
REPORT = ROOT / "docs" / "validation.md"
RESULTS = ROOT / "docs" / "validation.json"
FULL_REPLICATES, QUICK_REPLICATES = 2000, 400
FULL_RESAMPLES, QUICK_RESAMPLES = 9999, 1999
STRUCTURAL_REPLICATES = 1000


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="teamsim validate",
        description="Test the model against patterns from the field that it was not built "
                    "to show; exit 1 if a pattern fails.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--replicates", type=int, default=None,
                      help=f"replicates per arm (default {FULL_REPLICATES})")
    size.add_argument("--quick", action="store_true",
                      help=f"CI size: {QUICK_REPLICATES} replicates per arm, {QUICK_RESAMPLES} "
                           "resamples, no structural table")
    parser.add_argument("--pattern", type=int, action="append", default=None,
                        help="run only this pattern (repeatable); prints, writes no file")
    parser.add_argument("--seed", type=int, default=None,
                        help="root seed (default: run.seed of the config)")
    parser.add_argument("--resamples", type=int, default=None, help="bootstrap resamples")
    parser.add_argument("--override", action="append", default=[], metavar="KEY=VALUE",
                        help="Hydra override applied to every arm (explores a calibration)")
    parser.add_argument("--structural", action=argparse.BooleanOptionalAction, default=None,
                        help="also run the structural sensitivity table (default: on for a "
                             "full run of every pattern)")
    parser.add_argument("--structural-replicates", type=int, default=STRUCTURAL_REPLICATES,
                        help=f"replicates per arm of the structural table "
                             f"(default {STRUCTURAL_REPLICATES})")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the structural table")
    parser.add_argument("--output", type=Path, default=None,
                        help="report path; the JSON results go beside it (default "
                             "docs/validation.md for a full run of every pattern without "
                             "overrides, none otherwise)")
    args = parser.parse_args(argv)
    if args.replicates is not None and args.replicates < 20:
        parser.error(f"--replicates {args.replicates}: at least 20 replicates per arm")
    if args.resamples is not None and args.resamples < 100:
        parser.error(f"--resamples {args.resamples}: at least 100")
    if args.structural_replicates < 20:
        parser.error(f"--structural-replicates {args.structural_replicates}: at least 20")
    if args.jobs < 1:
        parser.error(f"--jobs {args.jobs}: at least 1")
    unknown = sorted(set(args.pattern or ()) - set(BY_NUMBER))
    if unknown:
        parser.error(f"--pattern {unknown[0]}: no such pattern; choose from "
                     + ", ".join(str(n) for n in BY_NUMBER))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    overrides = tuple(args.override)
    try:
        base = compose(overrides)
    except ConfigError as err:
        print(f"teamsim validate: error: --override: {err}", file=sys.stderr)
        return 2
    settings = Settings(
        replicates=QUICK_REPLICATES if args.quick else (args.replicates or FULL_REPLICATES),
        resamples=args.resamples or (QUICK_RESAMPLES if args.quick else FULL_RESAMPLES),
        seed=args.seed if args.seed is not None else base.run.seed,
        quick=args.quick, overrides=overrides)
    numbers = sorted(set(args.pattern)) if args.pattern else list(BY_NUMBER)
    every = not (args.pattern or args.quick or overrides)
    structural = every if args.structural is None else args.structural
    output = args.output if args.output is not None else (REPORT if every else None)

    v = run_validation(numbers, settings)
    print("\n".join([*report.pattern_table(v), "", *report.check_table(v)]), flush=True)
    cells, seconds = None, 0.0
    if structural:
        start = time.perf_counter()
        cells = run_structural(args.structural_replicates, settings.seed, jobs=args.jobs)
        seconds = time.perf_counter() - start
        print("", *report.structural_words(cells), sep="\n", flush=True)
    if output is not None:
        record = {"model_fingerprint": freshness.model_fingerprint(),
                  "rules_fingerprint": freshness.rules_fingerprint(),
                  "commits": freshness.commits(), "structural_seconds": round(seconds, 1)}
        data = report.machine_readable(v, cells, record)
        with atomic(output) as tmp:
            tmp.write_text(report.markdown(v, cells, record, args.structural_replicates),
                           encoding="utf-8")
        write_json(output.with_suffix(".json"), data)
        print(f"report written to {output} and {output.with_suffix('.json')}", file=sys.stderr)
    if v.failed:
        print("teamsim validate: failing pattern(s): " + "; ".join(
            f"{p.number} ({p.claim})" for p in v.failed), file=sys.stderr)
        return 1
    return 0
