"""Global sensitivity analysis of the team model: Morris screening and Sobol indices.

``teamsim run experiment=sensitivity`` calls :func:`run` (``study.runner``). Two stages:

1. **Morris screening** (Morris 1991; mu* of Campolongo, Cariboni & Saltelli 2007) over
   every continuous parameter of the schema: each ``float`` field of ``sim.config`` with a
   range in its metadata (dict fields, integers, choices and ``run.*`` are left out),
   sampled within the schema's range or, where that range is wider than plausible, the
   sub-range ``sensitivity.plausible`` documents.
2. **Sobol indices** (Sobol' 2001; first-order S1 and total ST with bootstrap intervals,
   Saltelli et al. 2010 estimators as SALib computes them, no second order) over the
   ``sensitivity.sobol.top`` parameters that matter most in the screening, or over an
   explicit list ``sensitivity.sobol.parameters``. ``N`` base samples (a power of two)
   make ``N (D + 2)`` sample points.

Each sample point is a :class:`sim.Config` (``dataclasses.replace`` of the composed base
config) run for ``R`` replicates on the batched engine, a block of points at a time
(:func:`sim.simulate.run_points`); every
point uses the same seed and replicate indices (common random numbers), so the model is a
deterministic function of its parameters and a parameter without effect gets an index of
exactly zero. The outcome per point is the mean over its replicates of ``survived``
(P(survived)), ``experiential_share``, ``team_shift`` and ``exits``. Sample points are
spread over ``sensitivity.jobs`` processes (joblib) in blocks.

Writes into ``study.dir``: ``morris.{csv,parquet,md}``, ``sobol.{csv,parquet,md}``,
``morris.{png,svg}``, ``sobol.{png,svg}`` and ``sensitivity.json`` (run counts, times).
"""

from __future__ import annotations

import dataclasses
import json
import math
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from matplotlib.figure import Figure
from omegaconf import DictConfig, OmegaConf
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from analysis import figures
from sim import Config, ConfigError, replicate_table, to_config
from sim.simulate import run_points

OUTCOMES = ("survived", "experiential_share", "team_shift", "exits")
SKIPPED_SECTIONS = ("run",)  # horizon, seeds and the survival definition: not the model
SETTINGS = ("replicates", "jobs", "block", "seed", "outcomes", "plausible", "morris",
            "sobol")


@dataclass(frozen=True)
class Parameter:
    """A continuous parameter of the schema and the range it is sampled in."""

    name: str        # dotted: "behaviour.conformity"
    low: float
    high: float
    default: float
    unit: str
    help: str


def continuous_parameters(cfg: Config,
                          plausible: Mapping[str, Sequence[float]] | None = None
                          ) -> list[Parameter]:
    """Every ``float`` field of the schema with a range, in schema order.

    ``plausible`` narrows a field's range to ``[low, high]``; it must lie within the
    schema's range and hold the field's current value.
    """
    plausible = dict(plausible or {})
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
            low, high = plausible.pop(name, (lo, hi))
            if not lo <= low < high <= hi or not low <= value <= high:
                raise ConfigError(f"sensitivity.plausible.{name} = [{low}, {high}] must lie "
                                  f"in the schema range [{lo}, {hi}] and hold the value "
                                  f"{value}")
            found.append(Parameter(name, float(low), float(high), value,
                                   f.metadata.get("unit", ""), f.metadata.get("help", "")))
    if plausible:
        raise ConfigError(f"sensitivity.plausible names {sorted(plausible)}, which are not "
                          "continuous parameters of the schema")
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


def evaluate_block(cfg: Config, names: Sequence[str], samples: np.ndarray,
                   replicates: int, outcomes: Sequence[str] = OUTCOMES) -> np.ndarray:
    """Mean outcomes ``(len(samples), len(outcomes))``: each sample point runs replicates
    ``0..replicates-1`` of the same seed (common random numbers). All points of the block
    advance together in one engine (:func:`sim.simulate.run_points`), so a block of small
    points runs at the speed of one large block; each point's numbers are the same bits
    as when it runs alone."""
    points = [with_values(cfg, names, row) for row in samples]
    observed = run_points(points, replicates, cfg.run.seed)
    table = replicate_table(observed, cfg.run.seed, list(range(replicates)) * len(points))
    values = table[list(outcomes)].to_numpy(float).reshape(len(points), replicates, -1)
    return values.mean(axis=1)


