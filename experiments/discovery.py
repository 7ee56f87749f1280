"""Scenario discovery: under which conditions does the experience perspective stay alive?

``teamsim run experiment=discovery`` calls :func:`run` (``study.runner``). A Latin
hypercube (McKay, Beckman & Conover 1979; ``scipy.stats.qmc.LatinHypercube``) spreads
``discovery.points`` sample points over the levers and the context named in
``discovery.factors``: continuous settings over their range, whole numbers (the number of
EBEs, team size) over theirs, choices (team type, employed or external) over their
values, and ``pressure`` along the line calm (0) - normal (1) - high (2) through the
pressure levels of ``configs/pressure/`` (their workload settings interpolated).

Every sample point runs replicates ``0..R-1`` of the same seed (common random numbers).
Points that share the team layout and every non-float setting (team type and size, the
number of EBEs, employment) advance together in blocks through
:func:`sim.simulate.run_points`; each point is bit-identical to its own run. The outcome
per point is the share of teams whose perspective is alive at the horizon, with the share
of weeks alive, the states at the horizon, the experiential share, the team shift and EBE
exits. ``points.parquet`` holds one row per point; :mod:`analysis.discovery` then finds
the boxes (PRIM) where the perspective is alive in at least ``discovery.threshold`` of
teams and writes ``boxes.json``, ``boxes.md`` and ``discovery.{png,svg}``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from omegaconf import DictConfig, OmegaConf
from scipy.stats import qmc
from tqdm import tqdm

from experiments.store import atomic, write_json
from sim import Config, ConfigError, config_dir, replicate_table, to_config
from sim.outcomes import STATES
from sim.simulate import run_points

#: Settings of the ``discovery`` node (see ``configs/experiment/discovery.yaml``).
SETTINGS = ("points", "replicates", "seed", "jobs", "block", "threshold", "density",
            "boxes", "peel_alpha", "factors")
PRESSURE = "pressure"
PRESSURE_LEVELS = ("calm", "normal", "high")
#: Settings each point records beside its factors (means over its replicates).
MEANS = ("survived", "weeks_alive", "experiential_share", "team_shift", "exits")


@dataclass(frozen=True)
class Factor:
    """One dimension of the design: a setting and the range or values it takes."""

    name: str                       # dotted config key, or "pressure"
    kind: str                       # "float", "int" or "category"
    low: float = 0.0
    high: float = 1.0
    categories: tuple[str, ...] = ()
    absent: float = 0.0             # share of points where a lever is absent (= low)
    step: int = 1                   # whole numbers: low, low + step, ... up to high

    def values(self, u: np.ndarray) -> np.ndarray:
        """The factor's values at the unit-interval positions ``u``: a lever with
        ``absent`` is at ``low`` below that quantile and spread over its range above it."""
        if self.absent > 0:
            spread = np.clip((u - self.absent) / (1 - self.absent), 0, 1)
            return np.where(u < self.absent, self.low,
                            self.low + spread * (self.high - self.low))
        if self.kind == "category":
            index = np.minimum((u * len(self.categories)).astype(int), len(self.categories) - 1)
            return np.asarray(self.categories, dtype=object)[index]
        if self.kind == "int":
            span = (int(self.high) - int(self.low)) // self.step + 1
            return int(self.low) + self.step * np.minimum((u * span).astype(int), span - 1)
        return self.low + u * (self.high - self.low)


def _schema_field(cfg: Config, dotted: str):
    section, _, key = dotted.partition(".")
    node = getattr(cfg, section, None)
    if not key or node is None or not dataclasses.is_dataclass(node):
        return None
    return next((f for f in fields(node) if f.name == key), None)


def team_types() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in (config_dir() / "team").glob("*.yaml")))


def make_factor(cfg: Config, name: str, spec: object) -> Factor:
    """A factor from its YAML entry: ``[low, high]``, a list of choices, for a lever
    ``{range: [low, high], absent: share}`` (at ``low`` in that share of points), or for
    a whole number ``{range: [low, high], step: n}``."""
    if isinstance(spec, dict):
        unknown = sorted(map(str, set(spec) - {"range", "absent", "step"}))
        if unknown or "range" not in spec:
            raise ConfigError(f"discovery.factors.{name} = {spec!r}: give {{range: [low, "
                              "high]}} with 'absent: share' (a lever) or 'step: n' (a whole "
                              "number)")
        factor = make_factor(cfg, name, spec["range"])
        absent, step = float(spec.get("absent", 0.0)), int(spec.get("step", 1))
        if ("absent" in spec and (factor.kind != "float" or not 0 <= absent < 1)) or (
                "step" in spec and (factor.kind != "int" or step < 1)):
            raise ConfigError(f"discovery.factors.{name} = {spec!r}: 'absent' (0 <= share "
                              "< 1) applies to continuous settings, 'step' (>= 1) to whole "
                              "numbers")
        return dataclasses.replace(factor, absent=absent, step=step)
    if not isinstance(spec, list | tuple) or len(spec) < 2:
        raise ConfigError(f"discovery.factors.{name} = {spec!r}: give [low, high] or a list of "
                          "at least two choices")
    if name == PRESSURE:
        low, high = (float(v) for v in spec)
        if not 0 <= low < high <= 2:
            raise ConfigError(f"discovery.factors.pressure = {list(spec)}: allowed a range "
                              "within [0, 2] (0 calm, 1 normal, 2 high)")
        return Factor(name, "float", low, high)
    if name == "team.name":
        bad = [t for t in spec if t not in team_types()]
        if bad:
            raise ConfigError(f"discovery.factors.team.name {bad}: choose from "
                              + ", ".join(team_types()))
        return Factor(name, "category", categories=tuple(map(str, spec)))
    field = _schema_field(cfg, name)
    if field is None:
        raise ConfigError(f"discovery.factors.{name} is not a setting of the schema (a dotted "
                          "key such as organisation.intervision, or 'pressure')")
    choices = field.metadata.get("choices")
    if choices:
        bad = [c for c in spec if c not in choices]
        if bad:
            raise ConfigError(f"discovery.factors.{name} {bad}: choose from "
                              + ", ".join(choices))
        return Factor(name, "category", categories=tuple(map(str, spec)))
    if len(spec) != 2:
        raise ConfigError(f"discovery.factors.{name} = {list(spec)}: give [low, high]")
    lo, hi = field.metadata.get("range", (None, None))
    low, high = float(spec[0]), float(spec[1])
    if not (low < high and (lo is None or lo <= low) and (hi is None or high <= hi)):
        raise ConfigError(f"discovery.factors.{name} = {list(spec)}: allowed low < high "
                          f"within the schema range [{lo}, {hi}]")
    kind = "int" if "int" in str(field.type) else "float"
    return Factor(name, kind, low, high)


def settings(cfg: DictConfig) -> dict:
    """The ``discovery`` node, checked before any run starts."""
    node = cfg.get("discovery")
    if node is None:
        raise ConfigError("the discovery runner needs a 'discovery' node "
                          "(teamsim run experiment=discovery)")
    s = OmegaConf.to_container(node, resolve=True)
    unknown = sorted(set(s) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"discovery.{unknown[0]} is not a setting: the settings are "
                          + ", ".join(SETTINGS))
    for key, low in (("points", 10), ("replicates", 1), ("jobs", 1), ("block", 1),
                     ("boxes", 1)):
        if int(s[key]) < low:
            raise ConfigError(f"discovery.{key} = {s[key]} must be >= {low}")
    for key in ("threshold", "density", "peel_alpha"):
        if not 0 < float(s[key]) < 1 and not (key == "density" and float(s[key]) == 1):
            raise ConfigError(f"discovery.{key} = {s[key]} must lie in (0, 1)")
    if not s["factors"]:
        raise ConfigError("discovery.factors is empty: name at least one setting to vary")
    return s


# ------------------------------------------------------------------------------ design


def latin_hypercube(factors: Sequence[Factor], n: int, seed: int) -> pd.DataFrame:
    """``n`` sample points, one column per factor (Latin hypercube, scrambled)."""
    u = qmc.LatinHypercube(d=len(factors), seed=np.random.default_rng(seed)).random(n)
    return pd.DataFrame({f.name: f.values(u[:, i]) for i, f in enumerate(factors)})


def pressure_levels() -> dict[str, dict[str, float]]:
    """The numeric workload settings of the levels calm, normal and high."""
    levels = {}
    for level in PRESSURE_LEVELS:
        node = OmegaConf.to_container(OmegaConf.load(config_dir() / "pressure" /
                                                     f"{level}.yaml"))
        levels[level] = {k: float(v) for k, v in node.items() if k != "name"}
    return levels


def workload_at(position: float, levels: Mapping[str, Mapping[str, float]]) -> dict:
    """Workload settings at ``position`` on calm (0) - normal (1) - high (2), linearly
    between neighbouring levels."""
    i = min(int(position), 1)
    t = position - i
    a, b = (levels[PRESSURE_LEVELS[i]], levels[PRESSURE_LEVELS[i + 1]])
    return {k: (1 - t) * a[k] + t * b[k] for k in a}


def team_config(base: DictConfig, team: str) -> Config:
    """``base`` with its team section replaced by ``configs/team/<team>.yaml`` over the
    schema's defaults (as ``team=<team>`` composes it)."""
    node = base.copy()
    schema_team = OmegaConf.structured(Config).team
    node.team = OmegaConf.merge(schema_team, OmegaConf.load(config_dir() / "team" /
                                                            f"{team}.yaml"))
    return to_config(node)


