"""``teamsim run experiment=sensitivity``: the run (see the package docstring)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from experiments.sensitivity.design import (
    Parameter,
    admissible_ranges,
    continuous_parameters,
    morris_design,
    morris_indices,
    screened,
    sobol_design,
    sobol_indices,
)
from experiments.sensitivity.evaluate import Outputs, evaluate, scenario_arm
from experiments.sensitivity.report import (
    flip_table,
    morris_figure,
    sobol_figure,
    summary,
    trust_warnings,
    write_table,
)
from experiments.sensitivity.settings import SensitivitySettings, sensitivity_settings
from experiments.store import atomic
from experiments.validation.freshness import model_fingerprint
from sim import Config, ConfigError, config_dir

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REPLICATES = 1000    # the defaults' own point: the reference sign of each difference


def difference_name(contrast: str, baseline: str) -> str:
    return f"{contrast} - {baseline}"


def outcomes_of(s: SensitivitySettings) -> list[str]:
    """The outcomes each arm reports: the baseline's levels and ``survived``."""
    return list(dict.fromkeys([*s.levels, "survived"]))


def outputs_of(out: Outputs, s: SensitivitySettings) -> tuple[list[str], np.ndarray,
                                                               np.ndarray]:
    """Output names, values ``(points, K)`` and their standard errors ``(points, K)``:
    the baseline's levels, then every contrast's difference in P(alive)."""
    survived = outcomes_of(s).index("survived")
    names = [f"{s.baseline}: {o}" for o in s.levels]
    values = [out.means[:, 0, k] for k in range(len(s.levels))]
    errors = [np.zeros(len(out.means)) for _ in s.levels]
    for a, contrast in enumerate(s.contrasts, start=1):
        names.append(difference_name(contrast, s.baseline))
        values.append(out.means[:, a, survived] - out.means[:, 0, survived])
        errors.append(out.difference_se[:, a, survived])
    return names, np.column_stack(values), np.column_stack(errors)


def treatment_fields(s: SensitivitySettings) -> set[str]:
    """Dotted fields some arm's scenario file sets: the treatments, never sampled."""
    found = set()
    for scenario in [s.baseline, *s.contrasts]:
        node = OmegaConf.to_container(OmegaConf.load(config_dir() / "scenario"
                                                     / f"{scenario}.yaml"))
        for section, values in node.items():
            if isinstance(values, dict):
                found |= {f"{section}.{key}" for key in values}
    return found


def resolve(path: str) -> Path:
    """A path as given if it exists or is absolute, else relative to the repository."""
    p = Path(path)
    return p if p.is_absolute() or p.exists() else ROOT / p


def command(cfg: DictConfig) -> str:
    """The command line that reproduces this analysis (its sensitivity settings)."""
    node = OmegaConf.to_container(cfg.sensitivity, resolve=True)
    default = OmegaConf.to_container(OmegaConf.structured(SensitivitySettings))
    changed = [f"sensitivity.{k}={json.dumps(v, separators=(',', ':'))}"
               for k, v in node.items() if v != default.get(k) and not isinstance(v, dict)]
    return " ".join(["teamsim run experiment=sensitivity", *changed])


def region(base: Config, s: SensitivitySettings) -> list[Parameter]:
    """The admissible region: the continuous parameters with an admissible range that no
    arm sets, over those ranges."""
    ranges = {**admissible_ranges(resolve(s.region)), **s.plausible}
    treated = treatment_fields(s)
    return [p for p in continuous_parameters(base, ranges)
            if p.name in ranges and p.name not in treated]


def publish(document: Path, text: str, record: dict, sobol: pd.DataFrame, noise: pd.Series,
            flips: pd.DataFrame) -> None:
    """Write the committed summary (``sensitivity.document``): its text with the Sobol
    figure, and beside it the record with every sign flip (what analysis.robustness reads)."""
    figure = document.parent / "img" / "sensitivity-sobol"
    sobol_figure(sobol, noise, figure)
    with atomic(document) as tmp:
        tmp.write_text(text + f"\n![Sobol indices of the differences](img/{figure.name}.png)"
                       "\n", encoding="utf-8")
    with atomic(document.with_suffix(".json")) as tmp:
        flip_rows = json.loads(flips.to_json(orient="records"))
        tmp.write_text(json.dumps(record | {"flips": flip_rows}, indent=2) + "\n",
                       encoding="utf-8")