def evaluate(cfg: Config, names: Sequence[str], samples: np.ndarray, replicates: int,
             outcomes: Sequence[str] = OUTCOMES, jobs: int = 1, block: int = 32,
             label: str = "") -> np.ndarray:
    """:func:`evaluate_block` over all ``samples`` in blocks on ``jobs`` processes."""
    starts = range(0, len(samples), block)
    if jobs > 1:
        tasks = (delayed(evaluate_block)(cfg, names, samples[s:s + block], replicates,
                                         outcomes) for s in starts)
        results = Parallel(n_jobs=jobs, return_as="generator")(tasks)
    else:
        results = (evaluate_block(cfg, names, samples[s:s + block], replicates, outcomes)
                   for s in starts)
    parts, done, start = [], 0, time.perf_counter()
    step = max(1, len(starts) // 10)
    for i, part in enumerate(results, start=1):
        parts.append(part)
        done += len(part)
        if i % step == 0 or i == len(starts):
            elapsed = time.perf_counter() - start
            rate = done * replicates / elapsed
            left = (len(samples) - done) * replicates / rate
            print(f"  {label}: {done}/{len(samples)} points, {rate:,.0f} runs/s, "
                  f"{left:,.0f} s left", file=sys.stderr, flush=True)
    return np.concatenate(parts) if parts else np.empty((0, len(outcomes)))


def morris_design(parameters: Sequence[Parameter], trajectories: int, levels: int,
                  seed: int) -> np.ndarray:
    """Morris trajectories: ``trajectories * (D + 1)`` sample points."""
    return morris_sample.sample(problem(parameters), trajectories, num_levels=levels,
                                seed=seed)


def morris_indices(parameters: Sequence[Parameter], samples: np.ndarray, y: np.ndarray,
                   outcomes: Sequence[str], levels: int, seed: int) -> pd.DataFrame:
    """mu, mu*, sigma and the interval of mu* per parameter and outcome (long table)."""
    rows = []
    for k, outcome in enumerate(outcomes):
        res = morris_analyze.analyze(problem(parameters), samples, y[:, k], num_levels=levels,
                                     seed=seed)
        for i, p in enumerate(parameters):
            rows.append({"outcome": outcome, "parameter": p.name, "mu": res["mu"][i],
                         "mu_star": res["mu_star"][i], "sigma": res["sigma"][i],
                         "mu_star_conf": res["mu_star_conf"][i]})
    return pd.DataFrame(rows)


def check_base_samples(n: int) -> None:
    """Sobol' sequences keep their balance only for a power-of-two number of samples."""
    if n < 2 or n & (n - 1):
        raise ConfigError(f"sensitivity.sobol.n = {n} must be a power of two (>= 2)")


def sobol_design(parameters: Sequence[Parameter], n: int, seed: int) -> np.ndarray:
    """Saltelli's scheme on a scrambled Sobol' sequence: ``n (D + 2)`` sample points."""
    check_base_samples(n)
    return sobol_sample.sample(problem(parameters), n, calc_second_order=False, seed=seed)


def sobol_indices(parameters: Sequence[Parameter], y: np.ndarray, outcomes: Sequence[str],
                  seed: int, confidence: float = 0.95) -> pd.DataFrame:
    """S1 and ST with their bootstrap half-widths per parameter and outcome (long table);
    NaN for an outcome that does not vary."""
    rows = []
    for k, outcome in enumerate(outcomes):
        column = y[:, k]
        if np.ptp(column) == 0:
            res = {key: np.full(len(parameters), np.nan)
                   for key in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            res = sobol_analyze.analyze(problem(parameters), column, calc_second_order=False,
                                        conf_level=confidence, seed=seed)
        for i, p in enumerate(parameters):
            rows.append({"outcome": outcome, "parameter": p.name, "S1": res["S1"][i],
                         "S1_conf": res["S1_conf"][i], "ST": res["ST"][i],
                         "ST_conf": res["ST_conf"][i]})
    return pd.DataFrame(rows)


def screened(morris: pd.DataFrame, top: int) -> list[str]:
    """The ``top`` parameters by mu* relative to each outcome's largest mu* (max over
    outcomes), in that order; parameters without any effect are never chosen."""
    scale = morris.groupby("outcome")["mu_star"].transform("max").replace(0, np.nan)
    score = (morris["mu_star"] / scale).groupby(morris["parameter"]).max().fillna(0)
    score = score[score > 0].sort_values(ascending=False, kind="stable")
    return score.index[:top].tolist()


def markdown(table: pd.DataFrame, digits: int = 3) -> str:
    """A GitHub-flavoured markdown table."""
    def cell(value) -> str:
        if isinstance(value, float):
            return "" if math.isnan(value) else f"{value:.{digits}f}"
        return str(value)
    lines = ["| " + " | ".join(table.columns) + " |",
             "|" + "|".join("---" for _ in table.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in table.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def _write_table(table: pd.DataFrame, stem: Path, title: str) -> None:
    table.to_csv(stem.with_suffix(".csv"), index=False)
    table.to_parquet(stem.with_suffix(".parquet"), index=False)
    stem.with_suffix(".md").write_text(f"# {title}\n\n{markdown(table)}", encoding="utf-8")


def settings(cfg: DictConfig) -> dict:
    """The ``sensitivity`` node, checked before any run starts."""
    node = cfg.get("sensitivity")
    if node is None:
        raise ConfigError("the sensitivity runner needs a 'sensitivity' node "
                          "(teamsim run experiment=sensitivity)")
    s = OmegaConf.to_container(node, resolve=True)
    unknown = sorted(set(s) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"sensitivity.{unknown[0]} is not a setting: the settings are "
                          + ", ".join(SETTINGS))
    bad = [o for o in s["outcomes"] if o not in OUTCOMES]
    if bad:
        raise ConfigError(f"sensitivity.outcomes {bad}: choose from {', '.join(OUTCOMES)}")
    for key in ("replicates", "jobs", "block"):
        if int(s[key]) < 1:
            raise ConfigError(f"sensitivity.{key} = {s[key]} must be >= 1")
    if int(s["morris"]["trajectories"]) < 2:
        raise ConfigError("sensitivity.morris.trajectories must be >= 2")
    check_base_samples(int(s["sobol"]["n"]))
    return s


def run(cfg: DictConfig) -> int:
    """Morris screening, then Sobol indices; tables, figures and a JSON record."""
    s = settings(cfg)
    base = to_config(cfg)
    parameters = continuous_parameters(base, s.get("plausible"))
    outcomes = list(s["outcomes"])
    by_name = {p.name: p for p in parameters}
    explicit = s["sobol"].get("parameters")
    if explicit:
        missing = [n for n in explicit if n not in by_name]
        if missing:
            raise ConfigError(f"sensitivity.sobol.parameters {missing} are not continuous "
                              f"parameters: choose from {', '.join(by_name)}")
    n_base, seed, reps = int(s["sobol"]["n"]), int(s["seed"]), int(s["replicates"])
    out = Path(OmegaConf.select(cfg, "study.dir", default="results/sensitivity"))
    out.mkdir(parents=True, exist_ok=True)
    common = {"replicates": reps, "outcomes": outcomes, "jobs": int(s["jobs"]),
              "block": int(s["block"])}
    record: dict = {"replicates_per_point": reps, "jobs": int(s["jobs"]),
                    "weeks": base.run.weeks, "label": base.label,
                    "pressure": base.workload.name, "parameters": len(parameters)}

    levels, trajectories = int(s["morris"]["levels"]), int(s["morris"]["trajectories"])
    x = morris_design(parameters, trajectories, levels, seed)
    print(f"Morris: {len(parameters)} parameters, {len(x)} points x {reps} replicates "
          f"= {len(x) * reps:,} runs", flush=True)
    t0 = time.perf_counter()
    y = evaluate(base, [p.name for p in parameters], x, label="Morris", **common)
    record["morris"] = {"points": len(x), "runs": len(x) * reps,
                        "seconds": round(time.perf_counter() - t0, 1)}
    morris = morris_indices(parameters, x, y, outcomes, levels, seed)
    _write_table(morris, out / "morris", "Morris screening (mu* in outcome units)")
    figures.save(morris_figure(morris), out / "morris")

    chosen = [by_name[n] for n in (explicit or screened(morris, int(s["sobol"]["top"])))]
    x = sobol_design(chosen, n_base, seed)
    print(f"Sobol: {len(chosen)} parameters, N = {n_base}, {len(x)} points x {reps} "
          f"replicates = {len(x) * reps:,} runs", flush=True)
    t0 = time.perf_counter()
    y = evaluate(base, [p.name for p in chosen], x, label="Sobol", **common)
    record["sobol"] = {"n": n_base, "parameters": [p.name for p in chosen], "points": len(x),
                       "runs": len(x) * reps, "seconds": round(time.perf_counter() - t0, 1)}
    sobol = sobol_indices(chosen, y, outcomes, seed)
    _write_table(sobol, out / "sobol", "Sobol indices (S1, ST; *_conf: 95% half-width)")
    figures.save(sobol_figure(sobol), out / "sobol")
    (out / "sensitivity.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    total = record["morris"]["runs"] + record["sobol"]["runs"]
    seconds = record["morris"]["seconds"] + record["sobol"]["seconds"]
    print(f"sensitivity: {total:,} runs in {seconds:,.0f} s ({total / seconds:,.0f} runs/s, "
          f"{s['jobs']} processes) -> {out}", flush=True)
    return 0


@figures.styled
def sobol_figure(sobol: pd.DataFrame) -> Figure:
    """S1 and ST with intervals per parameter, one panel per outcome, ranked by the ST of
    the first outcome."""
    outcomes = list(dict.fromkeys(sobol["outcome"]))
    first = sobol[sobol["outcome"] == outcomes[0]]
    order = first.sort_values("ST", na_position="first")["parameter"].tolist()
    fig = figures.new_figure(2.6 * len(outcomes) + 2.4, 0.28 * len(order) + 1.4)
    axes = fig.subplots(1, len(outcomes), sharey=True, squeeze=False)[0]
    y = np.arange(len(order))
    for ax, outcome in zip(axes, outcomes, strict=True):
        rows = sobol[sobol["outcome"] == outcome].set_index("parameter").reindex(order)
        ax.barh(y + 0.2, rows["ST"], height=0.4, xerr=rows["ST_conf"], color=figures.colour(0),
                label="total (ST)", error_kw={"linewidth": 0.8})
        ax.barh(y - 0.2, rows["S1"], height=0.4, xerr=rows["S1_conf"], color=figures.colour(1),
                label="first order (S1)", error_kw={"linewidth": 0.8})
        ax.set_title(outcome.replace("_", " "))
        ax.set_xlabel("share of output variance")
        ax.set_xlim(-0.05, 1.05)
    axes[0].set_yticks(y, order)
    axes[-1].legend(frameon=False, fontsize=8, loc="lower right")
    return fig


@figures.styled
def morris_figure(morris: pd.DataFrame, label: int = 6) -> Figure:
    """sigma against mu* per outcome; the ``label`` largest mu* are named."""
    outcomes = list(dict.fromkeys(morris["outcome"]))
    fig = figures.new_figure(3.3 * len(outcomes), 3.4)
    axes = fig.subplots(1, len(outcomes), squeeze=False)[0]
    for ax, outcome in zip(axes, outcomes, strict=True):
        rows = morris[morris["outcome"] == outcome]
        ax.scatter(rows["mu_star"], rows["sigma"], s=12, color=figures.colour(0))
        for r in rows.nlargest(label, "mu_star").itertuples():
            ax.annotate(r.parameter.split(".")[1], (r.mu_star, r.sigma), fontsize=6,
                        xytext=(3, 2), textcoords="offset points")
        ax.set_title(outcome.replace("_", " "))
        ax.set_xlabel("mu* (mean |elementary effect|, outcome units)")
    axes[0].set_ylabel("sigma (spread of elementary effects)")
    return fig