def point_config(bases: Mapping[str, Config], row: Mapping, levels) -> Config:
    """The model config of one sample point."""
    team = row.get("team.name")
    cfg = bases[team if team is not None else next(iter(bases))]
    changes: dict[str, dict] = {}
    for name, value in row.items():
        if name == "team.name":
            continue
        if name == PRESSURE:
            changes.setdefault("workload", {}).update(workload_at(float(value), levels))
            continue
        section, key = name.split(".")
        value = value.item() if isinstance(value, np.generic) else value
        changes.setdefault(section, {})[key] = value
    sections = {s: dataclasses.replace(getattr(cfg, s), **kv) for s, kv in changes.items()}
    return to_config(dataclasses.replace(cfg, **sections))


def layout_key(cfg: Config) -> tuple:
    """What points of one engine block must share: every setting that is not a float."""
    def flat(node, prefix=""):
        for f in fields(node):
            value = getattr(node, f.name)
            if dataclasses.is_dataclass(value):
                yield from flat(value, f"{prefix}{f.name}.")
            elif not isinstance(value, float):
                yield f"{prefix}{f.name}", json.dumps(value, sort_keys=True, default=str)
    return tuple(flat(cfg))


# ------------------------------------------------------------------------------ runs


def evaluate_block(cfgs: Sequence[Config], replicates: int, seed: int) -> pd.DataFrame:
    """Per point: the means of :data:`MEANS` and the shares of the states at the horizon
    over replicates ``0..replicates-1`` (one engine block)."""
    observed = run_points(cfgs, replicates, seed)
    table = replicate_table(observed, seed, list(range(replicates)) * len(cfgs))
    table["point"] = np.repeat(np.arange(len(cfgs)), replicates)
    means = table.groupby("point")[list(MEANS)].mean()
    states = pd.crosstab(table["point"], table["state"], normalize="index")
    return means.join(states.reindex(columns=list(STATES), fill_value=0.0))