def run(cfg: DictConfig) -> int:
    """Morris screening, Sobol indices and sign flips on the advice's differences."""
    s = sensitivity_settings(cfg)
    arms = [scenario_arm(cfg, name) for name in (s.baseline, *s.contrasts)]
    base = arms[0]
    parameters = region(base, s)
    by_name = {p.name: p for p in parameters}
    missing = [n for n in s.sobol.parameters or () if n not in by_name]
    if missing:
        raise ConfigError(f"sensitivity.sobol.parameters {missing} are not sampled "
                          f"parameters: choose from {', '.join(by_name)}")
    outcomes = outcomes_of(s)
    out = Path(OmegaConf.select(cfg, "study.dir", default="results/sensitivity"))
    out.mkdir(parents=True, exist_ok=True)
    common = {"replicates": s.replicates, "outcomes": outcomes, "jobs": s.jobs,
              "block": s.block}
    record: dict = {"replicates_per_point": s.replicates, "jobs": s.jobs,
                    "weeks": base.run.weeks, "baseline": s.baseline, "contrasts": s.contrasts,
                    "pressure": base.workload.name, "parameters": len(parameters),
                    "arms": len(arms)}

    t0 = time.perf_counter()
    reference = evaluate(arms, [], np.empty((1, 0)), DEFAULT_REPLICATES, outcomes,
                         label="defaults")
    names, at_defaults, defaults_se = outputs_of(reference, s)
    record["defaults"] = {n: {"value": float(v), "se": float(e)}
                          for n, v, e in zip(names, at_defaults[0], defaults_se[0], strict=True)}

    x = morris_design(parameters, s.morris.trajectories, s.morris.levels, s.seed)
    runs = len(x) * len(arms) * s.replicates
    print(f"Morris: {len(parameters)} parameters, {len(x)} points x {len(arms)} arms x "
          f"{s.replicates} replicates = {runs:,} runs", flush=True)
    t1 = time.perf_counter()
    _, y, _ = outputs_of(evaluate(arms, [p.name for p in parameters], x, label="Morris",
                                  **common), s)
    record["morris"] = {"points": len(x), "runs": runs,
                        "seconds": round(time.perf_counter() - t1, 1)}
    morris = morris_indices(parameters, x, y, names, s.morris.levels, s.seed)
    write_table(morris, out / "morris", "Morris screening (mu* in output units)")
    morris_figure(morris, out / "morris")

    chosen = [by_name[n] for n in (s.sobol.parameters or screened(morris, s.sobol.top))]
    x = sobol_design(chosen, s.sobol.n, s.seed)
    runs = len(x) * len(arms) * s.replicates
    print(f"Sobol: {len(chosen)} parameters, N = {s.sobol.n}, {len(x)} points x {len(arms)} "
          f"arms x {s.replicates} replicates = {runs:,} runs", flush=True)
    t1 = time.perf_counter()
    _, y, se = outputs_of(evaluate(arms, [p.name for p in chosen], x, label="Sobol",
                                   **common), s)
    record["sobol"] = {"n": s.sobol.n, "parameters": [p.name for p in chosen],
                       "points": len(x), "runs": runs,
                       "seconds": round(time.perf_counter() - t1, 1)}
    sobol = sobol_indices(chosen, y, names, s.seed)
    with np.errstate(invalid="ignore", divide="ignore"):   # an output that never varies
        noise = pd.Series(np.nanmean(se ** 2, axis=0) / np.nanvar(y, axis=0), index=names)
    write_table(sobol, out / "sobol", "Sobol indices (S1, ST; *_conf: 95% half-width)")
    sobol_figure(sobol, noise, out / "sobol")
    flips = flip_table(chosen, x, y, se, names, at_defaults[0], s.levels)
    write_table(flips, out / "flips", "Sign flips of each difference over the region")

    warnings = trust_warnings(sobol, noise, s.sobol.n)
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr, flush=True)
    record |= {"seconds": round(time.perf_counter() - t0, 1), "warnings": warnings,
               "model_fingerprint": model_fingerprint(), "command": command(cfg),
               "noise_share": noise.round(4).to_dict(),
               "runs": record["morris"]["runs"] + record["sobol"]["runs"]
               + len(arms) * DEFAULT_REPLICATES}
    text = summary(record, sobol, flips, noise, parameters, chosen)
    with atomic(out / "summary.md") as tmp:
        tmp.write_text(text, encoding="utf-8")
    if s.document:
        publish(resolve(s.document), text, record, sobol, noise, flips)
    with atomic(out / "sensitivity.json") as tmp:
        tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"sensitivity: {record['runs']:,} runs in {record['seconds']:,.0f} s "
          f"({record['runs'] / record['seconds']:,.0f} runs/s, {s.jobs} processes) -> {out}",
          flush=True)
    return 0
