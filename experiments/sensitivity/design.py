"""The parameters a sensitivity analysis varies, its designs and its indices (SALib).

Every ``float`` field of the schema with a range (dict fields, integers, choices and
``run.*`` are left out) is a parameter, sampled over its *admissible range*: the
``range`` that ``docs/parameters.yaml`` gives it (what the calibration leaves open, see
``docs/calibration.md``), else its whole schema range; ``plausible`` overrides either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim import Config, ConfigError, to_config

SKIPPED_SECTIONS = ("run",)  # horizon, seeds and the survival definition: not the model


@dataclass(frozen=True)
class Parameter:
    """A continuous parameter of the schema and the range it is sampled in."""

    name: str        # dotted: "behaviour.conformity"
    low: float
    high: float
    default: float
    unit: str
    help: str


def admissible_ranges(path: Path) -> dict[str, list[float]]:
    """The ``range`` entries of a parameters file (dotted name -> [low, high])."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {name: list(entry["range"]) for name, entry in data.items()
            if isinstance(entry, dict) and entry.get("range") is not None}


def continuous_parameters(cfg: Config,
                          ranges: Mapping[str, Sequence[float]] | None = None
                          ) -> list[Parameter]:
    """Every ``float`` field of the schema with a range, in schema order.

    ``ranges`` narrows a field's range to ``[low, high]``; it must lie within the
    schema's range and hold the field's current value.
    """
    ranges = dict(ranges or {})
    found = []
    for section in fields(cfg):
        node = getattr(cfg, section.name)
        if not is_dataclass(node) or section.name in SKIPPED_SECTIONS:
            continue
        for f in fields(node):
            lo, hi = f.metadata.get("range", (None, None))
            if f.type != "float" or lo is None or hi is None:
                continue
            name = f"{section.name}.{f.name}"
            value = float(getattr(node, f.name))
            low, high = ranges.pop(name, (lo, hi))
            if not lo <= low < high <= hi or not low <= value <= high:
                raise ConfigError(f"the range of {name} = [{low}, {high}] must lie in the "
                                  f"schema range [{lo}, {hi}] and hold the value {value}")
            found.append(Parameter(name, float(low), float(high), value,
                                   f.metadata.get("unit", ""), f.metadata.get("help", "")))
    if ranges:
        raise ConfigError(f"ranges are given for {sorted(ranges)}, which are not continuous "
                          "parameters of the schema")
    return found


def problem(parameters: Sequence[Parameter]) -> dict:
    """The SALib problem of ``parameters``."""
    return {"num_vars": len(parameters), "names": [p.name for p in parameters],
            "bounds": [[p.low, p.high] for p in parameters]}


def with_values(cfg: Config, names: Sequence[str], values: Sequence[float]) -> Config:
    """``cfg`` with the dotted fields ``names`` set to ``values`` (validated)."""
    changes: dict[str, dict[str, float]] = {}
    for name, value in zip(names, values, strict=True):
        section, key = name.split(".")
        changes.setdefault(section, {})[key] = float(value)
    sections = {s: dataclasses.replace(getattr(cfg, s), **kv) for s, kv in changes.items()}
    return to_config(dataclasses.replace(cfg, **sections))


def morris_design(parameters: Sequence[Parameter], trajectories: int, levels: int,
                  seed: int) -> np.ndarray:
    """Morris trajectories: ``trajectories * (D + 1)`` sample points."""
    return morris_sample.sample(problem(parameters), trajectories, num_levels=levels,
                                seed=seed)


def morris_indices(parameters: Sequence[Parameter], samples: np.ndarray, y: np.ndarray,
                   outputs: Sequence[str], levels: int, seed: int) -> pd.DataFrame:
    """mu, mu*, sigma and the interval of mu* per parameter and output (long table)."""
    rows = []
    for k, output in enumerate(outputs):
        res = morris_analyze.analyze(problem(parameters), samples, y[:, k], num_levels=levels,
                                     seed=seed)
        for i, p in enumerate(parameters):
            rows.append({"output": output, "parameter": p.name, "mu": res["mu"][i],
                         "mu_star": res["mu_star"][i], "sigma": res["sigma"][i],
                         "mu_star_conf": res["mu_star_conf"][i]})
    return pd.DataFrame(rows)


def sobol_design(parameters: Sequence[Parameter], n: int, seed: int) -> np.ndarray:
    """Saltelli's scheme on a scrambled Sobol' sequence: ``n (D + 2)`` sample points."""
    return sobol_sample.sample(problem(parameters), n, calc_second_order=False, seed=seed)


def sobol_indices(parameters: Sequence[Parameter], y: np.ndarray, outputs: Sequence[str],
                  seed: int, confidence: float = 0.95) -> pd.DataFrame:
    """S1 and ST with their bootstrap half-widths per parameter and output (long table);
    NaN for an output that does not vary."""
    rows = []
    for k, output in enumerate(outputs):
        column = y[:, k]
        if np.ptp(column) == 0:
            res = {key: np.full(len(parameters), np.nan)
                   for key in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            res = sobol_analyze.analyze(problem(parameters), column, calc_second_order=False,
                                        conf_level=confidence, seed=seed)
        for i, p in enumerate(parameters):
            rows.append({"output": output, "parameter": p.name, "S1": res["S1"][i],
                         "S1_conf": res["S1_conf"][i], "ST": res["ST"][i],
                         "ST_conf": res["ST_conf"][i]})
    return pd.DataFrame(rows)


def screened(morris: pd.DataFrame, top: int) -> list[str]:
    """The ``top`` parameters by mu* relative to each output's largest mu* (max over
    outputs), in that order; parameters without any effect are never chosen."""
    scale = morris.groupby("output")["mu_star"].transform("max").replace(0, np.nan)
    score = (morris["mu_star"] / scale).groupby(morris["parameter"]).max().fillna(0)
    score = score[score > 0].sort_values(ascending=False, kind="stable")
    return score.index[:top].tolist()