def _evaluate(index: list[int], cfgs: Sequence[Config], replicates: int,
              seed: int) -> tuple[list[int], pd.DataFrame, float]:
    """One block in a worker, with the CPU seconds it took (load-independent speed)."""
    start = time.process_time()
    values = evaluate_block(cfgs, replicates, seed)
    return index, values, time.process_time() - start


def blocks(groups: Mapping[tuple, list[int]], size: int) -> list[list[int]]:
    """Sample point indices cut into engine blocks of at most ``size`` points, never
    mixing two layouts."""
    return [members[i:i + size] for members in groups.values()
            for i in range(0, len(members), size)]


def run(cfg: DictConfig) -> int:
    """Design, simulate, write ``points.parquet``; then find and describe the boxes."""
    from analysis.discovery import analyse

    s = settings(cfg)
    base = to_config(cfg)
    factors = [make_factor(base, name, spec) for name, spec in s["factors"].items()]
    reps, seed = int(s["replicates"]), base.run.seed
    out = Path(OmegaConf.select(cfg, "study.dir", default="results/discovery"))
    out.mkdir(parents=True, exist_ok=True)
    design = latin_hypercube(factors, int(s["points"]), int(s["seed"]))
    teams = (design["team.name"].unique().tolist() if "team.name" in design
             else [base.team.name])
    bases = {t: team_config(cfg, t) if "team.name" in design else base for t in teams}
    levels = pressure_levels()
    configs = [point_config(bases, row, levels) for row in design.to_dict("records")]
    groups: dict[tuple, list[int]] = {}
    for i, point in enumerate(configs):
        groups.setdefault(layout_key(point), []).append(i)
    size = max(1, int(s["block"]) // reps)
    work = blocks(groups, size)
    print(f"discovery: {len(factors)} factors, {len(configs)} points x {reps} replicates = "
          f"{len(configs) * reps:,} runs in {len(work)} blocks ({len(groups)} team layouts), "
          f"{s['jobs']} processes -> {out}", flush=True)
    tic = time.perf_counter()
    tasks = (delayed(_evaluate)(idx, [configs[i] for i in idx], reps, seed) for idx in work)
    results = Parallel(n_jobs=int(s["jobs"]), return_as="generator_unordered")(tasks)
    parts, done, step, cpu = [], 0, max(1, len(configs) // 10), 0.0
    with tqdm(total=len(configs) * reps, unit="run", unit_scale=True, desc="discovery",
              dynamic_ncols=True, disable=None) as bar:     # a bar on a terminal only
        for idx, values, seconds in results:
            parts.append(values.set_axis(idx))
            cpu += seconds
            bar.update(len(idx) * reps)
            if bar.disable and (done + len(idx)) // step > done // step:
                print(f"  discovery: {done + len(idx)}/{len(configs)} points, "
                      f"{time.perf_counter() - tic:,.0f} s", flush=True)
            done += len(idx)
    seconds = time.perf_counter() - tic
    outcomes = pd.concat(parts).sort_index()
    points = pd.concat([design, outcomes.rename(columns={"survived": "p_alive"})], axis=1)
    points.insert(0, "point", np.arange(len(points)))
    points["replicates"] = reps
    with atomic(out / "points.parquet") as tmp:
        points.to_parquet(tmp, index=False)
    record = {"study": "discovery", "points": len(points), "replicates": reps,
              "runs": len(points) * reps, "seconds": round(seconds, 1),
              "cpu_seconds": round(cpu, 1),
              "layouts": len(groups), "blocks": len(work), "jobs": int(s["jobs"]),
              "seed": seed, "design_seed": int(s["seed"]), "weeks": base.run.weeks,
              "factors": {f.name: ([*f.categories] if f.kind == "category"
                                   else [f.low, f.high]) for f in factors},
              "kinds": {f.name: f.kind for f in factors},
              "threshold": float(s["threshold"]), "density": float(s["density"]),
              "boxes": int(s["boxes"]), "peel_alpha": float(s["peel_alpha"])}
    write_json(out / "discovery.json", record)
    print(f"discovery: {record['runs']:,} runs in {seconds:,.0f} s "
          f"({record['runs'] / seconds:,.0f} runs/s; {cpu:,.0f} CPU seconds in the workers, "
          f"{record['runs'] / max(cpu, 1e-9):,.0f} runs per CPU second)", flush=True)
    analyse(out)
    return 0

